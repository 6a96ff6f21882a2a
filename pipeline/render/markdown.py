"""Markdown view of a digest, for a briefing writer who pastes from it.

Every translated text carries a tier badge and every summary sentence carries numbered
citations that resolve to a per-event sources list, because the reader must be able to tell a
word-by-word dictionary gloss from a published sentence and check either against the source.
Rendered from the JSON dict only (see `pipeline.render`).
"""

from __future__ import annotations

import re
from typing import Any

from pipeline.render.views import (
    TIER_LEGEND,
    UNTRANSLATED_TEXT,
    EventView,
    digest_stats,
    digest_title,
    doc_anchors,
    event_langs,
    event_titles,
    event_views,
    lang_name,
    left_out,
    primary_title,
    segment_counts,
    sources_line,
    status_line,
    status_marker,
    window_facts,
)

# Characters that change Markdown structure anywhere in a line. `<` becomes an entity
# (backslash escapes before `<` are not honoured by every renderer), which also makes `>`
# inert except as a leading blockquote marker; `&` is escaped only where it would start an
# entity; `|` must be backslash-escaped to survive GFM table cells.
_INLINE_SPECIAL = re.compile(r"[\\`*_\[\]#|~!]")
_ENTITY_LIKE = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# Markers that only matter at the start of a block (list items, setext underlines).
_LEADING_MARKER = re.compile(r"^([-+=>]|\d+(?=[.)]))")
_LINE_BREAKS = re.compile(r"\s*[\r\n\x0b\x0c\x85\u2028\u2029]+\s*")
_SAFE_URL = re.compile(r"^https?://[^\s<>]+$")


def md_escape(text: Any) -> str:
    """Make article text inert inside a Markdown line, list item, heading or table cell.

    Line breaks are folded to spaces because a newline would end a list item or table row.
    Ideographic spaces and other in-line whitespace are kept: they are part of CJK text.
    """
    text = _LINE_BREAKS.sub(" ", str(text if text is not None else "")).strip()
    text = _ENTITY_LIKE.sub("&amp;", text)
    text = text.replace("<", "&lt;")
    text = _INLINE_SPECIAL.sub(lambda m: "\\" + m.group(0), text)
    match = _LEADING_MARKER.match(text)
    if match:  # "1. x" or "- x" in a list item would open a nested list
        marker = match.group(0)
        if marker[0].isdigit():
            text = marker + "\\" + text[len(marker) :]
        else:
            text = "\\" + text
    return text


def _link(label: str, anchor: str | None) -> str:
    return f"[{label}](#{anchor})" if anchor else label


def badge(sentence: dict[str, Any]) -> str:
    """Tier badge (none for original text) plus an untranslated flag; code spans stand out."""
    parts = []
    tier = str(sentence.get("tier") or "original")
    if tier != "original":
        parts.append(f"`[{tier}]`")
    if sentence.get("untranslated"):
        parts.append(f"`[untranslated: {md_escape(sentence.get('lang') or 'und')}]`")
    return (" " + " ".join(parts)) if parts else ""


def original(sentence: dict[str, Any]) -> str:
    """The source words kept beside a translation for a reader who reads them (--read), and
    beside a fact line always, after its gloss."""
    out = ""
    if sentence.get("detail"):
        out += f" — *gloss:* {md_escape(sentence.get('detail'))}"
    orig = sentence.get("original")
    if isinstance(orig, dict) and orig.get("text"):
        out += f" — *{md_escape(orig.get('lang') or 'und')}:* {md_escape(orig.get('text'))}"
    return out


def _cites(view: EventView, sentence: dict[str, Any]) -> str:
    marks = [f"[[{s.number}]](#{s.anchor})" for s in view.cite(sentence)]
    return (" " + " ".join(marks)) if marks else ""


def _header(d: dict[str, Any], out: list[str]) -> None:
    stats = digest_stats(d)
    dupes = f"{stats.duplicates} duplicate{'s' if stats.duplicates != 1 else ''} skipped"
    backends = "; ".join(f"{md_escape(k)}: {md_escape(v)}" for k, v in stats.backends.items())
    out += [
        f"# {md_escape(digest_title(d))}",
        "",
        f"- **Dates:** {stats.date_range}",
        f"- **Documents:** {stats.documents} ({dupes})",
        f"- **Events:** {stats.events}",
        f"- **Output languages:** {', '.join(lang_name(x) for x in stats.langs) or 'none'}",
        f"- **Backends:** {backends or 'none recorded'}",
    ]
    out += [f"- **{label}:** {md_escape(text)}" for label, text in window_facts(d)]
    errors = d.get("errors") or []
    if errors:
        out.append(f"- **Errors:** {len(errors)} (see [Errors](#errors))")
    out += ["", "**How each text was produced** (badge after the text):", ""]
    for tier, meaning in TIER_LEGEND:
        label = "*original* (no badge)" if tier == "original" else f"`[{tier}]`"
        out.append(f"- {label}: {meaning}")
    out += [f"- `[untranslated: xx]`: {UNTRANSLATED_TEXT}", ""]


def _contents(d: dict[str, Any], views: list[EventView], out: list[str]) -> None:
    if not views:
        out += ["_No events._", ""]
        return
    out += ["## Events", ""]
    for view in views:
        title = primary_title(d, view.event)
        label = md_escape(title.get("text")) if title else md_escape(view.event.get("id"))
        out.append(f"{view.index}. [{label}](#{view.anchor}){_marker(view.event)}")
    out.append("")


def _marker(event: dict[str, Any]) -> str:
    """A code span NEW or UPDATED beside a title: it stands out like a tier badge."""
    marker = status_marker(event)
    return f" `{marker[0]}`" if marker else ""


def _left_out(d: dict[str, Any], out: list[str]) -> None:
    """Events the window left out: id, why, and links to their documents in the table."""
    entries = left_out(d)
    if not entries:
        return
    anchors = doc_anchors(d)
    out += ["## Left out of this window", ""]
    for entry, why, title in entries:
        docs = [_link(md_escape(x), anchors.get(str(x)))
                for x in [*(entry.get("documents") or []), *(entry.get("copies") or [])]]
        head = f" *{md_escape(title)}*" if title else ""
        out.append(f"- {md_escape(entry.get('event'))}{head}: {md_escape(why)}; "
                   f"documents: {', '.join(docs) or 'none'}")
    out.append("")


def _event(d: dict[str, Any], view: EventView, out: list[str]) -> None:
    event = view.event
    docs, anchors = view.documents, view.doc_anchors
    title = primary_title(d, event)
    heading = md_escape(title.get("text")) if title else md_escape(event.get("id"))
    out += ["---", "", f'<a id="{view.anchor}"></a>', "", f"## {view.index}. {heading}{_marker(event)}", ""]
    for lang, sent in event_titles(d, event):
        text = md_escape(sent.get("text"))
        out.append(f"- **Title ({md_escape(lang)}):** {text}{badge(sent)}{_cites(view, sent)}{original(sent)}")
    out.append(f"- **Date:** {md_escape(event.get('date') or 'unknown')}")
    members = []
    for doc_id in event.get("documents") or []:
        doc = docs.get(str(doc_id)) or {}
        meta = ", ".join(md_escape(x) for x in (doc.get("outlet"), doc.get("lang")) if x)
        link = _link(md_escape(doc_id), anchors.get(str(doc_id)))
        members.append(f"{link} ({meta})" if meta else link)
    out += [f"- **Event id:** {md_escape(event.get('id'))} (story {md_escape(event.get('story'))})"]
    out += [f"- **Documents:** {', '.join(members) or 'none'}"]
    out += [f"- **Sources:** {md_escape(sources_line(event))}"]
    status = status_line(event)
    out += [f"- **Status:** {md_escape(status)}"] if status else []
    out += [f"- **Note:** {md_escape(note)}" for note in event.get("notes") or []] + [""]

    summary = event.get("summary") or {}
    for lang in event_langs(d, event):
        out += [f"### Summary: {lang_name(lang)}", ""]
        sentences = summary.get(lang) or []
        if not sentences:
            out += [f"_No summary in {lang_name(lang)}._", ""]
            continue
        for sent in sentences:
            out.append(f"- {md_escape(sent.get('text'))}{badge(sent)}{_cites(view, sent)}"
                       f"{original(sent)}")
        out.append("")

    if view.sources:
        out += ["### Sources", ""]
    for src in view.sources:
        flags = ""
        if not src.found:
            flags += " **(not found in documents)**"
        if src.boilerplate:
            flags += " **(cites a boilerplate segment)**"
        where = _link(md_escape(src.document), src.doc_anchor)
        prefix = f"{src.number}. "
        out.append(
            f'{prefix}<a id="{src.anchor}"></a>{where}, segment {src.segment}, '
            f"original language {lang_name(src.lang)}{flags}"
        )
        if src.translated:
            out.append(" " * len(prefix) + f"- original text: {md_escape(src.text)}")
    out.append("")
    _framing(event, anchors, out)


# fact coverage marks, most telling first; the legend under the framing heading explains them
FACT_MARKS: tuple[tuple[str, str, str], ...] = (
    ("carries", "✓", "carries it (cited, or a paraphrase)"),
    ("differs", "≠", "states it with other figures"),
    ("weak", "~", "a similar sentence, not confirmed"),
    ("omits", "–", "omits it"),
    ("unknown", "?", "cannot tell (no sentence vectors)"),
)


def _fact_cell(row: dict[str, Any], total: int) -> str:
    if not total or not any(row.get(key) for key, _, _ in FACT_MARKS):
        return "n/a"
    parts = [f"{len(row.get('carries') or [])}/{total}"]
    for key, mark, _ in FACT_MARKS:
        if row.get(key):
            parts.append(f"{mark} {' '.join(md_escape(f) for f in row[key])}")
    return " · ".join(parts)


def _actors_cell(quoted: list[dict[str, Any]]) -> str:
    if not quoted:
        return "none"
    names = []
    for actor in quoted:
        name = md_escape(actor.get("actor"))
        if actor.get("type") == "ROLE":
            name += " (unnamed)"
        if _count(actor.get("mentions")) > 1:
            name += f" ×{_count(actor.get('mentions'))}"
        names.append(name)
    return ", ".join(names)


def _count(value: Any) -> int:
    """An integer from the JSON, 0 when it is not one (a digest.json may be hand-edited)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _terms_cell(terms: list[dict[str, Any]]) -> str:
    if not terms:
        return "–"
    return ", ".join(md_escape(t.get("term")) + (f" ({md_escape(t['gloss'])})" if t.get("gloss")
                                                  else "") for t in terms)


def _headline_cell(h: dict[str, Any]) -> str:
    text = md_escape(h.get("text") or "(no headline)")
    tr = h.get("translation")
    if isinstance(tr, dict) and tr.get("text"):
        text += f" — *en:* {md_escape(tr['text'])}{badge(tr)}"
    return f"{text} — _{md_escape(h.get('description') or '')}_"


def _framing(event: dict[str, Any], anchors: dict[str, str], out: list[str]) -> None:
    """The framing table: one row per outlet (facts, quoted actors, distinctive terms,
    headline), one per language when there are several, then figures that differ."""
    framing = event.get("framing")
    if not isinstance(framing, dict) or not framing:
        return
    out += ["### Framing comparison", ""]
    if framing.get("note"):
        out += [f"_{md_escape(framing['note'])}_", ""]
    facts = framing.get("facts") or []
    if facts:
        out += ["**Key facts** (the summary sentences):", ""]
        out += [f"- **{md_escape(f.get('id'))}** {md_escape(f.get('text'))}{badge(f)}"
                for f in facts]
        legend = "; ".join(f"{mark} {meaning}" for _, mark, meaning in FACT_MARKS)
        out += ["", f"Key facts column: {legend}.", ""]
    excluded = framing.get("excluded") or []
    if excluded:
        out += ["Not compared: " + "; ".join(
            f"{_link(md_escape(x.get('document')), anchors.get(str(x.get('document'))))} "
            f"({md_escape(x.get('reason'))})" for x in excluded), ""]
    if not framing.get("outlets"):
        return
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for h in framing.get("headlines") or []:
        by_doc.setdefault(str(h.get("document")), []).append(h)
    out += ["| Outlet | Lang | Key facts | Quoted | Distinctive terms | Headline |",
            "|---|---|---|---|---|---|"]
    for row in framing.get("outlets") or []:
        docs = [str(x) for x in row.get("documents") or []]
        copies = row.get("copies") or []
        links = [_link(md_escape(x), anchors.get(x)) for x in docs]
        links += [f"{_link(md_escape(c.get('document')), anchors.get(str(c.get('document'))))} "
                  f"({md_escape(c.get('kind'))} of {md_escape(c.get('of'))})" for c in copies]
        if docs == [row.get("outlet")]:  # no outlet known: the document stands for itself
            outlet, links = f"**{links[0]}**", links[1:]
        else:
            outlet = f"**{md_escape(row.get('outlet'))}**"
        outlet += f" ({', '.join(links)})" if links else ""
        heads = [h for x in [*docs, *(str(c.get("document")) for c in copies)]
                 for h in by_doc.get(x, [])]
        cells = [outlet, md_escape(", ".join(str(x) for x in row.get("langs") or [])),
                 _fact_cell(row, len(facts)), _actors_cell(row.get("quoted") or []),
                 _terms_cell(row.get("distinctive_terms") or []),
                 "<br>".join(_headline_cell(h) for h in heads) or "–"]
        out.append("| " + " | ".join(cells) + " |")
    out.append("")
    langs = framing.get("languages") or []
    if len(langs) > 1:
        out += ["| Language | Outlets | Key facts | Quoted | Distinctive terms |",
                "|---|---|---|---|---|"]
        for row in langs:
            cells = [md_escape(lang_name(row.get("lang"))),
                     md_escape(", ".join(str(x) for x in row.get("outlets") or [])),
                     _fact_cell(row, len(facts)), _actors_cell(row.get("quoted") or []),
                     _terms_cell(row.get("distinctive_terms") or [])]
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
    conflicts = framing.get("number_conflicts") or []
    if conflicts:
        out += ["**Figures that differ between sources:**", ""]
        for group in conflicts:
            what = md_escape(str(group.get("kind") or "").replace("count:", "count of "))
            context = ", ".join(md_escape(c) for c in group.get("context") or [])
            says = "; ".join(
                f"{md_escape(m.get('written'))} ({md_escape(m.get('outlet'))}, "
                f"{_link(md_escape(m.get('document')), anchors.get(str(m.get('document'))))} "
                f"segment {md_escape(m.get('segment'))})" for m in group.get("mentions") or [])
            flag = " _(consistent: only bounds differ)_" if group.get("consistent") else ""
            out.append(f"- {what}{f' ({context})' if context else ''}: {says}{flag}")
        out.append("")
    elif len(framing.get("outlets") or []) > 1:
        out += ["_No figures differ between sources on the same quantity._", ""]


def _url_link(label: str, url: Any) -> str:
    """Link only plain http(s) URLs; `|` is percent-encoded so a table row stays whole."""
    if isinstance(url, str) and _SAFE_URL.match(url):
        return f"[{label}](<{url.replace('|', '%7C')}>)"
    return label


def _documents(d: dict[str, Any], out: list[str]) -> None:
    docs = d.get("documents") or []
    anchors = doc_anchors(d)
    out += ['<a id="documents"></a>', "", "## Documents", ""]
    if not docs:
        out += ["_No documents._", ""]
        return
    out += [
        "| # | ID | Title | Date | Outlet | Lang | Duplicate of | Segments | Boilerplate |",
        "|---|---|---|---|---|---|---|---:|---:|",
    ]
    warned = []
    for i, doc in enumerate(docs, 1):
        doc_id = str(doc.get("id"))
        title = _url_link(md_escape(doc.get("title") or "(untitled)"), doc.get("url"))
        dup = doc.get("duplicate_of")
        dup_cell = _link(md_escape(dup), anchors.get(str(dup))) if dup else ""
        n_segs, n_boiler = segment_counts(doc)
        cells = [
            str(i),
            f'<a id="{anchors[doc_id]}"></a>{md_escape(doc_id)}',
            title,
            md_escape(doc.get("date") or ""),
            md_escape(doc.get("outlet") or ""),
            md_escape(doc.get("lang") or "und"),
            dup_cell,
            str(n_segs),
            str(n_boiler),
        ]
        out.append("| " + " | ".join(cells) + " |")
        warned += [(doc_id, w) for w in doc.get("warnings") or []]
    out.append("")
    if warned:
        out += ["**Document warnings:**", ""]
        out += [f"- {md_escape(doc_id)}: {md_escape(w)}" for doc_id, w in warned]
        out.append("")


def _errors(d: dict[str, Any], out: list[str]) -> None:
    errors = d.get("errors") or []
    if errors:
        out += ['<a id="errors"></a>', "", "## Errors", ""]
        out += [f"- {md_escape(e)}" for e in errors]
        out.append("")


def render_markdown(d: dict[str, Any]) -> str:
    """Render a `newsdigest/digest@1` dict as a Markdown briefing (GitHub-flavoured)."""
    out: list[str] = []
    views = event_views(d)
    _header(d, out)
    _contents(d, views, out)
    _left_out(d, out)
    for view in views:
        _event(d, view, out)
    _documents(d, out)
    _errors(d, out)
    return "\n".join(out).rstrip() + "\n"
