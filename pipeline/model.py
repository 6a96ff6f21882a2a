"""The one document/event model every stage reads and extends.

Stages annotate these objects in place; `digest_to_dict` is the single source of truth that
JSON, Markdown and HTML are rendered from (see `pipeline.render`).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

SCHEMA = "newsdigest/digest@1"

Lang = str  # "en" | "zh" | "ja" | "ko" | "und"
Role = Literal["title", "body", "boilerplate", "related"]
Tier = Literal["original", "facts", "gloss", "nmt", "llm"]
TIERS: tuple[str, ...] = ("original", "facts", "gloss", "nmt", "llm")
SUPPORTED_LANGS: tuple[str, ...] = ("en", "zh", "ja", "ko")
# output languages: the supported ones, and Chinese in traditional characters (zh is simplified)
OUTPUT_LANGS: tuple[str, ...] = (*SUPPORTED_LANGS, "zh-TW")


def base_lang(lang: str) -> Lang:
    """The language an output language is written in, whatever its script: zh-TW → zh."""
    return "zh" if lang == "zh-TW" else lang


@dataclass
class Translation:
    """A text in another language plus the tier and backend that produced it.

    `untranslated` marks a pass-through: no backend could translate the pair, so the text is
    the original and readers must be told.
    """

    text: str
    tier: Tier
    backend: str
    untranslated: bool = False


@dataclass
class Segment:
    """One sentence-sized unit with a single language and role.

    Sentences, not paragraphs, are the unit because citations point at them and because one
    paragraph can switch language. `paragraph` groups them back; `start`/`end` are character
    offsets into `Document.text` so a reader can find the sentence in the original.
    """

    text: str
    start: int
    end: int
    paragraph: int = 0
    lang: Lang = "und"
    role: Role = "body"
    rule: str | None = None  # boilerplate/related rule that fired, for auditing
    duplicate_of: int | None = None  # earlier segment index in the same document
    translations: dict[Lang, Translation] = field(default_factory=dict)
    entities: list[str] = field(default_factory=list)  # glossary ids, name: and num: keys
    vector: Any = field(default=None, repr=False, compare=False)  # embedding, not serialised
    # the names a word segmenter tags in a CJK sentence (`framing.actors.segmenter_names`):
    # a document stage, kept in a batch's checkpoint; not in the digest
    names: Any = field(default=None, repr=False, compare=False)

    @property
    def is_content(self) -> bool:
        """True for text that may feed clustering and summaries."""
        return self.role in ("title", "body") and self.duplicate_of is None


@dataclass
class Document:
    """One article. `id` is the file stem (or the JSONL id)."""

    id: str
    text: str  # decoded original text the segment offsets point into
    source: str  # path (and line for JSONL) it was read from
    title: str | None = None
    date: dt.date | None = None
    outlet: str | None = None
    url: str | None = None
    wire: bool = False  # a news agency published it (`pipeline.metadata`)
    declared_lang: Lang | None = None
    encoding: str | None = None
    segments: list[Segment] = field(default_factory=list)
    duplicate_of: str | None = None
    duplicate_kind: str | None = None  # exact | reprint | near | partial | translation
    event: str | None = None  # the event it belongs to (a duplicate: its original's event)
    # why it is in no event or how it was clustered: see pipeline.cluster.STATUS_RULES
    cluster_status: str | None = None
    warnings: list[str] = field(default_factory=list)
    vector: Any = field(default=None, repr=False, compare=False)  # embedding, not serialised
    # clustering terms (`pipeline.cluster.features.cached_terms`): a document stage, kept in
    # a batch's checkpoint; not in the digest
    terms: Any = field(default=None, repr=False, compare=False)
    # names across scripts and number values (`pipeline.cluster.features.link_keys`)
    link_keys: Any = field(default=None, repr=False, compare=False)
    # what copy detection compares (`pipeline.dedup.copies.copy_print`): a document stage
    copy_print: Any = field(default=None, repr=False, compare=False)

    @property
    def content_segments(self) -> list[tuple[int, Segment]]:
        return [(i, s) for i, s in enumerate(self.segments) if s.is_content]

    @property
    def content_key(self) -> int:
        """What readings of its content depend on: the text and which segments are content,
        with their language and role (a memo keyed by it is read again after a correction)."""
        return hash((self.text, tuple((s.start, s.lang, s.role)
                                      for _, s in self.content_segments)))

    @property
    def main_lang(self) -> Lang:
        """The language holding most content characters."""
        counts: dict[str, int] = {}
        for _, seg in self.content_segments:
            counts[seg.lang] = counts.get(seg.lang, 0) + len(seg.text)
        counts.pop("und", None)
        return max(sorted(counts), key=counts.__getitem__) if counts else "und"


T = TypeVar("T")
KNOWN_DOCUMENTS = 4096  # texts remembered by each `per_document` reading


def per_document(read: Callable[..., T]) -> Callable[..., T]:
    """`read(doc, *args)` remembered for the last `KNOWN_DOCUMENTS` documents: a batch
    reads a document again on each day of its window (translations among documents) and
    frames its event again on each day it grows, and these readings depend on a document's
    text and content segments alone. The answer is shared: callers must not change it."""
    known: OrderedDict[tuple, T] = OrderedDict()

    @functools.wraps(read)
    def remembered(doc: Document, *args) -> T:
        key = (doc.id, doc.content_key, args)
        if key in known:
            known.move_to_end(key)
            return known[key]
        found = known[key] = read(doc, *args)
        if len(known) > KNOWN_DOCUMENTS:
            known.popitem(last=False)
        return found

    return remembered


@dataclass
class Source:
    """Where a summary sentence comes from: a segment of a document, in its original form."""

    document: str
    segment: int
    lang: Lang
    text: str


@dataclass
class SummarySentence:
    text: str
    lang: Lang  # the language `text` is in
    tier: Tier
    sources: list[Source]
    backend: str | None = None
    untranslated: bool = False
    # the source words beside a translation, for a reader who reads that language (--read)
    original: Source | None = None
    # claim check of a translated or generated sentence (pipeline.summarize.check):
    # {"claims": n, "unsupported": [...], "action": "kept" | "replaced" | "untranslated"}
    check: dict[str, Any] | None = None
    # a fact line's gloss of the sentence, folded beside it (`summarize.fact_lines`)
    detail: str | None = None


@dataclass
class Event:
    """One event: `documents` were clustered, `copies` are their duplicates folded in."""

    id: str
    documents: list[str]
    date: dt.date | None = None
    story: str | None = None  # events of one story (topic) share it
    copies: list[str] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)  # every outlet, reprints included
    independent_sources: int = 0  # outlets with own text among members (`cluster.group_event`)
    # every document with its language and outlet, and for a copy what it copies: a reader
    # (or a researcher comparing languages) sees who is in the event without a lookup
    members: list[dict[str, Any]] = field(default_factory=list)
    title: dict[Lang, SummarySentence] = field(default_factory=dict)
    summary: dict[Lang, list[SummarySentence]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # why a section is short or missing
    # the daily digest (pipeline.daily): 1 = first; status against a previous digest
    rank: int | None = None
    status: str | None = None  # new | updated | seen; None: no previous digest given
    new_documents: list[str] = field(default_factory=list)  # documents/copies it lacked
    previous_events: list[str] = field(default_factory=list)  # its events sharing documents
    # how each outlet and language tells the event (pipeline.framing); JSON-ready
    framing: dict[str, Any] = field(default_factory=dict)


@dataclass
class Digest:
    documents: list[Document]
    events: list[Event]
    langs: tuple[Lang, ...]
    errors: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    backends: dict[str, str] = field(default_factory=dict)
    clustering: dict[str, Any] = field(default_factory=dict)  # rules, thresholds, exceptions
    window: dict[str, Any] = field(default_factory=dict)  # dates kept, events left out, previous


# --------------------------------------------------------------------------- serialisation


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _source_dict(src: Source) -> dict[str, Any]:
    return {"document": src.document, "segment": src.segment, "lang": src.lang, "text": src.text}


def _sentence_dict(sent: SummarySentence) -> dict[str, Any]:
    out: dict[str, Any] = {
        "text": sent.text,
        "lang": sent.lang,
        "tier": sent.tier,
        "sources": [_source_dict(s) for s in sent.sources],
    }
    if sent.backend:
        out["backend"] = sent.backend
    if sent.untranslated:
        out["untranslated"] = True
    if sent.original is not None:
        out["original"] = {"text": sent.original.text, "lang": sent.original.lang}
    if sent.check is not None:
        out["check"] = dict(sent.check)
    if sent.detail is not None:
        out["detail"] = sent.detail
    return out


def segment_to_dict(seg: Segment) -> dict[str, Any]:
    out: dict[str, Any] = {
        "text": seg.text,
        "lang": seg.lang,
        "role": seg.role,
        "boilerplate": seg.role == "boilerplate",
        "paragraph": seg.paragraph,
        "start": seg.start,
        "end": seg.end,
    }
    if seg.rule:
        out["rule"] = seg.rule
    if seg.duplicate_of is not None:
        out["duplicate_of"] = seg.duplicate_of
    if seg.entities:
        out["entities"] = list(dict.fromkeys(seg.entities))
    if seg.translations:
        out["translations"] = {
            lang: {"text": t.text, "tier": t.tier, "backend": t.backend}
            | ({"untranslated": True} if t.untranslated else {})
            for lang, t in sorted(seg.translations.items())
        }
    return out


def document_to_dict(doc: Document) -> dict[str, Any]:
    return {
        "id": doc.id,
        "title": doc.title,
        "date": _date(doc.date),
        "outlet": doc.outlet,
        "url": doc.url,
        "source": doc.source,
        "encoding": doc.encoding,
        "lang": doc.main_lang,
        "declared_lang": doc.declared_lang,
        "duplicate_of": doc.duplicate_of,
        "duplicate_kind": doc.duplicate_kind,
        "event": doc.event,
        "cluster_status": doc.cluster_status,
        "warnings": list(doc.warnings),
        "segments": [segment_to_dict(s) for s in doc.segments],
    }


def event_to_dict(event: Event) -> dict[str, Any]:
    return {
        "id": event.id,
        "date": _date(event.date),
        "title": {lang: s.text for lang, s in event.title.items()},
        "title_detail": {lang: _sentence_dict(s) for lang, s in event.title.items()},
        "story": event.story,
        "documents": list(event.documents),
        "copies": list(event.copies),
        "outlets": list(event.outlets),
        "independent_sources": event.independent_sources,
        "members": [dict(m) for m in event.members],
        "rank": event.rank,
        **({"status": event.status, "new_documents": list(event.new_documents),
            "previous_events": list(event.previous_events)} if event.status else {}),
        "summary": {lang: [_sentence_dict(s) for s in sents] for lang, sents in event.summary.items()},
        "notes": list(event.notes),
        "framing": event.framing,
    }


def digest_to_dict(digest: Digest) -> dict[str, Any]:
    """The JSON contract (`newsdigest/digest@1`); other programs read these keys."""
    return {
        "schema": SCHEMA,
        "langs": list(digest.langs),
        "backends": dict(digest.backends),
        "errors": list(digest.errors),
        "notices": list(digest.notices),
        "clustering": dict(digest.clustering),
        "window": dict(digest.window),
        "documents": [document_to_dict(d) for d in digest.documents],
        "events": [event_to_dict(e) for e in digest.events],
    }


def publication_order(docs: list[Document]) -> list[Document]:
    """Dated documents by date, then undated ones; on one day an agency's before others
    (the outlets reprinting its copy come after it, so it is the version kept); ties by id.

    Every cross-document stage walks documents in this order, so the copy that is kept, the
    event a document joins and every id derived from them are the same whatever order the
    files were read in.
    """
    return sorted(docs, key=lambda d: (d.date is None, d.date or dt.date.min, not d.wire, d.id))
