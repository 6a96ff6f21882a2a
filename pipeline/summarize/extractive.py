"""Extractive event summary: centrality, fact coverage and a length budget; fully cited.

Candidates are content sentences of the event's documents that read as news statements (no
questions, no first-person talk-show lines, no fragments). A sentence scores by closeness to
the event centroid and its headline, by how many other outlets state the same thing
(support), and a small bonus for being the lead. Sentences are then picked greedily by that
score plus the concepts (amounts, names, content words; `coverage.py`) they add to what is
already chosen, per output character, until the language's character budget is spent: the
summary covers distinct facts instead of restating the gist. A sentence paraphrasing one
already chosen is refused. Each chosen sentence cites every document that states it.

Sentences written in the output language come first: one in another language (which the
reader gets as a translation, offline a dictionary gloss) enters only for a fact, a figure or
a known person or organisation, that no sentence in the output language states
(`foreign_allowed`), `MAX_FOREIGN` at most.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from pipeline.clean import without_inline_furniture
from pipeline.dedup.facts import agreement, facts
from pipeline.embed.base import normalise
from pipeline.lang.scripts import CJK_CHAR
from pipeline.model import Document, Segment, Source
from pipeline.summarize.coverage import concept_weights, concepts, output_chars

_CJK = CJK_CHAR
_QUOTED = re.compile(r"[\"“'‘「『][^\"”'’」』]*[\"”'’」』]")
_TALK = re.compile(r"\b(I|I'm|I've|we|we're|we've|us|our|you|your|listeners?)\b")
_FOOTNOTE = re.compile(r"\s*(\[\d+\])+")
_PRONOUN_START = re.compile(
    r"^(?:(?:He|She|They|It|His|Her|Their|Its)\b|(?:他|她)|(?:彼|同氏)|(?:그는|그녀는|그들은))")
_CLAUSE_BREAK = re.compile(r", |; | — | – |，|；")

MMR_LAMBDA = 0.7
POSITION_STEP = 0.03  # score lost per sentence further from the lead (no sentence vectors)
SAME_DOC_PARAPHRASE = 0.93  # seeds: distinct sentences of one article up to 0.91, restatements 0.95
FACT_AGREEMENT = 0.5  # share of numbers/Latin names two paraphrases must share
CROSS_LINGUAL_REDUNDANT = 0.80  # mutual best matches across languages (see `paraphrases`)
CROSS_LINGUAL_SUPPORT = 0.84
COVERAGE_WEIGHT = 1.0  # the best new-concept gain per √character is worth this much score
COST_EXPONENT = 1.0  # gain per character^r: concepts per character (0 ignores length)
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
    previous: int | None = None  # the candidate just before it in the same paragraph

    def source(self) -> Source:
        return Source(self.doc.id, self.index, self.seg.lang, self.seg.text)


def display_text(text: str) -> str:
    """What readers see: footnote markers like [1][3] dropped."""
    return _FOOTNOTE.sub("", text).strip()


# Additive connectives that tie a sentence to the one before it in its article: out of that
# context they say nothing, and a summary budget is counted in characters
_CONNECTIVE = re.compile(
    r"^(?:(?:Additionally|In addition|Moreover|Furthermore|Meanwhile|Also),\s+"
    r"|(?:此外|另外|同时)[，,]\s*|(?:また|さらに|一方)、|(?:또한|한편)\s+)")


# A wire lead's dateline and byline, which a summary sentence does not need: "SEOUL, Jan. 15
# (Yonhap) -- ", "(서울=연합뉴스) 민경환 기자 = ", "[이코노미스트 박지수 기자] ", "【北京=三塚聖平】",
# "新华社北京1月17日电（记者 王某）", "TAIPEI (Reuters) - "
_DATELINE_PREFIX = re.compile(
    r"^(?:[A-Z][A-Z .'-]{1,40}(?:, [A-Z][a-z]{2,8}\.? \d{1,2})? \([A-Z][\w .]{1,30}\) ?(?:--|[-–—]) ?"
    r"|[(（][^()（）=＝]{1,12}[=＝][^()（）]{1,16}[)）]\s?(?:\S{2,4} ?기자 ?= ?)?"
    r"|\[[^\[\]]{1,20}기자\]\s?"
    r"|【[^【】]{1,20}】"
    r"|(?:新华社|新華社|中新社|中新网|中新網)[^，,。（(]{0,16}电[（(][^）)]{0,20}[）)]\s?)")


def summary_text(text: str) -> str:
    """A sentence as a summary shows it: `display_text` without inline furniture (a reading
    after a name: `clean.without_inline_furniture`), a wire lead's dateline and byline or a
    leading additive connective ("Additionally, Cove Capital…" → "Cove
    Capital…")."""
    text = without_inline_furniture(display_text(text))
    undated = _DATELINE_PREFIX.sub("", text, count=1)
    text = undated if len(undated) >= len(text) // 3 else text
    rest = _CONNECTIVE.sub("", text, count=1)
    if rest is text or not rest:
        return text
    return rest[0].upper() + rest[1:]


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


def lead_sentences(docs: list[Document], low: int, budget: float,
                   prefer_lang: str) -> list[Selected]:
    """The fallback when no sentence passes `is_summary_worthy` (only fragments, questions,
    chatter): the first body sentences of the most central document with any, in order,
    until `low` sentences or the budget. Still real, cited sentences."""
    for doc in docs:
        body = [(i, s) for i, s in doc.content_segments if s.role == "body" and s.text.strip()]
        if not body:
            continue
        out, used = [], 0.0
        for index, seg in body:
            cost = output_chars(summary_text(seg.text), seg.lang, prefer_lang)
            if out and (len(out) >= low or used + cost > budget):
                break
            cand = Candidate(doc, index, seg, seg.vector)
            out.append(Selected(cand, [cand.source()]))
            used += cost
        return out
    return []


def needs_context(seg: Segment) -> bool:
    """A sentence opening on a personal pronoun ("He said…", "他表示…") means nothing alone
    (a demonstrative with its noun, "These minerals…", still reads)."""
    return bool(_PRONOUN_START.match(display_text(seg.text)))


def candidates(docs: list[Document], vectors: bool = True) -> list[Candidate]:
    """Summary-worthy body sentences, in text order; with `vectors`, only those embedded."""
    out: list[Candidate] = []
    for doc in docs:
        last: tuple[int, int] | None = None  # (paragraph, candidate number) of the previous one
        for index, seg in doc.content_segments:
            if (seg.role == "body" and (seg.vector is not None or not vectors)
                    and is_summary_worthy(seg)):
                before = last[1] if last and last[0] == seg.paragraph else None
                out.append(Candidate(doc, index, seg, seg.vector, previous=before))
                last = (seg.paragraph, len(out) - 1)
            else:
                last = None
    return out


def title_vector(doc: Document) -> np.ndarray | None:
    rows = [s.vector for _, s in doc.content_segments if s.role == "title" and s.vector is not None]
    return normalise(np.mean(rows, axis=0))[0] if rows else None


def paraphrases(cands: list[Candidate], sim: np.ndarray,
                paraphrase: float) -> tuple[np.ndarray, np.ndarray]:
    """(redundant, supports): which candidate pairs say the same thing, for two uses.

    Redundant (never both in a summary): similarity ≥ `paraphrase` across documents. Within
    one document sentences on one subject reach 0.9 with multilingual-e5 without repeating
    each other (true repeats are already marked), so there only ≥ `SAME_DOC_PARAPHRASE`.
    Supports (cited as a source of the other): another document, similarity ≥ `paraphrase`
    and no disagreement on numbers or Latin names (`dedup.facts`): "70% of imports" does not
    support "40% of reserves", however alike the wording.

    Across languages multilingual-e5 cosines run lower (FLORES en–ja/zh/ko translations:
    median 0.85–0.87, lowest 0.77–0.81; unrelated sentences of one article up to 0.86), so a
    fixed bar fails there. As in bitext mining, a cross-lingual pair counts when each is the
    other's best match between their two documents and the cosine reaches
    `CROSS_LINGUAL_REDUNDANT` (0.80: every FLORES translation pair of 3 × 50 found, but also
    2–3 chance pairs between unrelated articles at 0.80–0.83) or, to be cited,
    `CROSS_LINGUAL_SUPPORT` (0.84).
    """
    found = [facts(c.seg.text) for c in cands]
    docs = np.array([c.doc.id for c in cands], dtype=object)
    langs = np.array([c.seg.lang for c in cands], dtype=object)
    other_doc = docs[:, None] != docs[None, :]
    cross = other_doc & (langs[:, None] != langs[None, :])
    same_lang = ~cross
    mutual = _mutual_best(sim, docs)
    redundant = ((same_lang & (sim >= paraphrase) & (other_doc | (sim >= SAME_DOC_PARAPHRASE)))
                 | (cross & mutual & (sim >= CROSS_LINGUAL_REDUNDANT)))
    np.fill_diagonal(redundant, False)
    supports = ((same_lang & other_doc & (sim >= paraphrase))
                | (cross & mutual & (sim >= CROSS_LINGUAL_SUPPORT)))
    for i, j in zip(*np.nonzero(supports)):
        agree = agreement(found[i], found[j])
        supports[i, j] = agree is None or agree >= FACT_AGREEMENT
    return redundant, supports


def _mutual_best(sim: np.ndarray, docs: np.ndarray) -> np.ndarray:
    """[i, j]: j is i's most similar candidate in j's document, and i is j's in i's."""
    best = np.zeros_like(sim, dtype=bool)
    for doc in dict.fromkeys(docs):
        cols = np.flatnonzero(docs == doc)
        rows = np.arange(len(docs))
        best[rows, cols[np.argmax(sim[:, cols], axis=1)]] = True
    return best & best.T


def base_scores(cands: list[Candidate],
                paraphrase: float) -> tuple[list[float], np.ndarray, np.ndarray, np.ndarray]:
    """Each candidate's score before the output language's bonus (`LANG_BONUS`), the
    similarity matrix and `paraphrases`."""
    if any(c.vector is None for c in cands):
        return _base_by_position(cands)
    matrix = np.vstack([c.vector for c in cands])
    centroid = normalise(matrix.mean(axis=0))[0]
    sim = matrix @ matrix.T
    redundant, supports = paraphrases(cands, sim, paraphrase)
    titles = {c.doc.id: v for c in cands if (v := title_vector(c.doc)) is not None}
    lead: dict[str, int] = {}
    for cand in cands:
        lead.setdefault(cand.doc.id, cand.seg.paragraph)  # candidates come in text order
    base = []
    for i, cand in enumerate(cands):
        support = len({c.doc.id for j, c in enumerate(cands) if supports[i, j]})
        title = titles.get(cand.doc.id)
        base.append(
            float(matrix[i] @ centroid)
            + (TITLE_WEIGHT * float(matrix[i] @ title) if title is not None else 0.0)
            + SUPPORT_BONUS * support
            + (LEAD_BONUS if cand.seg.paragraph == lead[cand.doc.id] else 0.0)
        )
    return base, sim, redundant, supports


def _base_by_position(
        cands: list[Candidate]) -> tuple[list[float], np.ndarray, np.ndarray, np.ndarray]:
    """One article without sentence vectors (`Config.sentence_vectors = "multi"`): news puts
    its most important sentences first, so earlier sentences score higher; coverage still
    picks the facts. No sentence is taken for a paraphrase of another."""
    rank: dict[str, int] = {}
    base = []
    for cand in cands:
        k = rank[cand.doc.id] = rank.get(cand.doc.id, -1) + 1
        base.append(1.0 + TITLE_WEIGHT - POSITION_STEP * k)
    none = np.zeros((len(cands), len(cands)), dtype=bool)
    return base, np.eye(len(cands)), none, none.copy()


FACT_KINDS = ("num:", "person:", "org:")  # entity keys that are the same in every language
# sentences in another language beside native ones: the facts a briefing most needs, not a
# second summary of fact lines (the linking set's local elections with one Japanese edition
# took 8 of 10)
MAX_FOREIGN = 3


def fact_keys(seg: Segment) -> set[str]:
    """The sentence's language-free facts: figures by value, glossary people and bodies."""
    return {key for key in seg.entities if key.startswith(FACT_KINDS)}


def foreign_allowed(cands: list[Candidate], lang: str) -> list[bool]:
    """Which candidates may enter a summary in `lang`: those written in it, and those in
    another language that state a fact none of them states (all, when none is in `lang`)."""
    native = [c.seg.lang == lang for c in cands]
    if not any(native):
        return [True] * len(cands)
    known = set().union(*(fact_keys(c.seg) for c, own in zip(cands, native) if own))
    return [own or bool(fact_keys(c.seg) - known) for c, own in zip(cands, native)]


@dataclass
class Selected:
    primary: Candidate
    sources: list[Source]


@dataclass
class Reading:
    """What `select` reads from a list of documents whatever the output language: the
    candidates, their scores before the language bonus, how alike they are, the concepts
    each states and their weights. A summary in each output language reads the same
    documents (unless an outlet's own edition joins them), so it is read once."""

    cands: list[Candidate]
    base: list[float]
    sim: np.ndarray
    redundant: np.ndarray
    supports: np.ndarray
    found: list[set[str]]
    weight: dict[str, float]


def read_candidates(docs: list[Document], paraphrase: float) -> Reading | None:
    cands = candidates(docs)
    if not cands and len(docs) == 1:  # one article not embedded sentence by sentence
        cands = candidates(docs, vectors=False)
    if not cands:
        return None
    base, sim, redundant, supports = base_scores(cands, paraphrase)
    found = [concepts(c.seg) for c in cands]
    return Reading(cands, base, sim, redundant, supports, found,
                   concept_weights(found, [c.doc.id for c in cands]))


def select(docs: list[Document], low: int, high: int, paraphrase: float,
           prefer_lang: str, budget: float = math.inf,
           reading: Reading | None = None) -> list[Selected]:
    """Central sentences that add new facts, within `budget` characters of `prefer_lang`
    (at least `low` sentences when there are that many, at most `high`); each cites every
    document that states it. `reading`: `read_candidates(docs, paraphrase)`, when the
    caller has it already."""
    reading = reading or read_candidates(docs, paraphrase)
    if reading is None:
        return []
    cands, sim, redundant, found, weight = (reading.cands, reading.sim, reading.redundant,
                                            reading.found, reading.weight)
    score = [b + (LANG_BONUS if c.seg.lang == prefer_lang else 0.0)
             for b, c in zip(reading.base, cands)]
    allowed = foreign_allowed(cands, prefer_lang)
    native = [c.seg.lang == prefer_lang for c in cands]
    foreign_cap = MAX_FOREIGN if any(native) else len(cands)
    cost = [max(output_chars(summary_text(c.seg.text), c.seg.lang, prefer_lang), 1.0)
            for c in cands]
    chosen: list[int] = []
    covered: set[str] = set()
    used = 0.0
    while len(chosen) < high:
        foreign_open = sum(not native[i] for i in chosen) < foreign_cap
        open_ = [i for i in range(len(cands))
                 if allowed[i] and (native[i] or foreign_open) and i not in chosen
                 and not any(redundant[i, j] for j in chosen)
                 and (not needs_context(cands[i].seg) or cands[i].previous in chosen)
                 and (used + cost[i] <= budget or len(chosen) < low)]
        gains = {i: sum(weight[c] for c in found[i] - covered) for i in open_}
        if not open_ or (chosen and not any(gains.values())):
            break
        rate = {i: gains[i] / cost[i] ** COST_EXPONENT for i in open_}
        top = max(rate.values()) or 1.0
        value = {i: MMR_LAMBDA * (score[i] + COVERAGE_WEIGHT * rate[i] / top)
                 - (1 - MMR_LAMBDA) * max((sim[i, j] for j in chosen), default=0.0)
                 for i in open_}
        best = max(open_, key=lambda i: (value[i], -i))
        chosen.append(best)
        covered |= found[best]
        used += cost[best]
    order = {doc.id: rank for rank, doc in enumerate(docs)}
    chosen.sort(key=lambda i: (order[cands[i].doc.id], cands[i].index))
    return [Selected(cands[i], _sources(i, cands, sim, reading.supports)) for i in chosen]


def _sources(i: int, cands: list[Candidate], sim: np.ndarray,
             supports: np.ndarray) -> list[Source]:
    """The sentence itself plus, per other document, its closest sentence stating the same."""
    sources = [cands[i].source()]
    best: dict[str, int] = {}
    for j, cand in enumerate(cands):
        if not supports[i, j]:
            continue
        if cand.doc.id not in best or sim[i, j] > sim[i, best[cand.doc.id]]:
            best[cand.doc.id] = j
    sources += [cands[j].source() for j in sorted(best.values(), key=lambda j: -sim[i, j])]
    return sources
