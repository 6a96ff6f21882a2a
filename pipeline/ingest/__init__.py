"""Ingest stage: files, folders, globs and archives in, `Document`s and a list of problems out.

Everything a user can hand the pipeline (a folder of scraped pages, a JSONL export, a
half-downloaded file in GBK) must either become a Document or one clear problem line; one
bad input never stops the others, and nothing here raises for bad content.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.fetch.store import StoreSelection
from pipeline.ingest.dates import DateMention, find_dates, parse_date
from pipeline.ingest.encoding import Decoded, UndecodableError, decode_bytes
from pipeline.ingest.readers import MAX_FILE_MB, SUPPORTED_SUFFIXES, Problem
from pipeline.ingest.stream import iter_inputs
from pipeline.model import Document

__all__ = [
    "SUPPORTED_SUFFIXES",
    "DateMention",
    "Decoded",
    "IngestResult",
    "Problem",
    "UndecodableError",
    "decode_bytes",
    "find_dates",
    "parse_date",
    "read_inputs",
]


@dataclass
class IngestResult:
    """Documents in input order, and every problem met (fatal = that input was skipped)."""

    documents: list[Document] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def fatal(self) -> list[Problem]:
        return [p for p in self.problems if p.fatal]


def read_inputs(paths: Sequence[str | Path | StoreSelection], max_mb: float = MAX_FILE_MB) -> IngestResult:
    """Read files, folders, globs and archives (JSONL(.gz), CSV(.gz), Parquet, saved HF
    datasets) into Documents, collecting problems: the streamed reader `newsdigest batch`
    uses (`pipeline.ingest.stream`), gathered into one list for a run.

    Ids are file stems or record ids; a repeated id gets a ``~2`` (``~3``...) suffix and a
    warning, because later stages key everything (citations, events) by document id.
    """
    result = IngestResult()
    for item in iter_inputs(paths, max_mb):
        result.problems.extend(item.problems)
        if item.document is not None:
            result.documents.append(item.document)
    return result
