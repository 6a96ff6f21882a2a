"""What counts as a source of an event: documents grouped by outlet, copies (reprints,
translations) tied to their originals, and the note saying why an event has too few
sources to compare.

A source is an outlet, not a document: two articles of one outlet are one voice, and a copy
is its original's voice again, so every comparison is made over these groups.
"""

from __future__ import annotations

from pipeline.model import Document, Event


def outlet_of(doc: Document) -> str:
    """The outlet a document speaks for: its outlet, else its id (each unknown outlet apart)."""
    return (doc.outlet or "").strip() or doc.id


def copies_of(event: Event, docs: dict[str, Document]) -> dict[str, tuple[str, str]]:
    out = {}
    for doc_id in event.copies:
        doc = docs.get(doc_id)
        if doc is not None:
            out[doc_id] = (doc.duplicate_of or "", doc.duplicate_kind or "copy")
    return out


def comparison_note(comparable: list[Document], copy_docs: list[Document],
                    owner: dict[str, str], facts: list) -> str | None:
    sources = sorted({owner[d.id] for d in comparable})
    if not comparable:
        return "no comparable source: every document of this event is boilerplate only"
    if len(comparable) == 1:
        extra = (f" and {len(copy_docs)} cop{'y' if len(copy_docs) == 1 else 'ies'} of it "
                 "(reprint or translation: same facts by construction)") if copy_docs else ""
        return (f"one source ({sources[0]}){extra}: nothing to compare; its key facts, "
                "headline and quoted actors are listed")
    if len(sources) == 1:
        return (f"{len(comparable)} documents, all from one outlet ({sources[0]}): compared "
                "per language and headline only")
    if not facts:
        return "no key facts were extracted for this event: fact coverage is not compared"
    return None
