"""Self-contained HTML view of a digest: one file, inline CSS, no scripts, readable on a phone.

Article text is untrusted (scraped pages), so every piece of it goes through `html.escape`
and only this module writes markup. Every element holding article text carries a `lang`
attribute: Han characters are shared by Chinese, Japanese and Korean, and browsers pick the
right glyphs and fonts only when told the language. Rendered from the JSON dict only.
"""

from __future__ import annotations

import re
from html import escape
from typing import Any

from pipeline.render.markdown import FACT_MARKS
from pipeline.render.views import (
    LANG_NAMES,
    TIER_LEGEND,
    TIER_TEXT,
    UNTRANSLATED_TEXT,
    CitedSource,
    EventView,
    digest_stats,
    digest_title,
    doc_anchors,
    event_langs,
    event_titles,
    event_views,
    left_out,
    primary_title,
    segment_anchor,
    segment_counts,
    sources_line,
    status_line,
    status_marker,
    window_facts,
)

_SAFE_URL = re.compile(r"^https?://[^\s<>\"']+$")
_LANG_TAG = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")

_SANS = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans"'
CSS = f"""
:root {{ color-scheme: light dark; --muted: #6b6b6b; --line: #d8d8d8; --accent: #1d5fbf; }}
* {{ box-sizing: border-box; }}
body {{ margin: 0; line-height: 1.6; font-size: 1.0625rem; overflow-wrap: anywhere;
  font-family: {_SANS}, "PingFang SC", "Hiragino Sans", "Microsoft YaHei",
  "Noto Sans CJK SC", "Apple SD Gothic Neo", "Malgun Gothic", sans-serif; }}
:lang(zh) {{ font-family: {_SANS}, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei",
  "Noto Sans CJK SC", "Source Han Sans SC", sans-serif; }}
:lang(ja) {{ font-family: {_SANS}, "Hiragino Sans", "Hiragino Kaku Gothic ProN", "Yu Gothic",
  "Meiryo", "Noto Sans CJK JP", "Source Han Sans JP", sans-serif; }}
:lang(ko) {{ font-family: {_SANS}, "Apple SD Gothic Neo", "Malgun Gothic", "Noto Sans CJK KR",
  "Source Han Sans KR", "Nanum Gothic", sans-serif; }}
main {{ max-width: 46rem; margin: 0 auto; padding: 1rem; }}
h1 {{ font-size: 1.6rem; margin: .5rem 0; }}
h2 {{ font-size: 1.3rem; margin: 2rem 0 .5rem; line-height: 1.3; }}
h3 {{ font-size: 1.05rem; margin: 1.2rem 0 .3rem; }}
a {{ color: var(--accent); }}
dl.meta {{ display: grid; grid-template-columns: max-content 1fr; gap: .1rem .8rem; margin: 0; }}
dl.meta dt {{ color: var(--muted); }}
dl.meta dd {{ margin: 0; }}
.event, .doc {{ border-top: 1px solid var(--line); padding-top: .5rem; }}
ul.sents, ul.titles {{ padding-left: 1.2rem; }}
ul.sents li, ul.titles li {{ margin: .35rem 0; }}
.tier {{ display: inline-block; font-size: .72em; line-height: 1.3; padding: 0 .35em;
  border-radius: .3em; border: 1px solid currentColor; vertical-align: .1em; white-space: nowrap; }}
.tier-gloss {{ color: #a35200; }} .tier-facts {{ color: #1f5f8b; }} .tier-nmt {{ color: #2a7a2a; }} .tier-llm {{ color: #7a2a9a; }}
.untranslated {{ color: #b00020; }} .orig {{ color: #555; font-size: .92em; }}
.s-gloss {{ text-decoration: underline dotted #a35200; text-underline-offset: .2em; }}
sup.cite {{ font-size: .7em; margin-left: .1em; }}
sup.cite a {{ text-decoration: none; }}
.lang {{ color: var(--muted); font-size: .85em; }}
.flag {{ color: #b00020; font-weight: 600; }}
details {{ margin: .3rem 0; }}
summary {{ cursor: pointer; color: var(--muted); }}
blockquote {{ margin: .3rem 0; padding-left: .8rem; border-left: 3px solid var(--line); }}
ol.segs {{ padding-left: 2rem; }}
ol.segs li {{ margin: .25rem 0; }}
.seg.grey {{ color: var(--muted); opacity: .75; }}
.rule {{ font-size: .8em; font-style: italic; }}
.tr {{ font-size: .9em; margin-left: .5rem; }}
.errors li {{ color: #b00020; }}
:target {{ background: rgba(255, 200, 0, .25); }}
.table-wrap {{ overflow-x: auto; }}
table.framing {{ border-collapse: collapse; font-size: .85em; width: 100%; }}
table.framing th, table.framing td {{ border: 1px solid var(--line); padding: .25rem .4rem;
  vertical-align: top; text-align: left; }}
.framing .note, .framing .desc {{ color: var(--muted); font-style: italic; }}
.status {{ display: inline-block; font-size: .62em; font-weight: 700; letter-spacing: .04em;
  padding: 0 .4em; border-radius: .3em; vertical-align: .25em; color: #fff; }}
.status-new {{ background: #b00020; }} .status-updated {{ background: #a35200; }}
"""


def _lang(code: Any) -> str:
    """A safe `lang` value; `und` (undetermined) when the pipeline could not tell."""
    code = str(code or "und")
    return code if _LANG_TAG.match(code) else "und"


def _lang_label(code: Any) -> str:
    """`Chinese 中文 (zh)` with the native name tagged in its own language for glyph choice."""
    code = str(code or "und")
    if code not in LANG_NAMES:
        return escape(code)
    english, _, native = LANG_NAMES[code].rpartition(" ")
    tagged = f' <span lang="{_lang(code)}">{escape(native)}</span>' if native else ""
    return f"{escape(english)}{tagged} ({escape(code)})"


def text_el(text: Any, lang: Any, tag: str = "span", cls: str | None = None) -> str:
    """An element holding article text: escaped, with its language."""
    klass = f' class="{escape(cls)}"' if cls else ""
    body = escape(str(text if text is not None else ""))
    return f'<{tag} lang="{_lang(lang)}"{klass}>{body}</{tag}>'


def badge(sentence: dict[str, Any]) -> str:
    """Tier badge (none for original text) and untranslated flag; backend in the tooltip."""
    parts = []
    tier = str(sentence.get("tier") or "original")
    backend = sentence.get("backend")
    if tier != "original":
        tip = TIER_TEXT.get(tier, tier) + (f"; backend: {backend}" if backend else "")
        parts.append(
            f'<span class="tier tier-{escape(tier)}" title="{escape(tip)}">{escape(tier)}</span>'
        )
    if sentence.get("untranslated"):
        lang = escape(_lang(sentence.get("lang")))
        parts.append(
            f'<span class="tier untranslated" title="{escape(UNTRANSLATED_TEXT)}">'
            f"untranslated: {lang}</span>"
        )
    return (" " + " ".join(parts)) if parts else ""


def _sentence(view: EventView, sent: dict[str, Any]) -> str:
    tier = str(sent.get("tier") or "original")
    cites = "".join(
        f'<sup class="cite"><a href="#{s.anchor}">[{s.number}]</a></sup>' for s in view.cite(sent)
    )
    orig = sent.get("original")
    beside = ""
    if sent.get("detail"):  # a fact line: its gloss folded, the original below
        beside = ('<details class="gloss"><summary>gloss</summary>'
                  + text_el(sent.get("detail"), sent.get("lang"), cls="orig") + "</details>")
    if isinstance(orig, dict) and orig.get("text"):  # the source words, below
        beside += '<br>' + text_el(orig.get("text"), orig.get("lang"), cls="orig")
    return (text_el(sent.get("text"), sent.get("lang"), cls=f"s s-{tier}") + badge(sent) + cites
            + beside)


def _header(d: dict[str, Any]) -> list[str]:
    stats = digest_stats(d)
    dupes = f"{stats.duplicates} duplicate{'s' if stats.duplicates != 1 else ''} skipped"
    langs = ", ".join(_lang_label(x) for x in stats.langs) or "none"
    backends = "; ".join(f"{escape(k)}: {escape(v)}" for k, v in stats.backends.items())
    out = [
        "<header>",
        f"<h1>{escape(digest_title(d))}</h1>",
        '<dl class="meta">',
        f"<dt>Dates</dt><dd>{escape(stats.date_range)}</dd>",
        f"<dt>Documents</dt><dd>{stats.documents} ({dupes})</dd>",
        f"<dt>Events</dt><dd>{stats.events}</dd>",
        f"<dt>Output languages</dt><dd>{langs}</dd>",
        f"<dt>Backends</dt><dd>{backends or 'none recorded'}</dd>",
    ]
    out += [f"<dt>{escape(label)}</dt><dd>{escape(text)}</dd>" for label, text in window_facts(d)]
    if d.get("errors"):
        out.append(f'<dt>Errors</dt><dd><a href="#errors">{len(d["errors"])}</a></dd>')
    out += [
        "</dl>",
        '<details class="legend" open>',
        "<summary>How each text was produced</summary>",
    ]
    out.append("<ul>")
    for tier, meaning in TIER_LEGEND:
        label = "original (no badge)" if tier == "original" else badge({"tier": tier}).strip()
        out.append(f"<li>{label}: {escape(meaning)}</li>")
    example = badge({"tier": "original", "untranslated": True, "lang": "xx"}).strip()
    out += [f"<li>{example}: {escape(UNTRANSLATED_TEXT)}</li>", "</ul>", "</details>", "</header>"]
    return out


def _contents(d: dict[str, Any], views: list[EventView]) -> list[str]:
    if not views:
        return ["<p>No events.</p>"]
    out = ['<nav aria-label="Events">', "<h2>Events</h2>", "<ol>"]
    for view in views:
        title = primary_title(d, view.event)
        label = (
            text_el(title.get("text"), title.get("lang"))
            if title
            else escape(str(view.event.get("id")))
        )
        out.append(f'<li><a href="#{view.anchor}">{label}</a>{_marker(view.event)}</li>')
    return out + ["</ol>", "</nav>"]


def _marker(event: dict[str, Any]) -> str:
    """A NEW / UPDATED marker beside a title; its tooltip says against what."""
    marker = status_marker(event)
    if not marker:
        return ""
    status = escape(str(event.get("status")))
    return (f' <span class="status status-{status}" title="{escape(marker[1])}">'
            f"{escape(marker[0])}</span>")


def _left_out(d: dict[str, Any]) -> list[str]:
    """Events the window left out: id, why, and links to their documents below."""
    entries = left_out(d)
    if not entries:
        return []
    anchors = doc_anchors(d)
    out = ['<section class="left-out">', "<h2>Left out of this window</h2>", "<ul>"]
    for entry, why, title in entries:
        docs = []
        for doc_id in [*(entry.get("documents") or []), *(entry.get("copies") or [])]:
            anchor, label = anchors.get(str(doc_id)), escape(str(doc_id))
            docs.append(f'<a href="#{anchor}">{label}</a>' if anchor else label)
        head = f" {text_el(title, _title_lang(d, entry))}" if title else ""
        out.append(f"<li>{escape(str(entry.get('event')))}{head}: {escape(why)}; "
                   f"documents: {', '.join(docs) or 'none'}</li>")
    return out + ["</ul>", "</section>"]


def _event(d: dict[str, Any], view: EventView) -> list[str]:
    event = view.event
    docs, anchors = view.documents, view.doc_anchors
    title = primary_title(d, event)
    heading = (
        text_el(title.get("text"), title.get("lang")) if title else escape(str(event.get("id")))
    )
    out = [f'<article class="event" id="{view.anchor}">', f"<h2>{view.index}. {heading}{_marker(event)}</h2>"]
    out.append('<ul class="titles">')
    for lang, sent in event_titles(d, event):
        out.append(f'<li><span class="lang">{escape(lang)}</span> {_sentence(view, sent)}</li>')
    out.append("</ul>")
    members = []
    for doc_id in event.get("documents") or []:
        doc = docs.get(str(doc_id)) or {}
        anchor = anchors.get(str(doc_id))
        label = escape(str(doc_id))
        link = f'<a href="#{anchor}">{label}</a>' if anchor else label
        meta = [text_el(doc["outlet"], doc.get("lang"))] if doc.get("outlet") else []
        meta += [escape(str(doc["lang"]))] if doc.get("lang") else []
        members.append(f"{link} ({', '.join(meta)})" if meta else link)
    out += [
        '<dl class="meta">',
        f"<dt>Date</dt><dd>{escape(str(event.get('date') or 'unknown'))}</dd>",
        f"<dt>Event id</dt><dd>{escape(str(event.get('id')))}</dd>",
        f"<dt>Documents</dt><dd>{', '.join(members) or 'none'}</dd>",
        f"<dt>Sources</dt><dd>{escape(sources_line(event))}</dd>",
    ]
    status = status_line(event)
    out += [f"<dt>Status</dt><dd>{escape(status)}</dd>"] if status else []
    out += [f"<dt>Note</dt><dd>{escape(note)}</dd>" for note in event.get("notes") or []]
    out.append("</dl>")
    summary = event.get("summary") or {}
    for lang in event_langs(d, event):
        out += ['<section class="summary">', f"<h3>Summary: {_lang_label(lang)}</h3>"]
        sentences = summary.get(lang) or []
        if sentences:
            out.append('<ul class="sents">')
            out += [f"<li>{_sentence(view, s)}</li>" for s in sentences]
            out.append("</ul>")
        else:
            out.append(f"<p>No summary in {_lang_label(lang)}.</p>")
        out.append("</section>")
    if view.sources:
        out += ['<section class="sources">', "<h3>Sources</h3>", "<ol>"]
        for src in view.sources:
            out.append(_source(src))
        out += ["</ol>", "</section>"]
    return out + _framing(event, anchors) + ["</article>"]


def _fact_cell(row: dict[str, Any], total: int) -> str:
    if not total or not any(row.get(key) for key, _, _ in FACT_MARKS):
        return "n/a"
    parts = [f"{len(row.get('carries') or [])}/{total}"]
    for key, mark, meaning in FACT_MARKS:
        if row.get(key):
            parts.append(f'<span title="{escape(meaning)}">{mark}</span> '
                         + escape(" ".join(str(f) for f in row[key])))
    return " · ".join(parts)


def _actors_cell(quoted: list[dict[str, Any]], lang: Any) -> str:
    names = []
    for actor in quoted:
        cues = ", ".join(str(c) for c in actor.get("cues") or [])
        name = text_el(actor.get("actor"), lang)
        if actor.get("type") == "ROLE":
            name += " (unnamed)"
        mentions = actor.get("mentions")
        if isinstance(mentions, int) and mentions > 1:
            name += f" ×{mentions}"
        names.append(f'<span title="{escape(cues)}">{name}</span>')
    return ", ".join(names) or "none"


def _terms_cell(terms: list[dict[str, Any]]) -> str:
    cells = [text_el(t.get("term"), t.get("lang"))
             + (f" ({text_el(t['gloss'], 'en')})" if t.get("gloss") else "") for t in terms]
    return ", ".join(cells) or "–"


def _headline_cell(h: dict[str, Any]) -> str:
    out = text_el(h.get("text") or "(no headline)", h.get("lang"))
    tr = h.get("translation")
    if isinstance(tr, dict) and tr.get("text"):
        out += f"<br>{text_el(tr['text'], 'en', cls='orig')}{badge(tr)}"
    return out + f'<br><span class="desc">{escape(str(h.get("description") or ""))}</span>'


def _framing(event: dict[str, Any], anchors: dict[str, str]) -> list[str]:
    """The framing table (see pipeline.framing): per outlet, then per language when there
    are several, then the figures that differ between sources."""
    framing = event.get("framing")
    if not isinstance(framing, dict) or not framing:
        return []

    def doc_link(doc_id: Any) -> str:
        anchor = anchors.get(str(doc_id))
        label = escape(str(doc_id))
        return f'<a href="#{anchor}">{label}</a>' if anchor else label

    out = ['<section class="framing">', "<h3>Framing comparison</h3>"]
    if framing.get("note"):
        out.append(f'<p class="note">{escape(str(framing["note"]))}</p>')
    facts = framing.get("facts") or []
    if facts:
        out += ["<p>Key facts (the summary sentences):</p>", '<ul class="sents">']
        out += [f"<li><b>{escape(str(f.get('id')))}</b> {text_el(f.get('text'), f.get('lang'))}"
                f"{badge(f)}</li>" for f in facts]
        legend = "; ".join(f"{mark} {meaning}" for _, mark, meaning in FACT_MARKS)
        out += ["</ul>", f'<p class="legend">Key facts column: {escape(legend)}.</p>']
    excluded = framing.get("excluded") or []
    if excluded:
        out.append("<p>Not compared: " + "; ".join(
            f"{doc_link(x.get('document'))} ({escape(str(x.get('reason')))})"
            for x in excluded) + "</p>")
    if not framing.get("outlets"):
        return [*out, "</section>"]
    heads: dict[str, list[dict[str, Any]]] = {}
    for h in framing.get("headlines") or []:
        heads.setdefault(str(h.get("document")), []).append(h)
    out += ['<div class="table-wrap">', '<table class="framing">',
            ("<thead><tr><th>Outlet</th><th>Lang</th><th>Key facts</th><th>Quoted</th>"
             "<th>Distinctive terms</th><th>Headline</th></tr></thead>"), "<tbody>"]
    for row in framing.get("outlets") or []:
        lang = (row.get("langs") or ["und"])[0]
        docs = [str(x) for x in row.get("documents") or []]
        copies = row.get("copies") or []
        links = [doc_link(x) for x in docs]
        links += [f"{doc_link(c.get('document'))} ({escape(str(c.get('kind')))} of "
                  f"{escape(str(c.get('of')))})" for c in copies]
        outlet = f"<b>{text_el(row.get('outlet'), lang)}</b>"
        if links:
            outlet += "<br>" + ", ".join(links)
        shown = [h for x in [*docs, *(str(c.get("document")) for c in copies)]
                 for h in heads.get(x, [])]
        cells = [outlet, escape(", ".join(str(x) for x in row.get("langs") or [])),
                 _fact_cell(row, len(facts)), _actors_cell(row.get("quoted") or [], lang),
                 _terms_cell(row.get("distinctive_terms") or []),
                 "<br>".join(_headline_cell(h) for h in shown) or "–"]
        out.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    out += ["</tbody>", "</table>", "</div>"]
    langs = framing.get("languages") or []
    if len(langs) > 1:
        out += ['<div class="table-wrap">', '<table class="framing">',
                ("<thead><tr><th>Language</th><th>Outlets</th><th>Key facts</th>"
                 "<th>Quoted</th><th>Distinctive terms</th></tr></thead>"), "<tbody>"]
        for row in langs:
            outlets = ", ".join(text_el(o, row.get("lang")) for o in row.get("outlets") or [])
            cells = [_lang_label(row.get("lang")), outlets, _fact_cell(row, len(facts)),
                     _actors_cell(row.get("quoted") or [], row.get("lang")),
                     _terms_cell(row.get("distinctive_terms") or [])]
            out.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        out += ["</tbody>", "</table>", "</div>"]
    conflicts = framing.get("number_conflicts") or []
    if conflicts:
        out += ["<p>Figures that differ between sources:</p>", '<ul class="conflicts">']
        for group in conflicts:
            what = escape(str(group.get("kind") or "").replace("count:", "count of "))
            context = ", ".join(escape(str(c)) for c in group.get("context") or [])
            says = "; ".join(
                f"{text_el(m.get('written'), m.get('lang'))} "
                f"({text_el(m.get('outlet'), m.get('lang'))}, {doc_link(m.get('document'))} "
                f"segment {escape(str(m.get('segment')))})"
                for m in group.get("mentions") or [])
            flag = " <i>(consistent: only bounds differ)</i>" if group.get("consistent") else ""
            out.append(f"<li>{what}{f' ({context})' if context else ''}: {says}{flag}</li>")
        out.append("</ul>")
    elif len(framing.get("outlets") or []) > 1:
        out.append("<p>No figures differ between sources on the same quantity.</p>")
    return out + ["</section>"]


def _source(src: CitedSource) -> str:
    doc = escape(src.document)
    if src.found and src.doc_anchor:
        seg_anchor = segment_anchor(src.doc_anchor, src.segment)
        where = (
            f'<a href="#{src.doc_anchor}">{doc}</a>, '
            f'<a href="#{seg_anchor}">segment {src.segment}</a>'
        )
    else:
        where = f"{doc}, segment {src.segment}"
    flags = ""
    if not src.found:
        flags += ' <span class="flag">(not found in documents)</span>'
    if src.boilerplate:
        flags += ' <span class="flag">(cites a boilerplate segment)</span>'
    body = (
        f'<li id="{src.anchor}" value="{src.number}">{where}, original language '
        f"{_lang_label(src.lang)}{flags}"
    )
    if src.translated:
        body += (
            f"<details><summary>Original text ({escape(_lang(src.lang))})</summary>"
            f"{text_el(src.text, src.lang, tag='blockquote')}</details>"
        )
    return body + "</li>"


def _segment(anchor: str, index: int, seg: dict[str, Any]) -> str:
    """One segment; text that never reaches a summary (boilerplate, related, repeats) is grey."""
    role = str(seg.get("role") or "body")
    excluded = bool(seg.get("boilerplate")) or role in ("boilerplate", "related")
    notes = [role] if role != "body" else []
    if seg.get("rule"):
        notes.append(f"rule: {seg['rule']}")
    if seg.get("duplicate_of") is not None:
        excluded = True
        notes.append(f"repeats segment {seg['duplicate_of']}")
    grey = " grey" if excluded else ""
    out = f'<li id="{segment_anchor(anchor, index)}" class="seg role-{escape(role)}{grey}">'
    out += text_el(seg.get("text"), seg.get("lang"))
    if notes:
        out += f' <span class="rule">[{escape("; ".join(notes))}]</span>'
    for lang, tr in (seg.get("translations") or {}).items():
        tr_lang = seg.get("lang") if tr.get("untranslated") else lang
        shown = dict(tr, lang=tr_lang)
        out += f'<div class="tr">{text_el(tr.get("text"), tr_lang)}{badge(shown)}</div>'
    return out + "</li>"


def _documents(d: dict[str, Any]) -> list[str]:
    docs = d.get("documents") or []
    anchors = doc_anchors(d)
    out = ['<section id="documents">', "<h2>Documents</h2>"]
    if not docs:
        out.append("<p>No documents.</p>")
    for doc in docs:
        doc_id = str(doc.get("id"))
        anchor = anchors[doc_id]
        segs = doc.get("segments") or []
        title_lang = next((s.get("lang") for s in segs if s.get("role") == "title"), None)
        title_lang = title_lang or doc.get("lang")
        url, dup = doc.get("url"), doc.get("duplicate_of")
        n_segs, n_boiler = segment_counts(doc)
        out += [
            f'<article class="doc" id="{anchor}">',
            f"<h3>{text_el(doc.get('title') or '(untitled)', title_lang)}</h3>",
            '<dl class="meta">',
            f"<dt>ID</dt><dd>{escape(doc_id)}</dd>",
            f"<dt>Date</dt><dd>{escape(str(doc.get('date') or 'unknown'))}</dd>",
            f"<dt>Outlet</dt><dd>{text_el(doc.get('outlet') or '', doc.get('lang'))}</dd>",
            f"<dt>Language</dt><dd>{_lang_label(doc.get('lang'))}</dd>",
        ]
        if url:
            link = (
                f'<a href="{escape(url)}" rel="noreferrer">{escape(url)}</a>'
                if isinstance(url, str) and _SAFE_URL.match(url)
                else escape(str(url))
            )
            out.append(f"<dt>URL</dt><dd>{link}</dd>")
        if dup:
            target = anchors.get(str(dup))
            label = escape(str(dup))
            out.append(
                "<dt>Duplicate of</dt><dd>"
                + (f'<a href="#{target}">{label}</a>' if target else label)
                + "</dd>"
            )
        for key, label in (("source", "Source"), ("encoding", "Encoding")):
            if doc.get(key):
                out.append(f"<dt>{label}</dt><dd>{escape(str(doc[key]))}</dd>")
        out.append(f"<dt>Segments</dt><dd>{n_segs} ({n_boiler} boilerplate)</dd>")
        out.append("</dl>")
        warnings = doc.get("warnings") or []
        if warnings:
            out += ['<ul class="warnings">']
            out += [f"<li>warning: {escape(str(w))}</li>" for w in warnings]
            out += ["</ul>"]
        if segs:
            out += [
                f"<details><summary>Segments ({n_segs}, {n_boiler} boilerplate)</summary>",
                '<ol class="segs" start="0">',
            ]
            out += [_segment(anchor, i, seg) for i, seg in enumerate(segs)]
            out += ["</ol>", "</details>"]
        out.append("</article>")
    return out + ["</section>"]


def _errors(d: dict[str, Any]) -> list[str]:
    errors = d.get("errors") or []
    if not errors:
        return []
    out = ['<section id="errors" class="errors">', "<h2>Errors</h2>", "<ul>"]
    out += [f"<li>{escape(str(e))}</li>" for e in errors]
    return out + ["</ul>", "</section>"]


def _title_lang(d: dict[str, Any], entry: dict[str, Any]) -> Any:
    """The language of a left-out event's first document (its title is shown)."""
    first = next(iter(entry.get("documents") or []), None)
    doc = next((x for x in d.get("documents") or [] if x.get("id") == first), {})
    return doc.get("lang")


def _page_title(d: dict[str, Any], date_range: str) -> str:
    """The window when there is one (`News digest: events of ...`), else the date range."""
    title = digest_title(d)
    return title if title != "News digest" else f"{title}: {date_range}"


def render_html(d: dict[str, Any]) -> str:
    """Render a `newsdigest/digest@1` dict as one standalone HTML page."""
    stats = digest_stats(d)
    views = event_views(d)
    body: list[str] = _header(d) + _contents(d, views) + _left_out(d)
    for view in views:
        body += _event(d, view)
    body += _documents(d) + _errors(d)
    head = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(_page_title(d, stats.date_range))}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        "<main>",
    ]
    return "\n".join(head + body + ["</main>", "</body>", "</html>"]) + "\n"
