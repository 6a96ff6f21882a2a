"""Extractive event summary: centrality with redundancy control, every sentence fully cited.

Candidates are content sentences of the event's documents that read as news statements (no
questions, no first-person talk-show lines, no fragments). A sentence scores by closeness to
the event centroid, by how many other outlets state the same thing (support), and a small
bonus for being the lead; MMR then picks sentences that add something new, refusing any that
paraphrase one already chosen. Each chosen sentence cites every document that states it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from pipeline.embed.base import normalise
from pipeline.model import Document, Segment, Source

_CJK = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]")
_QUOTED = re.compile(r"[\"“'‘「『][^\"”'’」』]*[\"”'’」』]")
_TALK = re.compile(r"\b(I|I'm|I've|we|we're|we've|us|our|you|your|listeners?)\b")
_FOOTNOTE = re.compile(r"\s*(\[\d+\])+")
_CLAUSE_BREAK = re.compile(r", |; | — | – |，|；")

MMR_LAMBDA = 0.7
TITLE_WEIGHT = 0.5  # a headline names the event: sentences close to it tell it
SUPPORT_BONUS = 0.03
LEAD_BONUS = 0.03
LANG_BONUS = 0.05


@dataclass
class Candidate:
    doc: Document
    index: int
    seg: Segment
    vector: np.ndarray
    score: float = 0.0

    def source(self) -> Source:
        return Source(self.doc.id, self.index, self.seg.lang, self.seg.text)


def display_text(text: str) -> str:
    """What readers see: footnote markers like [1][3] dropped."""
    return _FOOTNOTE.sub("", text).strip()


def headline(text: str, limit: int = 100) -> str:
    """A lead sentence cut to headline length at its first clause break, for untitled news."""
    text = display_text(text).rstrip("。.")
    if len(text) <= limit:
        return text
    for match in _CLAUSE_BREAK.finditer(text):
        head = text[: match.start()]
        if len(head.split()) >= 6 or len(_CJK.findall(head)) >= 12:
            return head if len(head) <= limit else head[:limit].rsplit(" ", 1)[0] + "…"
    return text[:limit].rsplit(" ", 1)[0] + "…"


def is_summary_worthy(seg: Segment) -> bool:
    """A statement a briefing could quote: not a question, fragment or host chatter."""
    text = display_text(seg.text)
    cjk = len(_CJK.findall(text))
    if cjk:
        if not 12 <= cjk <= 220:
            return False
    elif not 8 <= len(text.split()) <= 70:
        return False
    if text.endswith(("?", "？", ":", "：", ",")) or text[:1].islower():
        return False
    return not _TALK.search(_QUOTED.sub("", text))


def candidates(docs: list[Document]) -> list[Candidate]:
    out = []
    for doc in docs:
        for index, seg in doc.content_segments:
            if seg.role == "body" and seg.vector is not None and is_summary_worthy(seg):
                out.append(Candidate(doc, index, seg, seg.vector))
    return out


def title_vector(doc: Document) -> np.ndarray | None:
    rows = [s.vector for _, s in doc.content_segments if s.role == "title" and s.vector is not None]
    return normalise(np.mean(rows, axis=0))[0] if rows else None


def score_candidates(cands: list[Candidate], paraphrase: float, prefer_lang: str) -> np.ndarray:
    """Set `score` on each candidate; return the candidate similarity matrix."""
    matrix = np.vstack([c.vector for c in cands])
    centroid = normalise(matrix.mean(axis=0))[0]
    sim = matrix @ matrix.T
    titles = {c.doc.id: v for c in cands if (v := title_vector(c.doc)) is not None}
    lead: dict[str, int] = {}
    for cand in cands:
        lead.setdefault(cand.doc.id, cand.seg.paragraph)  # candidates come in text order
    for i, cand in enumerate(cands):
        others = {c.doc.id for j, c in enumerate(cands) if sim[i, j] >= paraphrase}
        support = len(others - {cand.doc.id})
        title = titles.get(cand.doc.id)
        cand.score = (
            float(matrix[i] @ centroid)
            + (TITLE_WEIGHT * float(matrix[i] @ title) if title is not None else 0.0)
            + SUPPORT_BONUS * support
            + (LEAD_BONUS if cand.seg.paragraph == lead[cand.doc.id] else 0.0)
            + (LANG_BONUS if cand.seg.lang == prefer_lang else 0.0)
        )
    return sim


def summary_length(n_candidates: int, low: int, high: int) -> int:
    """About one sentence in 2.5 candidates, within the configured bounds."""
    return max(min(low, n_candidates), min(high, math.ceil(n_candidates / 2.5)))


@dataclass
class Selected:
    primary: Candidate
    sources: list[Source]


def select(docs: list[Document], low: int, high: int, paraphrase: float,
           prefer_lang: str) -> list[Selected]:
    """Pick 3–7 central, mutually non-redundant sentences and cite all who state them."""
    cands = candidates(docs)
    if not cands:
        return []
    sim = score_candidates(cands, paraphrase, prefer_lang)
    want = summary_length(len(cands), low, high)
    chosen: list[int] = []
    while len(chosen) < want:
        best, best_value = None, -math.inf
        for i, cand in enumerate(cands):
            if i in chosen:
                continue
            overlap = max((sim[i, j] for j in chosen), default=0.0)
            if overlap >= paraphrase:
                continue
            value = MMR_LAMBDA * cand.score - (1 - MMR_LAMBDA) * overlap
            if value > best_value:
                best, best_value = i, value
        if best is None:
            break
        chosen.append(best)
    order = {doc.id: rank for rank, doc in enumerate(docs)}
    chosen.sort(key=lambda i: (order[cands[i].doc.id], cands[i].index))
    return [Selected(cands[i], _sources(i, cands, sim, paraphrase)) for i in chosen]


def _sources(i: int, cands: list[Candidate], sim: np.ndarray, paraphrase: float) -> list[Source]:
    """The sentence itself plus, per other document, its closest paraphrase."""
    sources = [cands[i].source()]
    best: dict[str, int] = {}
    for j, cand in enumerate(cands):
        if cand.doc.id == cands[i].doc.id or sim[i, j] < paraphrase:
            continue
        if cand.doc.id not in best or sim[i, j] > sim[i, best[cand.doc.id]]:
            best[cand.doc.id] = j
    sources += [cands[j].source() for j in sorted(best.values(), key=lambda j: -sim[i, j])]
    return sources
