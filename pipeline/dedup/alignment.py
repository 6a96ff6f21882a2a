"""Do two documents' sentences align one to one? What tells a translation from a report.

Two independent reports of one event share a lead, numbers and names, and their document
vectors are as close as a translation's; only a translation says the same thing sentence by
sentence, in the same order, over most of both texts. Sentences are compared by their
multilingual embeddings: a pair counts when each is the other's best match above
`MIN_SENTENCE_COSINE`, and the pairs that keep the order of both texts (the longest
increasing run) must cover `MIN_ALIGNED` of the longer text's sentences.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable

import numpy as np

from pipeline.model import Document

MIN_SENTENCE_COSINE = 0.85  # e5: translated sentences ~0.9, same-topic others below
MIN_ALIGNED = 0.6
MAX_SENTENCES = 60  # a long feature's first sixty sentences say whether it is a translation

Embed = Callable[[list[str]], np.ndarray]


def sentence_vectors(doc: Document, embed: Embed) -> np.ndarray:
    """Vectors of the title and body sentences (kept on the segments: the summariser, which
    embeds the same text, reuses them)."""
    from pipeline.summarize.extractive import display_text

    segs = [s for _, s in doc.content_segments if s.role in ("title", "body")][:MAX_SENTENCES]
    todo = [s for s in segs if s.vector is None]
    if todo:
        for seg, vector in zip(todo, embed([display_text(s.text) for s in todo])):
            seg.vector = vector
    return np.vstack([s.vector for s in segs]) if segs else np.zeros((0, 1))


def _longest_increasing(values: list[int]) -> int:
    tails: list[int] = []
    for v in values:
        k = bisect_left(tails, v)
        if k == len(tails):
            tails.append(v)
        else:
            tails[k] = v
    return len(tails)


def aligned_share(a: np.ndarray, b: np.ndarray, min_cosine: float = MIN_SENTENCE_COSINE) -> float:
    """Share of the longer text's sentences in an order-keeping one-to-one alignment."""
    if not len(a) or not len(b):
        return 0.0
    sims = a @ b.T
    best_ab, best_ba = sims.argmax(axis=1), sims.argmax(axis=0)
    pairs = [int(j) for i, j in enumerate(best_ab)
             if best_ba[j] == i and sims[i, j] >= min_cosine]
    return _longest_increasing(pairs) / max(len(a), len(b))


def is_translation_pair(a: Document, b: Document, embed: Embed) -> bool:
    return aligned_share(sentence_vectors(a, embed), sentence_vectors(b, embed)) >= MIN_ALIGNED
