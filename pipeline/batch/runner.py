"""`newsdigest batch`: stream an archive in, resume after a crash, one digest per day.

Two stages, both resumable from the checkpoint (`state.py`):
1. documents: inputs are streamed (`inputs.py`) in chunks; each chunk goes through the
   per-document stages on the worker pool (`run.process_documents`) and is committed with
   its problems. A rerun skips the ids already committed.
2. days (`days.py`): dedup, embeddings, translations, events and the day's digest, in date
   order. Clustering is re-run from the first day on every run (it is cheap and makes the
   result independent of where a crash happened); a day whose digest was already written
   with the same content is not summarised again.
Then the archive-wide outputs: `events.jsonl` and `events.parquet` (one row per event) and
`errors.jsonl` (every problem with its reason), each written atomically.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.backends import build_backends
from pipeline.batch.days import DayStage, release_freed_memory
from pipeline.batch.engines import Engine, make_engine
from pipeline.batch.state import BatchState
from pipeline.config import Config
from pipeline.corpus import CorpusPass
from pipeline.ingest import Problem
from pipeline.ingest.stream import describe_inputs, iter_inputs
from pipeline.render.files import write_atomic
from pipeline.run import embed_documents, embed_segments, processing_warnings
from pipeline.stages import StageClock


@dataclass
class BatchSummary:
    read: int = 0  # documents committed in this run
    skipped: int = 0  # already in the checkpoint
    failed: int = 0  # inputs or rows that gave no document
    documents: int = 0  # in the checkpoint after the run
    statuses: dict[str, int] = field(default_factory=dict)
    events: int = 0
    days: int = 0
    seconds: dict[str, float] = field(default_factory=dict)  # documents, duplicates, days
    stage_seconds: dict[str, float] = field(default_factory=dict)  # by stage name, after reading
    encoder_seconds: float = 0.0  # inside the embedding model (cache misses), any stage
    outputs: list[Path] = field(default_factory=list)

    def lines(self) -> list[str]:
        dup = {k.split(":", 1)[1]: v for k, v in sorted(self.statuses.items())
               if k.startswith("duplicate:")}
        return [
            (f"documents: {self.documents} in the archive ({self.read} read now, "
             f"{self.skipped} already done), {self.failed} inputs failed (errors.jsonl)"),
            "duplicates: " + (", ".join(f"{k} {v}" for k, v in dup.items()) or "none"),
            f"events: {self.events} over {self.days} days",
            "time: " + ", ".join(f"{k} {v:.1f} s" for k, v in self.seconds.items()),
            "stages: " + ", ".join(f"{k} {v:.1f} s" for k, v in self.stage_seconds.items()),
            f"encoder: {self.encoder_seconds:.1f} s (the embedding model itself)",
        ]


def fingerprint(config: Config) -> str:
    """What the outputs depend on; a folder made with another configuration is refused."""
    fields = {f.name: getattr(config, f.name) for f in dataclasses.fields(config)
              if f.name not in ("workers", "embedding_cache", "translation_cache")}
    return hashlib.sha256(json.dumps(fields, sort_keys=True, default=str).encode()).hexdigest()


Progress = Callable[[str, int, int | None], None]  # (stage, done, total or None)


def _ingest(inputs: Sequence[str | Path], state: BatchState, engine: Engine,
            summary: BatchSummary, show: Progress, max_mb: float) -> None:
    known = state.known_ids()
    total = describe_inputs(inputs).rows
    chunk: list = []
    problems: list[Problem] = []

    def flush() -> None:
        if not chunk and not problems:
            return
        docs = [d for _, d in chunk]
        seq = {d.id: s for s, d in chunk}
        kept, failed = engine.process(docs)
        problems.extend(Problem("processing", None, message, True) for message in failed)
        problems.extend(Problem(d.source, None, f"[{d.id}] {message}", False)
                        for d in kept for message in processing_warnings(d))
        state.add_documents([(seq[d.id], d) for d in kept], problems)
        summary.read += len(kept)
        summary.failed += len(failed)
        show("documents", summary.read + summary.skipped + summary.failed, total)
        chunk.clear()
        problems.clear()

    for seq, item in enumerate(iter_inputs(inputs, max_mb)):
        problems.extend(item.problems)
        if item.document is None:
            summary.failed += 1
            continue
        if item.document.id in known:
            summary.skipped += 1
            continue
        chunk.append((seq, item.document))
        if len(chunk) >= engine.chunk:
            flush()
    flush()


def _silent(stage: str, done: int, total: int | None) -> None:
    pass


def run_batch(inputs: Sequence[str | Path], out_dir: Path, config: Config,
              show: Progress = _silent, engine: str = "local") -> BatchSummary:
    """Run or resume the batch in `out_dir`; `show(stage, done, total)` reports progress;
    `engine` runs the per-document stages (`engines.py`: local processes or Ray Data)."""
    out_dir = Path(out_dir)
    summary = BatchSummary()
    state = BatchState(out_dir / "state.sqlite")
    try:
        state.claim(fingerprint(config))
        start = time.perf_counter()
        # before any tool loads: a local engine forks its workers
        workers = make_engine(engine, config, out_dir / "translations.sqlite")
        try:
            return _run(inputs, out_dir, config, state, workers, summary, show, start)
        finally:
            workers.close()
    finally:
        state.close()


def _run(inputs: Sequence[str | Path], out_dir: Path, config: Config, state: BatchState,
         workers: Engine, summary: BatchSummary, show: Progress, start: float) -> BatchSummary:
    """The stages of `run_batch` after the checkpoint is claimed and the workers started."""
    _ingest(inputs, state, workers, summary, show, config.max_file_mb)
    workers.documents_done()
    summary.seconds["documents"] = time.perf_counter() - start
    start = time.perf_counter()
    backends = build_backends(config, out_dir)  # the caches are the batch's own state
    embedder = backends.embedder

    def embed(docs: list) -> None:
        embed_documents(docs, embedder, False, config.embed_chars)

    days = state.days()
    clock = StageClock()
    corpus = CorpusPass(config, embed, embedder.embed, clock)
    for n, day in enumerate(days, 1):
        corpus.add_day(day, state.documents_of(day))
        release_freed_memory()
        show("duplicates", n, len(days))
    result = corpus.finish()
    summary.seconds["duplicates"] = time.perf_counter() - start
    start = time.perf_counter()
    stage = DayStage(state, out_dir, config, backends.router, result, embed,
                     lambda docs: embed_segments(docs, embedder), backends.generator, clock,
                     workers.event_pool())
    for n, day in enumerate(days, 1):
        stage.run_day(day)
        show("days", n, len(days))
    stage.finish()
    summary.seconds["days"] = time.perf_counter() - start
    summary.stage_seconds = clock.ordered()
    summary.encoder_seconds = getattr(embedder, "encoder_seconds", 0.0)
    summary.outputs = write_tables(state, out_dir)
    summary.documents = state.count()
    summary.statuses = dict(result.counts)
    summary.events = len(stage.stream.events)
    summary.days = len(stage.written)
    return summary


def write_tables(state: BatchState, out_dir: Path) -> list[Path]:
    """events.jsonl, events.parquet and errors.jsonl from the checkpoint, atomically."""
    rows = list(state.event_rows())
    lines = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows)
    written = [write_atomic(out_dir / "events.jsonl", lines)]
    written.append(_write_parquet(rows, out_dir / "events.parquet"))
    errors = "".join(json.dumps(p, ensure_ascii=False, sort_keys=True) + "\n"
                     for p in state.problems())
    written.append(write_atomic(out_dir / "errors.jsonl", errors))
    return written


def _write_parquet(rows: list[dict], path: Path) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    flat = [{**{k: v for k, v in r.items() if k != "title"},
             **{f"title_{lang}": text for lang, text in sorted(r["title"].items())}}
            for r in rows]
    table = pa.Table.from_pylist(flat) if flat else pa.table({"id": pa.array([], pa.string())})
    sink = pa.BufferOutputStream()  # written whole, then fsynced and renamed like the rest
    pq.write_table(table, sink)
    return write_atomic(path, sink.getvalue().to_pybytes())
