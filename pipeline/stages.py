"""Every stage of the pipeline by name, in order: what it reads and writes on the model, and
the function that does it. `newsdigest stages` prints this table.

`run`, `run --date` and `batch` are drivers over these same stages:
- `document` stages run on each document alone (`run.process_document`, on a process pool
  or Ray actors);
- `day` stages run over one publication day against what is open from earlier days, in
  two sweeps of `pipeline.corpus` (the first marks and embeds, the second groups);
- `event` stages run on each event a digest shows (`compose.summarise_events`), and
  `digest` stages on the digest as a whole.
`StageClock` times each stage under its name: the batch summary and the archive benchmark
report those figures.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

SCOPES = ("document", "day", "event", "digest")


@dataclass(frozen=True)
class Stage:
    name: str
    scope: str  # one of SCOPES
    reads: str
    writes: str
    where: str  # module:function that does it

    def __post_init__(self) -> None:
        assert self.scope in SCOPES, self.scope


STAGES: tuple[Stage, ...] = (
    Stage("segment", "document", "text", "segments (sentences, paragraphs, offsets)",
          "pipeline.run:_segment"),
    Stage("language", "document", "segments", "segment.lang, main_lang",
          "pipeline.run:_language"),
    Stage("clean", "document", "segments", "segment.role (body, title, boilerplate...)",
          "pipeline.run:_clean"),
    Stage("metadata", "document", "text, segments", "title, date, outlet, url, byline",
          "pipeline.metadata:fill_metadata"),
    Stage("title", "document", "segments", "title (the lead, when the page has none)",
          "pipeline.run:_fallback_title"),
    Stage("repeats", "document", "segments", "segment.role repeated",
          "pipeline.dedup:mark_repeated_segments"),
    Stage("entities", "document", "segments", "segment.entities",
          "pipeline.entities:annotate_document"),
    Stage("segmenter names", "document", "segments",
          "segment.names (names jieba, Sudachi or Kiwi tag in CJK sentences)",
          "pipeline.framing.actors:keep_segment_names"),
    Stage("link keys", "document", "segments, entities, segment names",
          "link_keys (names, figures)",
          "pipeline.cluster.features:link_keys"),
    Stage("terms", "document", "segments, entities",
          "terms (words, character pairs, figures, names: what clustering compares)",
          "pipeline.cluster.features:cached_terms"),
    Stage("copy prints", "document", "segments, title, outlet",
          "copy_print (normalised text hash, shingle hashes, MinHash signature)",
          "pipeline.dedup.copies:copy_print"),
    Stage("copies", "day", "copy_print, date", "duplicate_of, duplicate_kind",
          "pipeline.dedup.copies:CopyIndex.add"),
    Stage("document vectors", "day", "title, lead", "vector",
          "pipeline.run:embed_documents"),
    Stage("translations", "day", "vector, segments", "duplicate_of (translation)",
          "pipeline.dedup:mark_translations"),
    Stage("statistics", "day", "terms, link keys, vector",
          "corpus statistics (document frequencies, language means)",
          "pipeline.corpus:CorpusPass.finish"),
    Stage("events", "day", "vector, terms, statistics",
          "events and stories; event, cluster_status", "pipeline.corpus:EventSteps.add_day"),
    Stage("window", "digest", "events, dates, previous digest",
          "the events shown; status new/updated/seen", "pipeline.daily:select_events"),
    Stage("sentence vectors", "event", "segments of the event's documents", "segment.vector",
          "pipeline.run:embed_segments"),
    Stage("summaries", "event", "segments, vectors", "summary and title in each language",
          "pipeline.summarize:summarize_event"),
    Stage("framing", "event", "segments, summary", "framing comparison",
          "pipeline.framing:frame_event"),
    Stage("rank", "digest", "events, window", "rank", "pipeline.daily:rank_events"),
    Stage("digest", "digest", "events, documents, backends", "the Digest",
          "pipeline.compose:build_digest"),
    Stage("render", "digest", "the Digest", "digest.json, .md, .html",
          "pipeline.render.files:write_digest"),
)

BY_NAME = {stage.name: stage for stage in STAGES}


def stages_of(scope: str) -> list[Stage]:
    return [stage for stage in STAGES if stage.scope == scope]


class StageClock:
    """Seconds per stage name, added up over every call (days, chunks)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        assert name in BY_NAME, f"no stage named {name!r}"
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] += time.perf_counter() - start

    def share(self, wall: float, parts: list[dict[str, float]]) -> None:
        """`wall` seconds spent by workers in parallel, split between stages as the workers'
        own per-stage times (`parts`, one dict per task) split, so the figures still add up
        to the wall time."""
        totals: dict[str, float] = defaultdict(float)
        for part in parts:
            for name, seconds in part.items():
                totals[name] += seconds
        spent = sum(totals.values())
        for name, seconds in totals.items():
            assert name in BY_NAME, f"no stage named {name!r}"
            self.seconds[name] += wall * seconds / spent if spent else 0.0

    def ordered(self) -> dict[str, float]:
        """The figures in pipeline order."""
        return {s.name: self.seconds[s.name] for s in STAGES if s.name in self.seconds}


def describe_stages() -> list[str]:
    """The table `newsdigest stages` prints."""
    lines = []
    for scope in SCOPES:
        lines.append(f"{scope}:")
        for stage in stages_of(scope):
            lines.append(f"  {stage.name:<17} {stage.reads} -> {stage.writes}")
            lines.append(f"  {'':<17} {stage.where}")
    return lines
