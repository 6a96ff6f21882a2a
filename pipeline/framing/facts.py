"""Which sources carry which key facts: every summary sentence of the event matched against
each document, in its own language or across languages, as cited, paraphrased, stated with
other figures, similar but not confirmed, or omitted.

Omissions are the strongest framing claim the digest makes, so the matching thresholds are
measured (see the notes on the constants) and a near miss is shown as `weak`, never counted.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from pipeline.claims import amounts
from pipeline.framing.common import rounded
from pipeline.model import Document, Event, Segment, SummarySentence
from pipeline.summarize.extractive import display_text

# A fact is carried by a document in the fact's own language when its closest sentence there
# is at least `Config.paraphrase_similarity` (0.9, the bar summaries cite sources at) and the
# two are each other's best match. On the seeds, true paraphrases across the two outlets of the
# minerals event score 0.918-0.962 and the closest non-paraphrase 0.909.
# Across languages the embedder scores true translations lower (NTREX en↔zh/ja/ko: median
# 0.85, 5th percentile 0.81) and topical non-translations nearly as high (95th percentile
# 0.82-0.83), so a cosine alone cannot decide; the ratio-margin of Artetxe & Schwenk (2019)
# (cosine over the mean of each side's `MARGIN_K` nearest neighbours) plus mutual best match
# can: on 60 NTREX articles a margin of 1.02, a cosine floor of 0.82 and mutual best match
# keep 85-95% of true translations and admit 1-1.4% of other sentences (optimistic: there
# every other sentence has its own translation beside it, which mutual best match exploits).
CROSS_LANG_COSINE = 0.82
CROSS_LANG_MARGIN = 1.02
MARGIN_K = 3
MUTUAL_SLACK = 0.005  # a best match may tie another sentence within this
# in one language a sentence this close is a paraphrase even when the source has a second,
# closer one (two sentences of one article retelling the same thing); seeds: non-paraphrases
# reach 0.909, NTREX sentences of one article 0.924 at the 95th percentile
SAME_LANG_SURE = 0.94
# `weak`: the closest sentence misses by one criterion (not each other's best match, or a
# little under the bar): shown as "similar, not confirmed", never counted as carried or omitted
WEAK_SAME_LANG_SLACK = 0.02
WEAK_CROSS_LANG_COSINE = 0.80
WEAK_CROSS_LANG_MARGIN = 1.0
# across languages, a sentence naming the fact's specific names (see `_named_match`)
SPECIFIC_KEYS = ("person", "org", "event", "misc")
NAMED_MIN_SHARED = 2
STATUS_ORDER = ("cited", "paraphrase", "differs", "weak", "omitted", "unknown")
CARRIED = ("cited", "paraphrase")


Stacks = dict[str, tuple[list[int], "np.ndarray | None"]]  # document id -> its vectors


def _vectors(doc: Document, stacks: Stacks | None = None) -> tuple[list[int], np.ndarray | None]:
    """A document's content-sentence indices and their vectors stacked; with `stacks`, each
    document is stacked once per event (every fact is matched against every document)."""
    if stacks is not None:
        if doc.id not in stacks:
            stacks[doc.id] = _vectors(doc)
        return stacks[doc.id]
    rows = [(i, s.vector) for i, s in doc.content_segments if s.vector is not None]
    if not rows:
        return [], None
    return [i for i, _ in rows], np.vstack([v for _, v in rows]).astype(np.float32)


def _topk_mean(values: np.ndarray, k: int = MARGIN_K) -> float:
    if values.size == 0:
        return 0.0
    return float(np.sort(values)[-k:].mean())


def _numbers_disagree(a: str, b: str) -> bool:
    """Both state amounts and share none: the same statement with other figures."""
    x, y = amounts(display_text(a)), amounts(display_text(b))
    return bool(x) and bool(y) and not x & y


@dataclass
class FactMatch:
    status: str  # cited | paraphrase | differs | omitted | unknown
    document: str
    segment: int | None = None
    similarity: float | None = None
    margin: float | None = None
    by: str | None = None  # "names": matched on shared names across languages, not vectors

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"status": self.status, "document": self.document}
        if self.by:
            out["by"] = self.by
        if self.segment is not None:
            out["segment"] = self.segment
        if self.similarity is not None:
            out["similarity"] = rounded(self.similarity)
        if self.margin is not None:
            out["margin"] = rounded(self.margin)
        return out


def match_fact(fact: SummarySentence, doc: Document, docs: dict[str, Document],
               same_lang_cosine: float, stacks: Stacks | None = None) -> FactMatch:
    """Does `doc` state the fact? Cited by the summary; else its best sentence against each
    cited source passes the same-language (cosine + mutual best) or cross-language (cosine
    floor + margin + mutual best) test; a match whose amounts all differ is `differs`."""
    cited = [s for s in fact.sources if s.document == doc.id]
    if cited:
        src = cited[0]
        seg = doc.segments[src.segment] if 0 <= src.segment < len(doc.segments) else None
        first = fact.sources[0]
        sim = None
        if seg is not None and seg.vector is not None and first.document in docs:
            ref = docs[first.document].segments[first.segment].vector
            sim = float(seg.vector @ ref) if ref is not None else None
        return FactMatch("cited", doc.id, src.segment, sim)
    indices, matrix = _vectors(doc, stacks)
    if matrix is None:
        return FactMatch("unknown", doc.id)
    best: tuple[float, float, int, Segment, Segment, int] | None = None
    for src in fact.sources:
        source_doc = docs.get(src.document)
        if source_doc is None or not 0 <= src.segment < len(source_doc.segments):
            continue
        fseg = source_doc.segments[src.segment]
        if fseg.vector is None:
            continue
        sims = matrix @ fseg.vector
        j = int(np.argmax(sims))
        cos = float(sims[j])
        target = doc.segments[indices[j]]
        own_idx, own = _vectors(source_doc, stacks)
        others = own[[k for k, i in enumerate(own_idx) if i != src.segment]] \
            if own is not None else np.zeros((0, matrix.shape[1]), np.float32)
        back = others @ target.vector if len(others) else np.zeros(0)
        a, b = _topk_mean(sims), _topk_mean(back) if back.size else _topk_mean(sims)
        margin = cos / ((a + b) / 2) if a + b > 0 else 0.0
        mutual = back.size == 0 or cos >= float(back.max()) - MUTUAL_SLACK
        if target.lang == fseg.lang:
            close = cos >= same_lang_cosine
            near = cos >= same_lang_cosine - WEAK_SAME_LANG_SLACK
        else:
            close = cos >= CROSS_LANG_COSINE and margin >= CROSS_LANG_MARGIN
            near = cos >= WEAK_CROSS_LANG_COSINE and margin >= WEAK_CROSS_LANG_MARGIN
        sure = target.lang == fseg.lang and cos >= SAME_LANG_SURE
        # 2: passes; 1: misses by one criterion (weak); 0: no match
        level = 2 if (close and mutual) or sure else 1 if (close or (near and mutual)) else 0
        if best is None or (level, cos) > (best[5], best[0]):
            best = (cos, margin, indices[j], fseg, target, level)
    if best is None:
        return FactMatch("unknown", doc.id)
    cos, margin, index, fseg, target, level = best
    if level < 2:
        named = _named_match(fact, doc, docs, indices, matrix)
        if named is not None:
            return named
        return FactMatch("weak" if level else "omitted", doc.id, index, cos, margin)
    status = "differs" if _numbers_disagree(fseg.text, target.text) else "paraphrase"
    return FactMatch(status, doc.id, index, cos, margin)


def _specific(seg: Segment) -> set[str]:
    return {k for k in seg.entities if k.split(":")[0] in SPECIFIC_KEYS}


def _named_match(fact: SummarySentence, doc: Document, docs: dict[str, Document],
                 indices: list[int], matrix: np.ndarray) -> FactMatch | None:
    """Across languages, a sentence that packs several facts (common in Chinese and
    Japanese news) is close to none of them: it counts when it names at least
    `NAMED_MIN_SHARED` of the fact's specific names (people, organisations, events, named
    things; two thirds of them) and still scores `WEAK_CROSS_LANG_COSINE`."""
    best: tuple[int, float, int, Segment, Segment] | None = None
    for src in fact.sources:
        source_doc = docs.get(src.document)
        if source_doc is None or not 0 <= src.segment < len(source_doc.segments):
            continue
        fseg = source_doc.segments[src.segment]
        wanted = _specific(fseg)
        if fseg.vector is None or len(wanted) < NAMED_MIN_SHARED:
            continue
        sims = matrix @ fseg.vector
        for j, index in enumerate(indices):
            target = doc.segments[index]
            shared = len(wanted & _specific(target))
            if target.lang == fseg.lang or sims[j] < WEAK_CROSS_LANG_COSINE or \
                    shared < max(NAMED_MIN_SHARED, math.ceil(2 * len(wanted) / 3)):
                continue
            if best is None or (shared, float(sims[j])) > best[:2]:
                best = (shared, float(sims[j]), index, fseg, target)
    if best is None:
        return None
    _, cos, index, fseg, target = best
    status = "differs" if _numbers_disagree(fseg.text, target.text) else "paraphrase"
    return FactMatch(status, doc.id, index, cos, None, "names")


def best_match(matches: list[FactMatch]) -> FactMatch:
    return min(matches, key=lambda m: (STATUS_ORDER.index(m.status), -(m.similarity or 0.0),
                                       m.document))


def fact_list(event: Event, lang: str) -> list[tuple[str, SummarySentence]]:
    sentences = event.summary.get(lang) or next(iter(event.summary.values()), [])
    return [(f"f{i}", s) for i, s in enumerate(sentences, 1)]


def coverage_lists(matches: dict[str, FactMatch], fact_ids: list[str]) -> dict[str, list[str]]:
    return {
        "carries": [f for f in fact_ids if matches[f].status in CARRIED],
        "differs": [f for f in fact_ids if matches[f].status == "differs"],
        "weak": [f for f in fact_ids if matches[f].status == "weak"],
        "omits": [f for f in fact_ids if matches[f].status == "omitted"],
        "unknown": [f for f in fact_ids if matches[f].status == "unknown"],
    }
