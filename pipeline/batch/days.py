"""The cross-document stages of an archive, one publication day at a time.

`newsdigest run` holds a whole batch in memory; an archive cannot. So days are read from the
checkpoint in date order and each goes through the same stages as a run, against what is
still open from earlier days:
- copies: one `CopyIndex`: exact copies over the whole archive (a reprint months later is
  still a copy), near and partial ones within `copy_window_days` (memory stays flat);
- document vectors for the day's kept documents (embedding cache: a rerun embeds nothing);
- translations against the kept documents of the last `date_window_days` days;
- the event stream (`EventStream.add_step`) with running corpus statistics;
- a digest of the day: every event with a document or copy dated that day, as known at the
  end of that day (what a daily briefing could have said), written atomically and then
  recorded in the checkpoint with the hash of its JSON.
Documents older than the window leave memory; an event's older members are read back from
the checkpoint when it grows; closed events and stories keep only their ids and members
(their vector and term sums go to the checkpoint, read again only by the undated step), and
freed heap goes back to the system after each day. Undated documents come last, as in a run.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from pipeline.batch.state import UNDATED, BatchState
from pipeline.cluster import STATUS_RULES, document_status, family_terms, group_event
from pipeline.cluster.stream import EventStream, _Group
from pipeline.compose import build_digest, summarise_events
from pipeline.config import Config
from pipeline.daily import Window, rank_events
from pipeline.dedup import mark_translations
from pipeline.dedup.copies import CopyIndex
from pipeline.model import Document, digest_to_dict, publication_order
from pipeline.render.files import write_digest
from pipeline.run import summary_sources
from pipeline.summarize import GuardedGenerator
from pipeline.translate import TranslationRouter


class FamilyTerms:
    """`family_terms` over the documents in the window, refreshed each day."""

    def __init__(self) -> None:
        self._terms: Callable[[Document], object] | None = None

    def update(self, docs: list[Document]) -> None:
        self._terms = family_terms(docs)

    def __call__(self, doc: Document):
        assert self._terms is not None
        return self._terms(doc)


class DayStage:
    def __init__(self, state: BatchState, out_dir: Path, config: Config,
                 router: TranslationRouter, embed: Callable[[list[Document]], None],
                 embed_sentences: Callable[[list[Document]], None],
                 embed_texts: Callable[[list[str]], object] | None = None,
                 generator: GuardedGenerator | None = None) -> None:
        self.state, self.out_dir, self.config = state, out_dir, config
        self.generator = generator  # `summarizer = "llm"`: the same generator `run` uses
        self.embed_texts = embed_texts  # sentence vectors that confirm a translation
        self.router, self.embed, self.embed_sentences = router, embed, embed_sentences
        self.copies = CopyIndex(config.near_duplicate_jaccard, config.partial_containment,
                                config.edited_containment)
        self.terms = FamilyTerms()
        self.stream = EventStream(config.cluster_params(), None, self.terms)
        self.window: dict[str, list[Document]] = {}  # day -> its documents, last days only
        self.indexed: dict[str, list[str]] = {}  # day -> ids the copy index holds shingles of
        # copy id -> (the id it copies, kind), whole archive: the checkpoint holds documents
        # as they were before the day stage
        self.original: dict[str, tuple[str, str]] = {}
        self.copies_of: dict[str, list[str]] = defaultdict(list)  # kept id -> its copies
        self.event_of: dict[str, str] = {}  # kept id -> event id
        self.group_by_id: dict[str, _Group] = {}
        self.counts: dict[str, int] = defaultdict(int)
        self.written: list[str] = []

    # ------------------------------------------------------------------ one day

    def run_day(self, day: str) -> None:
        docs = self.state.documents_of(day)
        date = None if day == UNDATED else dt.date.fromisoformat(day)
        self._forget_before(date)
        for doc in publication_order(docs):
            self.copies.add(doc)
        self.indexed[day] = [d.id for d in docs]
        kept = [d for d in docs if d.duplicate_of is None and d.content_segments]
        self.embed(kept)
        window = [d for ds in self.window.values() for d in ds] + docs
        mark_translations(window, self.config.translation_cosine, self.config.date_window_days,
                          self.embed_texts)
        self.terms.update(window)
        for doc in docs:
            doc.cluster_status = document_status(doc)
            self.counts[doc.cluster_status] += 1
            if doc.duplicate_of is not None:
                self.counts[f"duplicate:{doc.duplicate_kind}"] += 1
                self.original[doc.id] = (doc.duplicate_of, doc.duplicate_kind or "")
        usable = [d for d in publication_order(docs) if d.cluster_status.startswith("clustered")]
        before = len(self.stream.events)
        self.stream.add_step(usable, date)
        self.stream.retire(self.state.put_sums, self.state.get_sums)
        for group in self.stream.events[before:]:
            self.group_by_id[group.id] = group
        touched: set[str] = set()
        owner = {m: g.id for g in self.stream.open_events for m in g.members}
        for doc in usable:  # which event took each of the day's documents
            self.event_of[doc.id] = owner[doc.id]
            touched.add(owner[doc.id])
        for doc in docs:
            if doc.duplicate_of is not None:
                root = self._root(doc.id)
                self.copies_of[root].append(doc.id)
                if root in self.event_of:
                    touched.add(self.event_of[root])
        for doc in docs:
            doc.event = self.event_of.get(self._root(doc.id))
        self.window[day] = docs
        if touched:
            self._write_day(day, docs, sorted(touched))
        release_freed_memory()

    def _root(self, doc_id: str) -> str:
        seen = set()
        while doc_id in self.original and doc_id not in seen:
            seen.add(doc_id)
            doc_id = self.original[doc_id][0]
        return doc_id

    def _forget_before(self, date: dt.date | None) -> None:
        if date is None:
            return
        horizon = date - dt.timedelta(days=self.config.date_window_days)
        for day in [d for d in self.window if d != UNDATED and
                    dt.date.fromisoformat(d) < horizon]:
            del self.window[day]
        horizon = date - dt.timedelta(days=self.config.copy_window_days)
        for day in [d for d in self.indexed if d != UNDATED and
                    dt.date.fromisoformat(d) < horizon]:
            self.copies.forget(self.indexed.pop(day))

    # ------------------------------------------------------------------ the day's digest

    def _members(self, ids: list[str]) -> tuple[dict[str, Document], list[Document]]:
        """The documents by id: from the window, else read back from the checkpoint (those
        also returned apart: their marks are restored, their status set once embedded)."""
        wanted = set(ids)
        found = {d.id: d for ds in self.window.values() for d in ds if d.id in wanted}
        loaded = list(self.state.documents(i for i in ids if i not in found))
        for doc in loaded:
            if doc.id in self.original:
                doc.duplicate_of, doc.duplicate_kind = self.original[doc.id]
            doc.event = self.event_of.get(self._root(doc.id))
            found[doc.id] = doc
        return found, loaded

    def _write_day(self, day: str, docs: list[Document], event_ids: list[str]) -> None:
        folder = self.out_dir / "days" / day
        sha_before = self.state.day_sha(day)
        if sha_before is not None and _file_sha(folder / "digest.json") == sha_before:
            self.written.append(day)
            return  # finished before a restart: the same inputs give the same digest
        groups = [self.group_by_id[e] for e in event_ids]
        folded = {g.id: sorted(c for m in g.members for c in self.copies_of.get(m, ()))
                  for g in groups}
        member_ids = sorted({m for g in groups for m in g.members}
                            | {c for cs in folded.values() for c in cs})
        by_id, loaded = self._members(member_ids)
        by_id.update({d.id: d for d in docs})
        self.embed([d for d in by_id.values() if d.vector is None and d.duplicate_of is None
                    and d.content_segments])
        for doc in loaded:
            doc.cluster_status = document_status(doc)
        events = [group_event(g, by_id, folded[g.id]) for g in groups]
        self.embed_sentences(summary_sources(events, by_id, self.config, batch=True))
        summarise_events(events, by_id, self.config, self.router, self.generator)
        # ranked as a daily run ranks the same day: sources, then recency in the day
        window = Window.of(date=dt.date.fromisoformat(day)) if day != UNDATED else None
        events = rank_events(events, by_id, window)
        shown = sorted({d.id for d in docs} | set(member_ids))
        digest = build_digest([by_id[i] for i in shown], events, self.config, self.router,
                              self.generator,
                              clustering={"rules": dict(STATUS_RULES), "day": day})
        data = digest_to_dict(digest)
        write_digest(data, folder)
        rows = [self._event_row(e, day) for e in data["events"]]
        self.state.finish_day(day, _file_sha(folder / "digest.json") or "", rows)
        self.written.append(day)

    def _event_row(self, event: dict, day: str) -> dict:
        old = self.state.event_row(event["id"]) or {}
        days = sorted(set(old.get("days", [])) | {day})
        return {"id": event["id"], "story": event["story"], "days": days,
                "first_day": days[0], "last_day": days[-1],
                "documents": event["documents"], "copies": event["copies"],
                "outlets": event["outlets"], "independent_sources": event["independent_sources"],
                "title": event["title"]}


def release_freed_memory() -> None:
    """Hand freed heap pages back to the system (glibc's malloc_trim). Each day allocates and
    frees arrays of varying size (similarity matrices, documents read back); glibc keeps
    freed blocks below its adaptive mmap threshold in the heap, so without this an
    archive's resident memory creeps up day after day although live objects do not."""
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def _load_libc():
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.malloc_trim  # noqa: B018 - glibc only (not musl, macOS, Windows)
    except (OSError, AttributeError):
        return None
    return libc


_LIBC = _load_libc()


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _file_sha(path: Path) -> str | None:
    try:
        return _sha(path.read_text("utf-8"))
    except OSError:
        return None
