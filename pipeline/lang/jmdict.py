"""JMdict (jamdict's reader over the SQLite file jamdict-data ships): the one place that
opens it.

The ja → en gloss looks words and names up one query at a time (`lookup`, one reader per
thread: a jamdict reader holds its own SQLite connection, which a thread may not share);
the reverse (en → ja) gloss reads the whole file once into its index (`db_path`, and
`data_version` to key that index's cache).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

_LOCAL = threading.local()


def lookup(query: str, names: bool = False) -> Any:
    """jamdict's lookup result for `query`: `.entries` (words) or, with `names`, `.names`
    (JMnedict) too."""
    reader = getattr(_LOCAL, "reader", None)
    if reader is None:
        from jamdict import Jamdict

        reader = _LOCAL.reader = Jamdict()
    if names:
        return reader.lookup(query, lookup_chars=False)
    return reader.lookup(query, lookup_chars=False, lookup_ne=False)


def db_path() -> Path:
    """The SQLite file jamdict reads; jamdict-data ships it inside its package."""
    import jamdict_data

    return Path(jamdict_data.JAMDICT_DB_PATH)


def data_version() -> str:
    """The installed jamdict-data release ("unknown" outside an installed environment)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("jamdict-data")
    except PackageNotFoundError:
        return "unknown"
