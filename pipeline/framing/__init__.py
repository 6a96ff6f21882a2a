"""Framing comparison per event: how each outlet and each language tells the same event.

Researchers compare coverage of one event across outlets and languages. For every event this
package builds `Event.framing` (JSON `events[].framing`, a table in digest.md and digest.html):

- `facts`: the event's key facts (its summary sentences in the first output language) and,
  per outlet and per language, which of them each one carries, states with other figures, or
  omits, each with the segment that shows it;
- `quoted`: the actors each outlet quotes (a name attached to a speech verb, "according
  to", or a quotation in the same sentence), with the sentences as evidence;
- `number_conflicts`: figures that differ between sources on the same quantity (same unit
  and the same words around the number), never a year against a percentage nor the two ends
  of a range;
- `distinctive_terms`: the words and names an outlet (a language) uses that the rest of the
  event does not, tf-idf style, with an English gloss for CJK terms;
- `headlines`: every headline (copies included) with its English translation, its actors in
  order, whether it asks a question, and the terms it shares or not with the other headlines.

Only the event's clustered documents are compared as sources. Copies folded into the event
(reprints, translations) are not separate voices: they carry their original's facts by
construction, so they inherit its fact coverage, but their own headlines and quotes are read,
since a republisher or translator may reframe a headline. Nothing is embedded again: sentence
vectors come from `embed_segments`. See docs/framing.md for the fields, thresholds and limits.

One module per part, put together here by `frame_event`: `sources` (outlets, copies),
`facts`, `actors` (the names the other parts share), `quotes`, `numbers`, `terms`,
`headlines`; `common` holds the helpers they all need.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from pipeline.config import Config
from pipeline.framing.actors import Actor, actor_spans
from pipeline.framing.common import rounded
from pipeline.framing.facts import (
    CARRIED,
    CROSS_LANG_COSINE,
    CROSS_LANG_MARGIN,
    FactMatch,
    Stacks,
    best_match,
    coverage_lists,
    fact_list,
    match_fact,
)
from pipeline.framing.headlines import headlines
from pipeline.framing.numbers import (
    Mention,
    document_mentions,
    number_conflicts,
    sentence_mentions,
)
from pipeline.framing.quotes import Quote, document_quotes, quoted_summary, sentence_quotes
from pipeline.framing.sources import comparison_note, copies_of, outlet_of
from pipeline.framing.terms import TermBag, distinctive, document_terms
from pipeline.model import Document, Event
from pipeline.names import same_name_groups

__all__ = [
    "Actor",
    "FactMatch",
    "Mention",
    "Quote",
    "TermBag",
    "actor_spans",
    "frame_event",
    "number_conflicts",
    "outlet_of",
    "sentence_mentions",
    "sentence_quotes",
]


def _sorted_keys(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _sorted_keys(obj[k]) for k in sorted(obj)}
    if isinstance(obj, list):
        return [_sorted_keys(x) for x in obj]
    return obj


def one_actor_per_name(quotes: dict[str, list[Quote]],
                       docs: dict[str, Document]) -> dict[str, list[Quote]]:
    """Quotes whose speaker is one name in several scripts (Osaka / 大阪 / 오사카, Ueda /
    植田) get one actor key, so the comparison counts one actor, not one per script."""
    names = [(q.actor.key, q.actor.surface, docs[q.document].segments[q.segment].lang,
              q.actor.type == "PERSON") for items in quotes.values() for q in items if q.actor.key.startswith("name:")]
    if not names:
        return quotes
    canonical = same_name_groups(names)
    return {doc_id: [dataclasses.replace(q, actor=dataclasses.replace(
        q.actor, key=canonical.get(q.actor.key, q.actor.key))) for q in items]
        for doc_id, items in quotes.items()}


def frame_event(event: Event, docs: dict[str, Document], config: Config | None = None,
                router: Any = None) -> dict[str, Any]:
    """The framing comparison of one event (JSON-ready, deterministic: sorted keys).

    `router` (optional) translates headlines no earlier stage translated into English.
    An event with fewer than two comparable sources gets a `note` saying why nothing is
    compared, and still lists its facts, headlines and quoted actors. A failure here is
    reported in the entry (`error`), never allowed to stop the digest.
    """
    config = config or Config()
    try:
        return _frame_event(event, docs, config, router)
    except Exception as exc:  # noqa: BLE001 - the digest matters more than one comparison
        return {"compared": 0, "error": f"{type(exc).__name__}: {exc}", "facts": [],
                "headlines": [], "languages": [], "note": "framing could not be computed",
                "number_conflicts": [], "outlets": []}


def _frame_event(event: Event, docs: dict[str, Document], config: Config,
                 router: Any) -> dict[str, Any]:
    # most central first once summarised: a very large event is compared on its centre
    members = [docs[i] for i in event.documents if i in docs][:config.max_event_documents]
    copies = copies_of(event, docs)
    copy_docs = [docs[i] for i in copies]
    comparable = [d for d in members if d.content_segments]
    excluded = [{"document": d.id, "reason": "no content: every segment is boilerplate"}
                for d in members if not d.content_segments]
    outlets: dict[str, list[Document]] = {}
    for doc in comparable + copy_docs:
        outlets.setdefault(outlet_of(doc), []).append(doc)
    owner = {d.id: outlet_of(d) for d in members + copy_docs}
    langs_of = {d.id: d.main_lang for d in members + copy_docs}
    multilingual = len({langs_of[d.id] for d in comparable}) > 1

    # facts: who states each key fact
    facts = fact_list(event, config.langs[0])
    fact_ids = [f for f, _ in facts]
    per_doc: dict[str, dict[str, FactMatch]] = {}
    stacks: Stacks = {}
    for doc in comparable:
        per_doc[doc.id] = {f: match_fact(s, doc, docs, config.paraphrase_similarity, stacks)
                           for f, s in facts}
    for doc in copy_docs:  # a copy is credited with what its own sentences state, never
        # with its original's facts through the copy link (a wrong link would credit a
        # document with another article's facts)
        if doc.content_segments:
            per_doc[doc.id] = {f: match_fact(s, doc, docs, config.paraphrase_similarity, stacks)
                               for f, s in facts}

    # quotes, figures, words
    quotes = one_actor_per_name({d.id: document_quotes(d) for d in comparable + copy_docs},
                                docs)
    mentions = [m for d in comparable for m in document_mentions(d, owner[d.id])] \
        if len(comparable) > 1 else []
    conflicts = number_conflicts(mentions)
    compare_terms = len({owner[d.id] for d in comparable}) > 1
    bags = {d.id: document_terms(d, multilingual) for d in comparable} if compare_terms else {}

    def grouped(key_of) -> dict[str, TermBag]:
        out: dict[str, TermBag] = {}
        for doc_id, bag in bags.items():
            out.setdefault(key_of(doc_id), TermBag()).update(bag)
        return out

    outlet_terms = distinctive(grouped(lambda i: owner[i])) if compare_terms else {}
    lang_terms = distinctive(grouped(lambda i: langs_of[i])) if compare_terms and multilingual \
        else {}

    rows = []
    for name in sorted(outlets, key=lambda o: (o.lower(), o)):
        group = outlets[name]
        originals = [d for d in group if d.id not in copies]
        matches = {f: best_match([per_doc[d.id][f] for d in group if d.id in per_doc])
                   for f in fact_ids if any(d.id in per_doc for d in group)}
        row: dict[str, Any] = {
            "outlet": name,
            "outlet_known": any(d.outlet for d in group),
            "langs": sorted({langs_of[d.id] for d in group}),
            "documents": [d.id for d in originals],
            "copies": [{"document": d.id, "of": copies[d.id][0], "kind": copies[d.id][1]}
                       for d in group if d.id in copies],
            "quoted": quoted_summary([q for d in group for q in quotes[d.id]], owner),
            "distinctive_terms": outlet_terms.get(name, []),
        }
        if matches and len(matches) == len(fact_ids):
            row["facts"] = {f: m.as_dict() for f, m in matches.items()}
            row |= coverage_lists(matches, fact_ids)
        rows.append(row)

    languages = []
    for lang in sorted({langs_of[d.id] for d in comparable + copy_docs}):
        docs_in = [d for d in comparable + copy_docs if langs_of[d.id] == lang]
        entry: dict[str, Any] = {
            "lang": lang,
            "outlets": sorted({owner[d.id] for d in docs_in}, key=lambda o: (o.lower(), o)),
            "documents": [d.id for d in docs_in],
            "quoted": quoted_summary([q for d in docs_in for q in quotes[d.id]], owner),
            "distinctive_terms": lang_terms.get(lang, []),
        }
        known = [d for d in docs_in if d.id in per_doc]
        if known and fact_ids:
            carried = {f: sum(per_doc[d.id][f].status in CARRIED for d in known) for f in fact_ids}
            entry["carried_by"] = carried
            entry["carries"] = [f for f in fact_ids if carried[f]]
            entry["omits"] = [f for f in fact_ids if not carried[f] and all(
                per_doc[d.id][f].status == "omitted" for d in known)]
            entry["differs"] = [f for f in fact_ids if not carried[f] and any(
                per_doc[d.id][f].status == "differs" for d in known)]
            entry["weak"] = [f for f in fact_ids if not carried[f] and f not in entry["differs"]
                             and any(per_doc[d.id][f].status == "weak" for d in known)]
        languages.append(entry)

    framing: dict[str, Any] = {
        "compared": len(comparable),
        "sources": len({owner[d.id] for d in comparable}),
        "method": {
            "same_language_cosine": rounded(config.paraphrase_similarity),
            "cross_language_cosine": CROSS_LANG_COSINE,
            "cross_language_margin": CROSS_LANG_MARGIN,
            "facts_from": config.langs[0],
        },
        "facts": [{"id": f, "text": s.text, "lang": s.lang, "tier": s.tier,
                   "sources": list(dict.fromkeys(src.document for src in s.sources))}
                  for f, s in facts],
        "outlets": rows,
        "languages": languages,
        "number_conflicts": conflicts,
        "headlines": headlines([*comparable, *copy_docs], copies, owner, event, router,
                               multilingual),
    }
    if excluded:
        framing["excluded"] = excluded
    note = comparison_note(comparable, copy_docs, owner, facts)
    if note:
        framing["note"] = note
    return _sorted_keys(framing)
