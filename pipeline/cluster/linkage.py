"""Average linkage over clusters kept as sums, with some clusters frozen.

Both similarities (embedding cosine, TF-IDF cosine) are dot products of unit vectors, so the
mean similarity of every pair across two clusters is `sum_a · sum_b / (n_a · n_b)`: clusters
are stored as vector sums and a merge adds them (Lance–Williams), which makes one step
O(k²) in the number of units k instead of O(k² · members). Frozen units are events from
earlier time steps: new documents may join them, but two of them never merge, so history is
not rewritten by a later day.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse


def cross_products(dense: np.ndarray, terms: sparse.csr_matrix, weight: float,
                   frozen: int = 0) -> np.ndarray:
    """weight · dense dense^T + (1 - weight) · terms terms^T, as a dense k × k array; with
    the first `frozen` units frozen, as `with_frozen` lays it out."""
    new_dense, new_terms = (dense[frozen:], terms[frozen:]) if frozen else (dense, terms)
    out = weight * (new_dense @ dense.T).astype(np.float64)
    if terms.shape[0] and terms.nnz:
        out += (1 - weight) * (new_terms @ terms.T).toarray()
    if not frozen:
        return out
    own = weight * np.einsum("ij,ij->i", dense[:frozen], dense[:frozen]).astype(np.float64)
    return with_frozen(out, own + (1 - weight) * row_products(terms[:frozen]))


def with_frozen(rows: np.ndarray, frozen_own: np.ndarray) -> np.ndarray:
    """The k × k cross products `average_linkage` reads, from the new units' rows against
    every unit (n × k, the f frozen units first) and each frozen unit's product with itself
    (its cohesion). Two frozen units never merge, so their pair is never read and stays 0:
    computing it was most of a day's clustering (open events and stories are sums of up to
    hundreds of documents, and there are hundreds of them against a day's new units)."""
    f, k = len(frozen_own), rows.shape[1]
    out = np.zeros((k, k), dtype=np.float64)
    out[f:] = rows
    out[:f, f:] = rows[:, :f].T
    out[np.arange(f), np.arange(f)] = frozen_own
    return out


def row_products(rows: sparse.csr_matrix) -> np.ndarray:
    """Each sparse row's dot product with itself."""
    return np.asarray(rows.multiply(rows).sum(axis=1), dtype=np.float64).ravel()


@dataclass(frozen=True)
class CohesionRule:
    """When two clusters of two or more members each may not merge although their mean
    cross similarity passed the threshold: when it is below `sure` and below `ratio` × the
    mean of their own cohesions (mean similarity of their member pairs).

    One global threshold cannot tell two events of one kind (a quake in 2008, another in
    2013) from two halves of one event: on ECB+ the twins' cross similarity (up to 0.27)
    is above the within similarity of looser events (down to 0.19), yet 98% of articles
    have their nearest neighbour in their own event. Relative to the clusters' own
    tightness, the twins stand apart. A document joining a cluster is never vetoed.
    """

    ratio: float = 0.0  # 0 turns the rule off
    sure: float = 1.0  # at or above this mean similarity, clusters merge whatever their cohesion

    def vetoes(self, value: float, cohesion_i: float, n_i: float, cohesion_j: float,
               n_j: float) -> bool:
        if not self.ratio or min(n_i, n_j) < 2 or value >= self.sure:
            return False
        return value < self.ratio * (cohesion_i + cohesion_j) / 2


@dataclass(frozen=True)
class GapRule:
    """The cohesion rule on a log-odds scale (`scorer`), where ratios mean nothing: two
    clusters of two or more members each do not merge when their mean cross score is below
    `sure` and more than `gap` below the mean of their own cohesions."""

    gap: float = 0.0  # 0 turns the rule off
    sure: float = float("inf")

    def vetoes(self, value: float, cohesion_i: float, n_i: float, cohesion_j: float,
               n_j: float) -> bool:
        if not self.gap or min(n_i, n_j) < 2 or value >= self.sure:
            return False
        return value < (cohesion_i + cohesion_j) / 2 - self.gap


NO_RULE = CohesionRule()


def cohesion(self_sum: float, count: float, own: float | None = None) -> float:
    """Mean similarity of a cluster's distinct member pairs, from its self cross-product,
    which also holds each member's similarity to itself: `own` (their sum; `count` for unit
    vectors, which are 1 each)."""
    return (self_sum - (count if own is None else own)) / (count * (count - 1))


def average_linkage(cross: np.ndarray, counts: np.ndarray, frozen: np.ndarray,
                    threshold: float, rule: CohesionRule | GapRule = NO_RULE,
                    own: np.ndarray | None = None,
                    langs: np.ndarray | None = None) -> list[list[int]]:
    """Merge the closest pair while its mean pairwise similarity is ≥ threshold and `rule`
    does not veto it (a vetoed pair is looked at again once either side has changed).

    Ties go to the lowest indices, so the caller's unit order (canonical) fixes the result.
    Returns groups of unit indices in order of their first unit; each holds ≤ 1 frozen unit.
    """
    k = len(counts)
    if k == 0:
        return []
    cross = np.array(cross, dtype=np.float64, copy=True)
    counts = np.array(counts, dtype=np.float64, copy=True)
    frozen = np.array(frozen, dtype=bool, copy=True)
    alive = np.ones(k, dtype=bool)
    members = [[i] for i in range(k)]
    own = np.array(counts if own is None else own, dtype=np.float64, copy=True)
    # documents per language of each unit: with it, the rule only parts two clusters all in
    # one and the same language (twins; across languages, scores sit lower by nature)
    langs = None if langs is None else np.array(langs, dtype=np.float64, copy=True)

    def row(i: int) -> np.ndarray:
        values = cross[i] / (counts[i] * counts)
        values[~alive] = -np.inf
        values[i] = -np.inf
        if frozen[i]:
            values[frozen] = -np.inf
        return values

    sim = np.vstack([row(i) for i in range(k)]) if k > 1 else np.full((1, 1), -np.inf)
    best = sim.argmax(axis=1)
    best_value = sim[np.arange(k), best]
    while True:
        i = int(best_value.argmax())
        if best_value[i] < threshold or not np.isfinite(best_value[i]):
            break
        j = int(best[i])
        if (langs is None or _one_language(langs[i], langs[j])) and rule.vetoes(
                best_value[i], _cohesion(cross[i, i], counts[i], own[i]), counts[i],
                _cohesion(cross[j, j], counts[j], own[j]), counts[j]):
            sim[i, j] = sim[j, i] = -np.inf  # until one of them changes (row() resets it)
            for r in (i, j):
                best[r] = int(sim[r].argmax())
                best_value[r] = sim[r, best[r]]
            continue
        i, j = (i, j) if (frozen[i] or not frozen[j]) and (frozen[i] or i < j) else (j, i)
        cross[i] += cross[j]
        cross[:, i] += cross[:, j]
        counts[i] += counts[j]
        own[i] += own[j]
        if langs is not None:
            langs[i] += langs[j]
        frozen[i] |= frozen[j]
        alive[j] = False
        members[i] += members[j]
        members[j] = []
        sim[j] = -np.inf
        sim[:, j] = -np.inf
        best_value[j] = -np.inf
        sim[i] = row(i)
        sim[:, i] = sim[i]
        sim[i, i] = -np.inf
        stale = alive & ((best == i) | (best == j))
        stale[i] = True
        for r in np.flatnonzero(stale):
            best[r] = int(sim[r].argmax())
            best_value[r] = sim[r, best[r]]
        gain = alive & ~stale & (sim[:, i] > best_value)
        best[gain] = i
        best_value[gain] = sim[gain, i]
    return sorted((sorted(m) for m in members if m), key=lambda m: m[0])


def _cohesion(self_sum: float, count: float, own: float) -> float:
    return cohesion(self_sum, count, own) if count > 1 else 0.0


def _one_language(a: np.ndarray, b: np.ndarray) -> bool:
    """Both units hold documents of one language only, the same one."""
    return bool(np.count_nonzero(a) == 1 and np.count_nonzero(b) == 1
                and a.argmax() == b.argmax())
