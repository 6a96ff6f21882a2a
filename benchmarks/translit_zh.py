"""Held-out measurement of the Chinese name romaniser (pipeline.translate.translit_zh).

    /work/venv/bin/python benchmarks/translit_zh.py [--show N]

Pairs: CC-CEDICT proper-name entries (translit_zh.iter_name_pairs) in the held-out split
(`is_heldout`, 1 in 10 by headword hash), which the shipped table was not trained on. Two
subsets: every character in the learned inventory ("inventory"), and every character in
gloss_zh's hand-made TRANSLIT_CHARS set ("hand set", independent of the learned table).
Scores: corpus chrF (sacrebleu CHRF, character n-grams up to 6), exact match (case-folded),
romanize_name vs the toneless pinyin the gloss produced before (pipeline.lang.cedict.pinyin).
"""

from __future__ import annotations

import argparse
import sys
import time
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sacrebleu.metrics import CHRF

from pipeline.lang.cedict import TRANSLIT_CHARS, load_cedict, pinyin
from pipeline.translate import translit_zh


def score(refs: list[str], hyps: list[str]) -> tuple[float, float]:
    chrf = CHRF().corpus_score(hyps, [refs]).score
    exact = sum(h.lower() == r.lower() for h, r in zip(hyps, refs, strict=True)) / len(refs)
    return chrf, 100 * exact


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--show", type=int, default=0, help="print N held-out examples")
    ap.add_argument("--dev", type=Path, metavar="TABLE",
                    help="score the dev split with this table (python -m pipeline.translate.translit_zh_build --no-dev)")
    args = ap.parse_args()
    if args.dev:  # tuning: a table without the dev pairs, scored on them
        model = translit_zh._Model(tomllib.loads(args.dev.read_text("utf-8")))
        translit_zh._model = lambda: model

    t0 = time.perf_counter()
    translit_zh._model()
    load_s = time.perf_counter() - t0
    load_cedict()  # the pinyin baseline's dictionary, loaded before timing anything

    pairs = [(s, latin.capitalize()) for s, _, _, latin in translit_zh.iter_name_pairs()
             if (translit_zh.is_dev if args.dev else translit_zh.is_heldout)(s)]
    inv = translit_zh.inventory()
    subsets = {
        "inventory": [p for p in pairs if all(c in inv for c in p[0])],
        "hand set": [p for p in pairs if all(c in TRANSLIT_CHARS for c in p[0])],
    }
    print(f"held-out pairs: {len(pairs)}; table load {load_s * 1000:.0f} ms")
    for name, subset in subsets.items():
        refs = [r for _, r in subset]
        base = [pinyin(w) for w, _ in subset]
        translit_zh.romanize_name.cache_clear()
        t0 = time.perf_counter()
        ours = [translit_zh.romanize_name(w) for w, _ in subset]
        per_name = (time.perf_counter() - t0) / len(subset)
        b_chrf, b_exact = score(refs, base)
        o_chrf, o_exact = score(refs, ours)
        print(f"{name:>10} n={len(subset):4d}  pinyin chrF {b_chrf:5.1f} exact {b_exact:4.1f}%"
              f"  |  romanize_name chrF {o_chrf:5.1f} exact {o_exact:4.1f}%"
              f"  ({per_name * 1000:.2f} ms/name uncached)")
        for (w, r), b, o in list(zip(subset, base, ours, strict=True))[: args.show]:
            print(f"    {w}\t{r}\t{b}\t{o}")

    examples = ["萨拉·丹尼尔斯", "西米诺夫", "埃博拉", "达尔豪西", "鲍勃·迪伦", "埃胡德·乌尔",
                "哈利法克斯"]
    for w in examples:
        print(f"  {w}: {translit_zh.romanize_name(w)} (pinyin {pinyin(w.replace('·', ''))}),"
              f" heldout={translit_zh.is_heldout(w)}")


if __name__ == "__main__":
    main()
