"""The day stage's partitions (`pipeline.event_pool`): events summarised and framed on a
pool of workers give what the serial pass gives, the workers' translations come back onto
the caller's documents, and the stage clock still adds up to the wall time."""

from __future__ import annotations

import copy
import multiprocessing

import pytest

from pipeline.compose import summarise_events
from pipeline.config import Config
from pipeline.event_pool import LocalEventPool, event_documents
from pipeline.ingest import read_inputs
from pipeline.model import digest_to_dict, per_document
from pipeline.stages import StageClock
from tests.conftest import SEEDS

pytestmark = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(),
                                reason="the local pool forks")


@pytest.fixture(scope="module")
def seed_events():
    """The seeds up to their events, with sentence vectors (nothing summarised yet)."""
    from pipeline.run import events_to_summarise

    config = Config(embedding_cache=False)
    docs, events, _ = events_to_summarise(read_inputs([SEEDS]).documents, config)
    return config, docs, events


def _summarised(seed_events, pool):
    from pipeline.backends import build_router
    from pipeline.compose import build_digest

    config, docs, events = copy.deepcopy(seed_events)
    by_id = {d.id: d for d in docs}
    router = build_router(config, None)
    clock = StageClock()
    summarise_events(events, by_id, config, router, None, clock, pool)
    digest = build_digest(docs, events, config, router, None)
    return digest_to_dict(digest), clock, events


class _Watched:
    """A pool that notes which processes ran the tasks."""

    def __init__(self, pool) -> None:
        self.pool, self.workers = pool, set()

    def start(self, tasks):
        from pipeline.event_pool import Finished

        return Finished(self.run(tasks))

    def run(self, tasks):
        results = self.pool.run(tasks)
        self.workers |= {r.worker for r in results}
        return results


def test_a_pool_gives_the_serial_digest(seed_events):
    """Summaries, titles, framing, notes and the translations stored on segments (which
    the digest's documents show) are the same whether the events ran here or on two
    forked workers; the events keep their identity and their order."""
    config = seed_events[0]
    serial, _, _ = _summarised(seed_events, None)
    pool = _Watched(LocalEventPool(config, None, 2))
    try:
        pooled, clock, events = _summarised(seed_events, pool)
        again, _, _ = _summarised(seed_events, pool)  # the workers remember documents now
    finally:
        pool.pool.close()
    assert len(serial["events"]) >= 2 and len(pool.workers) == 2
    assert pooled == serial
    assert again == serial
    assert [e["id"] for e in pooled["events"]] == [e.id for e in events]
    assert all(e["summary"] and e["title"] and e["framing"] for e in pooled["events"])
    translated = [s for d in pooled["documents"] for s in d["segments"] if s.get("translations")]
    assert translated, "the summaries' translations came back onto the documents"
    assert set(clock.seconds) == {"summaries", "framing"}


def test_warming_loads_the_tools_and_changes_no_answer(seed_events, tmp_path, monkeypatch):
    """`warm_worker` loads what a first event would (the glossers' dictionaries, the
    analysers) without touching any cache a user sees; a pool warmed before its first day
    gives the serial digest."""
    from pipeline.event_pool import warm_worker
    from pipeline.framing.terms import term_gloss
    from pipeline.lang import analysers

    config = seed_events[0]
    monkeypatch.setenv("NEWSDIGEST_CACHE", str(tmp_path / "cache"))
    term_gloss.cache_clear()
    warm_worker(config)
    assert term_gloss.cache_info().currsize > 0  # the framing's glossers are loaded
    assert analysers.kiwi.cache_info().currsize == 1  # and the Korean analyser
    assert not list((tmp_path / "cache").glob("translations*"))
    serial, _, _ = _summarised(seed_events, None)
    pool = LocalEventPool(config, None, 2)
    try:
        pool.warm()
        warmed, _, _ = _summarised(seed_events, pool)
    finally:
        pool.close()
    assert warmed == serial


def test_a_day_on_the_pool_is_a_copy_and_a_failed_event_is_raised_when_collected(seed_events):
    """`start` returns at once with the tasks as they were when sent: the driver changes its
    documents meanwhile (a batch clusters its next day) and the workers never see it. An
    event that fails is raised when the day is collected, and the pool takes the next day."""
    from pipeline.event_pool import EventTask

    config, docs, events = copy.deepcopy(seed_events)
    by_id = {d.id: d for d in docs}
    tasks = [EventTask(e, event_documents(e, by_id)) for e in events]
    clean = copy.deepcopy(tasks)
    pool = LocalEventPool(config, None, 2)
    try:
        running = pool.start(tasks)
        for doc in docs:
            for seg in doc.segments:
                seg.text = "CHANGED AFTER SENDING"
        results = running.results()
        summaries = [s.text for r in results for ss in r.event.summary.values() for s in ss]
        assert summaries and not any("CHANGED" in text for text in summaries)
        broken = EventTask(copy.deepcopy(clean[0].event), {})  # its documents missing
        with pytest.raises(KeyError):
            pool.start([broken, *copy.deepcopy(clean[1:])]).results()
        again = pool.run(clean)
    finally:
        pool.close()
    assert [r.event.id for r in again] == [e.id for e in events]
    assert [r.event.summary for r in again] == [r.event.summary for r in results]


def test_ray_actors_run_the_events_on_both_cores(seed_events, monkeypatch):
    """`--engine ray`: the day stage's events go to one actor per CPU of a local cluster
    (two here), with the serial pass's results."""
    ray = pytest.importorskip("ray")
    from pipeline.event_pool import RayEventPool

    monkeypatch.setenv("RAY_AUTH_MODE", "disabled")
    serial, _, _ = _summarised(seed_events, None)
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        pool = _Watched(RayEventPool(seed_events[0], None, 2))
        pooled, _, _ = _summarised(seed_events, pool)
    finally:
        ray.shutdown()
    assert pooled == serial
    assert len(pool.workers) == 2


def test_an_event_s_documents_include_what_its_copies_copy(seed_events):
    _, docs, events = seed_events
    by_id = {d.id: d for d in docs}
    for event in events:
        found = event_documents(event, by_id)
        assert set(event.documents + event.copies) <= set(found)
        assert all(d.duplicate_of is None or d.duplicate_of in found for d in found.values())


def test_the_clock_shares_parallel_wall_time_as_the_workers_spent_it():
    clock = StageClock()
    clock.share(10.0, [{"summaries": 3.0, "framing": 1.0}, {"summaries": 3.0, "framing": 9.0}])
    assert clock.seconds == {"summaries": pytest.approx(3.75), "framing": pytest.approx(6.25)}
    assert sum(clock.seconds.values()) == pytest.approx(10.0)


def test_a_remembered_reading_follows_the_text(seed_docs):
    """`per_document` answers from memory only for the same text and content segments: a
    document corrected under the same id is read again."""
    calls = []

    @per_document
    def words(doc, lower):
        calls.append(doc.id)
        return len(doc.text.split()) if lower else -1

    doc = copy.deepcopy(seed_docs["001"])
    first = words(doc, True)
    assert words(doc, True) == first and len(calls) == 1
    assert words(doc, False) == -1 and len(calls) == 2  # other arguments: another reading
    doc.text += " One more sentence at the end."
    assert words(doc, True) == first + 6 and len(calls) == 3


def test_pool_workers_run_numeric_libraries_on_one_thread():
    """N workers × N BLAS threads on N cores spin against each other (measured 1.4× CPU)."""
    with multiprocessing.get_context("fork").Pool(1) as pool:
        limits = pool.apply(_thread_limits)
    assert limits and all(n == 1 for n in limits)


def _thread_limits() -> list[int]:
    from threadpoolctl import threadpool_info

    from pipeline.machine import one_thread_per_worker

    one_thread_per_worker()
    return [info["num_threads"] for info in threadpool_info()]


def test_an_event_that_gained_only_a_reprint_keeps_its_summary(seed_events):
    """The summary is remembered by what it reads: a new reprint among the copies changes
    the framing (it compares copies) but not the summaries and titles, which come from
    memory and equal a fresh computation."""
    from pipeline.backends import build_router
    from pipeline.event_pool import _SUMMARIES, EventTask, summarise_task, summary_inputs

    config, docs, events = copy.deepcopy(seed_events)
    by_id = {d.id: d for d in docs}
    event = max(events, key=lambda e: len(e.documents))
    router = build_router(config, None)
    first = summarise_task(EventTask(copy.deepcopy(event), event_documents(event, by_id)),
                           config, router)
    reprint = copy.deepcopy(by_id[event.documents[0]])
    reprint.id, reprint.outlet = "reprint-of-lead", "Wire Copy"
    reprint.duplicate_of, reprint.duplicate_kind = event.documents[0], "reprint"
    grown = copy.deepcopy(event)
    grown.copies = [*grown.copies, reprint.id]
    grown_docs = {**event_documents(event, by_id), reprint.id: reprint}
    assert summary_inputs(grown, grown_docs) == summary_inputs(event, by_id)
    kept = len(_SUMMARIES)
    again = summarise_task(EventTask(grown, grown_docs), config, router)
    assert len(_SUMMARIES) == kept  # answered from memory
    _SUMMARIES.clear()
    fresh = summarise_task(EventTask(copy.deepcopy(grown), copy.deepcopy(grown_docs)),
                           config, router)
    assert again.event.summary == fresh.event.summary == first.event.summary
    assert again.event.title == fresh.event.title
    assert again.event.framing == fresh.event.framing != first.event.framing
    translation = copy.deepcopy(reprint)
    translation.duplicate_kind = "translation"
    assert summary_inputs(grown, {**grown_docs, reprint.id: translation}) != \
        summary_inputs(event, by_id)  # an edition is read by the summary in its language
