"""The view-independent facts of a digest both renderers need: statistics, language names,
the tier legend, per-event citation numbering, so that Markdown and HTML can never disagree
about which number a source has or what a tier means. Read from the JSON dict
(`pipeline.model.digest_to_dict`), never from the dataclasses."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any


def sources_line(event: dict[str, Any]) -> str:
    """Independent sources, then the copies folded in and every outlet (plain text)."""
    copies = event.get("copies") or []
    outlets = event.get("outlets") or []
    line = f"{event.get('independent_sources', len(event.get('documents') or []))} independent"
    if copies:
        line += f"; {len(copies)} copies or translations folded in ({', '.join(copies)})"
    if outlets:
        line += f"; outlets: {', '.join(outlets)}"
    return line

LANG_NAMES: dict[str, str] = {
    "en": "English",
    "zh": "Chinese 中文",
    "zh-TW": "Chinese, traditional 繁體中文",
    "ja": "Japanese 日本語",
    "ko": "Korean 한국어",
    "und": "undetermined",
}

#: What each tier means for a reader deciding how far to trust a text; order = trust ladder.
TIER_LEGEND: tuple[tuple[str, str], ...] = (
    ("original", "source text, as published"),
    ("facts", ("names, event type, dates and figures read exactly from a sentence in another "
               "language (its word-by-word gloss folded beside, the original cited)")),
    ("gloss", "offline dictionary gloss, word-by-word: read with care"),
    ("nmt", "neural machine translation"),
    ("llm", "translated or written by a large language model"),
)
TIER_TEXT: dict[str, str] = dict(TIER_LEGEND)
UNTRANSLATED_TEXT = "no backend could translate this; shown in its original language"


def lang_name(code: str | None) -> str:
    """`zh` -> `Chinese 中文 (zh)`; unknown codes are shown as they are rather than dropped."""
    code = code or "und"
    name = LANG_NAMES.get(code)
    return f"{name} ({code})" if name else code


def output_langs(d: dict[str, Any]) -> list[str]:
    """The digest's output languages, in the order the run asked for them."""
    return [str(lang) for lang in d.get("langs") or []]


def event_langs(d: dict[str, Any], event: dict[str, Any]) -> list[str]:
    """Output languages first, then any other language the event carries (never hide text)."""
    langs = output_langs(d)
    extra = set(event.get("summary") or {}) | set(_titles(event))
    return langs + sorted(extra - set(langs))


def _titles(event: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Title per language as a sentence dict; falls back to the plain `title` strings."""
    detail = event.get("title_detail") or {}
    out = {lang: dict(s) for lang, s in detail.items() if isinstance(s, dict)}
    for lang, text in (event.get("title") or {}).items():
        out.setdefault(lang, {"text": text, "lang": lang, "tier": "original", "sources": []})
    return out


def event_titles(d: dict[str, Any], event: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(output language, title sentence) pairs in display order."""
    titles = _titles(event)
    return [(lang, titles[lang]) for lang in event_langs(d, event) if lang in titles]


def primary_title(d: dict[str, Any], event: dict[str, Any]) -> dict[str, Any] | None:
    """The title shown in headings: the first output language that has one."""
    titles = event_titles(d, event)
    return titles[0][1] if titles else None


def is_translated(sentence: dict[str, Any], source: dict[str, Any]) -> bool:
    """True when a reader cannot see the source's wording in the sentence itself."""
    return sentence.get("tier", "original") != "original" or sentence.get("lang") != source.get(
        "lang"
    )


def doc_anchors(d: dict[str, Any]) -> dict[str, str]:
    """Document id -> anchor; index-based because ids may be CJK or contain URL-unsafe chars."""
    return {str(doc.get("id")): f"doc-{i}" for i, doc in enumerate(d.get("documents") or [], 1)}


def segment_anchor(doc_anchor: str, segment: int) -> str:
    return f"{doc_anchor}-seg-{segment}"


@dataclass
class CitedSource:
    """One numbered entry of an event's sources list (deduplicated by document + segment)."""

    number: int
    anchor: str
    document: str
    segment: int
    lang: str
    text: str
    translated: bool = False  # some sentence citing it is not its verbatim text
    found: bool = True  # the document/segment exists in the digest's documents
    boilerplate: bool = False  # it points at boilerplate: a pipeline bug worth showing
    doc_anchor: str | None = None


@dataclass
class EventView:
    """An event plus the citation numbering both renderers share."""

    index: int
    anchor: str
    event: dict[str, Any]
    sources: list[CitedSource]
    numbers: dict[tuple[str, int], int]
    # the digest's, shared by every view: made once, not once per event (a day's digest
    # lists hundreds of documents and events)
    doc_anchors: dict[str, str]  # `doc_anchors`
    documents: dict[str, dict[str, Any]]  # id -> the digest's document

    def cite(self, sentence: dict[str, Any]) -> list[CitedSource]:
        """The numbered sources of one sentence, in the sentence's own order, no repeats."""
        seen: list[int] = []
        for src in sentence.get("sources") or []:
            num = self.numbers.get(_key(src))
            if num is not None and num not in seen:
                seen.append(num)
        return [self.sources[n - 1] for n in seen]


def _key(src: dict[str, Any]) -> tuple[str, int]:
    """(document, segment); a malformed segment index becomes -1 and renders as not found."""
    try:
        segment = int(src.get("segment", -1))
    except (TypeError, ValueError):
        segment = -1
    return str(src.get("document")), segment


def _sentences(d: dict[str, Any], event: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every citing sentence of an event in display order (titles, then summaries)."""
    for _, title in event_titles(d, event):
        yield title
    summary = event.get("summary") or {}
    for lang in event_langs(d, event):
        yield from summary.get(lang) or []


def event_views(d: dict[str, Any]) -> list[EventView]:
    """Number each event's sources in first-citation order so [1] is the first one read."""
    anchors = doc_anchors(d)
    docs = {str(doc.get("id")): doc for doc in d.get("documents") or []}
    views = []
    for i, event in enumerate(d.get("events") or [], 1):
        anchor = f"event-{i}"
        sources: list[CitedSource] = []
        numbers: dict[tuple[str, int], int] = {}
        for sent in _sentences(d, event):
            for src in sent.get("sources") or []:
                key = _key(src)
                if key not in numbers:
                    segs = (docs.get(key[0]) or {}).get("segments") or []
                    seg = segs[key[1]] if 0 <= key[1] < len(segs) else None
                    numbers[key] = len(sources) + 1
                    sources.append(
                        CitedSource(
                            number=numbers[key],
                            anchor=f"{anchor}-src-{numbers[key]}",
                            document=key[0],
                            segment=key[1],
                            lang=str(src.get("lang") or "und"),
                            text=str(src.get("text") or ""),
                            found=seg is not None,
                            boilerplate=bool(seg and seg.get("boilerplate")),
                            doc_anchor=anchors.get(key[0]),
                        )
                    )
                cited = sources[numbers[key] - 1]
                cited.translated = cited.translated or is_translated(sent, src)
        views.append(EventView(i, anchor, event, sources, numbers, anchors, docs))
    return views


@dataclass
class Stats:
    """The header line: what the digest covers and how it was produced."""

    date_from: str | None
    date_to: str | None
    documents: int
    duplicates: int
    events: int
    langs: list[str]
    backends: dict[str, str]

    @property
    def date_range(self) -> str:
        if not self.date_from:
            return "unknown"
        if self.date_from == self.date_to:
            return self.date_from
        return f"{self.date_from} to {self.date_to}"


def digest_stats(d: dict[str, Any]) -> Stats:
    """Dates come from documents and events alike: either may be missing in a partial run."""
    docs = d.get("documents") or []
    events = d.get("events") or []
    dates = sorted(str(x["date"]) for x in [*docs, *events] if x.get("date"))
    return Stats(
        date_from=dates[0] if dates else None,
        date_to=dates[-1] if dates else None,
        documents=len(docs),
        duplicates=sum(1 for doc in docs if doc.get("duplicate_of")),
        events=len(events),
        langs=output_langs(d),
        backends={str(k): str(v) for k, v in (d.get("backends") or {}).items()},
    )


def segment_counts(doc: dict[str, Any]) -> tuple[int, int]:
    """(segments, boilerplate segments) of one document."""
    segs = doc.get("segments") or []
    return len(segs), sum(1 for s in segs if s.get("boilerplate"))


#: Markers beside an event title against a previous digest (`seen` events carry none).
STATUS_MARKERS: dict[str, tuple[str, str]] = {
    "new": ("NEW", "none of its articles was in the previous digest"),
    "updated": ("UPDATED", "new articles since the previous digest"),
}
LEFT_OUT_REASONS: dict[str, str] = {
    "undated": "undated: none of its articles carries a date",
    "outside-window": "outside the window",
    "no-new-article": "no new article: none of its articles is new since the last digest",
}


def _bounded(window: dict[str, Any]) -> bool:
    """A dated window, or `newsdigest daily`'s window of new articles."""
    return bool(window.get("start") or window.get("end")
                or window.get("new_documents") is not None)


def digest_title(d: dict[str, Any]) -> str:
    """`News digest`, or `News digest: events of 2025-06-08` for a dated window (plain text)."""
    window = d.get("window") or {}
    if _bounded(window):
        return f"News digest: {window.get('label') or 'dated window'}"
    return "News digest"


def status_marker(event: dict[str, Any]) -> tuple[str, str] | None:
    """(marker, tooltip) for a new or updated event; None otherwise."""
    return STATUS_MARKERS.get(str(event.get("status") or ""))


def status_line(event: dict[str, Any]) -> str | None:
    """The event's standing against the previous digest, in plain text; None without one."""
    status = event.get("status")
    if not status:
        return None
    before = ", ".join(str(x) for x in event.get("previous_events") or [])
    new = ", ".join(str(x) for x in event.get("new_documents") or [])
    if status == "new":
        return "new: none of its articles was in the previous digest"
    if status == "updated":
        return f"updated since the previous digest (was {before or 'there'}); new articles: {new}"
    return f"seen: already in the previous digest ({before})" if before else str(status)


def window_facts(d: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, plain text) header lines on the window and the previous digest; none without."""
    window = d.get("window") or {}
    out = []
    if _bounded(window):
        counts = {k: v for k, v in (window.get("events_left_out") or {}).items() if v}
        left = sum(counts.values())
        why = ", ".join(f"{n} {LEFT_OUT_REASONS.get(reason, reason).split(':')[0]}"
                        for reason, n in counts.items())
        text = str(window.get("label") or "")
        text += f"; {left} event{'s' if left != 1 else ''} left out" + (f" ({why})" if why else "")
        later = len(window.get("not_clustered") or [])
        if later:
            text += (f"; {later} document{'s' if later != 1 else ''} dated after it or undated "
                     "not clustered (its events as known at its end)")
        out.append(("Window", text + "; ranked by independent sources, then recency"))
    previous = window.get("previous")
    if isinstance(previous, dict):
        text = str(previous.get("path") or "")
        prev_window = previous.get("window") or {}
        if prev_window:
            text += f" ({describe_window(prev_window.get('start'), prev_window.get('end'))})"
        counts = window.get("status_counts") or {}
        if counts:
            text += ": " + ", ".join(f"{n} {status}" for status, n in counts.items())
        out.append(("Compared with", text))
    return out


def left_out(d: dict[str, Any]) -> list[tuple[dict[str, Any], str, str | None]]:
    """Events the window left out: (entry, reason in plain text with the dates when outside,
    the title of its first document: left-out events have no summary title)."""
    titles = {str(doc.get("id")): doc.get("title") for doc in d.get("documents") or []}
    out = []
    for entry in (d.get("window") or {}).get("left_out") or []:
        if not isinstance(entry, dict):
            continue
        reason = str(entry.get("reason") or "")
        text = LEFT_OUT_REASONS.get(reason, reason)
        dates = [str(x) for x in entry.get("dates") or []]
        if reason == "outside-window" and dates:
            text += f" (dated {dates[0]}" + (f" to {dates[-1]})" if dates[-1] != dates[0] else ")")
        first = next(iter(entry.get("documents") or []), None)
        out.append((entry, text, titles.get(str(first)) if first is not None else None))
    return out


def describe_window(start: Any, end: Any) -> str:
    from pipeline.daily import describe_window as describe

    return describe(str(start) if start else None, str(end) if end else None)
