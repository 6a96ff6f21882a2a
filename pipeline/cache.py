"""Where derived data lives between runs: $NEWSDIGEST_CACHE or ~/.cache/newsdigest."""

from __future__ import annotations

import os
import pickle
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
