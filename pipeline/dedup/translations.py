"""Translations of one article: the same story in another language (or Chinese script).

Shingles cannot see a translation. The test is three signals together, in publication order
with the earliest version kept:
- cosine of the documents' multilingual embeddings after each language's mean vector is
  subtracted (raw cosines carry a language bias larger than the gap between stories);
- the numbers and Latin-script names of both texts agree (`facts`);
- the lengths agree once each language's characters-per-English-character ratio is applied;
and the two come from one house (an outlet and its editions) or one credits the other's
(`outlets`): two outlets that share neither, writing from one briefing in the
same order, are two sources however parallel their sentences.
Only documents in the same date window are compared, which keeps an archive sub-quadratic;
an undated document is compared with every earlier one.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict
from functools import lru_cache

import numpy as np

from pipeline.dedup.alignment import Embed, is_translation_pair
from pipeline.dedup.copies import copy_text
from pipeline.dedup.facts import agreement, facts
from pipeline.dedup.outlets import strangers
from pipeline.embed.base import normalise
from pipeline.model import Document, publication_order

# characters per English character, measured on FLORES-200 and NTREX-128 (en 1.0)
CHARS_PER_ENGLISH_CHAR = {"en": 1.0, "zh": 0.35, "zh-hant": 0.37, "ja": 0.45, "ko": 0.52}
MAX_LENGTH_RATIO = 2.0  # a translation is neither half nor twice its original's length
MIN_AGREEMENT = 0.5  # share of the smaller fact set the other must also state
MIN_CENTRED_DOCS = 3  # fewer documents in a language: its mean is the document itself
MAX_ALIGNED_CANDIDATES = 3  # a translation is among its original's closest documents
_SIMPLIFIED_ONLY = re.compile(r"[们这个说为国会时来对发经还过进动种]")
_TRADITIONAL_ONLY = re.compile(r"[們這個說為國會時來對發經還過進動種]")


def script_variant(doc: Document, text: str | None = None) -> str:
    """The language, with traditional Chinese told apart from simplified (`text`: the
    document's `copy_text`, when the caller has it already)."""
    lang = doc.main_lang
    if lang != "zh":
        return lang
    return _chinese_variant(copy_text(doc) if text is None else text)


# a document stays in the translation window for `date_window_days` and is compared again
# on each of them: its script and facts are read once (texts kept: ~5 KB each, ~20 MB)
TEXTS_KEPT = 4096


@lru_cache(maxsize=TEXTS_KEPT)
def _chinese_variant(text: str) -> str:
    trad = len(_TRADITIONAL_ONLY.findall(text))
    return "zh-hant" if trad > len(_SIMPLIFIED_ONLY.findall(text)) else "zh"


@lru_cache(maxsize=TEXTS_KEPT)
def _text_facts(text: str) -> frozenset[str]:
    return frozenset(facts(text))


class VariantMeans:
    """Running sums of document vectors per script variant: every kept document seen so far
    (`CorpusPass` adds each day's), so a window of a few days is centred as well as the
    whole corpus would be, and the same way in a run and in an archive."""

    def __init__(self) -> None:
        self.sums: dict[str, np.ndarray] = {}
        self.counts: dict[str, int] = defaultdict(int)

    def add(self, docs: list[Document]) -> None:
        for doc in docs:
            if doc.vector is not None:
                variant = script_variant(doc)
                self.sums[variant] = self.sums.get(variant, 0) + doc.vector.astype(np.float64)
                self.counts[variant] += 1

    def mean(self, variant: str) -> np.ndarray | None:
        n = self.counts.get(variant, 0)
        return (self.sums[variant] / n).astype(np.float32) if n >= MIN_CENTRED_DOCS else None


def centred_vectors(vectors: np.ndarray, groups: list[str],
                    means: VariantMeans | None = None) -> np.ndarray:
    """Each row minus the mean of its group (language), renormalised: the group's rows' own
    mean, or the running one of `means`."""
    out = np.array(vectors, dtype=np.float32, copy=True)
    members: dict[str, list[int]] = defaultdict(list)
    for row, group in enumerate(groups):
        members[group].append(row)
    for group, rows in members.items():
        if means is not None:
            mean = means.mean(group)
            if mean is not None:
                out[rows] -= mean
        elif len(rows) >= MIN_CENTRED_DOCS:
            out[rows] -= vectors[rows].mean(axis=0, keepdims=True)
    return normalise(out)


def _in_window(a: Document, b: Document, window_days: int) -> bool:
    return a.date is None or b.date is None or abs((a.date - b.date).days) <= window_days


def mark_translations(docs: list[Document], min_cosine: float, window_days: int = 7,
                      embed: Embed | None = None, means: VariantMeans | None = None) -> int:
    """Mark each document that translates an earlier kept one; return how many.

    With `embed` (sentence vectors), a candidate must also align sentence by sentence
    (`alignment`): independent reports of one event pass every document-level test."""
    kept = [d for d in publication_order(docs) if d.duplicate_of is None and d.vector is not None]
    if len(kept) < 2:
        return 0
    texts = [copy_text(d) for d in kept]  # read once: variant, facts and length use it
    variants = [script_variant(d, t) for d, t in zip(kept, texts)]
    codes = {v: n for n, v in enumerate(sorted(set(variants)))}
    variant_codes = np.array([codes[v] for v in variants])
    vectors = centred_vectors(np.vstack([d.vector for d in kept]), variants, means)
    doc_facts = [_text_facts(t) for t in texts]
    lengths = [len(t) / CHARS_PER_ENGLISH_CHAR.get(v, 1.0) for t, v in zip(texts, variants)]
    ordinals = [d.date.toordinal() for d in kept if d.date is not None]  # dated come first
    marked = 0
    versions = (None, "translation") if embed is not None else (None,)
    for i, doc in enumerate(kept):
        lo = 0 if doc.date is None else bisect_left(ordinals, doc.date.toordinal() - window_days)
        if lo >= i:
            continue
        cosines = vectors[lo:i] @ vectors[i]
        other_variant = variant_codes[lo:i] != variant_codes[i]
        candidates: list[tuple[float, int]] = []
        for j in lo + np.flatnonzero((cosines >= min_cosine) & other_variant):
            other = kept[j]
            # an earlier translation may be the closer text (a Korean version aligns with
            # the Japanese one better than with the English original): with sentences to
            # confirm it, any version will do
            if (other.duplicate_kind not in versions or variants[j] == variants[i]
                    or not _in_window(doc, other, window_days)):
                continue
            ratio = max(lengths[i], lengths[j]) / max(1.0, min(lengths[i], lengths[j]))
            agree = agreement(doc_facts[i], doc_facts[j], embed is None)
            if (ratio > MAX_LENGTH_RATIO or (agree is not None and agree < MIN_AGREEMENT)
                    or strangers(doc, other)):
                continue
            candidates.append((float(cosines[j - lo]) + (agree or 0.0), int(j)))
        candidates.sort(key=lambda c: (-c[0], c[1]))
        if embed is not None:  # the best few only, best first: sentence vectors cost
            aligned = next((c for c in candidates[:MAX_ALIGNED_CANDIDATES]
                            if is_translation_pair(doc, kept[c[1]], embed)), None)
            candidates = [aligned] if aligned else []
        if candidates:
            doc.duplicate_of, doc.duplicate_kind = kept[candidates[0][1]].id, "translation"
            marked += 1
    return marked
