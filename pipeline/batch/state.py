"""The batch's checkpoint: one SQLite file (WAL) in the output folder.

What a rerun after `kill -9` must find is committed in one transaction with the work it
records, so nothing is half-recorded: processed documents (`docs`, written in chunks), the
problems met (`problems`), the days whose digest files are written (`days`, with the hash of
the JSON written) and the events table rows (`events`). A run with a different configuration
refuses the folder instead of mixing results (`fingerprint`).
"""

from __future__ import annotations

import json
import pickle
import sqlite3
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pipeline.corpus import day_of
from pipeline.ingest import Problem
from pipeline.model import Document

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS docs (id TEXT PRIMARY KEY, day TEXT NOT NULL, seq INTEGER NOT NULL,
                                 blob BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS docs_day ON docs (day, id);
CREATE TABLE IF NOT EXISTS problems (source TEXT NOT NULL, line INTEGER NOT NULL,
                                     message TEXT NOT NULL, fatal INTEGER NOT NULL,
                                     PRIMARY KEY (source, line, message));
CREATE TABLE IF NOT EXISTS days (day TEXT PRIMARY KEY, sha TEXT NOT NULL, events INTEGER);
CREATE TABLE IF NOT EXISTS events (id TEXT PRIMARY KEY, row TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sums (id TEXT PRIMARY KEY, blob BLOB NOT NULL);
"""


class FolderInUse(RuntimeError):
    """The output folder holds a batch run with another configuration."""


def _pack(doc: Document) -> bytes:
    """The document as the per-document stages left it (its terms included: both sweeps of
    the day stage read them), without its vector (the embedding cache has it)."""
    vector, doc.vector = doc.vector, None
    try:
        return zlib.compress(pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL), 3)
    finally:
        doc.vector = vector


def _unpack(blob: bytes) -> Document:
    return pickle.loads(zlib.decompress(blob))


class BatchState:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = sqlite3.connect(path)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)

    def close(self) -> None:
        self.db.close()

    # ------------------------------------------------------------------ configuration

    def claim(self, fingerprint: str) -> None:
        """Record the run's configuration, or refuse a folder made with another one."""
        row = self.db.execute("SELECT value FROM meta WHERE key='fingerprint'").fetchone()
        if row is None:
            with self.db:
                self.db.execute("INSERT INTO meta VALUES ('fingerprint', ?)", (fingerprint,))
        elif row[0] != fingerprint:
            raise FolderInUse(f"{self.path.parent} holds a batch made with another "
                              "configuration: use a new --out folder (or delete this one)")

    # ------------------------------------------------------------------ documents

    def known_ids(self) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT id FROM docs")}

    def add_documents(self, docs: Iterable[tuple[int, Document]],
                      problems: Iterable[Problem]) -> None:
        """One chunk of processed documents (with their input order) and its problems,
        committed together."""
        with self.db:
            self.db.executemany(
                "INSERT OR REPLACE INTO docs VALUES (?, ?, ?, ?)",
                [(d.id, day_of(d), seq, _pack(d))
                 for seq, d in docs])
            self.db.executemany("INSERT OR IGNORE INTO problems VALUES (?, ?, ?, ?)",
                                [(p.path, p.line or 0, p.message, int(p.fatal))
                                 for p in problems])

    def days(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT DISTINCT day FROM docs ORDER BY day")]

    def documents_of(self, day: str) -> list[Document]:
        rows = self.db.execute("SELECT blob FROM docs WHERE day=? ORDER BY id", (day,))
        return [_unpack(r[0]) for r in rows]

    def documents(self, ids: Iterable[str]) -> Iterator[Document]:
        for doc_id in ids:
            row = self.db.execute("SELECT blob FROM docs WHERE id=?", (doc_id,)).fetchone()
            if row is not None:
                yield _unpack(row[0])

    def count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM docs").fetchone()[0]

    def problems(self) -> list[dict[str, Any]]:
        rows = self.db.execute("SELECT source, line, message, fatal FROM problems "
                               "ORDER BY source, line, message")
        return [{"source": s, "line": line or None, "reason": m, "fatal": bool(f)}
                for s, line, m, f in rows]

    # ------------------------------------------------------------------ days and events

    def day_sha(self, day: str) -> str | None:
        row = self.db.execute("SELECT sha FROM days WHERE day=?", (day,)).fetchone()
        return row[0] if row else None

    def finish_day(self, day: str, sha: str, events: list[dict[str, Any]]) -> None:
        """The day's digest is on disk: record it and its events' rows together."""
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO days VALUES (?, ?, ?)",
                            (day, sha, len(events)))
            self.db.executemany("INSERT OR REPLACE INTO events VALUES (?, ?)",
                                [(e["id"], json.dumps(e, ensure_ascii=False, sort_keys=True))
                                 for e in events])

    def event_rows(self) -> Iterator[dict[str, Any]]:
        for (row,) in self.db.execute("SELECT row FROM events ORDER BY id"):
            yield json.loads(row)

    # ------------------------------------------------------------------ closed groups

    def put_sums(self, sums: dict[str, Any]) -> None:
        """Closed events' and stories' vector and term sums (`EventStream.retire`): read
        again only by the undated step. Rewritten by every rerun (the stream reruns)."""
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO sums VALUES (?, ?)", [
                (key, zlib.compress(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), 1))
                for key, value in sums.items()])

    def get_sums(self, key: str) -> Any:
        row = self.db.execute("SELECT blob FROM sums WHERE id=?", (key,)).fetchone()
        if row is None:
            raise KeyError(key)
        return pickle.loads(zlib.decompress(row[0]))

    def event_row(self, event_id: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT row FROM events WHERE id=?", (event_id,)).fetchone()
        return json.loads(row[0]) if row else None
