"""An archive's second sweep and its day digests (`pipeline.corpus` has the first).

`newsdigest run` holds its documents in memory; an archive cannot. After the first sweep of
`pipeline.corpus` over the checkpoint (copies, document vectors, translations, statistics),
days are read again in date order and each goes through the same event steps as a run:
- the event stream (`EventSteps.add_day`) with the whole archive's statistics, so events
  are the ones `newsdigest run` finds over the same input;
- a digest of the day: every event with a document or copy dated that day, as known at the
  end of that day (what `newsdigest run --date DAY` says over the same input), written
  atomically and then recorded in the checkpoint with the hash of its JSON.
With an event pool the days overlap: while a day's events are summarised on the pool's
workers, this process clusters the next day and reads and embeds its events, and it writes
the day's digest while the next day's events are on the pool (clustering reads no summary; a task is a copy of its event and
documents taken when it is sent). A restart clusters every day again and rewrites only
digests whose hash is not recorded, so the order of writing changes nothing on disk.
Documents older than the window leave memory; an event's older members are read back from
the checkpoint when it grows; closed events and stories keep only their ids and members
(their vector and term sums go to the checkpoint, read again only by the undated step), and
freed heap goes back to the system after each day. Undated documents come last, as in a run.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.batch.state import BatchState
from pipeline.cluster import STATUS_RULES, document_status
from pipeline.cluster.stream import EventStream, _Group
from pipeline.compose import Summarising, build_digest, start_summaries
from pipeline.config import Config
from pipeline.corpus import UNDATED, EventSteps, FamilyTerms, PassResult, date_of
from pipeline.daily import Window, rank_events
from pipeline.event_pool import EventPool
from pipeline.model import Document, Event, digest_to_dict
from pipeline.render.files import write_digest
from pipeline.run import summary_sources
from pipeline.stages import StageClock
from pipeline.summarize import GuardedGenerator
from pipeline.translate import TranslationRouter


class DayStage:
    """The second sweep of `pipeline.corpus` over the checkpoint, and each day's digest."""

    def __init__(self, state: BatchState, out_dir: Path, config: Config,
                 router: TranslationRouter, result: PassResult,
                 embed: Callable[[list[Document]], None],
                 embed_sentences: Callable[[list[Document]], None],
                 generator: GuardedGenerator | None = None,
                 clock: StageClock | None = None, pool: EventPool | None = None) -> None:
        self.state, self.out_dir, self.config, self.result = state, out_dir, config, result
        self.clock = clock or StageClock()
        self.generator = generator  # `summarizer = "llm"`: the same generator `run` uses
        self.pool = pool  # where a day's events are summarised (None: here)
        self.router, self.embed, self.embed_sentences = router, embed, embed_sentences
        self.steps = EventSteps(config.cluster_params(), result,
                                FamilyTerms(result, self._load), self.clock)
        self.window: dict[str, list[Document]] = {}  # day -> its documents, last days only
        self.event_of: dict[str, str] = {}  # kept id -> event id
        self.group_by_id: dict[str, _Group] = {}
        self.written: list[str] = []
        self._pending: _Day | None = None  # a day whose events are on the pool

    @property
    def stream(self) -> EventStream:
        return self.steps.stream

    def _read(self, ids: list[str]) -> tuple[dict[str, Document], list[Document]]:
        """The documents by id: from the window, else read back from the checkpoint with
        their marks restored (those also returned apart)."""
        wanted = set(ids)
        found = {d.id: d for ds in self.window.values() for d in ds if d.id in wanted}
        loaded = list(self.state.documents(i for i in ids if i not in found))
        for doc in loaded:
            _as_read_back(doc, self.result)
            found[doc.id] = doc
        return found, loaded

    def _load(self, ids: list[str]) -> list[Document]:
        found, _ = self._read(ids)
        return [found[i] for i in ids if i in found]

    # ------------------------------------------------------------------ one day

    def run_day(self, day: str) -> None:
        docs = self.state.documents_of(day)
        self._forget_before(date_of(day))
        for doc in docs:
            _as_read_back(doc, self.result)
        # vectors again (the embedding cache answers) and the status the first sweep gave
        with self.clock("document vectors"):
            self.embed([d for d in docs if d.duplicate_of is None and d.content_segments])
        for doc in docs:
            doc.cluster_status = document_status(doc)
        before = len(self.stream.events)
        usable = self.steps.add_day(day, docs)
        self.stream.retire(self.state.put_sums, self.state.get_sums)
        for group in self.stream.events[before:]:
            self.group_by_id[group.id] = group
        touched: set[str] = set()
        owner = {m: g.id for g in self.stream.open_events for m in g.members}
        for doc in usable:  # which event took each of the day's documents
            self.event_of[doc.id] = owner[doc.id]
            touched.add(owner[doc.id])
        for doc in docs:
            root = self.result.root(doc.id)
            if doc.duplicate_of is not None and root in self.event_of:
                touched.add(self.event_of[root])
            doc.event = self.event_of.get(root)
        self.window[day] = docs
        previous, self._pending = self._pending, None
        # read and embedded while the previous day's events are still on the pool (whose
        # workers yield to this process: `event_pool.WORKER_NICENESS`)
        ready = self._prepare_day(day, docs, sorted(touched)) if touched else None
        if previous is not None:  # its events back from the pool
            previous.summaries.finish()
        if ready is not None:  # sent once the previous day's translations are on the documents
            self._start_day(ready)
            self._pending = ready
        if previous is not None:  # written while this day's events are on the pool
            self._write_day(previous)
        release_freed_memory()

    def finish(self) -> None:
        """The last day's digest (each day's is written during the next day)."""
        previous, self._pending = self._pending, None
        if previous is not None:
            previous.summaries.finish()
            self._write_day(previous)

    def _forget_before(self, date: dt.date | None) -> None:
        if date is None:
            return
        horizon = date - dt.timedelta(days=self.config.date_window_days)
        for day in [d for d in self.window if d != UNDATED and date_of(d) < horizon]:
            del self.window[day]

    # ------------------------------------------------------------------ the day's digest

    def _members(self, ids: list[str]) -> tuple[dict[str, Document], list[Document]]:
        """`_read`, with each document read back given its event (its status is set once
        it is embedded)."""
        found, loaded = self._read(ids)
        for doc in loaded:
            doc.event = self.event_of.get(self.result.root(doc.id))
        return found, loaded

    def _prepare_day(self, day: str, docs: list[Document], event_ids: list[str]) -> _Day:
        """The day's events, their documents and sentence vectors: all that summarising them
        needs besides the previous day's results (the translations its events add to shared
        documents), so it can run while those are still being made."""
        folder = self.out_dir / "days" / day
        sha_before = self.state.day_sha(day)
        if sha_before is not None and _file_sha(folder / "digest.json") == sha_before:
            # finished before a restart: the same inputs give the same digest
            return _Day(day, [], {}, [], written=True)
        groups = [self.group_by_id[e] for e in event_ids]
        folded = {g.id: self.steps.folded(g) for g in groups}
        member_ids = sorted({m for g in groups for m in g.members}
                            | {c for cs in folded.values() for c in cs})
        by_id, loaded = self._members(member_ids)
        by_id.update({d.id: d for d in docs})
        with self.clock("document vectors"):
            self.embed([d for d in by_id.values() if d.vector is None and d.duplicate_of is None
                        and d.content_segments])
        for doc in loaded:
            doc.cluster_status = document_status(doc)
        events = [self.steps.event(g, by_id) for g in groups]
        with self.clock("sentence vectors"):
            self.embed_sentences(summary_sources(events, by_id, self.config))
        shown = sorted({d.id for d in docs} | set(member_ids))
        return _Day(day, events, by_id, shown)

    def _start_day(self, ready: _Day) -> None:
        """The day's summaries begun (on the pool, `compose.start_summaries`)."""
        if not ready.written:
            ready.summaries = start_summaries(ready.events, ready.by_id, self.config,
                                              self.router, self.generator, self.clock,
                                              self.pool)

    def _write_day(self, pending: _Day) -> None:
        """Rank, digest, files, checkpoint: what a day shows, once its events are back."""
        day, events, by_id = pending.day, pending.events, pending.by_id
        if pending.written:
            self.written.append(day)
            return
        folder = self.out_dir / "days" / day
        # ranked as a daily run ranks the same day: sources, then recency in the day
        window = Window.of(date=dt.date.fromisoformat(day)) if day != UNDATED else None
        with self.clock("rank"):
            events = rank_events(events, by_id, window)
        with self.clock("digest"):
            digest = build_digest([by_id[i] for i in pending.shown], events, self.config,
                                  self.router, self.generator,
                                  clustering={"rules": dict(STATUS_RULES), "day": day})
            data = digest_to_dict(digest)
        with self.clock("render"):
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


@dataclass
class _Day:
    """A day between `_prepare_day` and `_write_day`: its events (summaries under way once
    `_start_day` sent them), the documents they read, and the ids the digest shows."""

    day: str
    events: list[Event]
    by_id: dict[str, Document]
    shown: list[str]
    written: bool = False  # its digest is on disk already (a restart)
    summaries: Summarising = field(default_factory=Summarising.done)


def _as_read_back(doc: Document, result: PassResult) -> None:
    """A document from the checkpoint as the second sweep uses it: its marks restored, its
    copy print dropped (copies were found in the first sweep; the print, ~3.6 KB, would
    ride along with every event task that shows the document)."""
    result.restore_marks(doc)
    doc.copy_print = None


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
