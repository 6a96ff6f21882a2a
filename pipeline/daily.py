"""The daily digest: which events a run reports (`--date`, `--since`), in what order, and what
is new since an earlier digest (`--previous`). Rules in docs/daily.md.

Clustering always runs over every input document, so an article from the day before still
links today's articles into one event; this module then chooses among the finished events,
before any sentence is embedded, summarised or translated (what is left out costs nothing).

- Window: an event is in it when any of its documents or copies is dated inside it. An event
  with no dated document or copy is left out of a bounded window (reason `undated`), and so
  is an event whose dates all fall outside it (`outside-window`); both are listed with their
  documents under `window.left_out` in the JSON, never dropped silently.
- Rank: more independent sources first, then the latest date inside the window (newer
  first, undated last), then more documents and copies, then the event id.
- Status against a previous digest: `new` when none of the event's documents or copies was
  in any event of that digest, `updated` when some were (`new_documents` lists the others),
  `seen` when all were.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.cluster import AFTER_WINDOW
from pipeline.model import SCHEMA, Document, Event

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")

RULES: dict[str, str] = {
    "window": "an event is in the window when any of its documents or copies is dated inside "
              "it (start and end included); clustering ran over every input document",
    "undated": "an event with no dated document or copy is left out of a --date or --since "
               "window and listed here; run without a window (e.g. with --previous alone) to "
               "see undated feeds",
    "ranking": "more independent sources first, then the latest date inside the window "
               "(newer first, undated last), then more documents and copies, then the id",
    "not_clustered": "with a window that ends (--date), documents dated after its end and "
                     "undated ones are not clustered: the window's events as known at its "
                     "end, the same as that day's digest from `newsdigest batch`",
    "status": "against the previous digest: new (none of its documents or copies was in any "
              "of its events), updated (some were; new_documents lists the others), seen "
              "(all were)",
}

RULES_NEW = ("newsdigest daily: an event is shown when one of its documents or copies was "
             "stored after the previous digest was made (new_documents of them); the "
             "articles of the days before are read too, so a story that goes on links to "
             "its earlier articles and is marked updated")

UNDATED = "undated"
OUTSIDE = "outside-window"
NOTHING_NEW = "no-new-article"


class PreviousDigestError(ValueError):
    """The --previous file cannot be used; the message says why, in one line."""


# --------------------------------------------------------------------------- window


def parse_day(text: str, today: dt.date | None = None) -> dt.date:
    """`YYYY-MM-DD`, or `today` / `yesterday` (local date); ValueError with a clear message."""
    value = text.strip().lower()
    today = today or dt.date.today()
    if value == "today":
        return today
    if value == "yesterday":
        return today - dt.timedelta(days=1)
    if not _ISO_DAY.fullmatch(value):
        raise ValueError(f"not a date: {text!r} (expected YYYY-MM-DD, today or yesterday)")
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"not a date: {text!r} ({exc})") from None


@dataclass(frozen=True)
class Window:
    """Days whose events a digest reports, both ends included; None: open on that side.

    `fresh` (from `newsdigest daily`): the documents new since the previous digest; an
    event is then in the window only when one of its documents or copies is among them,
    whatever its dates. `store_seq` is the article store's position those came up to."""

    start: dt.date | None = None
    end: dt.date | None = None
    fresh: frozenset[str] | None = None
    fresh_since: str | None = None  # what "new" is counted from, for the header
    store_seq: int | None = None

    def __post_init__(self) -> None:
        if self.start and self.end and self.start > self.end:
            raise ValueError(f"window starts {self.start} after it ends {self.end}")

    @classmethod
    def of(cls, date: dt.date | None = None, since: dt.date | None = None) -> Window:
        """`--date D` (that day) or `--since D` (D and later); neither: every event."""
        if date and since:
            raise ValueError("give --date or --since, not both")
        return cls(date, date) if date else cls(since, None)

    @property
    def bounded(self) -> bool:
        return self.start is not None or self.end is not None or self.fresh is not None

    def contains(self, day: dt.date) -> bool:
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)

    def describe(self) -> str:
        """`events of 2025-06-08`, `events since 2025-06-08`, ... (the digest header)."""
        if self.fresh is not None:
            return f"events with articles new since {self.fresh_since or 'the last digest'}"
        return describe_window(_iso(self.start), _iso(self.end))


def describe_window(start: str | None, end: str | None) -> str:
    """The header phrase for a window given as ISO strings (as the JSON holds it)."""
    if start and start == end:
        return f"events of {start}"
    if start and end:
        return f"events from {start} to {end}"
    if start:
        return f"events since {start}"
    if end:
        return f"events up to {end}"
    return "all events"


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def event_members(event: Event) -> list[str]:
    """Every document the event stands for: clustered documents, then copies folded in."""
    return list(dict.fromkeys([*event.documents, *event.copies]))


def event_dates(event: Event, docs: Mapping[str, Document]) -> list[dt.date]:
    """The dates of the event's documents and copies, oldest first (undated ones skipped)."""
    return sorted({d.date for m in event_members(event) if (d := docs.get(m)) and d.date})


def in_window(event: Event, docs: Mapping[str, Document], window: Window | None) -> bool:
    """True when any document or copy of the event is dated inside the window.

    No window (or an open one) keeps every event; a bounded window leaves undated events out.
    """
    if window is None or not window.bounded:
        return True
    if window.fresh is not None:
        return any(member in window.fresh for member in event_members(event))
    return any(window.contains(day) for day in event_dates(event, docs))


def recency(event: Event, docs: Mapping[str, Document],
            window: Window | None = None) -> dt.date | None:
    """The latest date of the event inside the window (a later article is not today's news)."""
    days = [d for d in event_dates(event, docs) if window is None or window.contains(d)]
    return days[-1] if days else None


def rank_events(events: Iterable[Event], docs: Mapping[str, Document],
                window: Window | None = None) -> list[Event]:
    """Events in rank order, `Event.rank` set from 1: independent sources (more first), latest
    date in the window (newer first, undated last), documents and copies (more first), id."""

    def key(event: Event) -> tuple:
        latest = recency(event, docs, window)
        return (-event.independent_sources, latest is None,
                -(latest.toordinal() if latest else 0),
                -len(event_members(event)), event.id)

    ranked = sorted(events, key=key)
    for rank, event in enumerate(ranked, 1):
        event.rank = rank
    return ranked


# --------------------------------------------------------------------------- previous digest


@dataclass
class PreviousDigest:
    """What an earlier digest showed: the documents of its events, by event."""

    path: str
    event_of: dict[str, str] = field(default_factory=dict)  # document or copy id -> event id
    events: int = 0
    window: dict[str, Any] | None = None
    generated: str | None = None

    def describe(self) -> dict[str, Any]:
        out: dict[str, Any] = {"path": self.path, "events": self.events}
        if self.window and (self.window.get("start") or self.window.get("end")):
            out["window"] = {"start": self.window.get("start"), "end": self.window.get("end")}
        if self.generated:
            out["generated"] = self.generated
        return out


def _ids(value: Any) -> list[str] | None:
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        return None
    return value


def previous_from_dict(data: Any, path: str) -> PreviousDigest:
    """Check a parsed digest.json and keep what status marking needs."""
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        schema = data.get("schema") if isinstance(data, dict) else None
        found = f"schema {schema!r}" if schema else "no schema key"
        raise PreviousDigestError(f"--previous {path}: not a newsdigest digest ({found}, "
                                  f"expected {SCHEMA!r})")
    events = data.get("events")
    if not isinstance(events, list):
        raise PreviousDigestError(f"--previous {path}: malformed digest: no events list")
    previous = PreviousDigest(path, events=len(events))
    for i, event in enumerate(events):
        members = _ids(event.get("documents")) if isinstance(event, dict) else None
        copies = _ids(event.get("copies") or []) if isinstance(event, dict) else None
        if members is None or copies is None or not isinstance(event.get("id"), str):
            raise PreviousDigestError(f"--previous {path}: malformed digest: events[{i}] needs "
                                      "an id and lists of document ids")
        for doc_id in [*members, *copies]:
            previous.event_of.setdefault(doc_id, event["id"])
    window = data.get("window")
    previous.window = window if isinstance(window, dict) else None
    generated = data.get("generated")
    previous.generated = generated if isinstance(generated, str) else None
    return previous


def load_previous(path: str | Path) -> PreviousDigest:
    """Read an earlier digest.json (or the digest.json inside a folder); PreviousDigestError,
    one line, for a missing, unreadable, non-JSON or non-digest file."""
    path = Path(path)
    if path.is_dir():
        path = path / "digest.json"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PreviousDigestError(f"--previous {path}: no such file") from None
    except UnicodeDecodeError:
        raise PreviousDigestError(f"--previous {path}: not UTF-8 text, not a digest.json") from None
    except OSError as exc:
        raise PreviousDigestError(f"--previous {path}: cannot read it "
                                  f"({exc.strerror or exc})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PreviousDigestError(f"--previous {path}: not valid JSON (line {exc.lineno}: "
                                  f"{exc.msg})") from None
    return previous_from_dict(data, str(path))


def mark_status(events: Iterable[Event], previous: PreviousDigest) -> None:
    """`status`, `new_documents` and `previous_events` on each event (see the module rules)."""
    for event in events:
        members = event_members(event)
        event.new_documents = [m for m in members if m not in previous.event_of]
        event.previous_events = sorted({previous.event_of[m] for m in members
                                        if m in previous.event_of})
        if len(event.new_documents) == len(members):
            event.status = "new"
        elif event.new_documents:
            event.status = "updated"
        else:
            event.status = "seen"


# --------------------------------------------------------------------------- the run's hook


def select_events(events: Sequence[Event], docs: Mapping[str, Document],
                  window: Window | None = None, previous: PreviousDigest | None = None,
                  ) -> tuple[list[Event], dict[str, Any], list[str]]:
    """The events to summarise in rank order, the JSON `window` report, and notices.

    Called after clustering and before summaries: events left out are not summarised.
    """
    window = window or Window()
    kept: list[Event] = []
    left_out: list[dict[str, Any]] = []
    for event in events:
        if in_window(event, docs, window):
            kept.append(event)
            continue
        dates = event_dates(event, docs)
        reason = NOTHING_NEW if window.fresh is not None else OUTSIDE if dates else UNDATED
        left_out.append({
            "event": event.id,
            "reason": reason,
            "dates": [dates[0].isoformat(), dates[-1].isoformat()] if dates else [],
            "documents": list(event.documents),
            "copies": list(event.copies),
            "independent_sources": event.independent_sources,
        })
    ranked = rank_events(kept, docs, window)
    if previous is not None:
        mark_status(ranked, previous)
    reasons = [entry["reason"] for entry in left_out]
    later = sorted(d.id for d in docs.values() if d.cluster_status == AFTER_WINDOW)
    report: dict[str, Any] = {
        "start": _iso(window.start),
        "end": _iso(window.end),
        "label": window.describe(),
        "events_in_run": len(events),
        "events_kept": len(ranked),
        "events_left_out": {UNDATED: reasons.count(UNDATED), OUTSIDE: reasons.count(OUTSIDE),
                            **({NOTHING_NEW: reasons.count(NOTHING_NEW)}
                               if window.fresh is not None else {})},
        "left_out": left_out,
        "not_clustered": later,
        "previous": previous.describe() if previous else None,
        "status_counts": ({s: sum(e.status == s for e in ranked)
                           for s in ("new", "updated", "seen")} if previous else None),
        "rules": dict(RULES),
    }
    if window.fresh is not None:
        report.update(new_documents=len(window.fresh), new_since=window.fresh_since,
                      store_seq=window.store_seq)
        report["rules"]["new"] = RULES_NEW
    notices = []
    undated = reasons.count(UNDATED)
    if undated:
        notices.append(f"{_count(undated, 'undated event')} left out of the window "
                       f"({window.describe()}): none of {'their' if undated > 1 else 'its'} "
                       "articles carries a date; listed under window.left_out in digest.json")
    if later:
        notices.append(f"{_count(len(later), 'document')} dated after {_iso(window.end)} or "
                       "undated not clustered: a window that ends shows its events as known at "
                       "its end; listed under window.not_clustered in digest.json")
    if window.fresh is not None and not ranked:
        notices.append(f"no event with a new article ({window.describe()}): "
                       f"{_count(len(window.fresh), 'new article')}, "
                       f"{_count(len(events), 'event')} in the input")
    elif window.bounded and not ranked:
        notices.append(f"no event in the window ({window.describe()}): of "
                       f"{_count(len(events), 'event')} in the input, {undated} undated and "
                       f"{reasons.count(OUTSIDE)} dated outside it")
    return ranked, report, notices


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
