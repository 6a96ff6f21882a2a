"""The cross-document stages, one publication day at a time: the one pass `run` makes over
its documents in memory and `batch` makes over its checkpoint, so the two cannot mark,
embed or group documents differently.

Two sweeps over the days, in date order (undated documents last):
1. `CorpusPass.add_day`: copies (one `CopyIndex`: exact copies over the whole corpus,
   near and partial ones within `copy_window_days`), document vectors of what is kept, and
   translations against the kept documents of the last `date_window_days` days. A document
   leaves the window with its marks final and adds its terms (pooled with its translations')
   and vector to the corpus statistics; `finish` returns them (`PassResult`).
2. `EventSteps.add_day`: the event stream over each day's clusterable documents, with those
   statistics fixed, so a day's events do not depend on the order days were read in, and the
   events as known at the end of a day are the same whether the corpus goes on or not.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from pipeline.cluster import AFTER_WINDOW, document_status, group_event
from pipeline.cluster.features import TermsOf, cached_terms, link_keys
from pipeline.cluster.stream import ClusterParams, CorpusStats, EventStream, _Group
from pipeline.config import Config
from pipeline.dedup import mark_translations
from pipeline.dedup.copies import CopyIndex
from pipeline.dedup.translations import VariantMeans
from pipeline.model import Document, Event, publication_order
from pipeline.stages import StageClock

UNDATED = "undated"  # the day of documents without a date (sorts after every ISO date)


def day_of(doc: Document) -> str:
    return doc.date.isoformat() if doc.date else UNDATED


def date_of(day: str) -> dt.date | None:
    return None if day == UNDATED else dt.date.fromisoformat(day)


def publication_days(docs: Iterable[Document]) -> list[tuple[str, list[Document]]]:
    """Documents in memory as the checkpoint holds them: (day, its documents by id), dated
    days in order, then the undated ones."""
    ordered = sorted(docs, key=lambda d: (d.date is None, d.date or dt.date.min, d.id))
    return [(day, list(group)) for day, group in itertools.groupby(ordered, key=day_of)]


def keys_of(params: ClusterParams) -> TermsOf | None:
    """The scorer's names and figures count in the statistics only when the scorer runs."""
    return link_keys if params.link_model is not None else None


def is_clusterable(doc: Document) -> bool:
    return doc.cluster_status is not None and doc.cluster_status.startswith("clustered")


@dataclass
class PassResult:
    """What the first sweep leaves for the second: statistics and every duplicate mark."""

    stats: CorpusStats
    marks: dict[str, tuple[str, str]]  # duplicate id -> (the id it duplicates, kind)
    translations: dict[str, list[str]]  # kept id -> ids of its translations, in order
    counts: Counter[str] = field(default_factory=Counter)  # cluster statuses, duplicate kinds

    def root(self, doc_id: str, open_docs: dict[str, Document] | None = None) -> str:
        """The kept document a duplicate stands for (itself when kept): through the marks
        recorded, and `open_docs`' own marks (documents still in the window)."""
        seen = set()
        while doc_id not in seen:
            seen.add(doc_id)
            doc = (open_docs or {}).get(doc_id)
            original = doc.duplicate_of if doc is not None else \
                self.marks.get(doc_id, (None,))[0]
            if original is None:
                break
            doc_id = original
        return doc_id

    def record(self, doc: Document) -> None:
        """A document whose marks are final: its status, counted, and its mark if any."""
        doc.cluster_status = document_status(doc)
        self.counts[doc.cluster_status] += 1
        if doc.duplicate_of is not None:
            self.counts[f"duplicate:{doc.duplicate_kind}"] += 1
            self.marks[doc.id] = (doc.duplicate_of, doc.duplicate_kind or "")

    def restore_marks(self, doc: Document) -> None:
        """Marks and status of a document read back from a checkpoint (read before the pass)."""
        if doc.id in self.marks:
            doc.duplicate_of, doc.duplicate_kind = self.marks[doc.id]


class CorpusPass:
    """The first sweep: `add_day` for each day in order, then `finish`."""

    def __init__(self, config: Config, embed: Callable[[list[Document]], None],
                 embed_texts: Callable[[list[str]], object] | None = None,
                 clock: StageClock | None = None) -> None:
        self.config, self.embed, self.embed_texts = config, embed, embed_texts
        self.clock = clock or StageClock()
        self.copies = CopyIndex(config.near_duplicate_jaccard, config.partial_containment,
                                config.edited_containment)
        self.keys_of = keys_of(config.cluster_params())
        self.window: dict[str, list[Document]] = {}  # day -> its documents, last days only
        self.indexed: dict[str, list[str]] = {}  # day -> ids the copy index holds shingles of
        self.result = PassResult(CorpusStats(), {}, defaultdict(list))
        self._pending: dict[str, Document] = {}  # translation id -> it, until pooled
        self.means = VariantMeans()  # translations are compared centred on these

    def add_day(self, day: str, docs: list[Document]) -> None:
        date = date_of(day)
        self._leave_before(date)
        with self.clock("copies"):
            for doc in publication_order(docs):
                self.copies.add(doc)
            self.indexed[day] = [d.id for d in docs]
        embedded = [d for d in docs if d.duplicate_of is None and d.content_segments]
        with self.clock("document vectors"):
            self.embed(embedded)
        self.means.add(embedded)
        window = [d for ds in self.window.values() for d in ds] + docs
        with self.clock("translations"):
            mark_translations(window, self.config.translation_cosine,
                              self.config.date_window_days, self.embed_texts, self.means)
        self.window[day] = docs
        self._record_translations()

    def finish(self) -> PassResult:
        self._leave(list(self.window))
        return self.result

    def _leave_before(self, date: dt.date | None) -> None:
        if date is None:
            return
        horizon = date - dt.timedelta(days=self.config.date_window_days)
        self._leave([d for d in self.window if d != UNDATED and date_of(d) < horizon])
        horizon = date - dt.timedelta(days=self.config.copy_window_days)
        for day in [d for d in self.indexed if d != UNDATED and date_of(d) < horizon]:
            self.copies.forget(self.indexed.pop(day))

    def _record_translations(self) -> None:
        """Translations are final once marked (a duplicate is never compared again); they
        wait here until their original leaves the window and pools their terms."""
        for doc in (d for ds in self.window.values() for d in ds):
            if doc.duplicate_kind == "translation" and doc.id not in self._pending:
                self._pending[doc.id] = doc

    def _leave(self, days: list[str]) -> None:
        """Documents whose marks can no longer change (no later document is compared with
        them): statuses, marks, and their share of the statistics, in publication order."""
        with self.clock("statistics"):
            self._leave_now(days)

    def _leave_now(self, days: list[str]) -> None:
        self._record_translations()
        in_window = {d.id: d for ds in self.window.values() for d in ds} | self._pending
        leaving = publication_order([d for day in days for d in self.window.pop(day)])
        result = self.result
        for doc in leaving:
            result.record(doc)
        leaving_ids = {d.id for d in leaving}
        usable = [d for d in leaving if is_clusterable(d)]
        family: dict[str, list[Counter[str]]] = {d.id: [] for d in usable}
        for doc_id, translation in list(self._pending.items()):
            root = result.root(doc_id, in_window)
            if root in family:
                family[root].append(cached_terms(translation))
                result.translations[root].append(doc_id)
            if root in leaving_ids or root not in in_window:
                del self._pending[doc_id]  # pooled, or its original is not clustered
        pooled = {d.id: pooled_terms(d, family[d.id]) for d in usable}
        result.stats.add(usable, lambda d: pooled[d.id], self.keys_of)


def pooled_terms(doc: Document, translations: list[Counter[str]]) -> Counter[str]:
    """A document's terms together with those of its translations: an article published in
    English and Chinese shares Chinese terms with independent Chinese reports of the event,
    which its English text alone never would."""
    if not translations:
        return cached_terms(doc)
    terms = Counter(cached_terms(doc))
    for other in translations:
        terms.update(other)
    return terms


class FamilyTerms:
    """`pooled_terms` of a kept document, its translations read through `load` (from memory
    in a run, from the checkpoint in a batch: a translation may be published days later)."""

    def __init__(self, result: PassResult,
                 load: Callable[[list[str]], Iterable[Document]]) -> None:
        self.result, self.load = result, load

    @classmethod
    def in_memory(cls, result: PassResult, by_id: dict[str, Document]) -> FamilyTerms:
        return cls(result, lambda ids: [by_id[i] for i in ids])

    def __call__(self, doc: Document) -> Counter[str]:
        ids = self.result.translations.get(doc.id)
        if not ids:
            return cached_terms(doc)
        return pooled_terms(doc, [cached_terms(t) for t in self.load(ids)])


def marks_of(docs: list[Document], params: ClusterParams) -> PassResult:
    """The first sweep's result for documents already marked and embedded (calibration and
    tests re-cluster one marked set with other thresholds): the same statistics, added in
    the same (publication) order as `CorpusPass` adds them."""
    result = PassResult(CorpusStats(), {}, defaultdict(list))
    ordered = publication_order(docs)
    by_id = {d.id: d for d in docs}
    for doc in ordered:
        result.record(doc)
    for doc in ordered:
        if doc.duplicate_kind == "translation":
            result.translations[result.root(doc.id)].append(doc.id)
    result.stats.add([d for d in ordered if is_clusterable(d)],
                     FamilyTerms.in_memory(result, by_id), keys_of(params))
    return result


class EventSteps:
    """The second sweep: the event stream fed day by day with fixed statistics, and each
    kept document's copies as they come (folded into its event, in publication order)."""

    def __init__(self, params: ClusterParams, result: PassResult, terms_of: FamilyTerms,
                 clock: StageClock | None = None) -> None:
        self.result, self.clock = result, clock or StageClock()
        self.stream = EventStream(params, result.stats, terms_of)
        self.copies_of: dict[str, list[str]] = defaultdict(list)  # kept id -> its copies

    def add_day(self, day: str, docs: list[Document]) -> list[Document]:
        """Cluster the day's documents (their marks and statuses set: by the first sweep in
        memory, restored from `result` for a checkpoint's); return those clustered."""
        ordered = publication_order(docs)
        for doc in ordered:
            if doc.duplicate_of is not None:
                self.copies_of[self.result.root(doc.id)].append(doc.id)
        usable = [d for d in ordered if is_clusterable(d)]
        with self.clock("events"):
            self.stream.add_step(usable, date_of(day))
        return usable

    def folded(self, group: _Group) -> list[str]:
        """The copies of an event's members, member by member."""
        return [c for m in group.members for c in self.copies_of.get(m, ())]

    def event(self, group: _Group, by_id: dict[str, Document]) -> Event:
        return group_event(group, by_id, self.folded(group))


def cluster_days(docs: list[Document], params: ClusterParams, result: PassResult,
                 until: dt.date | None = None, clock: StageClock | None = None) -> list[Event]:
    """Events over documents in memory after the first sweep, by date then id.

    `until` (a window's end) stops after that day: the events as known then. Documents
    dated later (or undated) are not clustered (`cluster_status` "after-window"). Sets
    `Document.event` on every document clustered or folded in as a copy.
    """
    by_id = {d.id: d for d in docs}
    steps = EventSteps(params, result, FamilyTerms.in_memory(result, by_id), clock)
    stepped: set[str] = set()
    for day, day_docs in iter_days(publication_days(docs), until):
        steps.add_day(day, day_docs)
        stepped.update(d.id for d in day_docs)
    for doc in docs:
        doc.event = None
        if doc.id not in stepped and is_clusterable(doc):
            doc.cluster_status = AFTER_WINDOW
    events = []
    for group in steps.stream.events:
        event = steps.event(group, by_id)
        for doc_id in event.documents + event.copies:
            by_id[doc_id].event = event.id
        events.append(event)
    return sorted(events, key=lambda e: (e.date is None, e.date or dt.date.min, e.id))


def cluster_documents(docs: list[Document], params: ClusterParams,
                      until: dt.date | None = None) -> list[Event]:
    """Events over documents already marked and embedded (`marks_of`, then `cluster_days`)."""
    return cluster_days(docs, params, marks_of(docs, params), until)


def iter_days(days: list[tuple[str, list[Document]]], until: dt.date | None
              ) -> Iterator[tuple[str, list[Document]]]:
    """The days up to `until` (a window's end: what was known then), undated ones only
    when the window has no end."""
    for day, docs in days:
        date = date_of(day)
        if until is None or (date is not None and date <= until):
            yield day, docs
