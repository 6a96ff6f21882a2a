"""How each headline casts the event: its English translation, the actors it names and
which it leads with, whether it asks a question, and the words it shares or not with the
other headlines.

Readers meet an event through headlines, and copies are kept here (unlike facts) because a
republisher or translator may reframe the headline of an article it copies word for word.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from pipeline.framing.actors import (
    ACTOR_TYPES,
    Actor,
    actor_spans,
    glossary_patterns,
    glossary_spans,
    non_overlapping,
)
from pipeline.framing.common import CJK, cjk_lang
from pipeline.framing.terms import blank_spans, cjk_terms, english_terms, gloss_key, term_gloss
from pipeline.lang.scripts import HANGUL_CHAR, KANA_CHAR
from pipeline.model import Document, Event
from pipeline.summarize.extractive import display_text


def headline_of(doc: Document) -> tuple[str, str, list[int]]:
    """(text, lang, title segment indices): title segments, else the document title."""
    titles = [(i, s) for i, s in doc.content_segments if s.role == "title"]
    if titles:
        first_para = titles[0][1].paragraph
        titles = [(i, s) for i, s in titles if s.paragraph == first_para]
        return (" ".join(display_text(s.text) for _, s in titles), titles[0][1].lang,
                [i for i, _ in titles])
    text = doc.title or ""
    if KANA_CHAR.search(text):
        return text, "ja", []
    if HANGUL_CHAR.search(text):
        return text, "ko", []
    if CJK.search(text):
        return text, "zh", []
    return text, "en" if re.search(r"[A-Za-z]", text) else doc.main_lang, []


def _headline_translation(doc: Document, text: str, lang: str, indices: list[int],
                          event: Event, router: Any) -> dict[str, Any] | None:
    if lang == "en" or not text:
        return None
    segs = [doc.segments[i] for i in indices]
    if segs and all("en" in s.translations and not s.translations["en"].untranslated
                    for s in segs):
        tr = [s.translations["en"] for s in segs]
        return {"text": " ".join(t.text for t in tr), "tier": tr[0].tier, "backend": tr[0].backend}
    title = event.title.get("en")
    # a fact-line title lists who and what: the headline's own wording is what framing reads
    if title is not None and indices and not title.untranslated and title.lang == "en" and \
            title.tier != "facts" and \
            [(s.document, s.segment) for s in title.sources] == [(doc.id, i) for i in indices]:
        return {"text": title.text, "tier": title.tier, "backend": title.backend or title.tier}
    if router is not None:
        result = router.translate([text], lang, "en")[0]
        if not result.untranslated:
            return {"text": result.text, "tier": result.tier, "backend": result.backend}
    return None


def _headline_terms(text: str, lang: str, spans: Sequence[Actor],
                    gloss_keys: bool) -> dict[str, str]:
    """key → label of a headline's subject terms: glossary terms and named things by id,
    content words (CJK keyed by their English gloss when `gloss_keys`) by lemma."""
    out = {"@" + a.key: a.name for a in spans if a.type in ("TERM", "EVENT", "MISC")}
    blanked = blank_spans(text, spans)
    if cjk_lang(lang) and CJK.search(text):
        for word in cjk_terms(blanked, lang):
            gloss = term_gloss(word, lang)
            key = (gloss_key(gloss) if gloss and gloss_keys else None) or f"{lang}:{word}"
            out.setdefault(key, f"{word} ({gloss})" if gloss else word)
        return out
    for key, surface in english_terms(blanked):
        if " " not in key:
            out.setdefault(key, surface)
    return out


def headlines(docs: list[Document], copies: dict[str, tuple[str, str]], outlet_of: dict[str, str],
              event: Event, router: Any, multilingual: bool) -> list[dict[str, Any]]:
    """Every headline with its translation, its actors (in order), whether it is a
    question, and which of its actors and words the other headlines share."""
    rows = []
    for doc in docs:
        text, lang, indices = headline_of(doc)
        actors = actor_spans(text, lang) if text else []
        body = " ".join(s.text for _, s in doc.content_segments if s.role != "title")
        # headline capitals ("Can the U.S. Catch Up") are not names unless the body has them
        actors = [a for a in actors if a.key in glossary_patterns()["display"] or a.surface in body]
        keys = list(dict.fromkeys(a.key for a in actors if a.type in ACTOR_TYPES))
        spans = glossary_spans(text) if text else []
        terms = _headline_terms(text, lang, non_overlapping([*spans, *actors]), multilingual) \
            if text else {}
        rows.append((doc, text, lang, indices, actors, keys, terms))
    all_keys = sorted({k for row in rows for k in row[5]})
    shown = {a.key: a.name if not a.key.startswith("name:") else a.surface
             for row in rows for a in row[4]}
    out = []
    for doc, text, lang, indices, actors, keys, terms in rows:
        others = {k for r in rows if r[0] is not doc for k in r[6]}
        shared = sorted({terms[t] for t in terms if t in others})
        own = sorted({terms[t] for t in terms if t not in others})
        entry: dict[str, Any] = {
            "document": doc.id,
            "outlet": outlet_of[doc.id],
            "lang": lang,
            "text": text,
            "question": "?" in text or "？" in text,
            "actors": [shown[k] for k in keys],
            "actor_keys": keys,
            "first_actor": shown[keys[0]] if keys else None,
            "not_named": [shown[k] for k in all_keys if k not in keys],
            "shared_terms": shared,
            "own_terms": own,
        }
        if doc.id in copies:
            entry["copy_of"], entry["copy_kind"] = copies[doc.id]
        translation = _headline_translation(doc, text, lang, indices, event, router)
        if translation:
            entry["translation"] = translation
        entry["description"] = _describe(entry, len(rows))
        out.append(entry)
    return sorted(out, key=lambda h: (h["outlet"].lower(), h["document"]))


def _describe(h: dict[str, Any], n: int) -> str:
    parts = ["question" if h["question"] else "statement"]
    if h["first_actor"]:
        parts.append(f"leads with {h['first_actor']}")
    if h["actors"]:
        parts.append("names " + ", ".join(h["actors"]))
    else:
        parts.append("names no actor")
    if n > 1 and h["not_named"]:
        parts.append("does not name " + ", ".join(h["not_named"]))
    if h.get("copy_of"):
        parts.append(f"{h.get('copy_kind') or 'copy'} of {h['copy_of']}")
    return "; ".join(parts)
