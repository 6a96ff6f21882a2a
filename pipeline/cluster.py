"""Group documents into events: embeddings, shared entities and dates, then average linkage.

Multilingual embeddings alone cannot split events on one topic (every seed is about critical
minerals: raw cosines are all 0.90–0.98), and cross-lingual pairs score lower than same-language
pairs. So a pair's similarity combines (a) embedding cosine after removing the collection's
mean direction (what every article shares says nothing about which event it reports), and
(b) TF-IDF cosine over language-free keys (glossary entity ids, multi-word names, amounts),
where keys every document shares weigh almost nothing. Documents dated further apart than the
window never share an event.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter

import numpy as np

from pipeline.embed.base import normalise
from pipeline.entities import document_keys
from pipeline.model import Document, Event

LEAD_SENTENCES = 8
TITLE_WEIGHT = 2.0
EMBEDDING_WEIGHT = 0.5


def document_vector(doc: Document) -> np.ndarray | None:
    """Title (weighted) plus the lead sentences: where news states its event."""
    rows, weights = [], []
    body = 0
    for _, seg in doc.content_segments:
        if seg.vector is None:
            continue
        if seg.role == "title":
            rows.append(seg.vector)
            weights.append(TITLE_WEIGHT)
        elif body < LEAD_SENTENCES:
            rows.append(seg.vector)
            weights.append(1.0)
            body += 1
    if not rows:
        return None
    return normalise(np.average(np.vstack(rows), axis=0, weights=weights))[0]


def embedding_similarity(vectors: np.ndarray) -> np.ndarray:
    """Cosine after centring; with fewer than three documents there is no mean to remove."""
    if len(vectors) >= 3:
        vectors = normalise(vectors - vectors.mean(axis=0, keepdims=True))
    sim = vectors @ vectors.T
    return np.clip(sim, -1.0, 1.0)


def key_similarity(key_counts: list[Counter[str]]) -> np.ndarray:
    """TF-IDF cosine over entity/name/amount keys."""
    n = len(key_counts)
    df: Counter[str] = Counter()
    for counts in key_counts:
        df.update(set(counts))
    vocab = sorted(df)
    index = {k: i for i, k in enumerate(vocab)}
    matrix = np.zeros((n, len(vocab)), dtype=np.float64)
    for row, counts in enumerate(key_counts):
        for key, count in counts.items():
            idf = max(0.0, math.log((n + 1) / (df[key] + 0.5)))
            matrix[row, index[key]] = (1 + math.log(count)) * idf
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    matrix = matrix / np.where(norms == 0, 1.0, norms)
    return matrix @ matrix.T


def combined_similarity(docs: list[Document], window_days: int) -> np.ndarray:
    vectors = np.vstack([d.vector for d in docs])
    sim = EMBEDDING_WEIGHT * embedding_similarity(vectors) + (1 - EMBEDDING_WEIGHT) * (
        key_similarity([document_keys(d) for d in docs])
    )
    for i, a in enumerate(docs):
        for j, b in enumerate(docs):
            if a.date and b.date and abs((a.date - b.date).days) > window_days:
                sim[i, j] = -1.0
    np.fill_diagonal(sim, 1.0)
    return sim


def average_linkage(sim: np.ndarray, threshold: float) -> list[list[int]]:
    """Merge the closest pair of groups while their mean pairwise similarity passes the bar.

    A group never absorbs a document that any member forbids (date window), so linkage
    cannot chain two far-apart dates through a third undated article.
    """
    groups = [[i] for i in range(len(sim))]
    while len(groups) > 1:
        best, pair = threshold, None
        for x in range(len(groups)):
            for y in range(x + 1, len(groups)):
                block = sim[np.ix_(groups[x], groups[y])]
                if block.min() <= -1.0:
                    continue
                score = float(block.mean())
                if score >= best:
                    best, pair = score, (x, y)
        if pair is None:
            break
        x, y = pair
        groups[x] = sorted(groups[x] + groups[y])
        del groups[y]
    return sorted(groups, key=lambda g: g[0])


def event_id(member_ids: list[str]) -> str:
    digest = hashlib.sha1("\n".join(sorted(member_ids)).encode("utf-8")).hexdigest()
    return f"evt-{digest[:10]}"


def cluster_documents(docs: list[Document], threshold: float, window_days: int) -> list[Event]:
    """Events over the documents that have vectors and are not duplicates."""
    usable = [d for d in docs if d.duplicate_of is None and d.vector is not None]
    if not usable:
        return []
    sim = combined_similarity(usable, window_days)
    events = []
    for group in average_linkage(sim, threshold):
        members = [usable[i] for i in group]
        dates = sorted(d.date for d in members if d.date)
        events.append(
            Event(
                id=event_id([d.id for d in members]),
                documents=[d.id for d in members],
                date=dates[len(dates) // 2] if dates else None,
            )
        )
    return events
