"""Chinese → English dictionary gloss: jieba words looked up in CC-CEDICT.

The offline floor of the translation tiers: no model, no network, ~1 s to load, so a reader
always gets the gist (names, numbers, key nouns) of a Chinese line. It is a gloss, not a
translation: Chinese word order is kept and senses are picked by simple rules.
"""

from __future__ import annotations

import re
import threading
import tomllib
from collections.abc import Callable, Sequence
from functools import lru_cache
from importlib import resources
from typing import TypeVar

from pipeline.lang.analysers import jieba, jieba_posseg
from pipeline.lang.cedict import (
    SKIP_SENSE,
    best_sense,
    clean_sense,
    is_proper,
    load_cedict,
)
from pipeline.lang.numbers import find_cjk_numbers
from pipeline.lang.scripts import HAN
from pipeline.translate.english_verbs import participle, past, past_forms
from pipeline.translate.gloss_base import DictionaryGloss, Span, splice
from pipeline.translate.translit_zh import inventory, looks_transliterated, romanize_name

_TOKEN = re.compile(
    rf"(?P<han>[{HAN}]+)|(?P<latin>[A-Za-z0-9\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]"
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
    "透露": "revealed", "强调": "stressed", "进行": "", "关税": "tariff", "出口管制": "export control",
    "白宫": "White House", "国务院": "State Department", "占": "account for",
    "全球": "global", "储量": "reserves", "通电话": "phone",
}
_DEMONSTRATIVES = set("每这那各该此哪某")
_CLASSIFIERS = set("个架位名项家座台件条只本枚种批艘辆次届轮场档份篇部所间张支股头片段封首幅颗粒块栋起例笔套组群则")
_ONE = {"一"}
_CLAUSE_THE = "\x03"  # "the" if the chunk it opens starts a clause
_CLAUSE_END = {",", ".", ":", ";", "?", "!"}
_PROSE = re.compile(r"[。，；！？]")
_REPEATED_WORD = re.compile(r"\b([a-z]{3,})(?: \1\b)+")  # "province province": two words, one idea
_DOUBLE_ARTICLE = re.compile(r"\b([Aa]n?) (an?)\b")
_POSSESSIVE = {"he": "his", "she": "her", "i": "my", "we": "our", "they": "their", "it": "its",
               "you": "your"}
_NOT_VERBS = {"not", "can", "will", "may", "must", "should", "also", "still", "already", "then",
              "is", "are", "be", "am", "have", "has", "and", "or", "but", "as", "than"}
_MODALS = {"将", "会", "要", "能", "可以", "可能", "应该", "应", "需要", "必须", "想", "准备", "计划",
           "不", "没", "没有", "正在", "在", "让", "使", "把"}
_BARE_AFTER = {"to", "will", "can", "would", "could", "should", "may", "might", "must", "not"}
_LOCATIVE = {"中", "里", "内", "下", "上"}
_TITLES = {"先生": "Mr.", "女士": "Ms.", "博士": "Dr.", "教授": "Professor"}  # after the name
_PERFECTIVE = {"了", "过"}  # 宣布了 / 去过: the verb before happened
_PAST_ADVERBS = {"已", "已经", "曾", "曾经"}
_VERB_COMPLEMENT = ("不住", "不了", "不起", "不动", "不下")
# A bare common noun after one of these needs an article in English ("in the garage").
PREPOSITIONS = {"in", "of", "to", "for", "on", "at", "from", "by", "with", "about", "against",
                 "into", "over", "under", "after", "before", "through", "during", "between"}
DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "its", "his", "her", "their",
                "our", "my", "your", "all", "each", "every", "some", "many", "more", "most",
                "no", "any", "other", "such", "several", "both", "another", "which", "what"}
_COMMON_NOUN = ("n", "vn", "ng", "an")  # jieba tags; nr/ns/nt/nz are names: no article
_LOCK = threading.RLock()
_CACHE_SCHEMA = 1
T = TypeVar("T")


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
        self._overrides = {**news_senses(), **ZH_OVERRIDES, **(overrides or {})}
        self._cache: dict[str, list[str]] = {}

    def gloss_batch(self, texts: Sequence[str]) -> list[str]:
        """Names an article spells out once in Latin letters (瑞恩·高斯林 (Ryan Gosling)) are
        remembered for the later texts of the same batch."""
        names: dict[str, str] = {}
        return [self.gloss(t, names) for t in texts]

    def gloss(self, text: str, names: dict[str, str] | None = None) -> str:
        """As the base class, plus: 一 with a classifier is the article ("一个门铃" → "a
        doorbell"), foreign names become names (see `name_spans`), decades are decades."""
        if not text.strip():
            return ""
        names = {} if names is None else names
        spans = [_one_as_article(text, span) for span in find_cjk_numbers(text)]
        people = [_with_title(text, span) for span in name_spans(text, names, self._name_part)]
        spans = merge_spans(people + decade_spans(text), spans)
        tokens = _clause_articles(splice(text, spans, self._tokens), prose=bool(_PROSE.search(text)))
        english = _REPEATED_WORD.sub(r"\1", join_gloss(tokens))
        return _DOUBLE_ARTICLE.sub(lambda m: m[1][0] + m[2][1:] if m[1][0].isupper() else m[2],
                                   english)  # 一名 "a" + 男子 "a man"

    def _name_part(self, part: str) -> str:
        """One part of a foreign name: the dictionary's name if it has one, else its sound."""
        if part in self._overrides and self._overrides[part][:1].isupper():
            return self._overrides[part]
        for entry in load_cedict().get(part, ()):
            if not is_proper(entry):
                continue
            for sense in entry[3]:
                name = clean_sense(sense, proper=True).split(" or ")[0]
                if name[:1].isupper() and not SKIP_SENSE.match(sense):
                    return name
        return romanize_name(part)

    def _tokens(self, chunk: str) -> list[str]:
        out: list[str] = []
        for m in _TOKEN.finditer(chunk):
            if m["han"]:
                out += self._han_run(m["han"])
            elif m["latin"]:
                out.append(m["latin"])
            elif m["other"]:
                out.append(PUNCT.get(m["other"], m["other"]))
        return out

    def _han_run(self, han: str) -> list[str]:
        """English tokens for one run of Han characters, with the few grammar rules a gloss
        can apply safely: past tense, possessives, passives, "a" and "the"."""
        tags = _jieba_tags()
        words = _merge_names(list(jieba().cut(han)))
        glossed = [(w, tags.get(w, ""), self.word(w)) for w in words]
        out: list[str] = []
        in_clause_zai = False  # 在 … 中 is one "in", not two
        passive = False  # after 被: the next verb becomes "was <participle>"
        np_start: int | None = None  # where the noun phrase now ending began in `out`
        owner: list[str] = []  # A of A的B, waiting for B to end: "sales of the company"
        owned = 0  # where B begins in `out`
        for k, (word, tag, english) in enumerate(glossed):
            nxt = words[k + 1] if k + 1 < len(words) else ""
            prev = words[k - 1] if k else ""
            if owner and not _is_noun(tag):
                _the_before(out, owned)  # "the sales of the company"
                out += _of_phrase(owner)
                owner = []
            if (word == "的" and owner == [] and np_start is not None and _is_noun(
                    tags.get(prev, "")) and _is_noun(tags.get(nxt, ""))
                    and not _possessive(out[-1], tags.get(prev, ""))):
                owner = out[np_start:]
                del out[np_start:]
                np_start, owned = None, len(out)
                continue
            if word in _LOCATIVE and in_clause_zai and not _is_noun(tags.get(nxt, "")):
                in_clause_zai = False
                continue  # 在此背景下 / 在车库里: the "in" already said it
            in_clause_zai = in_clause_zai or word == "在"
            if _is_one_of(word):
                out.append("a")  # jieba keeps 一场 / 一档 as one word
                continue
            if word in _ONE and nxt and (nxt in _CLASSIFIERS or tags.get(nxt, "").startswith("n")):
                out.append("a")  # 一名男子 / 一男子 → "a man"
                continue
            if word in _CLASSIFIERS and prev in _ONE | _DEMONSTRATIVES:
                continue
            if word == "的" and out and (possessive := _possessive(out[-1], tags.get(prev, ""))):
                out[-1] = possessive
                continue
            if word in _TITLES and out and out[-1][:1].isupper():
                k = len(out)
                while k > 0 and out[k - 1][:1].isupper() and out[k - 1].isalpha():
                    k -= 1
                out.insert(k, _TITLES[word])  # 亚当斯先生 → "Mr. Adams"
                continue
            if word == "被":
                passive = True
                if nxt and tags.get(nxt, "").startswith("v"):
                    continue  # 被捕 → "was arrested": no agent, no "by"
                out.append("by")
                continue
            if english and _is_verb(tag, english[0]) and is_cedict_verb(word) and (
                    word not in news_senses()):  # the curated table already chose the form
                if passive:
                    passive = False
                    english = ["was", participle(english[0])]
                    if out and out[-1] != "by" and "by" in out[-4:]:
                        # 被警方逮捕 → "was arrested by police": the agent follows the verb
                        cut = len(out) - out[::-1].index("by") - 1
                        agent = out[cut + 1:]
                        del out[cut:]
                        english = [*english, "by", *agent]
                elif nxt in _PERFECTIVE or prev in _PAST_ADVERBS or (
                        not _MODALS & set(words[max(0, k - 2):k]) and out
                        and not _BARE_AFTER & set(out[-2:])):
                    # news reports what happened: a verb is past unless a modal, a negation
                    # or an aspect marker says otherwise
                    english = [past(english[0]), *english[1:]]
            elif english and word[0] == "被" and len(word) > 1 and english[0].endswith("ed"):
                english = ["was", *english]  # 被捕 "arrested" is passive: "was arrested"
            elif english and english[0].startswith("be ") and (
                    nxt in _PERFECTIVE or prev in _PAST_ADVERBS or prev == "被"):
                english = ["was " + english[0][3:], *english[1:]]  # 被捕了 → "was arrested"
            if english and out and out[-1].lower() in ("a", "an") and english[0].startswith(
                    ("a ", "an ")):
                english = [english[0].split(" ", 1)[1], *english[1:]]  # 一名 + "a man"
            if english and _is_noun(tag):
                np_start = len(out) if np_start is None else np_start
            elif english:
                np_start = None
            if english and _needs_article(out, tag, english[0], tags.get(prev, "")):
                out.append("the" if out else _CLAUSE_THE)  # at a chunk's start: decided later
            out += english
        if owner:
            _the_before(out, owned)
        return out + (_of_phrase(owner) if owner else [])

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
        if word not in cedict and _is_foreign_name(word, cedict):
            return [romanize_name(word)]  # 西米诺夫 → Sminov: a foreign name spelled in sounds
        if pieces == [word]:
            return [word]  # unknown (or only "variant of …"): keep it rather than invent a sense
        return [t for piece in pieces for t in self.word(piece)]


@lru_cache(maxsize=1)
def news_senses() -> dict[str, str]:
    """Curated senses for frequent words whose first CC-CEDICT sense misleads in news
    (pipeline/data/gloss_zh_en.toml [words]; "" drops the word)."""

    text = resources.files("pipeline.data").joinpath("gloss_zh_en.toml").read_text("utf-8")
    return dict(tomllib.loads(text).get("words", {}))


def _is_noun(tag: str) -> bool:
    return tag.startswith("n") or tag in ("vn", "an")


def _the_before(out: list[str], k: int) -> None:
    """Insert "the" at out[k] before a bare common noun (one with an of-phrase is definite)."""
    if k < len(out) and out[k][:1].islower() and out[k].split()[0] not in DETERMINERS | {
            "a", "an"} and (k == 0 or out[k - 1] != "the"):
        out.insert(k, "the")


def _of_phrase(owner: list[str]) -> list[str]:
    """A的B → "B of A": the owner follows, with "the" before a bare common noun."""
    owner = [t for t in owner if t != _CLAUSE_THE]
    first = owner[0] if owner else ""
    if first[:1].islower() and first.split()[0].lower() not in DETERMINERS | {"a", "an"}:
        return ["of", "the", *owner]
    return ["of", *owner]


@lru_cache(maxsize=8192)
def is_cedict_verb(word: str) -> bool:
    """CC-CEDICT writes verbs as "to …": the word's first usable sense is one."""
    for entry in sorted(load_cedict().get(word, ()), key=is_proper):
        for d in entry[3]:
            if not SKIP_SENSE.match(d):
                return d.startswith("to ")
    return False


def _is_foreign_name(word: str, cedict: dict) -> bool:
    """A word spelled in sounds that jieba does not know as a common word and that holds no
    dictionary name (新斯科舍省 is Nova Scotia + province, not a sound-spelled word)."""
    tag = _jieba_tags().get(word, "")
    if tag and not tag.startswith(("nr", "ns", "nz")) or not tag and len(word) < 3:
        return False  # 各大: a common word, or two characters jieba's model guessed at
    pieces = split_longest(word, cedict)
    if any(len(p) > 1 and is_dictionary_name(p) for p in pieces):
        return False
    return looks_transliterated(word)


def is_dictionary_name(word: str) -> bool:
    """CC-CEDICT has a name (capitalised pinyin) under this headword."""
    return any(is_proper(e) for e in load_cedict().get(word, ()))


def _merge_names(words: list[str]) -> list[str]:
    """jieba cuts unknown names into pieces (西 + 米诺夫): glue neighbours that together spell
    one foreign name and are not common words apart."""
    cedict, tags = load_cedict(), _jieba_tags()
    out: list[str] = []
    for w in words:
        if out and out[-1] not in cedict.get(out[-1] + w, ()) and _gluable(out[-1], tags) \
                and _gluable(w, tags) and _is_foreign_name(out[-1] + w, cedict):
            out[-1] += w
        else:
            out.append(w)
    return out


def _gluable(word: str, tags: dict[str, str]) -> bool:
    """A piece that may belong to a sound-spelled name: sound characters only, and one
    character or not a common word."""
    return all(c in inventory() for c in word) and (
        len(word) == 1 or not tags.get(word, "") or tags[word].startswith(("nr", "ns", "nz")))


def _is_verb(tag: str, english: str) -> bool:
    """A jieba verb whose gloss is a plain English verb (not "already", not a name)."""
    return (tag in ("v", "vd", "vi") and english[:1].islower() and " " not in english.strip()
            and english.isascii() and not english.endswith(("ed", "ing")) and english not in
            _NOT_VERBS | PREPOSITIONS and english not in past_forms())


def _possessive(before: str, tag: str) -> str | None:
    """他的 → "his"; 铃声公司的 → "Ring company's": a pronoun or a name before 的 owns."""
    if before.lower() in _POSSESSIVE:
        pronoun = _POSSESSIVE[before.lower()]
        return pronoun.capitalize() if before[:1].isupper() and before != "I" else pronoun
    if before[:1].isupper() and before.isascii() and tag.startswith(("nr", "ns", "nt", "nz")):
        return before + ("'" if before.endswith("s") else "'s")
    return None


_NAME_CHARS = rf"[{HAN}]+(?:[·・•‧][{HAN}]+)*"
_LATIN_NAME = r"[A-Z][A-Za-z\u00c0-\u024f'’.\-]*(?: [A-Za-z\u00c0-\u024f'’.\-]+){0,4}"
_NAME_IN_LATIN = re.compile(rf"(?P<han>{_NAME_CHARS}) ?[（(] ?(?P<latin>{_LATIN_NAME}) ?[)）]")
_DOTTED_NAME = re.compile(rf"[{HAN}]+(?:[·・•‧][{HAN}]+)+")
_DECADE = re.compile(r"(?P<c>\d{2}) ?世纪 ?(?P<d>\d0) ?年代(?P<end>末|初|中期)?")
_CENTURY = re.compile(r"(?P<c>\d{1,2}) ?世纪(?! ?\d)")


def _translit_suffix(han: str) -> str:
    """The end of a run that is a name (总统唐纳德 → 唐纳德, 为约翰 → 约翰): the longest
    dictionary name it ends with, else the characters that spell foreign sounds."""
    for k in range(max(0, len(han) - 5), len(han) - 1):
        if is_dictionary_name(han[k:]):
            return han[k:]
    sounds = inventory()
    k = len(han)
    while k > 0 and han[k - 1] in sounds:
        k -= 1
    return han[k:]


def _translit_prefix(han: str) -> str:
    """The start of a run that is a name (肯尼迪效力 → 肯尼迪), as `_translit_suffix`."""
    for k in range(min(len(han), 6), 1, -1):
        if is_dictionary_name(han[:k]):
            return han[:k]
    sounds, k = inventory(), 0
    while k < len(han) and han[k] in sounds:
        k += 1
    return han[:k]


def name_spans(text: str, names: dict[str, str], part_name: Callable[[str], str]) -> list[Span]:
    """Foreign names as whole spans, learning from the text as it goes:

    - 瑞恩·高斯林 (Ryan Gosling): the Latin spelling the article gives replaces the Chinese,
      and each part is remembered (高斯林 → Gosling) for later mentions in `names`;
    - 林登·贝恩斯·约翰逊: parts joined by a middle dot are name parts, never glossed by
      meaning; each comes from the dictionary's names or is spelled by sound;
    - any remembered name elsewhere in the text.
    """
    spans: list[Span] = []
    for m in _NAME_IN_LATIN.finditer(text):
        latin, parts = m["latin"].strip(), re.split("[·・•‧]", m["han"])
        parts[0] = _translit_suffix(parts[0])
        if not parts[0] or latin.isupper():
            continue  # 国家安全顾问 (NSA): an acronym of a phrase, not a spelled-out name
        name = "·".join(parts)
        spans.append((m.end("han") - len(name), m.end(), latin))
        names[name] = latin
        words = latin.split()
        if len(words) == len(parts):
            names.update((p, w) for p, w in zip(parts, words, strict=True) if len(p) >= 2)
    for m in _DOTTED_NAME.finditer(text):
        parts = re.split("[·・•‧]", m[0])
        start = m.start() + len(parts[0])  # the name's first part ends the run before a dot
        parts[0] = _translit_suffix(parts[0]) or parts[0][-3:]
        parts[-1] = _translit_prefix(parts[-1]) or parts[-1][:3]
        start -= len(parts[0])
        end = start + len("·".join(parts))
        english = " ".join(names.get(p) or part_name(p) for p in parts)
        spans.append((start, end, _dedupe_words(english)))
    for han in sorted(names, key=len, reverse=True):
        if len(han) >= 2:
            spans += [(m.start(), m.end(), names[han]) for m in re.finditer(re.escape(han), text)]
    return spans


def _with_title(text: str, span: Span) -> Span:
    """埃胡德·乌尔博士 → "Dr. Ehud Ur": a title after a name goes before it in English."""
    a, b, name = span
    for title, english in _TITLES.items():
        if text.startswith(title, b):
            return a, b + len(title), f"{english} {name}"
    return span


def _dedupe_words(name: str) -> str:
    """亨利 Henry + 基辛格 "Henry Kissinger" → "Henry Kissinger"."""
    out: list[str] = []
    for w in name.split():
        if not out or out[-1] != w:
            out.append(w)
    return " ".join(out)


def decade_spans(text: str) -> list[Span]:
    """20 世纪 60 年代 → "1960s"; 20 世纪 → "20th century"."""
    spans = []
    for m in _DECADE.finditer(text):
        late = {"末": "late ", "初": "early ", "中期": "mid-"}.get(m["end"] or "", "")
        spans.append((m.start(), m.end(), f"{late}{int(m['c']) - 1}{m['d']}s"))
    for m in _CENTURY.finditer(text):
        c = int(m["c"])
        suffix = "th" if 10 <= c % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(c % 10, "th")
        spans.append((m.start(), m.end(), f"{c}{suffix} century"))
    return spans


def merge_spans(first: list[Span], second: list[Span]) -> list[Span]:
    """Non-overlapping spans in text order; on overlap the earlier list wins, then the
    longer span."""
    chosen: list[Span] = []
    ranked = [(0, a - b, a, b, r) for a, b, r in first] + [
        (1, a - b, a, b, r) for a, b, r in second]
    for _, _, a, b, r in sorted(ranked):
        if all(b <= x or a >= y for x, y, _ in chosen):
            chosen.append((a, b, r))
    return sorted(chosen)


def _one_as_article(text: str, span: tuple[int, int, str]) -> tuple[int, int, str]:
    """一个, 一名, 一场...: the number one with a classifier is the article "a"; the
    classifier goes with it (一场比赛 → "a competition", not "one threshing floor")."""
    a, b, _ = span
    if _is_one_of(text[a:b + 1]):
        return a, b + 1, "a"
    if _is_one_of(text[a:b]):
        return a, b, "a"
    return span


def _is_one_of(word: str) -> bool:
    """一个, 一名, 一架...: the number one with a classifier, used as an indefinite article."""
    return len(word) == 2 and word[0] in _ONE and word[1] in _CLASSIFIERS


def _jieba_tags() -> dict[str, str]:
    """jieba's part-of-speech tag per dictionary word (from its dict.txt, no re-segmenting)."""
    return jieba_posseg().dt.word_tag_tab


def _clause_articles(tokens: list[str], prose: bool) -> list[str]:
    """A noun that opens a chunk gets "the" only if it opens a clause of running prose
    (headlines and labels drop articles: "Rare earth", not "The rare earth")."""
    out: list[str] = []
    for tok in tokens:
        if tok == _CLAUSE_THE:
            before = next((t for t in reversed(out) if t), "")
            tok = "the" if prose and (before in _CLAUSE_END or not before) else ""
        out.append(tok)
    return out


def _needs_article(out: Sequence[str], tag: str, english: str, prev_tag: str = "") -> bool:
    """A bare common noun gets "the" after a preposition ("in the garage"), a verb, or when it
    opens a clause ("the committee said"), unless something already determines it. Measured: "the"
    before every noun phrase gains little more chrF and makes the gloss 10% longer."""
    before = next((t for t in reversed(out) if t.strip()), "")
    prev = before.split()[-1] if before else ""  # the last word: "be located at" → "at"
    if not (tag.startswith(_COMMON_NOUN) and english[:1].islower()
            and english.split()[0].lower() not in DETERMINERS):
        return False
    if prev.lower() in PREPOSITIONS:
        return True
    if prev_tag.startswith(("n", "a", "m", "q", "b")):
        return False  # inside a noun phrase: "economy growth", one article before it
    if prev_tag.startswith("v") and prev.isalpha() and prev.islower():
        return True  # the object of a verb: "announced the plan"
    return prev in _CLAUSE_END or prev == ""





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
