"""Where derived data lives between runs: $NEWSDIGEST_CACHE or ~/.cache/newsdigest."""

from __future__ import annotations

import hashlib
import os
import pickle
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def cache_dir() -> Path:
    env = os.environ.get("NEWSDIGEST_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "newsdigest"


def cached(key: str, build: Callable[[], T]) -> T:
    """Load `key` from the cache dir or build and store it (atomically; best effort).

    The key must name every input version (dictionary package, schema), so an upgrade
    rebuilds; a read-only or broken cache only costs the build time.
    """
    path = cache_dir() / f"{key}.pickle"
    try:
        with path.open("rb") as fh:
            return pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
        pass
    value = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass
    return value


def text_key(text: str) -> str:
    """The hash persistent caches key texts by."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def open_store(path: Path, schema: str) -> sqlite3.Connection:
    """A SQLite cache file (WAL, so a killed run leaves it readable) with its table created."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute(schema)
    return db
