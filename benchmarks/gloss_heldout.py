"""Offline gloss chrF on the held-out halves of FLORES-200 devtest and NTREX-128.

The gloss rules and word lists were tuned on the first halves (FLORES lines 0–600, NTREX
0–1200, the "development" rows); the second halves (FLORES 600–1012, NTREX 1200–1997) are
the figures issue 20 judges the Korean gloss by. Both are printed, per source language.

usage: python benchmarks/gloss_heldout.py [--langs ko zh ja]
"""

from __future__ import annotations

import argparse
import time

from newsdigest_eval.metrics import chrf
from pipeline.paths import evaldata_dir
from pipeline.translate import TranslationRouter

ROWS = {  # set → (folder, source file per language, reference, development rows, held-out rows)
    "FLORES": ("flores200-devtest", {"zh": "zh.txt", "ja": "ja.txt", "ko": "ko.txt"}, "en.txt",
               (0, 600), (600, 1012)),
    "NTREX": ("ntrex128", {"zh": "zh-CN.txt", "ja": "ja.txt", "ko": "ko.txt"}, "en.txt",
              (0, 1200), (1200, 1997)),
}


def _rows(folder: str, name: str, span: tuple[int, int]) -> list[str]:
    text = (evaldata_dir() / folder / name).read_text(encoding="utf-8")
    return text.split("\n")[span[0]:span[1]]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--langs", nargs="+", default=["ko", "zh", "ja"])
    args = ap.parse_args()
    router = TranslationRouter(["gloss"])
    print(f"{'pair':8} {'set':7} {'development':>12} {'held-out':>9} {'s/line':>7}")
    for lang in args.langs:
        for name, (folder, sources, ref, dev, held) in ROWS.items():
            scores = []
            start, count = time.perf_counter(), 0
            for span in (dev, held):
                src = _rows(folder, sources[lang], span)
                out = [t.text for t in router.translate(src, lang, "en")]
                scores.append(chrf(out, _rows(folder, ref, span)))
                count += len(src)
            per_line = (time.perf_counter() - start) / count
            print(f"{lang}→en   {name:7} {scores[0]:12.1f} {scores[1]:9.1f} {per_line:7.3f}")


if __name__ == "__main__":
    main()
