"""Ingest stage: files and directories in, `Document`s and a list of problems out.

Everything a user can hand the pipeline (a folder of scraped pages, a JSONL export, a
half-downloaded file in GBK) must either become a Document or one clear problem line; one
bad input never stops the others, and nothing here raises for bad content.
"""

from __future__ import annotations

import os
from collections.abc import Container, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.ingest.dates import DateMention, find_dates, parse_date
from pipeline.ingest.encoding import Decoded, UndecodableError, decode_bytes
from pipeline.ingest.readers import MAX_FILE_MB, SUPPORTED_SUFFIXES, Problem, read_file
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


def _walk(directory: Path) -> list[Path]:
    """Supported, non-hidden files under `directory`, in a platform-independent order.

    Sorting by path components (not by os.walk order, which depends on the file system)
    makes document order, and so digest output, reproducible.
    """
    found: list[Path] = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if not name.startswith(".") and Path(name).suffix.lower() in SUPPORTED_SUFFIXES:
                found.append(Path(root) / name)
    return sorted(found, key=lambda p: p.relative_to(directory).parts)


def _files_for(arg: str | Path, problems: list[Problem]) -> list[Path]:
    """One input argument to the files it names (problems for missing/empty inputs)."""
    path = Path(arg)
    if path.is_dir():
        found = _walk(path)
        if not found:
            expected = " ".join(SUPPORTED_SUFFIXES)
            problems.append(Problem(str(path), None, f"no {expected} files found", True))
        return found
    if path.is_file():
        return [path]  # named explicitly: even hidden or unsupported files get a verdict
    problems.append(Problem(str(arg), None, "no such file or directory", True))
    return []


def _unique_id(doc_id: str, taken: Container[str]) -> str:
    """First free ``id~N`` (N >= 2): stable, readable, and clearly derived from the original."""
    n = 2
    while f"{doc_id}~{n}" in taken:
        n += 1
    return f"{doc_id}~{n}"


def read_inputs(paths: Sequence[str | Path], max_mb: float = MAX_FILE_MB) -> IngestResult:
    """Read files and directories (recursively) into Documents, collecting problems.

    Ids are file stems or JSONL ids; a repeated id gets a ``~2`` (``~3``...) suffix and a
    warning, because later stages key everything (citations, events) by document id.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]  # one path, not a sequence of one-character paths
    result = IngestResult()
    taken: dict[str, str] = {}  # id -> source that claimed it
    seen: set[Path] = set()  # a file named twice (directly and via its folder) is read once
    files = (file for arg in paths for file in _files_for(arg, result.problems))
    for file in files:
        if file.resolve() in seen:
            continue
        seen.add(file.resolve())
        display = str(file)
        try:
            read = read_file(file, display, max_mb)
        except Exception as err:  # noqa: BLE001 - a reader bug must not lose the whole batch
            message = f"could not read ({type(err).__name__}: {err}), skipped"
            result.problems.append(Problem(display, None, message, True))
            continue
        result.problems.extend(read.problems)
        for doc, line in read.documents:
            if doc.id in taken:
                new_id = _unique_id(doc.id, taken)
                message = f"duplicate id '{doc.id}' (also in {taken[doc.id]}), renamed '{new_id}'"
                doc.id = new_id
                doc.warnings.append(message)
                result.problems.append(Problem(display, line, message, False))
            taken[doc.id] = doc.source
            result.documents.append(doc)
    return result
