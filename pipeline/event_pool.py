"""Events summarised and framed on every core: the partitioned part of the day stage.

After clustering and sentence vectors, each event's summaries, titles and framing depend on
its own documents only (members, copies and the documents those copy), and an event's
documents belong to no other event: events are the partitions. A pool takes one task per
event (the event and its documents), runs `summarize_event` and `frame_event` on it with
its own translation router, and sends back the event and the translations the summary
stored on its documents' segments (a later day's headlines read them), which the caller
puts back on its own documents. The results are the ones a serial pass gives (tested); the
order of events is kept.

Two pools: `LocalEventPool`, processes forked before this process loads any model (the
batch forks it when it starts, as it does its document workers: a fork after torch has
started its threads is unsafe); `RayEventPool`, Ray actors on the cluster the Ray engine
joined. With `summarizer = "llm"` events stay in the calling process: the generator fails
once for the whole run (`GuardedGenerator`), which a pool of generators could not keep.
"""

from __future__ import annotations

import contextlib
import dataclasses
import multiprocessing
import os
import pickle
import queue
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from pipeline.config import Config
from pipeline.machine import one_thread_per_worker
from pipeline.model import Document, Event, Translation

# (document id, segment index) -> output language -> what the summary stored there
Patches = dict[tuple[str, int], dict[str, Translation]]


@dataclass
class EventTask:
    event: Event
    docs: dict[str, Document]


@dataclass
class EventResult:
    event: Event
    patches: Patches
    seconds: dict[str, float] = field(default_factory=dict)  # stage name -> seconds
    worker: int = 0  # the process that ran it (its pid)


class Running(Protocol):
    def results(self) -> list[EventResult]:
        """Wait for every task; results in task order (a task's error is raised here)."""
        ...


class EventPool(Protocol):
    """Runs `summarise_task` over tasks. `start` returns at once: the tasks are copied as
    they are when it is called, so the caller may go on with other work (and change its
    documents) while they run; `run` waits."""

    def start(self, tasks: Sequence[EventTask]) -> Running: ...

    def run(self, tasks: Sequence[EventTask]) -> list[EventResult]: ...

    def close(self) -> None: ...


@dataclass
class Finished:
    """Tasks already run (a pool that runs them when started)."""

    done: list[EventResult]

    def results(self) -> list[EventResult]:
        return self.done


def event_documents(event: Event, by_id: dict[str, Document]) -> dict[str, Document]:
    """What an event's summary and framing read: its members and copies, and any document a
    copy copies (an edition's original)."""
    out: dict[str, Document] = {}
    for doc_id in event.documents + event.copies:
        while doc_id in by_id and doc_id not in out:
            out[doc_id] = by_id[doc_id]
            doc_id = by_id[doc_id].duplicate_of or ""
    return out


def summarise_task(task: EventTask, config: Config, router) -> EventResult:
    """One event's summaries, titles and framing, as `compose.summarise_events` gives them
    serially (imported here: compose imports this module). The summaries and titles are
    remembered by what they read (`summary_inputs`): an event shown again after gaining
    only copies that are not translations keeps them; its framing, which compares the
    copies too, is computed again (with its documents' readings remembered)."""
    from pipeline.framing import frame_event
    from pipeline.framing.actors import remember_segment_names
    from pipeline.summarize import summarize_event

    event = task.event
    start = time.perf_counter()
    remember_segment_names(task.docs.values())  # found by the document stage
    key = summary_inputs(event, task.docs)
    if key in _SUMMARIES:
        _SUMMARIES.move_to_end(key)
        order, notes, summary, title, patches = _SUMMARIES[key]
        event.documents, event.notes = list(order), list(notes)
        event.summary, event.title = dict(summary), dict(title)
        store_patches(patches, task.docs)  # the framing reads them
    else:
        before = {(d.id, i): dict(s.translations) for d in task.docs.values()
                  for i, s in enumerate(d.segments)}
        summarize_event(event, task.docs, config, router, None)
        patches = {}
        for doc in task.docs.values():
            for i, seg in enumerate(doc.segments):
                old = before[(doc.id, i)]
                new = {k: v for k, v in seg.translations.items() if old.get(k) is not v}
                if new:
                    patches[(doc.id, i)] = new
        _SUMMARIES[key] = (list(event.documents), list(event.notes), dict(event.summary),
                           dict(event.title), patches)
        if len(_SUMMARIES) > SUMMARIES_KEPT:
            _SUMMARIES.popitem(last=False)
    middle = time.perf_counter()
    event.framing = frame_event(event, task.docs, config, router)
    seconds = {"summaries": middle - start, "framing": time.perf_counter() - middle}
    return EventResult(event, patches, seconds, os.getpid())


# summary inputs -> (member order, notes, summaries, titles, translations stored): per worker
_SUMMARIES: OrderedDict[tuple, tuple] = OrderedDict()
SUMMARIES_KEPT = 4096


def summary_inputs(event: Event, docs: dict[str, Document]) -> tuple:
    """What `summarize_event` reads of an event: its members and its translation copies
    (editions, which a summary in their language quotes), each by id, text and content
    segments, with the notes it starts from. Reprints and other copies are not read."""
    def facts(doc: Document) -> tuple:
        return (doc.id, doc.duplicate_of, doc.duplicate_kind, doc.main_lang, doc.date,
                doc.content_key)

    editions = [c for c in event.copies
                if c in docs and docs[c].duplicate_kind == "translation"]
    return (tuple(facts(docs[i]) for i in sorted(event.documents)),
            tuple(facts(docs[i]) for i in sorted(editions)), tuple(event.notes))


def apply_result(result: EventResult, event: Event, by_id: dict[str, Document]) -> None:
    """The worker's event into the caller's (same object kept: callers hold it) and its
    translations onto the caller's documents."""
    for f in dataclasses.fields(Event):
        setattr(event, f.name, getattr(result.event, f.name))
    store_patches(result.patches, by_id)


def store_patches(patches: Patches, docs: dict[str, Document]) -> None:
    """The translations a summary stored, onto these documents' segments."""
    for (doc_id, index), stored in patches.items():
        docs[doc_id].segments[index].translations.update(stored)


# ------------------------------------------------------------------------ local processes

_WORKER: dict[str, object] = {}  # in each forked worker: its config and router


# Event workers run below the process that feeds them. That process is the critical path
# (it embeds the next day's sentences, clusters, writes) and its encoder uses every core; at
# the same priority the workers slowed the encoder by a third (1k archive: 84 -> 114 s) and
# the run got slower, while below it they take the cycles it leaves: the encoder's pauses,
# the core its single-threaded steps leave free, and every core once it waits for them.
WORKER_NICENESS = 19


def _start_worker(config: Config, router_cache: Path | None) -> None:
    one_thread_per_worker()
    os.nice(WORKER_NICENESS)
    _WORKER["config"], _WORKER["cache"] = config, router_cache


def _worker_blob(blob: bytes) -> EventResult:
    return _worker_task(pickle.loads(blob))


# a sentence in each language the workers read, naming people, places, figures and a quote
_WARM_SENTENCES = {
    "en": "Prime Minister Kishida told reporters in Tokyo on Monday that 3.5 billion dollars "
          "would go to Seoul, said a spokesman.",
    "zh": "外交部发言人毛宁周一在北京表示，中方将向韩国提供35亿美元援助。",
    "ja": "岸田文雄首相は月曜日、東京で記者団に対し、35億ドルを支援すると述べた。",
    "ko": "윤석열 대통령은 월요일 서울에서 35억 달러를 지원하겠다고 밝혔다.",
}


def warm_worker(config: Config) -> None:
    """Load what every event's summaries and framing read (spaCy's stop words, CC-CEDICT,
    JMdict and its reverse index, Kiwi, SudachiPy, jieba, the romanisers, the glossers): about
    10 s a process. Run in an idle worker before the first day's events arrive, instead of
    in its first task, when the driver's encoder leaves the workers nothing. A throwaway
    router, so the translation cache never sees these sentences; every other store touched
    is a memo of a pure reading, so the answers for real events do not change."""
    from pipeline.backends import build_router
    from pipeline.framing.actors import actor_spans
    from pipeline.framing.terms import cjk_terms, english_terms, term_gloss
    from pipeline.names import name_keys
    from pipeline.summarize.fact_lines import fact_line

    router = build_router(config, None)
    for src, text in _WARM_SENTENCES.items():
        for out in config.langs:
            router.translate([text], src, out)
            fact_line(text, src, out)
        for actor in actor_spans(text, src):
            name_keys(actor.surface, src, actor.type == "PERSON")
        if src == "en":
            english_terms(text)
            continue
        for word in cjk_terms(text, src):
            term_gloss(word, src)


def _warm_worker() -> None:
    # a head start only: whatever fails here, a real task loads (and reports) itself
    with contextlib.suppress(Exception):
        warm_worker(_WORKER["config"])


def _worker_task(task: EventTask) -> EventResult:
    if "router" not in _WORKER:  # built on first use: an idle worker stays small
        from pipeline.backends import build_router

        _WORKER["router"] = build_router(_WORKER["config"], _WORKER["cache"])
    return summarise_task(task, _WORKER["config"], _WORKER["router"])


class LocalEventPool:
    """`processes` forked workers; each builds its router (and loads the dictionaries its
    events need) on its first task and keeps it until the pool closes.

    Each day is planned first: an event goes back to the worker that had it before (its
    documents' quotes, terms and figures are remembered there, `model.per_document`)
    unless that worker already has `AFFINITY_SLACK` more of the day's work than the least
    loaded one; new events go to the least loaded worker, largest first. A plan is a guess
    (an event's cost is not its size alone), so a worker that runs out of planned work takes
    the last planned event of the one with most left; each worker holds `PREFETCH` tasks at
    a time."""

    def __init__(self, config: Config, router_cache: Path | None, processes: int) -> None:
        context = multiprocessing.get_context("fork")
        self._workers = [context.Pool(1, initializer=_start_worker,
                                      initargs=(config, router_cache))
                         for _ in range(processes)]
        self._home: dict[str, int] = {}  # event id -> the worker that last had it
        self._feeding: _Feeding | None = None

    def warm(self) -> None:
        """Each worker loads its tools now, on the cycles the driver leaves (`warm_worker`);
        a day's tasks sent meanwhile wait behind it."""
        for worker in self._workers:
            worker.apply_async(_warm_worker)

    def start(self, tasks: Sequence[EventTask]) -> Running:
        """The tasks pickled now (the caller's later changes do not reach them) and fed to
        the workers by a thread of this process."""
        if self._feeding is not None:  # one day at a time: its stealing moves events' homes
            self._feeding.thread.join()  # (its error, if any, was its caller's to collect)
        blobs = [pickle.dumps(t, protocol=pickle.HIGHEST_PROTOCOL) for t in tasks]
        self._feeding = _Feeding(self, blobs, [t.event.id for t in tasks], self._plan(tasks))
        return self._feeding

    def run(self, tasks: Sequence[EventTask]) -> list[EventResult]:
        return self.start(tasks).results()

    def _plan(self, tasks: Sequence[EventTask]) -> list[list[int]]:
        """Task indices per worker, largest first."""
        weights = [_weight(t) for t in tasks]
        slack = AFFINITY_SLACK * sum(weights) / len(self._workers)
        load = [0] * len(self._workers)
        plans: list[list[int]] = [[] for _ in self._workers]
        for i in sorted(range(len(tasks)), key=lambda i: (-weights[i], i)):
            least = min(range(len(load)), key=lambda w: (load[w], w))
            home = self._home.get(tasks[i].event.id)
            worker = home if home is not None and load[home] - load[least] <= slack else least
            load[worker] += weights[i]
            plans[worker].append(i)
        return plans

    def close(self) -> None:
        if self._feeding is not None:
            self._feeding.thread.join()
        for worker in self._workers:
            worker.close()
            worker.join()


class _Feeding:
    """One `start`: a thread that keeps each worker `PREFETCH` tasks ahead, taking from
    the busiest plan when a worker's own runs out, and collects the results."""

    def __init__(self, pool: LocalEventPool, blobs: list[bytes], event_ids: list[str],
                 plans: list[list[int]]) -> None:
        self.pool, self.blobs, self.event_ids, self.plans = pool, blobs, event_ids, plans
        self.out: list[EventResult | None] = [None] * len(blobs)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._feed, name="event-pool-feed", daemon=True)
        self.thread.start()

    def results(self) -> list[EventResult]:
        self.thread.join()
        if self.error is not None:
            raise self.error
        return self.out  # type: ignore[return-value]

    def _submit(self, worker: int, done: queue.SimpleQueue) -> bool:
        plans = self.plans
        source = plans[worker] or max(plans, key=len)
        if not source:
            return False
        i = source.pop(0) if source is plans[worker] else source.pop()
        self.pool._home[self.event_ids[i]] = worker
        self.pool._workers[worker].apply_async(
            _worker_blob, (self.blobs[i],),
            callback=lambda result, i=i, w=worker: done.put((i, w, result, None)),
            error_callback=lambda exc, i=i, w=worker: done.put((i, w, None, exc)))
        return True

    def _feed(self) -> None:
        try:
            self._feed_all()
        except BaseException as exc:  # noqa: BLE001 - raised in the caller by `results`
            self.error = self.error or exc

    def _feed_all(self) -> None:
        done: queue.SimpleQueue = queue.SimpleQueue()
        running = 0
        for worker in range(len(self.pool._workers)):
            for _ in range(PREFETCH):
                running += self._submit(worker, done)
        while running:
            i, worker, result, error = done.get()
            running -= 1
            if error is not None:
                self.error = self.error or error
                self.plans = [[] for _ in self.plans]  # let the running ones finish, no more
                continue
            self.out[i] = result
            running += self._submit(worker, done)


PREFETCH = 2  # tasks a worker holds: one running, one ready (pickled, sent)
AFFINITY_SLACK = 0.1  # of a worker's fair share of the day's segments


def _weight(task: EventTask) -> int:
    return sum(len(d.segments) for d in task.docs.values())


# ------------------------------------------------------------------------ Ray actors

class _EventActor:
    def __init__(self, config: Config, router_cache: Path | None) -> None:
        from pipeline.backends import build_router

        one_thread_per_worker()
        self.config, self.router = config, build_router(config, router_cache)

    def run(self, task: EventTask) -> EventResult:
        return summarise_task(task, self.config, self.router)


class RayEventPool:
    """One actor per CPU of the cluster (`actors`); Ray must be initialised already."""

    def __init__(self, config: Config, router_cache: Path | None, actors: int) -> None:
        import ray
        from ray.util import ActorPool

        remote = ray.remote(num_cpus=1)(_EventActor)
        self._pool = ActorPool([remote.remote(config, router_cache) for _ in range(actors)])

    def start(self, tasks: Sequence[EventTask]) -> Running:
        """Run now: the actor pool sends a task's arguments only when an actor is free, and
        by then the caller could have changed its documents."""
        return Finished(self.run(tasks))

    def run(self, tasks: Sequence[EventTask]) -> list[EventResult]:
        return list(self._pool.map(lambda actor, task: actor.run.remote(task), list(tasks)))

    def close(self) -> None:
        self._pool = None
