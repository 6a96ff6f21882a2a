"""From summarised events to the digest model: the one place `run` (and its daily window)
and each day of `batch` summarise events and assemble a `Digest`, so the two cannot drift
in what an event carries (summary, titles, framing) or what a digest says of itself
(notices, backends)."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from typing import Any

from pipeline.backends import describe_backends
from pipeline.config import Config
from pipeline.event_pool import EventPool, EventTask, Running, apply_result, event_documents
from pipeline.framing import frame_event
from pipeline.model import Digest, Document, Event
from pipeline.network import network_uses
from pipeline.stages import StageClock
from pipeline.summarize import GuardedGenerator, summarize_event
from pipeline.translate import TranslationRouter
from pipeline.translate.advice import gloss_advice


def summarise_events(events: Iterable[Event], by_id: dict[str, Document], config: Config,
                     router: TranslationRouter, generator: GuardedGenerator | None,
                     clock: StageClock | None = None, pool: EventPool | None = None) -> None:
    """Each event's summaries and titles in every output language, then its framing
    (`events` may be a progress bar's iterator). With a `pool` (`pipeline.event_pool`) the
    events are its partitions, run on its workers; the stage clock then splits the wall
    time between summaries and framing as the workers' own times split."""
    start_summaries(events, by_id, config, router, generator, clock, pool).finish()


class Summarising:
    """Events on a pool: `finish` waits for them and puts what the workers made onto the
    caller's events and documents. Between the two the caller may do other work (a batch
    clusters its next day, writes its previous one); the stage clock counts only the time
    spent here, so the stage figures still add up to the wall time."""

    def __init__(self, events: list[Event], by_id: dict[str, Document], clock: StageClock,
                 running: Running | None = None, spent: float = 0.0) -> None:
        self.events, self.by_id, self.clock = events, by_id, clock
        self.running, self.spent = running, spent

    @classmethod
    def done(cls) -> Summarising:
        """Nothing under way (a day with no events to summarise)."""
        return cls([], {}, StageClock())

    def finish(self) -> None:
        if self.running is None:
            return
        start = time.perf_counter()
        results = self.running.results()
        self.running = None
        for event, result in zip(self.events, results):
            apply_result(result, event, self.by_id)
        self.clock.share(self.spent + time.perf_counter() - start, [r.seconds for r in results])


def start_summaries(events: Iterable[Event], by_id: dict[str, Document], config: Config,
                    router: TranslationRouter, generator: GuardedGenerator | None,
                    clock: StageClock | None = None,
                    pool: EventPool | None = None) -> Summarising:
    """`summarise_events` begun: on a pool the events are sent (as they are now) and this
    returns at once; without one (or with an LLM generator, `pipeline.event_pool`) they are
    summarised here before it returns."""
    clock = clock or StageClock()
    events = list(events)
    if pool is not None and generator is None and len(events) > 1:
        start = time.perf_counter()
        running = pool.start([EventTask(e, event_documents(e, by_id)) for e in events])
        return Summarising(events, by_id, clock, running, time.perf_counter() - start)
    for event in events:
        with clock("summaries"):
            summarize_event(event, by_id, config, router, generator)
        with clock("framing"):
            event.framing = frame_event(event, by_id, config, router)
    return Summarising(events, by_id, clock)


def build_digest(documents: Sequence[Document], events: Sequence[Event], config: Config,
                 router: TranslationRouter, generator: GuardedGenerator | None, *,
                 errors: Sequence[str] = (), notices: Sequence[str] = (),
                 clustering: dict[str, Any] | None = None,
                 window: dict[str, Any] | None = None) -> Digest:
    """The digest of summarised, ranked events. Notices: network use first, then the
    caller's (a window's), then what the translators and the generator reported."""
    said = [generator.notice] if generator is not None and generator.notice else []
    # first: describing the routes builds the router's backends, whose setup remarks are
    # notices (a router whose events ran on a pool's workers has translated nothing here)
    backends = describe_backends(config, router)
    advice = gloss_advice(glossed_pairs(events))
    return Digest(documents=list(documents), events=list(events), langs=config.langs,
                  errors=list(errors),
                  notices=network_uses(config) + list(notices) + list(router.notices) + said
                  + ([advice] if advice else []),
                  clustering=clustering or {}, window=window or {}, backends=backends)


def glossed_pairs(events: Iterable[Event]) -> set[tuple[str, str]]:
    """The (source, target) language pairs of the digest's sentences that the dictionary
    gloss produced: what its offline notice names."""
    from pipeline.model import base_lang

    pairs = set()
    for event in events:
        sentences = list(event.title.values()) + [s for ss in event.summary.values() for s in ss]
        for s in sentences:
            source = s.original or (s.sources[0] if s.sources else None)
            if s.tier == "gloss" and source is not None and source.lang != s.lang:
                pairs.add((base_lang(source.lang), base_lang(s.lang)))
    return pairs
