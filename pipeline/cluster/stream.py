"""Incremental event clustering over a time-ordered stream of documents.

Documents arrive one time step (a publication day) at a time; undated documents form a last
step of their own, where they group among themselves before the groups join events. Inside
a step, average linkage runs over the step's documents together with the events still open
(last document within `window_days`): a document joins the event it is on average most
similar to, or opens one with other new documents, or alone. Events
from earlier steps never merge with each other. Events are then grouped into stories (the
topic level: two different earthquakes, one story "earthquakes") the same way, with a lower
threshold and a longer window. Everything inside a step is in canonical order, so the result
does not depend on the order the documents were read in.

Similarity is `embedding_weight` × cosine of language-centred embeddings plus the rest ×
TF-IDF cosine of terms (see `features`), with document frequencies from the stream so far.
Two events of one kind are kept apart by `linkage.CohesionRule`: clusters that passed the
threshold still do not merge when they are much less similar to each other than to themselves.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from pipeline.cluster.features import HASH_BITS, TermsOf, cached_terms, link_keys, tfidf
from pipeline.cluster.linkage import (
    NO_RULE,
    CohesionRule,
    average_linkage,
    cross_products,
    with_frozen,
)
from pipeline.cluster.scorer import (
    UNDATED,
    LinkModel,
    Profile,
    score_sums,
    self_scores,
    single_profile,
    specific_keys,
    with_own_scores,
)
from pipeline.embed.base import normalise
from pipeline.model import Document

MIN_LANGUAGE_DOCS = 3  # below this, a language's mean vector is too close to its documents


@dataclass(frozen=True)
class ClusterParams:
    embedding_weight: float
    event_threshold: float
    story_threshold: float
    window_days: int = 7
    story_window_days: int = 30
    cohesion_ratio: float = 0.0  # events only (`linkage.CohesionRule`); 0 turns it off
    cohesion_sure: float = 1.0
    link_model: LinkModel | None = None  # the same-event scorer; None: the cosine rules

    @property
    def event_rule(self) -> CohesionRule:
        return CohesionRule(self.cohesion_ratio, self.cohesion_sure)


@dataclass
class _Group:
    """An event (members are documents) or a story (members are events), kept as sums."""

    id: str
    members: list[str]
    vector: np.ndarray  # None (as terms) once `EventStream.retire` stored it
    terms: sparse.csr_matrix
    size: int  # documents
    first: dt.date | None
    last: dt.date | None
    dates: list[dt.date] = field(default_factory=list)
    story: str | None = None
    profile: Profile | None = None  # events: what the same-event scorer reads

    def absorb(self, members: list[str], vector: np.ndarray, terms: sparse.csr_matrix,
               size: int, date: dt.date | None, profile: Profile | None = None) -> None:
        assert self.vector is not None, f"{self.id} was retired"  # only closed groups are
        if profile is not None and self.profile is not None:
            self.profile.add(profile)
        self.members += members
        self.vector = self.vector + vector
        self.terms = self.terms + terms
        self.size += size
        if date is not None:
            self.first = min(self.first or date, date)
            self.last = max(self.last or date, date)


def _group_id(prefix: str, founder: str) -> str:
    """Named after the document that opened it, so the id stays when the group grows."""
    return f"{prefix}-{hashlib.sha1(founder.encode('utf-8')).hexdigest()[:10]}"


def _is_open(group: _Group, date: dt.date | None, window: int) -> bool:
    if date is None or group.last is None:
        return True
    return (date - group.last).days <= window


@dataclass
class CorpusStats:
    """Document frequencies and per-language embedding sums: what TF-IDF and centring need."""

    df: Counter[str] = field(default_factory=Counter)
    docs: int = 0
    lang_sum: dict[str, np.ndarray] = field(default_factory=dict)
    lang_n: Counter[str] = field(default_factory=Counter)

    def add(self, docs: list[Document], terms_of: TermsOf = cached_terms,
            keys_of: TermsOf | None = None) -> None:
        """`keys_of`: the scorer's names and numbers (`features.link_keys`), when it runs."""
        for doc in docs:
            self.df.update(terms_of(doc).keys())
            if keys_of is not None:
                self.df.update(keys_of(doc).keys())
            lang = doc.main_lang
            self.lang_sum[lang] = self.lang_sum.get(lang, 0) + doc.vector
            self.lang_n[lang] += 1
        self.docs += len(docs)

    def mean(self, lang: str) -> np.ndarray | float:
        n = self.lang_n[lang]
        return self.lang_sum[lang] / n if n >= MIN_LANGUAGE_DOCS else 0.0

    @classmethod
    def of(cls, docs: list[Document], terms_of: TermsOf = cached_terms,
           keys_of: TermsOf | None = None) -> CorpusStats:
        stats = cls()
        stats.add(docs, terms_of, keys_of)
        return stats


class EventStream:
    """Feed `add_step` with each day's documents in date order; read `events` at any time.

    With `corpus` given (a batch whose documents are all known), its statistics are used as
    they are; without, they are accumulated from the stream, the current step included.
    `terms_of` gives a document's terms (`cluster_documents` adds its translations' terms).
    """

    def __init__(self, params: ClusterParams, corpus: CorpusStats | None = None,
                 terms_of: TermsOf = cached_terms) -> None:
        self.params = params
        self.model = params.link_model
        self.terms_of = terms_of
        self._fixed = corpus is not None
        self.corpus = corpus or CorpusStats()
        self.events: list[_Group] = []
        self.stories: list[_Group] = []
        self._story_by_id: dict[str, _Group] = {}
        # groups that can still take documents; steps come in date order, so a group that
        # fell out of its window is dropped from these lists (only the last, undated step
        # looks at every group again)
        self._open_events: list[_Group] = []
        self._open_stories: list[_Group] = []
        self._last_date: dt.date | None = None
        # an archive `retire`s closed groups' sums to disk; this gives them back
        self._restore: Callable[[str], tuple[np.ndarray, sparse.csr_matrix]] | None = None

    def retire(self, store: Callable[[dict[str, tuple]], None],
               restore: Callable[[str], tuple[np.ndarray, sparse.csr_matrix]]) -> int:
        """Hand the vector and term sums of every closed event and story to `store` and
        drop them here: only the undated step reads them again (through `restore`), so an
        archive's memory does not grow with its length. Returns how many were retired."""
        open_ids = {g.id for g in self._open_events} | {g.id for g in self._open_stories}
        closed = [g for g in self.events + self.stories
                  if g.vector is not None and g.id not in open_ids]
        if closed:
            store({g.id: (g.vector, g.terms, g.profile) for g in closed})
            for group in closed:
                group.vector = group.terms = group.profile = None
        self._restore = restore
        return len(closed)

    def _restored(self, groups: list[_Group]) -> list[_Group]:
        for group in groups:
            if group.vector is None:
                assert self._restore is not None
                group.vector, group.terms, group.profile = self._restore(group.id)
        return groups

    @property
    def open_events(self) -> list[_Group]:
        """Events that can still take documents (after the undated step: all of them)."""
        return list(self._open_events)

    # ------------------------------------------------------------------ document vectors

    def _centred(self, docs: list[Document]) -> np.ndarray:
        """Embeddings minus their language's mean."""
        rows = [doc.vector - self.corpus.mean(doc.main_lang) for doc in docs]
        return normalise(np.vstack(rows)).astype(np.float64)

    def _term_rows(self, docs: list[Document], of: TermsOf | None = None) -> sparse.csr_matrix:
        of = of or self.terms_of
        rows = [tfidf(of(d), self.corpus.df, self.corpus.docs) for d in docs]
        indptr = np.cumsum([0] + [len(r) for r in rows])
        cols = [k for r in rows for k in sorted(r)]
        vals = [r[k] for r in rows for k in sorted(r)]
        return sparse.csr_matrix((np.array(vals, dtype=np.float64), np.array(cols, dtype=np.int64),
                                  indptr), shape=(len(docs), 1 << HASH_BITS))

    # ------------------------------------------------------------------ one step

    def add_step(self, docs: list[Document], date: dt.date | None) -> None:
        """Cluster one day's documents (or the undated ones, `date=None`, last of all)."""
        if not docs:
            return
        if date is not None and self._last_date is not None and date < self._last_date:
            raise ValueError(f"steps must come in date order: {date} after {self._last_date}")
        self._last_date = date or self._last_date
        docs = sorted(docs, key=lambda d: d.id)
        if not self._fixed:
            self.corpus.add(docs, self.terms_of, link_keys if self.model else None)
        vectors, terms = self._centred(docs), self._term_rows(docs)
        profiles = self._profiles(docs, vectors, terms, date) if self.model else None
        w = self.params
        if date is None:  # the undated step may join any event, closed ones included
            self._open_events = self._restored(list(self.events))
        self._open_events = [e for e in self._open_events if _is_open(e, date, w.window_days)]
        open_events = self._open_events
        if profiles is not None:
            groups = self._link_scored(open_events, profiles, date is None)
        elif date is None:
            groups = self._link_undated(open_events, vectors, terms)
        else:
            groups = self._link(open_events, vectors, terms, np.ones(len(docs)), w.event_threshold,
                                w.event_rule)
        new_events: list[_Group] = []
        for event_index, rows in groups:
            ids = [docs[r].id for r in rows]
            vec, trm = vectors[rows].sum(axis=0), _row_sum(terms[rows])
            profile = _profile_sum([profiles[r] for r in rows]) if profiles else None
            if event_index is not None:
                event = open_events[event_index]
                event.absorb(ids, vec, trm, len(rows), date, profile)
                if date is not None:
                    event.dates += [date] * len(rows)
                story = self._restored([self._story_by_id[event.story]])[0]
                story.absorb([], vec, trm, len(rows), date)
            else:
                event = _Group(_group_id("evt", ids[0]), ids, vec, trm, len(rows), date, date,
                               [date] * len(rows) if date else [], profile=profile)
                self.events.append(event)
                self._open_events.append(event)
                new_events.append(event)
        self._assign_stories(new_events, date)

    def profiles(self, docs: list[Document]) -> list[Profile]:
        """Each document as the scorer reads it, with this stream's statistics (for fitting)."""
        out = []
        for doc in docs:
            out += self._profiles([doc], self._centred([doc]), self._term_rows([doc]), doc.date)
        return out

    def _profiles(self, docs: list[Document], vectors: np.ndarray, terms: sparse.csr_matrix,
                  date: dt.date | None) -> list[Profile]:
        """Each document as the scorer reads it (names and numbers TF-IDF weighted)."""
        names = self._term_rows(docs, lambda d: Counter(
            {k: v for k, v in link_keys(d).items() if not k.startswith("v:")}))
        numbers = self._term_rows(docs, lambda d: Counter(
            {k: v for k, v in link_keys(d).items() if k.startswith("v:")}))
        specific = self._term_rows(docs, lambda d: Counter(
            dict.fromkeys(specific_keys(link_keys(d)), 1)))
        ordinal = date.toordinal() if date is not None else UNDATED
        singles = [single_profile(vectors[n], doc.main_lang, terms[n], names[n], numbers[n],
                                  ordinal, specific[n]) for n, doc in enumerate(docs)]
        return with_own_scores(singles, self.model) if self.model else singles

    def _link_scored(self, events: list[_Group], profiles: list[Profile],
                     undated: bool) -> list[tuple[int | None, list[int]]]:
        """Average linkage on the same-event score (`scorer`): a document joins the event
        (or other documents) whose mean score with it is highest, while it is ≥ the model's
        threshold. Undated documents group among themselves first; a group then joins an
        event only on specific evidence (a shared name other than a country, a figure other
        than a small one or a year), never on topic alone."""
        model = self.model
        assert model is not None
        units = [[n] for n in range(len(profiles))]
        if undated and events:
            units = [rows for _, rows in self._link_scored([], profiles, False)]
        unit_profiles = [_profile_sum([profiles[r] for r in rows]) for rows in units]
        frozen = [e.profile for e in events]
        every = frozen + unit_profiles
        cross = with_frozen(score_sums(unit_profiles, every, model), self_scores(frozen, model))
        counts = np.array([p.size for p in every])
        if undated and events:
            specific = _specific_overlap(frozen, unit_profiles)
            block = cross[: len(frozen), len(frozen):]
            block[~specific] = -1e9
            cross[len(frozen):, : len(frozen)] = block.T
        is_frozen = np.arange(len(every)) < len(frozen)
        out = []
        own = np.array([p.own for p in every])
        langs = np.stack([p.lang_counts for p in every])
        for members in average_linkage(cross, counts, is_frozen, model.threshold, model.rule, own,
                                       langs):
            old = [m for m in members if m < len(frozen)]
            rows = sorted(r for m in members if m >= len(frozen) for r in units[m - len(frozen)])
            if rows:
                out.append((old[0] if old else None, rows))
        return out

    def _link_undated(self, events: list[_Group], vectors: np.ndarray,
                      terms: sparse.csr_matrix) -> list[tuple[int | None, list[int]]]:
        """Undated documents group among themselves first; the groups then join events under
        the cohesion rule. Nothing anchors them in time, so one by one they would slip into
        any dated event of the same kind (a document joining alone is never vetoed).
        ECB+: event B-cubed F1 0.913 → 0.917, held-out topics 0.890 → 0.898."""
        w = self.params
        units = [rows for _, rows in self._link([], vectors, terms, np.ones(len(vectors)),
                                                w.event_threshold, w.event_rule)]
        linked = self._link(events, np.vstack([vectors[rows].sum(axis=0) for rows in units]),
                            sparse.vstack([_row_sum(terms[rows]) for rows in units], format="csr"),
                            np.array([len(rows) for rows in units], dtype=np.float64),
                            w.event_threshold, w.event_rule)
        return [(event, sorted(r for u in group for r in units[u])) for event, group in linked]

    def _link(self, frozen: list[_Group], vectors: np.ndarray, terms: sparse.csr_matrix,
              sizes: np.ndarray, threshold: float,
              rule: CohesionRule = NO_RULE) -> list[tuple[int | None, list[int]]]:
        """Average linkage of new units (rows) with frozen groups; (frozen index, rows)."""
        dense = np.vstack([g.vector for g in frozen] + [vectors]) if frozen else vectors
        term_rows = sparse.vstack([g.terms for g in frozen] + [terms], format="csr")
        counts = np.concatenate([[g.size for g in frozen], sizes]).astype(np.float64)
        is_frozen = np.arange(len(counts)) < len(frozen)
        cross = cross_products(dense, term_rows, self.params.embedding_weight, len(frozen))
        out = []
        for members in average_linkage(cross, counts, is_frozen, threshold, rule):
            old = [m for m in members if m < len(frozen)]
            rows = [m - len(frozen) for m in members if m >= len(frozen)]
            if rows:
                out.append((old[0] if old else None, rows))
        return out

    def _assign_stories(self, new_events: list[_Group], date: dt.date | None) -> None:
        if not new_events:
            return
        w = self.params
        if date is None:
            self._open_stories = self._restored(list(self.stories))
        self._open_stories = [s for s in self._open_stories
                              if _is_open(s, date, w.story_window_days)]
        open_stories = list(self._open_stories)
        vectors = np.vstack([e.vector for e in new_events])
        terms = sparse.vstack([e.terms for e in new_events], format="csr")
        sizes = np.array([e.size for e in new_events], dtype=np.float64)
        for story_index, rows in self._link(open_stories, vectors, terms, sizes,
                                            w.story_threshold):
            events = [new_events[r] for r in rows]
            vec = sum((e.vector for e in events), np.zeros_like(events[0].vector))
            trm = _row_sum(sparse.vstack([e.terms for e in events], format="csr"))
            size = sum(e.size for e in events)
            if story_index is not None:
                story = open_stories[story_index]
                story.absorb([e.id for e in events], vec, trm, size, date)
            else:
                story = _Group(_group_id("sty", events[0].members[0]), [e.id for e in events],
                               vec, trm, size, date, date)
                self.stories.append(story)
                self._open_stories.append(story)
                self._story_by_id[story.id] = story
            for event in events:
                event.story = story.id


def _profile_sum(profiles: list[Profile]) -> Profile:
    """A new Profile holding the sum (`Profile.add` rebinds: the parts stay as they are)."""
    total = dataclasses.replace(profiles[0])
    for p in profiles[1:]:
        total.add(p)
    return total


def _specific_overlap(events: list[Profile], units: list[Profile]) -> np.ndarray:
    """events × units: do they share a specific name or figure (`scorer.specific_keys`)?"""
    left = sparse.vstack([p.specific for p in events], format="csr")
    right = sparse.vstack([p.specific for p in units], format="csr")
    return (left @ right.T).toarray() > 0


def _row_sum(rows: sparse.csr_matrix) -> sparse.csr_matrix:
    """The rows added up, staying sparse (a dense sum would be 2**20 wide)."""
    if rows.shape[0] == 1:  # most units are one document (rows is a new matrix already)
        return rows
    return sparse.csr_matrix(np.ones((1, rows.shape[0]))) @ rows


def step_key(doc: Document) -> tuple[bool, dt.date]:
    """Dated steps in date order, then the undated step."""
    return (doc.date is None, doc.date or dt.date.min)
