"""Give every segment its role: title, body, boilerplate or related.

Rules live as data in `pipeline/data/boilerplate.toml` (one place, per language); this module
only applies them plus one structural rule that needs no words: the header zone. Pages start
with a run of short lines (site labels, show names, datelines, bylines, a translated headline)
before the first real paragraph; there, the first headline-like line is the title, a headline
in another language is its translation, a line ending like a sentence starts the body, and
everything else is a label.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from pipeline.lang.scripts import CJK_CHAR
from pipeline.model import Document, Segment

_CJK = CJK_CHAR
_WORD = re.compile(r"[A-Za-z][\w'’.-]*")
_DATELINE = re.compile(
    r"^[\s\d:/.\-年月日년월일·,]*(\d{4}[-/.年]\s?\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{4})[\s\d:/.\-年月日년월일,]*$"
)
_SENTENCE_END = tuple(".。!！")
_BYLINE = re.compile(r"^(?P<outlet>[^·|•\n]{2,60}?)\s*[·|•]\s*(?P<rest>.*\d{4}.*)$")


@dataclass(frozen=True)
class Rule:
    name: str
    role: str
    patterns: tuple[re.Pattern[str], ...]
    langs: frozenset[str] | None = None
    max_chars: int | None = None
    section: bool = False
    rest_of_paragraph: bool = False
    list_after: bool = False

    def matches(self, seg: Segment) -> bool:
        if self.langs and seg.lang not in self.langs:
            return False
        if self.max_chars and len(seg.text) > self.max_chars:
            return False
        return any(p.search(seg.text) for p in self.patterns)


@lru_cache(maxsize=4)
def load_rules(path: str | None = None) -> tuple[Rule, ...]:
    """Read the rule file (the packaged one unless a path is given)."""
    if path:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    else:
        data = tomllib.loads(
            resources.files("pipeline.data").joinpath("boilerplate.toml").read_text("utf-8")
        )
    return tuple(
        Rule(
            name=r["name"],
            role=r["role"],
            patterns=tuple(re.compile(p) for p in r["patterns"]),
            langs=frozenset(r["langs"]) if "langs" in r else None,
            max_chars=r.get("max_chars"),
            section=r.get("section", False),
            rest_of_paragraph=r.get("rest_of_paragraph", False),
            list_after=r.get("list_after", False),
        )
        for r in data["rule"]
    )


@lru_cache(maxsize=1)
def inline_patterns() -> tuple[re.Pattern[str], ...]:
    """The packaged `[[inline]]` patterns: text a summary does not show inside a sentence."""
    data = tomllib.loads(
        resources.files("pipeline.data").joinpath("boilerplate.toml").read_text("utf-8"))
    return tuple(re.compile(p) for rule in data.get("inline", []) for p in rule["patterns"])


def without_inline_furniture(text: str) -> str:
    """`text` as a summary shows it: readings after names and the like removed."""
    for pattern in inline_patterns():
        text = pattern.sub("", text)
    return text


def match_rule(seg: Segment, rules: tuple[Rule, ...]) -> Rule | None:
    return next((r for r in rules if r.matches(seg)), None)


def _weight(text: str) -> float:
    """Length in 'English characters': a CJK character carries about 2.5 Latin ones."""
    cjk = len(_CJK.findall(text))
    return len(text) + 1.5 * cjk


def _is_headline_like(text: str) -> bool:
    return len(_CJK.findall(text)) >= 6 or len(_WORD.findall(text)) >= 3


_LIST_ITEM = re.compile(r"^\s*(?:[-•·*▶▷►◆◇■□○●※→]|\d{1,2}[.)]\s|[①-⑳])")
LIST_ITEM_MAX_CHARS = 160


def is_list_item(text: str) -> bool:
    """A line of a box or a sidebar: bulleted or numbered, or a short line that does not
    end like a sentence (a headline in a list of headlines)."""
    text = text.strip()
    return bool(_LIST_ITEM.match(text)) or (
        len(text) <= LIST_ITEM_MAX_CHARS and not text.endswith(_SENTENCE_END + ("다", "요")))


def _line_of(doc: Document, seg: Segment) -> str:
    """The segment with the start of its line in the page (the segmenter drops bullets)."""
    return doc.text[doc.text.rfind("\n", 0, seg.start) + 1 : seg.end]


def apply_rules(doc: Document, rules: tuple[Rule, ...] | None = None) -> None:
    """Mark boilerplate and related segments by the data rules."""
    rules = rules if rules is not None else load_rules()
    in_section = False
    rest_paragraph: tuple[int, str, str] | None = None  # (paragraph, role, rule)
    in_list: tuple[int, str, str] | None = None  # (paragraph it opened in, role, rule)
    for seg in doc.segments:
        rule = match_rule(seg, rules)
        if in_list and seg.paragraph != in_list[0] and not is_list_item(_line_of(doc, seg)):
            in_list = None  # the box or sidebar ends at the first paragraph of prose
        if rule is not None:
            seg.role, seg.rule = rule.role, rule.name  # type: ignore[assignment]
            in_section = in_section or rule.section
            if rule.rest_of_paragraph:
                rest_paragraph = (seg.paragraph, rule.role, rule.name)
            if rule.list_after:
                in_list = (seg.paragraph, rule.role, rule.name)
        elif rest_paragraph and rest_paragraph[0] == seg.paragraph:
            seg.role, seg.rule = rest_paragraph[1], rest_paragraph[2]  # type: ignore[assignment]
        elif in_list:
            seg.role, seg.rule = in_list[1], in_list[2]  # type: ignore[assignment]
        elif in_section:
            seg.role, seg.rule = "related", "related_section"


def _paragraphs(doc: Document) -> list[list[Segment]]:
    paras: dict[int, list[Segment]] = {}
    for seg in doc.segments:
        paras.setdefault(seg.paragraph, []).append(seg)
    return [paras[k] for k in sorted(paras)]


def _set(segs: list[Segment], role: str, rule: str | None) -> None:
    for seg in segs:
        seg.role, seg.rule = role, rule  # type: ignore[assignment]


def mark_header(doc: Document) -> None:
    """Title, translated title and labels in the lines before the first real paragraph."""
    paras = _paragraphs(doc)
    # spaces compared as one (the segmenter turns an ideographic space between a Japanese
    # headline's two halves into a plain one)
    declared = " ".join((doc.title or "").split())
    title_lang: str | None = None
    for para in paras:
        text = " ".join(s.text for s in para)
        if declared and " ".join(text.split()) == declared:
            _set(para, "title", None)
            title_lang = para[0].lang
            continue
        if all(s.role != "body" for s in para):
            continue
        if _weight(text) >= 100 or len(para) >= 3:
            break  # the body has started
        if _DATELINE.match(text):
            _set(para, "boilerplate", "dateline")
        elif _BYLINE.match(text):
            _set(para, "boilerplate", "byline")
        elif _is_headline_like(text) and title_lang is None and not declared:
            _set(para, "title", None)
            title_lang = para[0].lang
            doc.title = text
        elif _is_headline_like(text) and title_lang and para[0].lang != title_lang:
            _set(para, "title", "translated_title")
        elif _is_headline_like(text) and text.endswith(_SENTENCE_END):
            break  # a short first paragraph is still a sentence, not a label
        else:
            _set(para, "boilerplate", "header_label")


def byline_outlet(doc: Document) -> str | None:
    """The outlet named in a header byline such as `Sou Hu Cai Jing·2025-06-09 08:45`."""
    for seg in doc.segments:
        if seg.rule == "byline":
            m = _BYLINE.match(seg.text)
            if m:
                return m.group("outlet").strip()
    return None


def clean_document(doc: Document, rules: tuple[Rule, ...] | None = None) -> None:
    apply_rules(doc, rules)
    mark_header(doc)
