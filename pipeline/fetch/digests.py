"""`newsdigest daily`: fetch, then the digest of what is new since the last digest.

"New" is counted in the store, not in dates: an article is new when it was first stored
after the previous digest was made (its `seq` is above the `store_seq` that digest
recorded), so an article published yesterday but first seen in a feed today is today's
news, and two runs a day never show the same article as new twice. The digest reads the
articles of the `context_days` before the new ones too: a story that goes on links to its
earlier articles, and is marked UPDATED against the previous digest (`pipeline.daily`).

Digests go to OUT/YYYY-MM-DD/ (a second run on one day: OUT/YYYY-MM-DD-2/ ...); the
previous digest is the one in OUT with the highest `store_seq`.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.config import Config
from pipeline.daily import Window
from pipeline.fetch.fetcher import FetchSummary, Progress, fetch
from pipeline.fetch.sources import Sources
from pipeline.fetch.store import ArticleStore, StoreSelection

CONTEXT_DAYS = 3  # days of earlier articles read beside the new ones
NEWS_DAYS = 7  # an article dated earlier than this is archive, even when first seen today


@dataclass
class PreviousRun:
    folder: Path
    store_seq: int


def previous_run(out_root: Path) -> PreviousRun | None:
    """The last digest `daily` wrote in `out_root` (highest store position), if any."""
    best: PreviousRun | None = None
    for path in sorted(Path(out_root).glob("*/digest.json")):
        try:
            window = json.loads(path.read_text("utf-8")).get("window") or {}
        except (OSError, ValueError, AttributeError):
            continue  # not ours, or damaged: never the base of a comparison
        seq = window.get("store_seq")
        if isinstance(seq, int) and (best is None or seq >= best.store_seq):
            best = PreviousRun(path.parent, seq)
    return best


def digest_folder(out_root: Path, day: dt.date) -> Path:
    """OUT/YYYY-MM-DD, or OUT/YYYY-MM-DD-N for the Nth run of that day."""
    folder = Path(out_root) / day.isoformat()
    n = 2
    while (folder / "digest.json").exists():
        folder = Path(out_root) / f"{day.isoformat()}-{n}"
        n += 1
    return folder


@dataclass
class DailyResult:
    fetched: FetchSummary
    folder: Path
    previous: Path | None
    new_documents: int
    run: Any  # pipeline.run.RunResult


def daily_digest(sources: Sources, store_dir: Path, out_root: Path, config: Config,
                 today: dt.date | None = None, progress: Progress | None = None,
                 transport: Any = None, show_progress: bool = False,
                 context_days: int = CONTEXT_DAYS) -> DailyResult:
    """Fetch every feed into the store, then write the digest of the new articles."""
    from pipeline.run import run

    today = today or dt.date.today()
    store = ArticleStore(store_dir)
    try:
        fetched = fetch(sources, store, progress, transport)
        before = previous_run(out_root)
        seq = store.last_seq()
        if before is not None:
            fresh = store.ids_after(before.store_seq, today - dt.timedelta(days=NEWS_DAYS))
            since_text = f"the digest in {before.folder.name}/"
        else:  # the first digest: what was published yesterday and today
            fresh = store.ids_in_days(today - dt.timedelta(days=1), today)
            since_text = f"{(today - dt.timedelta(days=1)).isoformat()} (first digest)"
        first_day = store.first_day(fresh) or today
    finally:
        store.close()
    selection = StoreSelection(Path(store_dir), since=first_day - dt.timedelta(days=context_days))
    window = Window(fresh=frozenset(fresh), fresh_since=since_text, store_seq=seq)
    folder = digest_folder(out_root, today)
    result = run([selection], config, out_dir=folder, show_progress=show_progress,
                 window=window, previous=before.folder if before else None)
    return DailyResult(fetched, folder, before.folder if before else None, len(fresh), result)
