"""Small helpers every framing module needs: which script a text is in, rounding for the
JSON, the English lemma and stop words. The CJK segmenters are `pipeline.lang.analysers`'
one instance each."""

from __future__ import annotations

from functools import cache

from pipeline.lang.scripts import CJK_CHAR

CJK = CJK_CHAR


def cjk_lang(lang: str) -> bool:
    return lang in ("zh", "ja", "ko")


def rounded(value: float) -> float:
    return round(float(value), 3)


def english_lemma(word: str) -> str:
    """Light English plural stripping: minerals → mineral, countries → country."""
    if not word.isascii() or len(word) < 4:
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@cache
def stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)
