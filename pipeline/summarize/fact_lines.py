"""Fact lines: what a sentence in another language states, from the parts that translate
exactly, where the only translation at hand is a word-by-word dictionary gloss.

A gloss of a Korean market report reads "Course quilt than jonnal 0.3% lower 4305.40
magam"; a briefing writer cannot send it. What does carry over exactly is who (glossary
names in the output language; other names as the segmenters find them, romanised for an
English reader), what (an event type or a move from `pipeline/data/event_terms.toml`), when
(dates, a bare day resolved against the article's date) and how many (numbers with their
units, `translate.numbers`). A fact line lists those, labelled, in the output language:

    Who: KOSPI · What: fall · Figures: 0.3%, 4,305.40

The gloss stays beside it as a folded detail and the original sentence is cited.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from functools import cache
from importlib import resources

from pipeline.dedup.text import fold_script
from pipeline.framing.actors import actor_spans
from pipeline.lang.numbers import MONTHS, find_cjk_numbers
from pipeline.lang.scripts import CJK_CHAR, HAN
from pipeline.model import Lang

LABELS: dict[str, tuple[str, str, str, str]] = {  # who, what, when, figures
    "en": ("Who", "What", "When", "Figures"),
    "zh": ("涉及", "事件", "时间", "数字"),
    "ja": ("関係", "出来事", "日時", "数字"),
    "ko": ("관련", "사건", "일시", "수치"),
}
SEPARATOR = " · "
MAX_NAMES = 4
MAX_FIGURES = 6
_CJK = CJK_CHAR
_HAN_ONLY = re.compile(f"^[{HAN}]+$")
_DATE_TEXT = re.compile(rf"^(?:(?:{'|'.join(MONTHS)})\b|the \d+(?:st|nd|rd|th)$|\d{{4}}$|FY)")
_BARE_DAY = re.compile(r"^the (\d+)(?:st|nd|rd|th)$")
# Arabic figures no unit rule caught (an index close, 4305.40), in any language
_FIGURE = re.compile(r"(?<![A-Za-z0-9.,])(?:[$€£¥]\s?)?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?"
                     r"(?![A-Za-z0-9%.,])")
_DURATION = re.compile(r"\b(?:years?|months?|weeks?|days?|hours?|minutes?)$")
_EN_AMOUNT = re.compile(r"(?:[$€£¥]\s?)?\d[\d,]*(?:\.\d+)?\s?(?:%|percent(?:age points?)?|"
                        r"(?:thousand|million|billion|trillion)|won|yen|yuan|people|"
                        r"tonnes|km|kilometers|years?|months?|days?|hours?)?",
                        re.IGNORECASE)
_EN_DATE = re.compile(rf"\b(?:{'|'.join(m[:3] for m in MONTHS)})[a-z]*\.? \d{{1,2}}\b")


@cache
def _term_table() -> tuple[tuple[tuple[str, str, str], ...], dict[str, dict[str, str]]]:
    """((form, language, term id) for every form, longest first; term id → language → the
    form shown). The id is the term's English."""
    text = resources.files("pipeline.data").joinpath("event_terms.toml").read_text("utf-8")
    rows = []
    shown: dict[str, dict[str, str]] = {}
    for term in tomllib.loads(text)["term"]:
        for lang in ("en", "zh", "ja", "ko"):
            forms = term.get(lang, [])
            for form in forms:
                rows.append((fold_script(form) if lang == "zh" else form, lang, term["en"][0]))
            if forms:
                shown.setdefault(term["en"][0], {})[lang] = forms[0]
    return tuple(sorted(rows, key=lambda r: (-len(r[0]), r[0]))), shown


def event_terms(text: str, lang: Lang) -> list[str]:
    """Term ids the text states, in text order, longer forms first where they overlap."""
    haystack = fold_script(text) if lang == "zh" else text
    taken: list[tuple[int, int, str]] = []
    for form, form_lang, term in _term_table()[0]:
        if form_lang != lang:
            continue
        if lang == "en":
            spans = [(m.start(), m.end()) for m in
                     re.finditer(rf"(?<![A-Za-z]){re.escape(form)}(?![A-Za-z])", haystack,
                                 re.IGNORECASE)]
        else:
            spans = [(m.start(), m.end()) for m in re.finditer(re.escape(form), haystack)]
        for start, end in spans:
            if all(end <= s or start >= e for s, e, _ in taken):
                taken.append((start, end, term))
    return list(dict.fromkeys(term for _, _, term in sorted(taken)))


def _name_in(actor, src: Lang, out: Lang) -> str:
    """A name as a reader of `out` can read it: the glossary's form in `out`, else the
    source's own spelling where the script is shared (Han between zh and ja), else a
    romanisation."""
    from pipeline.entities import glossary_entry
    from pipeline.names import romanised

    if not actor.key.startswith("name:"):
        entry = glossary_entry(actor.key)
        if entry and entry.get(out):
            return entry[out][0]
        if out == "en":
            return actor.display
    surface = actor.surface
    if out == src or not _CJK.search(surface):
        return surface
    if out in ("zh", "ja") and _HAN_ONLY.match(surface) and src in ("zh", "ja"):
        return surface
    if src == "ko":  # the news lexicon (코스피 KOSPI), else loanword conventions: 스콧 →
        from pipeline.translate.gloss_ko import load_lexicon, romanize  # Scot, not Seukot

        lexicon = load_lexicon()
        if out == "en" and lexicon.get(surface):
            return lexicon[surface]
        return " ".join(romanize(part, proper=True) for part in surface.split())
    latin = romanised(surface, src)
    return latin.title() if latin and latin != surface else surface


def _when(rendered: str, date: dt.date | None) -> str:
    """A bare day ("the 15th") as a date when the article's date says which month."""
    bare = _BARE_DAY.match(rendered)
    if bare is None or date is None:
        return rendered
    day = int(bare.group(1))
    year, month = date.year, date.month
    if day > date.day:  # a day after publication: the month before
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    try:
        return f"{MONTHS[month - 1]} {dt.date(year, month, day).day}"
    except ValueError:
        return rendered


def _figures_and_dates(text: str, lang: Lang, date: dt.date | None) -> tuple[list[str], list[str]]:
    if lang == "en":
        dates = [m.group() for m in _EN_DATE.finditer(text)]
        masked = _EN_DATE.sub(" ", text)
        figures = [re.sub(r"\s?percent$", "%", m.group().strip(), flags=re.IGNORECASE)
                   for m in _EN_AMOUNT.finditer(masked)
                   if re.search(r"\d", m.group()) and not re.fullmatch(r"(19|20)\d\d", m.group().strip())]
        return figures, dates
    spans = find_cjk_numbers(text)
    figures: list[str] = []
    dates: list[str] = []
    for _, _, rendered in spans:
        if _DATE_TEXT.match(rendered):
            dates.append(_when(rendered, date))
        else:
            figures.append(rendered)
    rest = list(text)
    for start, end, _ in spans:
        rest[start:end] = [" "] * (end - start)
    figures += [m.group() for m in _FIGURE.finditer("".join(rest))
                if not re.fullmatch(r"\d", m.group())]
    return figures, dates


def fact_line(text: str, src: Lang, out: Lang, date: dt.date | None = None,
              title: bool = False) -> str | None:
    """The labelled fact line of a sentence in `src` for a reader of `out`; None when it
    states nothing that carries over exactly (no name, term or figure). `title`: who, what
    and the first figure only, for an event's heading."""
    labels = LABELS.get(out, LABELS["en"])
    actors = actor_spans(text, src)
    known = [a for a in actors if not a.key.startswith("name:")]
    # a segmenter's name right before a glossary one is its first part (도널드 트럼프)
    actors = [a for a in actors if not a.key.startswith("name:")
              or not any(0 <= g.start - a.end <= 1 for g in known)]
    names = list(dict.fromkeys(_name_in(a, src, out) for a in actors
                               if a.type != "TERM"))[:MAX_NAMES]
    terms = list(dict.fromkeys([_name_in(a, src, out) for a in actors if a.type == "TERM"]
                               + [_term_table()[1][t].get(out, t) for t in event_terms(text, src)]))
    figures, dates = _figures_and_dates(text, src, date)
    figures = list(dict.fromkeys(figures))
    if title:  # a duration (5 years) does not say what happened; an amount does
        figures = [f for f in figures if not _DURATION.search(f)][:1]
    figures = figures[:MAX_FIGURES]
    if not names and not terms and not figures:
        return None
    if title:
        return SEPARATOR.join(p for p in (", ".join(names), ", ".join(terms),
                                          ", ".join(figures)) if p)
    parts = [(labels[0], names), (labels[1], terms), (labels[2], list(dict.fromkeys(dates))),
             (labels[3], figures)]
    colon = ": " if out == "en" else "："
    return SEPARATOR.join(f"{label}{colon}{', '.join(values)}" for label, values in parts
                          if values)
