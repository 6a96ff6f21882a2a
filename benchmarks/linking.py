"""Event linking on the development set of independent multilingual coverage (eval/linking).

Runs what `newsdigest run` runs between reading and summarising (per-document stages,
copies, embeddings, translations, events) with the default config on one split, and prints
ARI, B-cubed P/R/F1, the share of same-event pairs put in one event per language pair,
false translation and copy flags among independent reports, reprints and translations found,
and seconds per stage.

usage: python benchmarks/linking.py [--split test|calibration|all] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import time

from newsdigest_eval.dev_linking import linking_figures
from newsdigest_eval.linking_set import load_linking_set
from pipeline.backends import build_embedder
from pipeline.config import Config
from pipeline.run import embed_documents, group_events, process_documents

TARGETS = {"bcubed_f1": 0.95, "ari": 0.93, "pairs": 0.93, "false_translation_flags": 0,
           "reprints_found": 0.95}


def _target(name: str) -> str:
    key = name.split(".")[2]
    if key not in TARGETS:
        return ""
    return f"(target {'=' if key.startswith('false') else '≥'} {TARGETS[key]})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", default="test", choices=["test", "calibration", "all"])
    parser.add_argument("--json", help="write the figures here too")
    args = parser.parse_args()
    config = Config()
    ls = load_linking_set(None if args.split == "all" else args.split)
    t0 = time.perf_counter()
    docs, problems = process_documents(ls.documents, config)
    t1 = time.perf_counter()
    embedder = build_embedder(config)
    events = group_events(docs, config,
                          lambda batch: embed_documents(batch, embedder, False, config.embed_chars),
                          embedder.embed)
    t2 = time.perf_counter()
    figures, notes = linking_figures(docs, events, ls)
    for name, value in figures.items():
        print(f"{name:45s} {value:8.4g} {_target(name)}")
    for line in problems + notes:
        print(line)
    print(f"documents {len(docs)}: per-document stages {t1 - t0:.1f} s, "
          f"duplicates + embedding + events {t2 - t1:.1f} s")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(figures, f, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
