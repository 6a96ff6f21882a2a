"""Events from documents: the stream clusterer (`stream.py`, driven day by day by
`pipeline.corpus`), an event's fields from its group, and the documented rules for documents
it cannot place (see `STATUS_RULES`, also written into the digest JSON)."""

from __future__ import annotations

from collections import defaultdict

from pipeline.cluster.features import embedding_text
from pipeline.cluster.stream import ClusterParams, EventStream, _Group
from pipeline.dedup.outlets import outlet_key
from pipeline.model import Document, Event

STATUS_RULES = {
    "clustered": "placed in an event by the stream clusterer in its publication-day step",
    "clustered-undated": ("no date found: clustered in a last step after every dated document, "
                          "against all events whatever their dates (the window cannot apply)"),
    "duplicate": ("a copy (exact, reprint, near, partial) or translation: not clustered itself; "
                  "listed under its original's event as a copy, not as an independent source"),
    "no-content": ("nothing left after boilerplate removal: not deduplicated, not clustered, "
                   "kept in `documents` with its segments so the removal can be audited"),
    "no-vector": "the embedder returned no vector for it: not clustered",
    "after-window": ("dated after the end of the digest's window (or undated, with a window "
                     "that ends): not clustered, as the window's events were known at its end"),
}
AFTER_WINDOW = "after-window"
LANGUAGE_RULE = ("a document whose language was not identified (`und`) is deduplicated and "
                 "clustered by its embedding and terms like any other, but is never taken "
                 "for a translation")
IDENTICAL_TEXT_RULE = ("documents with identical text and different ids are exact copies: the "
                       "first in publication order (date, then id) is kept")

def document_status(doc: Document) -> str:
    """The `cluster_status` a document gets before clustering (see `STATUS_RULES`)."""
    if doc.duplicate_of is not None:
        return "duplicate"
    if not doc.content_segments:
        return "no-content"
    if doc.vector is None:
        return "no-vector"
    return "clustered" if doc.date is not None else "clustered-undated"


def duplicate_root(doc: Document, by_id: dict[str, Document]) -> Document:
    """Follow `duplicate_of` to the document that was kept (guarding against cycles)."""
    seen = {doc.id}
    while doc.duplicate_of in by_id and doc.duplicate_of not in seen:
        doc = by_id[doc.duplicate_of]
        seen.add(doc.id)
    return doc


def group_event(group: _Group, by_id: dict[str, Document], folded: list[str]) -> Event:
    """The Event of a stream group with its copies `folded` in: the median date of its
    members, every outlet (copies included), and as independent sources every house whose
    own text is among the members (an outlet's editions in other languages are one house;
    a document with no outlet counts alone; a reprint or translation folded in as a copy is
    not its outlet's own text)."""
    members = [by_id[m] for m in group.members]
    dates = sorted(group.dates)
    outlets = sorted({d.outlet for d in members + [by_id[c] for c in folded] if d.outlet})
    own = {outlet_key(d.outlet) if d.outlet else f"document:{d.id}" for d in members}
    listed = [{"document": d.id, "lang": d.main_lang, "outlet": d.outlet}
              for d in sorted(members, key=lambda d: d.id)]
    listed += [{"document": c, "lang": by_id[c].main_lang, "outlet": by_id[c].outlet,
                "copy_of": by_id[c].duplicate_of, "kind": by_id[c].duplicate_kind}
               for c in folded]
    return Event(id=group.id, documents=sorted(group.members), story=group.story,
                 date=dates[len(dates) // 2] if dates else None, copies=folded,
                 outlets=outlets, independent_sources=len(own), members=listed)


def clustering_report(docs: list[Document], params: ClusterParams) -> dict:
    """What the JSON says about clustering: rules, thresholds and the documents they hit."""
    exact: dict[str, list[str]] = defaultdict(list)
    for doc in docs:
        if doc.duplicate_kind == "exact":
            exact[doc.duplicate_of].append(doc.id)
    return {
        "rules": {**STATUS_RULES, "unidentified-language": LANGUAGE_RULE,
                  "identical-text": IDENTICAL_TEXT_RULE},
        "thresholds": {"embedding_weight": params.embedding_weight,
                       "event": params.event_threshold, "story": params.story_threshold,
                       "cohesion_ratio": params.cohesion_ratio,
                       "cohesion_sure": params.cohesion_sure,
                       "window_days": params.window_days,
                       "story_window_days": params.story_window_days},
        "undated": sorted(d.id for d in docs if d.cluster_status == "clustered-undated"),
        "no_content": sorted(d.id for d in docs if d.cluster_status == "no-content"),
        "no_vector": sorted(d.id for d in docs if d.cluster_status == "no-vector"),
        "unidentified_language": sorted(d.id for d in docs if d.main_lang == "und"
                                        and d.content_segments),
        "identical_text": {k: sorted(v) for k, v in sorted(exact.items())},
    }

__all__ = [
    "STATUS_RULES",
    "ClusterParams",
    "EventStream",
    "clustering_report",
    "duplicate_root",
    "embedding_text",
]
