"""Cross-lingual duplicate detection on NTREX-128: each article in en/zh/ja/ko is one document.

A perfect run marks the zh, ja and ko versions of every article as translations of its
English version and nothing else. Prints precision, recall and time per stage.

usage: python benchmarks/crosslingual_dedup.py [--articles N] [--sentences K]
"""

from __future__ import annotations

import argparse
import time

from newsdigest_eval.evaldata import ntrex_documents
from pipeline.backends import build_embedder
from pipeline.config import Config
from pipeline.run import embed_documents, find_duplicates, process_document


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--sentences", type=int, default=12)
    args = parser.parse_args()
    docs = ntrex_documents(args.articles, args.sentences)
    config = Config()
    embedder = build_embedder(config)
    t0 = time.perf_counter()
    for doc in docs:
        process_document(doc, config)
    t1 = time.perf_counter()
    find_duplicates(docs, config,
                    lambda batch: embed_documents(batch, embedder, False, config.embed_chars),
                    embedder.embed)  # copies, document vectors, translations (as `run` does)
    t2 = time.perf_counter()
    gold = {d.id for d in docs if not d.id.endswith(".en")}
    found = {d.id for d in docs if d.duplicate_of}
    correct = {d.id for d in docs if d.duplicate_of
               and d.duplicate_of.rsplit(".", 1)[0] == d.id.rsplit(".", 1)[0]}
    precision = len(correct) / len(found) if found else 1.0
    recall = len(correct) / len(gold)
    print(f"documents: {len(docs)} ({args.articles} articles x 4 languages, "
          f"{args.sentences} sentences each)")
    print(f"translated copies: precision {precision:.3f}, recall {recall:.3f} "
          f"({len(correct)}/{len(gold)} found, {len(found) - len(correct)} wrong)")
    for lang in ("zh", "ja", "ko"):
        lang_gold = {g for g in gold if g.endswith("." + lang)}
        print(f"  recall {lang}: {len(correct & lang_gold) / len(lang_gold):.3f}")
    print(f"per-document stages {t1 - t0:.1f} s, duplicates (embedding and sentence "
          f"alignment) {t2 - t1:.1f} s")


if __name__ == "__main__":
    main()
