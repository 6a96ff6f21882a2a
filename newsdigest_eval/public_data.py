"""Public test sets read through HF `datasets`, offline, plus the pipeline plumbing suites share.

`datasets` gives typed, streamed loading of the local line-aligned files: a `--limit` run reads
only the first rows, and nothing is ever fetched from a hub (offline is forced before import).
The helpers below run the pipeline's own stages in `pipeline.run`'s order, so the suites
measure the code the CLI runs, not a copy of it.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from pipeline.cluster import duplicate_root
from pipeline.cluster.features import EMBED_CHARS
from pipeline.config import Config
from pipeline.embed import Embedder
from pipeline.model import Document, Event
from pipeline.paths import evaldata_dir
from pipeline.run import EMBED_BATCH, embed_documents, process_documents

Progress = Callable[[str, int, int], None] | None

ECBPLUS_FIELDS = ("id", "topic", "subtopic", "corpus", "doc_id", "url", "text")


def report(progress: Progress, label: str, done: int, total: int) -> None:
    if progress is not None:
        progress(label, done, total)


def evaldata_folder(name: str) -> Path:
    """`<evaldata>/<name>`, or FileNotFoundError naming where it was looked for."""
    folder = evaldata_dir() / name
    if not folder.is_dir():
        raise FileNotFoundError(
            f"evaluation data {folder} not found (set $NEWSDIGEST_EVALDATA to its parent folder)"
        )
    return folder


def _datasets() -> Any:
    """Import `datasets` with the hub switched off, whatever the environment said."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["HF_DATASETS_OFFLINE"] = "1"
    import datasets

    datasets.config.HF_HUB_OFFLINE = True  # in case it was imported before the lines above
    return datasets


def read_lines(path: Path, limit: int | None) -> list[str]:
    """The first `limit` lines of a line-aligned text file (all when None), streamed."""
    ds = _datasets()
    stream = ds.load_dataset(
        "text", data_files=str(path), split="train", streaming=True,
        features=ds.Features({"text": ds.Value("string")}),
    )
    rows = stream if limit is None else stream.take(limit)
    return [row["text"] for row in rows]


def read_ecbplus(limit: int | None = None) -> list[dict[str, Any]]:
    """ECB+ articles in file order (topic, document number, ecb before ecbplus)."""
    ds = _datasets()
    path = evaldata_folder("ecbplus-event-clusters") / "articles.jsonl"
    features = ds.Features({
        **{name: ds.Value("string") for name in ECBPLUS_FIELDS},
        "n_sentences": ds.Value("int64"),
        "n_tokens": ds.Value("int64"),
    })
    stream = ds.load_dataset("json", data_files=str(path), split="train", streaming=True,
                             features=features)
    rows = stream if limit is None else stream.take(limit)
    return [dict(row) for row in rows]


# ------------------------------------------------------------------ pipeline plumbing


def process_all(docs: Sequence[Document], config: Config, progress: Progress,
                label: str) -> tuple[list[Document], list[str]]:
    """Per-document stages as `run` does them (a process pool for large sets); a document
    that fails is reported and dropped."""
    return process_documents(docs, config,
                             tick=lambda done: report(progress, label, done, len(docs)))


def embed_all(docs: Sequence[Document], embedder: Embedder, progress: Progress, label: str,
              chars: int = EMBED_CHARS, chunk: int = EMBED_BATCH) -> None:
    """`embed_documents` one batch at a time, so progress can be shown; `chars` is the
    configured budget (`Config.embed_chars`)."""
    for start in range(0, len(docs), chunk):
        embed_documents(list(docs[start : start + chunk]), embedder, show=False, chars=chars)
        report(progress, label, min(start + chunk, len(docs)), len(docs))


def resolved_events(docs: Sequence[Document], events: Iterable[Event]) -> dict[str, str]:
    """Each document's event; a duplicate takes the event of the copy that was kept.

    Duplicates are not clustered (they never reach `cluster_documents`), but a reader sees
    them under their original's event, so that is where they are scored. A kept document in
    no event (no vectors) is its own singleton.
    """
    event_of = {doc_id: event.id for event in events for doc_id in event.documents}
    by_id = {d.id: d for d in docs}
    out = {}
    for doc in docs:
        root = duplicate_root(doc, by_id)
        out[doc.id] = event_of.get(root.id, f"alone:{root.id}")
    return out


def duplicate_pairs(docs: Sequence[Document]) -> set[tuple[str, str]]:
    """Unordered pairs (sorted tuples) of documents that share a kept copy: the closure.

    Marking is a chain (b→a, c→a), but b and c are then duplicates of each other too.
    """
    by_id = {d.id: d for d in docs}
    groups: dict[str, list[str]] = {}
    for doc in docs:
        groups.setdefault(duplicate_root(doc, by_id).id, []).append(doc.id)
    return {tuple(sorted(pair)) for members in groups.values()
            for pair in itertools.combinations(members, 2)}  # type: ignore[misc]


def same_label_pairs(labels: dict[str, str]) -> set[tuple[str, str]]:
    """Unordered pairs (sorted tuples) of items with the same label."""
    groups: dict[str, list[str]] = {}
    for item, label in labels.items():
        groups.setdefault(label, []).append(item)
    return {tuple(sorted(pair)) for members in groups.values()
            for pair in itertools.combinations(members, 2)}  # type: ignore[misc]
