"""Hand-written references for the seed articles, and helpers to line them up with a run.

The references in `eval/references/` were written by reading `seeds/`, never from pipeline
output, so a digest can be scored against them: event grouping (`seed_events.toml`), summaries
and atomic facts (`seed_summaries.toml`), per-line language/role labels, repeated lines and
dates (`seed_documents.toml`). Quotes and labels point at the seed text itself (substrings and
`nl -ba` line numbers), not at segments, so they survive any change to segmentation;
`locate_quote`, `line_spans` and `line_of_span` turn them into character offsets, the unit of
`Segment.start`/`end`.
"""

from __future__ import annotations

import bisect
import datetime as dt
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.model import Role
from pipeline.paths import project_root


def default_folder() -> Path:
    return project_root() / "eval" / "references"


def seeds_folder() -> Path:
    return project_root() / "seeds"
LANGS: frozenset[str] = frozenset({"en", "zh", "ja", "ko", "und"})
ROLES: frozenset[str] = frozenset({"title", "body", "boilerplate", "related"})


@dataclass(frozen=True)
class Source:
    """Where a fact is stated: a verbatim quote (whitespace-normalised) from one seed."""

    document: str
    quote: str


@dataclass(frozen=True)
class Fact:
    """One atomic statement a good summary of the event could make.

    `numbers` are digit amounts written as in the source (`"$12 billion"`, `"80%"`);
    `entities` name the main actor or place (any one mentioned counts); `keywords` are
    lowercase content words. An entity or keyword may list aliases separated by `|`, Chinese
    included (`"Project Vault|金库计划"`), so one fact scores an en and a zh summary alike
    (see `newsdigest_eval.metrics.fact_stated`).
    """

    id: str
    text: str
    numbers: tuple[str, ...]
    entities: tuple[str, ...]
    keywords: tuple[str, ...]
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Summary:
    """Reference summary in English and its human Chinese rendering; `summary["zh"]` works."""

    en: str
    zh: str

    def __getitem__(self, lang: str) -> str:
        if lang not in ("en", "zh"):
            raise KeyError(lang)
        return getattr(self, lang)


@dataclass(frozen=True)
class EventRef:
    """One reference event: its member documents, why they belong together, what to say."""

    name: str
    documents: tuple[str, ...]
    summary: Summary
    facts: tuple[Fact, ...]
    why: str = ""


@dataclass(frozen=True)
class LineLabel:
    """Language and role of one non-empty source line (1-based, as `nl -ba` numbers it).

    `starts` is the beginning of the stripped line, kept so a changed seed is caught;
    `note` explains a judgement call.
    """

    number: int
    lang: str
    role: Role
    note: str | None = None
    starts: str = ""


@dataclass(frozen=True)
class DocumentRef:
    """Per-line labels of one seed document, and its repeated lines `(line, earlier_line)`."""

    id: str
    lines: tuple[LineLabel, ...]
    duplicates_within: tuple[tuple[int, int], ...] = ()

    def label(self, number: int) -> LineLabel | None:
        """The label of line `number`, or None for a blank (unlabelled) line."""
        return next((lab for lab in self.lines if lab.number == number), None)


@dataclass
class SeedReferences:
    """Everything in `eval/references/`, keyed for an evaluator."""

    events: list[EventRef]
    documents: dict[str, DocumentRef]
    duplicates_within: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    # ISO `YYYY-MM-DD`, the form digest.json uses; only documents whose date a reader can
    # establish from the text. `date_lines` says which line states it, `date_notes` why.
    dates: dict[str, str] = field(default_factory=dict)
    date_lines: dict[str, int] = field(default_factory=dict)
    date_notes: dict[str, str] = field(default_factory=dict)  # also for undated documents
    folder: Path = field(default_factory=default_folder)

    def event(self, name: str) -> EventRef:
        """The event called `name` (KeyError if there is none)."""
        for ev in self.events:
            if ev.name == name:
                return ev
        raise KeyError(name)


def _read(path: Path) -> dict:
    with path.open("rb") as fh:
        return tomllib.load(fh)


def ntrex_event_of(doc_ids: list[str], folder: Path | None = None) -> dict[str, str]:
    """Each NTREX version's hand-judged event (`ntrex_events.toml`): several outlets reported
    the same happening that weekend; an article listed nowhere is its own event."""
    folder = default_folder() if folder is None else Path(folder)
    grouping = _read(folder / "ntrex_events.toml")["event"]
    event_of = {article: e["name"] for e in grouping for article in e["documents"]}
    return {doc_id: event_of.get(doc_id.rsplit(".", 1)[0], doc_id.rsplit(".", 1)[0])
            for doc_id in doc_ids}


def _fact(raw: dict) -> Fact:
    return Fact(
        id=raw["id"],
        text=raw["text"],
        numbers=tuple(raw.get("numbers", ())),
        entities=tuple(raw.get("entities", ())),
        keywords=tuple(raw.get("keywords", ())),
        sources=tuple(Source(s["document"], s["quote"]) for s in raw.get("sources", ())),
    )


def load_references(folder: Path | None = None) -> SeedReferences:
    """Read the three TOML files of `folder` (default `<repo root>/eval/references`).

    Events come from seed_events.toml (the grouping is the anchor); summaries and facts are
    joined on the event `name`, so an event without a summary entry raises KeyError rather
    than silently scoring as empty.
    """
    folder = default_folder() if folder is None else Path(folder)
    grouping = _read(folder / "seed_events.toml")["event"]
    summaries = {e["name"]: e for e in _read(folder / "seed_summaries.toml")["event"]}
    events = []
    for raw in grouping:
        extra = summaries[raw["name"]]
        events.append(
            EventRef(
                name=raw["name"],
                documents=tuple(raw["documents"]),
                summary=Summary(en=extra["summary"]["en"], zh=extra["summary"]["zh"]),
                facts=tuple(_fact(f) for f in extra.get("fact", ())),
                why=" ".join(raw.get("why", "").split()),
            )
        )
    refs = SeedReferences(events=events, documents={}, folder=folder)
    for raw in _read(folder / "seed_documents.toml")["document"]:
        doc_id = raw["id"]
        labels = tuple(
            LineLabel(
                number=item["n"],
                lang=item["lang"],
                role=item["role"],
                note=item.get("note"),
                starts=item.get("starts", ""),
            )
            for item in raw["lines"]
        )
        dups = tuple((a, b) for a, b in raw.get("duplicates_within", ()))
        refs.documents[doc_id] = DocumentRef(id=doc_id, lines=labels, duplicates_within=dups)
        refs.duplicates_within[doc_id] = list(dups)
        if "date_note" in raw:
            refs.date_notes[doc_id] = raw["date_note"]
        if "date" in raw:
            refs.dates[doc_id] = dt.date.fromisoformat(raw["date"]).isoformat()  # validates
            refs.date_lines[doc_id] = raw["date_line"]
    return refs


def seed_text(doc_id: str, seeds: Path | None = None) -> str:
    """The seed file's text as the pipeline decodes it (plain UTF-8, so the file text)."""
    return ((seeds_folder() if seeds is None else seeds) / f"{doc_id}.txt").read_text("utf-8")


def _normalised(text: str) -> tuple[str, list[int]]:
    """`text` with whitespace runs collapsed to one space, plus each kept char's offset."""
    chars: list[str] = []
    offsets: list[int] = []
    in_space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            if not in_space:
                chars.append(" ")
                offsets.append(i)
            in_space = True
        else:
            chars.append(ch)
            offsets.append(i)
            in_space = False
    return "".join(chars), offsets


def locate_quote(doc_text: str, quote: str) -> tuple[int, int] | None:
    """Char offsets `(start, end)` in `doc_text` of the first match of `quote`, or None.

    Whitespace is normalised on both sides (any run, no-break spaces and newlines included,
    equals one space; the quote's ends are stripped), so a quote survives re-wrapping; the
    offsets are in the original text, the unit of `Segment.start`/`end`.
    """
    needle = " ".join(quote.split())
    if not needle:
        return None
    hay, offsets = _normalised(doc_text)
    i = hay.find(needle)
    if i < 0:
        return None
    return offsets[i], offsets[i + len(needle) - 1] + 1


def _raw_lines(doc_text: str) -> list[str]:
    """Lines split on `\\n` only, numbered as `nl -ba` does (no empty line after a final \\n)."""
    lines = doc_text.split("\n")
    if doc_text.endswith("\n"):
        lines.pop()
    return lines


def line_spans(doc_text: str) -> dict[int, tuple[int, int]]:
    """Line number (1-based) → `(start, end)` char offsets of that line, newline excluded.

    Every line is present, blank ones too, so any offset maps to a line; a trailing `\\r` is
    left out of the span.
    """
    spans: dict[int, tuple[int, int]] = {}
    pos = 0
    for n, raw in enumerate(_raw_lines(doc_text), 1):
        end = pos + len(raw)
        spans[n] = (pos, end - 1 if raw.endswith("\r") else end)
        pos = end + 1
    return spans


def content_lines(doc_text: str) -> dict[int, str]:
    """Line number → stripped text, for the non-empty lines (the ones the labels cover)."""
    return {n: raw.strip() for n, raw in enumerate(_raw_lines(doc_text), 1) if raw.strip()}


def line_of_span(spans: dict[int, tuple[int, int]], start: int, end: int) -> int | None:
    """The line a span `[start, end)` (e.g. a segment) lies on: the line holding `start`.

    Segments never cross a line boundary except in re-joined transcript paragraphs, where the
    first line is the one to judge; None when `start` is past the text.
    """
    numbers = sorted(spans)
    starts = [spans[n][0] for n in numbers]
    k = bisect.bisect_right(starts, start) - 1
    if k < 0 or start > spans[numbers[k]][1] or end < start:
        return None
    return numbers[k]
