"""Figures that differ between sources on the same quantity: each percentage, amount of
money or count of something named, with the context words around it, grouped across
documents when unit and context agree.

Sources disagreeing on a number is easy to miss by reading and often telling; comparing only
figures that share a unit and a context word keeps a year from being set against a
percentage, and bounds ("more than 50") are told apart from contradictions.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

from pipeline.claims import amounts
from pipeline.framing.actors import display_name, glossary_patterns, glossary_spans
from pipeline.framing.common import CJK, cjk_lang, english_lemma, stop_words
from pipeline.lang.numbers import cjk_numbers_to_english
from pipeline.lang.scripts import HIRAGANA
from pipeline.model import Document, per_document
from pipeline.summarize.extractive import display_text
from pipeline.tokens import tokenize

_NUM_TOKEN = re.compile(r"(?<![A-Za-z0-9.,:])(?<![A-Za-z]-)\d+(?:[.,]\d+)*")
_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|"
           "december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
_RANGE_LINK = r"\s*(?:%|percent|per cent)?\s*(?:-|–|—|~|～|to|至|到)\s*(?:US\$|HK\$|\$)?\s*"
_RANGE_AFTER = re.compile(rf"^{_RANGE_LINK}\d")
_RANGE_BEFORE = re.compile(rf"\d{_RANGE_LINK}$")
_BETWEEN = re.compile(r"\b(?:between|from)\s+(?:US\$|\$)?(\d[\d.,]*)\s*(?:%|percent)?\s*"
                      r"(?:and|to|-|–)\s*(?:US\$|\$)?(\d[\d.,]*)", re.IGNORECASE)
_MONEY_BEFORE = re.compile(r"(?:US|HK|A|C|NT|S)?\$\s?$|[€£¥￥]\s?$")
_MONEY_AFTER = re.compile(r"^\s*(?:(?:thousand|million|billion|trillion|bn|mn|tn|[kmb])\b\s*)?"
                          r"(?:us\s+)?(?:dollars?|yuan|renminbi|rmb|euros?|pounds?|yen|won)\b",
                          re.IGNORECASE)
_LOWER = re.compile(r"(?:more than|over|above|at least|exceeding|upwards of|in excess of|"
                    r"no fewer than|no less than|超过|逾)\s*(?:US\$|HK\$|\$)?\s*$", re.IGNORECASE)
_UPPER = re.compile(r"(?:up to|less than|fewer than|under|below|at most|no more than|nearly|"
                    r"almost|close to|just under|不到|近)\s*(?:US\$|HK\$|\$)?\s*$", re.IGNORECASE)
_ABOUT = re.compile(r"(?:about|around|approximately|roughly|some|an estimated|estimated|circa|"
                    r"~|约)\s*(?:US\$|HK\$|\$)?\s*$", re.IGNORECASE)
_SCALE_WORD = re.compile(r"^\s*(?:thousand|million|billion|trillion|bn|mn|tn)\b", re.IGNORECASE)
_UNIT_WORD = re.compile(r"^\s*(?:(?:thousand|million|billion|trillion)\s+)?(?:more\s+)?"
                        r"([a-z][a-z-]+)")
_MEASURES = frozenset([
    "tonne", "ton", "kilogram", "kg", "gram", "pound", "ounce", "barrel", "megawatt", "gigawatt",
    "kilometre", "kilometer", "mile", "metre", "meter", "hectare"
])
_GENERIC = frozenset([
    "percent", "per", "cent", "about", "nearly", "around", "approximately", "roughly", "some",
    "more", "than", "over", "least", "total", "estimated", "world", "global", "globally",
    "worldwide", "year", "years", "said", "says", "according", "billion", "million", "trillion",
    "thousand", "dollar", "dollars", "yuan", "figure", "figures", "number", "numbers", "amount",
    "level", "rate", "also", "only", "just", "almost", "less", "up", "down", "new", "first",
    "last", "its", "their", "the", "this", "that", "these", "those", "which", "全球", "世界", "总",
    "约", "大约", "左右", "以上", "其中", "目前", "已经", "世界の", "全体", "전", "세계", "세계"
])
_WEAK = frozenset({"c:market", "c:supply", "c:share"})
_CONCEPTS_RAW = {
    "production": "produce produced produces producing production output 产量 生产 產量 生產 产出 "
                  "生産 産出 生産量 생산",
    "processing": "process processed processing refine refined refining refinery refineries "
                  "separation smelting 加工 精炼 提炼 冶炼 分离 精煉 精製 製錬 精錬 分離 가공 정제 제련",
    "mining": "mine mined mines mining extraction extract extracted 开采 采矿 開採 採掘 採鉱 채굴 채광",
    "reserves": "reserve reserves deposit deposits 储量 儲量 埋蔵量 매장량",
    "imports": "import imports imported importing 进口 進口 輸入 수입",
    "exports": "export exports exported exporting 出口 輸出 수출",
    "share": "share shares 份额 占比 シェア 점유율",
    "investment": "invest invested investment investments investing 投资 投資 투자",
    "price": "price prices pricing 价格 價格 価格 가격",
    "capacity": "capacity 产能 生産能力 생산능력",
    "demand": "demand 需求 수요",  # not 需要: "need" in Chinese
    "supply": "supply supplies supplied 供应 供應 供給 공급",
    "market": "market markets 市场 市場 시장",
    "growth": "growth grow grew grown 增长 增長 成長 성장",
    "consumption": "consume consumed consumption 消费 消耗 消費 소비",
    "employment": "job jobs employment worker workers employee employees 就业 雇用 고용 일자리",
    "deaths": "death deaths dead killed 死亡 遇难 死者 사망",
    "injuries": "injured injuries wounded 受伤 負傷 부상",
}
_CONCEPTS = {w: f"c:{c}" for c, words in _CONCEPTS_RAW.items() for w in words.split()}


def _anchor(token: str) -> str | None:
    """A context word as an anchor: a concept id, or the word (lemma) when it says something."""
    token = token.lower().strip("'’")
    if token in _CONCEPTS:
        return _CONCEPTS[token]
    if CJK.search(token):
        if len(token) < 2 or re.fullmatch(f"[{HIRAGANA}]+", token):
            return None  # one character, or kana endings (いる)
        for word, concept in _CONCEPTS.items():
            if CJK.search(word) and (word in token or token in word):
                return concept
        if token in _GENERIC or re.search(r"\d", token) or \
                any(token in name for name in glossary_patterns()["cjk_ids"]):
            return None  # names and topic terms (稀土, 关键矿产) are not context
        return token
    lemma = english_lemma(token)
    if lemma in _CONCEPTS:
        return _CONCEPTS[lemma]
    if (len(token) < 3 or token in stop_words() or token in _GENERIC or lemma in _GENERIC
            or token in glossary_patterns()["topic_words"]
            or lemma in glossary_patterns()["topic_words"]
            or token in glossary_patterns()["name_words"]
            or not token.isalpha()):
        return None
    return lemma


@dataclass(frozen=True)
class Mention:
    """One figure in a sentence, with what it counts."""

    value: float
    value_text: str  # canonical (`amounts`)
    kind: str  # percent | points | money | count:<noun>
    bound: str  # "" exact, ">" at least, "<" at most, "~" about
    written: str  # the figure as written (CJK: as converted to English figures)
    anchors: frozenset[str]
    entities: frozenset[str]  # glossary actors named in the figure's clause
    document: str = ""
    segment: int = 0
    lang: str = "und"
    sentence: str = ""
    outlet: str = ""


_LINK = re.compile(r"\b(?:and|but|while|whereas|which|that|as|where)\b|[和并而且及]")


def _anchors_around(clause: str, lang: str, start: int, end: int, first: bool,
                    unit: str) -> set[str]:
    """Anchors of the figure at clause[start:end]: up to five after it (to the next figure)
    and, for the first figure of its clause, up to four before it."""
    after_text = clause[end:]
    nxt = re.search(r"\d", after_text)
    after_text = after_text[: nxt.start()] if nxt else after_text
    before_text = clause[:start] if first else ""
    cjk = cjk_lang(lang) and bool(CJK.search(clause))

    def anchors(piece: str) -> list[str]:
        words = tokenize(piece, lang) if cjk else re.findall(r"[A-Za-z][A-Za-z'’-]*", piece)
        return [a for a in map(_anchor, words) if a and a != unit]

    after: list[str] = []
    for piece in _LINK.split(after_text):  # "40% of reserves | and dominates the industry"
        after += anchors(piece)
        if after:
            break
    before = anchors(_LINK.split(before_text)[-1]) if before_text else []
    return set(before[-4:] + after[:4])


def sentence_mentions(text: str, lang: str) -> list[Mention]:
    """Each comparable figure of a sentence: a percentage, an amount of money, or a count of
    something named ("50 countries"), with its anchors (context words and concepts near it,
    named things such as Project Vault anywhere in the sentence) and the actors named in its
    clause. Years, dates, ordinals, times, model numbers (F-35), bare numbers and both ends
    of a range ("2020 to 2023", "between 50 and 60") are left out."""
    text = display_text(text)
    conv = cjk_numbers_to_english(text) if CJK.search(text) else text
    names = [a for a in glossary_spans(conv) if a.type != "TERM"]
    things = {f"e:{a.key}" for a in names if a.type in ("MISC", "EVENT")}
    blanked = conv
    for a in names:  # names are compared as entities, not as context words
        blanked = blanked[: a.start] + " " * (a.end - a.start) + blanked[a.end:]
    ranged = {m.start(k) for m in _BETWEEN.finditer(conv) for k in (1, 2)}
    clauses = [m.span() for m in re.finditer(r"[^,;:()—–，、；：（）。!?！？]+", conv)]
    seen_in_clause: set[tuple[int, int]] = set()
    out = []
    for m in _NUM_TOKEN.finditer(conv):
        before, rest = conv[: m.start()], conv[m.end():]
        if m.start() in ranged or _RANGE_AFTER.match(rest) or _RANGE_BEFORE.search(before):
            continue
        if re.match(r"(?:st|nd|rd|th)\b|:\d|[A-Za-z](?<![kmb])", rest) and \
                not re.match(r"(?:bn|mn|tn|[kmb])\b", rest):
            continue  # 11th, 08:45, 5G (but 12bn, 5m)
        if re.search(rf"\b(?:{_MONTHS})\.?\s*$", before, re.IGNORECASE) or \
                re.match(rf"\s*(?:{_MONTHS})\b|\s*[月日号년월일]", rest, re.IGNORECASE):
            continue  # June 8, 8 June, 8月
        nxt = re.search(r"\d", rest)
        window = conv[m.start(): m.end() + min(24, nxt.start() if nxt else 24)]
        values = sorted(amounts(window))
        if not values:
            continue
        value_text = values[0]
        value = float(value_text.rstrip("%"))
        scaled = bool(_SCALE_WORD.match(rest)) or bool(re.match(r"(?:bn|mn|tn|[kmb])\b", rest))
        if value_text.endswith("%"):
            kind = "percent"
        elif re.match(r"\s*(?:percentage|%)\s*points?", rest, re.IGNORECASE):
            kind = "points"
        elif _MONEY_BEFORE.search(before) or _MONEY_AFTER.match(rest):
            kind = "money"
        else:
            unit = _UNIT_WORD.match(rest)
            noun = english_lemma(unit.group(1).lower()) if unit else ""
            plain = re.fullmatch(r"\d+", m.group()) is not None
            if plain and 1800 <= value <= 2100 and not scaled and noun not in _MEASURES:
                continue  # a year
            if not noun or noun in stop_words() or noun in _GENERIC:
                continue  # a bare number: nothing says what it counts
            kind = f"count:{noun}"
        bound = ">" if _LOWER.search(before) or re.match(r"\s*(?:or more|plus)\b", rest) else \
            "<" if _UPPER.search(before) else "~" if _ABOUT.search(before) else ""
        clause = next(((s, e) for s, e in clauses if s <= m.start() < e), (0, len(conv)))
        first = clause not in seen_in_clause
        seen_in_clause.add(clause)
        anchors = _anchors_around(blanked[clause[0]:clause[1]], lang, m.start() - clause[0],
                                  m.end() - clause[0], first, kind.split(":")[-1]) | things
        actors = frozenset(a.key for a in names if a.type in ("GPE", "ORG", "PERSON")
                           and clause[0] <= a.start < clause[1])
        qualifier = re.search(r"(?:more than|over|above|at least|up to|less than|nearly|almost|"
                              r"about|around|approximately|roughly|some)\s*(?:US\$|HK\$|\$)?\s*$",
                              before, re.IGNORECASE)
        lead = qualifier.start() if qualifier else m.start() - (
            len(re.search(r"(?:US\$|HK\$|\$)?\s*$", before).group()))
        tail = re.match(r"\s*(?:%|percent|per cent|(?:thousand|million|billion|trillion|bn|mn|tn|"
                        r"[kmb])\b(?:\s*(?:dollars?|yuan|euros?|yen|won))?|[A-Za-z]+)?", rest)
        written = conv[lead: m.end() + (tail.end() if tail else 0)].strip()
        out.append(Mention(value, value_text, kind, bound, written, frozenset(anchors), actors))
    return out


@per_document
def document_mentions(doc: Document, outlet: str) -> list[Mention]:
    """Every comparable figure of a document's content sentences."""
    return [replace(m, document=doc.id, segment=index, lang=seg.lang, outlet=outlet,
                    sentence=display_text(seg.text))
            for index, seg in doc.content_segments for m in sentence_mentions(seg.text, seg.lang)]


def _compatible(a: Mention, b: Mention) -> bool:
    """Equal, or one is a bound the other satisfies ("more than 50" and "52")."""
    if math.isclose(a.value, b.value, rel_tol=1e-9):
        return True
    for x, y in ((a, b), (b, a)):
        if x.bound == ">" and y.bound in ("", "~", ">") and y.value >= x.value:
            return True
        if x.bound == "<" and y.bound in ("", "~", "<") and y.value <= x.value:
            return True
    if a.bound == ">" and b.bound == "<":
        return a.value < b.value
    if a.bound == "<" and b.bound == ">":
        return b.value < a.value
    return a.bound == b.bound and a.bound in (">", "<")


def _anchor_label(anchor: str) -> str:
    if anchor.startswith("e:"):
        return display_name(anchor[2:])
    return anchor.removeprefix("c:")


def same_quantity(a: Mention, b: Mention) -> bool:
    """Same unit, a shared context word or concept near both figures (two weak ones
    if only weak: market, supply, share), and no disjoint named actors."""
    if a.kind != b.kind:
        return False
    shared = a.anchors & b.anchors
    if not shared or (shared <= _WEAK and len(shared) < 2):
        return False
    return not (a.entities and b.entities and not a.entities & b.entities)


def number_conflicts(mentions: list[Mention]) -> list[dict[str, Any]]:
    """Groups of mentions of one quantity where two sources give different figures, with
    the agreeing mentions of that quantity. `consistent` is true when every figure can hold
    at once ("more than 30" and "over 50"): a difference of precision, not a contradiction."""
    n = len(mentions)
    # one quantity of one subject: a figure joins a group only when it is the same quantity
    # as every figure already in it (chains through loose pairs mixed quantities: deaths in
    # one province with deaths in another)
    group_of: dict[int, int] = {}
    members_of: dict[int, set[int]] = {}
    conflicting: set[int] = set()
    contradicted: set[int] = set()
    for i in range(n):
        for j in range(i + 1, n):
            a, b = mentions[i], mentions[j]
            if a.document == b.document or math.isclose(a.value, b.value, rel_tol=1e-9) or \
                    not same_quantity(a, b):
                continue
            gi, gj = group_of.get(i), group_of.get(j)
            if gi is None and gj is None:
                group_of[i] = group_of[j] = i
                members_of[i] = {i, j}
            elif gi is not None and gj is None:
                if not all(k == i or same_quantity(mentions[k], b) for k in members_of[gi]):
                    continue
                group_of[j] = gi
                members_of[gi].add(j)
            elif gj is not None and gi is None:
                if not all(k == j or same_quantity(mentions[k], a) for k in members_of[gj]):
                    continue
                group_of[i] = gj
                members_of[gj].add(i)
            elif gi != gj:
                continue
            conflicting |= {i, j}
            if not _compatible(a, b):
                contradicted |= {i, j}
    groups: dict[int, set[int]] = {g: set(m) for g, m in members_of.items()}
    for i in range(n):  # agreeing mentions join the quantity they agree with
        if i in conflicting:
            continue
        for members in groups.values():
            if any(mentions[i].document != mentions[j].document
                   and same_quantity(mentions[i], mentions[j])
                   and _compatible(mentions[i], mentions[j]) for j in list(members)):
                members.add(i)
                break
    out = []
    for members in groups.values():
        items = sorted((mentions[i] for i in members),
                       key=lambda m: (m.value, m.document, m.segment, m.written))
        anchors = Counter(a for m in items for a in m.anchors)
        common = sorted((a for a, c in anchors.items() if c >= 2), key=lambda a: (-anchors[a], a))
        out.append({
            "kind": items[0].kind,
            "consistent": not members & contradicted,
            "context": [_anchor_label(a) for a in common[:4]],
            "values": sorted({m.written for m in items}),
            "mentions": [{"document": m.document, "outlet": m.outlet, "lang": m.lang,
                          "segment": m.segment, "value": m.value_text, "written": m.written,
                          "qualifier": {">": "more than", "<": "up to", "~": "about"}.get(m.bound),
                          "sentence": m.sentence} for m in items],
        })
    return sorted(out, key=lambda g: (g["consistent"], g["kind"], g["context"], g["values"]))
