"""Where the per-document stages of a batch run: this machine's processes, or Ray.

Both engines take a chunk of documents and return them processed, in the same order, with
a problem line for each one that failed: the checkpoint, the day stage and every output are
the same whichever ran (tested). `local` is a pool of processes (one per core) forked when
the batch starts, before this process loads anything: the per-document tools (~850 MB) live
in the workers only and leave with them, so the day stage does not carry them. `ray` is Ray
Data: the chunk becomes a dataset whose rows are pickled documents, `map_batches` runs them
through an actor pool whose actors hold the loaded tools (spaCy pipelines, lingua, jieba,
SudachiPy, the glossary), and the order is preserved. `ray.init()`
joins the cluster named by RAY_ADDRESS, or starts a local one with one CPU per core.
Each engine also holds the day stage's event pool (`pipeline.event_pool`): a day's events
are summarised and framed on every core (local: processes forked with the document workers;
Ray: one actor per CPU of the cluster). The rest of the day stage (copies, embeddings,
clustering, ranking, writing) stays on the driver: each day depends on the ones before.
"""

from __future__ import annotations

import functools
import logging
import multiprocessing
import os
import pickle
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from pipeline.config import Config
from pipeline.event_pool import EventPool, LocalEventPool, RayEventPool
from pipeline.machine import available_cores, one_thread_per_worker
from pipeline.model import Document
from pipeline.run import POOL_CHUNK, _process_or_report, process_documents, worker_count

ENGINES = ("local", "ray")
RAY_BATCH = 16  # documents per map_batches call


class Engine(Protocol):
    name: str
    chunk: int  # documents per call: the start cost of the workers is paid per call

    def process(self, docs: Sequence[Document]) -> tuple[list[Document], list[str]]: ...

    def documents_done(self) -> None:
        """No more `process` calls: the document workers (and their tools) may go."""

    def event_pool(self) -> EventPool | None:
        """Where the day stage's events run (None: in the driver, one at a time)."""

    def close(self) -> None: ...


class LocalEngine:
    name, chunk = "local", 1000

    def __init__(self, config: Config, router_cache: Path | None = None) -> None:
        self.config = config
        workers = worker_count(config)
        forks = workers > 1 and "fork" in multiprocessing.get_all_start_methods()
        self._pool = multiprocessing.get_context("fork").Pool(
            workers, initializer=one_thread_per_worker) if forks else None
        # forked now too, before the driver loads its embedder
        self._events = LocalEventPool(config, router_cache, workers) if forks else None

    def process(self, docs: Sequence[Document]) -> tuple[list[Document], list[str]]:
        if self._pool is None:
            return process_documents(list(docs), self.config)
        results = self._pool.map(functools.partial(_process_or_report, config=self.config),
                                 docs, chunksize=POOL_CHUNK)
        return [d for d, _ in results if d is not None], [p for _, p in results if p]

    def documents_done(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
            self._pool = None
            if self._events is not None:  # loading their tools while the copies are found
                self._events.warm()

    def event_pool(self) -> EventPool | None:
        return self._events

    def close(self) -> None:
        self.documents_done()
        if self._events is not None:
            self._events.close()
            self._events = None


class _DocumentActor:
    """One Ray actor: the per-document stages with tools loaded once per actor."""

    def __init__(self, config: Config) -> None:
        one_thread_per_worker()
        self.config = config

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, Any]:
        blobs, problems = [], []
        for blob in batch["blob"]:
            doc, problem = _process_or_report(pickle.loads(blob), self.config)
            blobs.append(pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL) if doc else b"")
            problems.append(problem or "")
        return {"seq": batch["seq"], "blob": np.array(blobs, dtype=object),
                "problem": np.array(problems, dtype=object)}


class RayEngine:
    name, chunk = "ray", 5000  # actors load their tools once per chunk: make chunks long

    def __init__(self, config: Config, router_cache: Path | None = None) -> None:
        try:
            import ray
            import ray.data
        except ImportError as exc:
            raise ValueError("--engine ray needs Ray Data: pip install 'newsdigest[ray]'") \
                from exc
        self.config = config
        self._ray = ray
        self._started = not ray.is_initialized()
        if self._started:
            os.environ.setdefault("RAY_AUTH_MODE", "disabled")  # no token in the home folder
            quiet = {"log_to_driver": False, "logging_level": logging.WARNING}
            if os.environ.get("RAY_ADDRESS"):
                ray.init(**quiet)  # an existing cluster
            else:
                ray.init(num_cpus=available_cores(), include_dashboard=False, **quiet)
        context = ray.data.DataContext.get_current()
        context.execution_options.preserve_order = True
        context.enable_progress_bars = False  # the batch shows its own
        logging.getLogger("ray.data").setLevel(logging.WARNING)
        self.actors = max(1, worker_count(config)) if not os.environ.get("RAY_ADDRESS") \
            else max(1, int(ray.cluster_resources().get("CPU", 1)))
        self._router_cache = router_cache
        self._events: RayEventPool | None = None

    def process(self, docs: Sequence[Document]) -> tuple[list[Document], list[str]]:
        if not docs:
            return [], []
        ray = self._ray
        items = [{"seq": i, "blob": pickle.dumps(d, protocol=pickle.HIGHEST_PROTOCOL)}
                 for i, d in enumerate(docs)]
        dataset = ray.data.from_items(items).map_batches(
            _DocumentActor, fn_constructor_kwargs={"config": self.config},
            compute=ray.data.ActorPoolStrategy(size=min(self.actors, len(docs))),
            batch_size=RAY_BATCH)
        rows = sorted(dataset.iter_rows(), key=lambda r: r["seq"])
        kept = [pickle.loads(r["blob"]) for r in rows if r["blob"]]
        return kept, [r["problem"] for r in rows if r["problem"]]

    def documents_done(self) -> None:
        pass  # Ray Data's actors leave with each dataset

    def event_pool(self) -> EventPool | None:
        if self._events is None and self.actors > 1:
            self._events = RayEventPool(self.config, self._router_cache, self.actors)
        return self._events

    def close(self) -> None:
        if self._events is not None:
            self._events.close()
            self._events = None
        if self._started:
            self._ray.shutdown()


def make_engine(name: str, config: Config, router_cache: Path | None = None) -> Engine:
    """`router_cache`: the translation cache the event pool's routers share (the batch's)."""
    if name == "local":
        return LocalEngine(config, router_cache)
    if name == "ray":
        return RayEngine(config, router_cache)
    raise ValueError(f"unknown engine {name!r}; use {' or '.join(ENGINES)}")
