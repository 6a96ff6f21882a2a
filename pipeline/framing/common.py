"""Small helpers every framing module needs: which script a text is in, rounding for the
JSON, the English lemma and stop words, and `per_document` (readings of a document kept
while a batch frames its event again). The CJK segmenters are `pipeline.lang.analysers`'
one instance each."""

from __future__ import annotations

import functools
from collections import OrderedDict
from collections.abc import Callable
from functools import cache
from typing import TypeVar

from pipeline.lang.scripts import CJK_CHAR
from pipeline.model import Document

CJK = CJK_CHAR


T = TypeVar("T")
KNOWN_DOCUMENTS = 4096  # texts remembered by each `per_document` reading


def per_document(read: Callable[..., T]) -> Callable[..., T]:
    """`read(doc, *args)` remembered for the last `KNOWN_DOCUMENTS` documents: a batch
    frames an event again on each day it grows, and these readings depend on a document's
    text and content segments alone. The answer is shared: callers must not change it."""
    known: OrderedDict[tuple, T] = OrderedDict()

    @functools.wraps(read)
    def remembered(doc: Document, *args) -> T:
        key = (doc.id, doc.content_key, args)
        if key in known:
            known.move_to_end(key)
            return known[key]
        found = known[key] = read(doc, *args)
        if len(known) > KNOWN_DOCUMENTS:
            known.popitem(last=False)
        return found

    return remembered


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
