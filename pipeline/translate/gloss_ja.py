"""Japanese → English dictionary gloss: SudachiPy morphemes looked up in JMdict / JMnedict.

The offline floor for Japanese. Lemmas are glossed with their first JMdict sense (or a curated
news word from pipeline/data/gloss_ja_en.toml), person names come from JMnedict (using the
reading Sudachi gives to pick 片山 = Katayama, not Kakuyama). A few rules move the output
toward English instead of dropping grammar:

* case particles become prepositions placed before their noun phrase (東京で → "in Tokyo",
  4日に → "on the 4th", 中国から → "from China"); は/が/を stay dropped;
* AのB becomes "B of A" (日本の首相 → "Prime Minister of Japan"), relational nouns go first
  (会議の後 → "after meeting"), pronouns become possessives (彼の → "his");
* verbs take English tense from their auxiliaries: た → past (said, announced), ない/ず/ぬ →
  "not"/"did not", れる/られる → "is/was" + participle, ている → "is/was" + -ing, and a サ変
  noun with する is turned into a verb (発表した → "announced");
* katakana words that JMdict lacks are romanised rather than left in kana.

Most of the remaining word order stays Japanese.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from pipeline.lang import jmdict
from pipeline.lang.analysers import sudachi_mode, sudachi_tokenizer
from pipeline.lang.numbers import find_cjk_numbers
from pipeline.lang.scripts import HAN_CHAR, KATAKANA_WORD
from pipeline.translate.english_verbs import gerund, participle, past
from pipeline.translate.gloss_zh import PUNCT, CjkToEnglishGloss, join_gloss

JA_OVERRIDES: dict[str, str] = {
    "米国": "US", "米": "US", "氏": "", "さん": "", "様": "", "さま": "", "君": "", "ちゃん": "",
    "たち": "", "達": "", "ら": "", "こと": "", "事": "", "もの": "", "物": "", "の": "",
    "よう": "like", "ため": "for", "為": "for", "等": "etc.", "など": "etc.", "予定": "plan",
    "会談": "talks", "首脳": "leader", "発表": "announce", "述べる": "say", "言う": "say",
    "できる": "can", "出来る": "can", "ある": "be", "有る": "be", "いう": "", "的": "",
    "中": "in", "日": "Japan", "政権": "administration", "副大統領": "Vice President",
    "大統領": "President", "首相": "Prime Minister", "トランプ": "Trump", "お": "", "ご": "",
    "御": "", "下さる": "please", "くださる": "please", "訪問": "visit", "取り組み": "effort",
    "取組": "effort", "レアアース": "rare earth",
}
_PHRASES = {"について": "about", "における": "in", "において": "in", "に対して": "against",
            "に対する": "against", "によって": "by", "による": "by", "により": "by",
            "として": "as", "とともに": "together with", "にとって": "for", "に関する": "on",
            "に関して": "on", "に向けて": "toward", "に向けた": "toward", "ための": "for",
            "かどうか": "whether", "によると": "according to", "によれば": "according to",
            "に対し": "against", "に関し": "on", "とされる": "", "という": "", "といった": "",
            "に基づく": "based on", "に基づいて": "based on", "に伴い": "with",
            "に伴う": "with", "を通じて": "through", "を巡る": "over", "をめぐる": "over",
            "をめぐって": "over", "を含む": "including", "を含め": "including",
            "ことができる": "can", "ことができた": "could", "ことができない": "cannot",
            "かもしれない": "may", "なければならない": "must", "なくてはならない": "must",
            "ようになった": "came to", "ようになる": "come to",
            "と同様に": "like", "と同様": "like", "と同じ": "same as", "ために": "for",
            "今までのところ": "so far", "今のところ": "for now", "にある": "in"}
# Postpositions that English puts before the noun phrase they follow (東京で → "in Tokyo").
_PREPOSITIONS = {"から": "from", "まで": "until", "より": "than", "へ": "to", "に": "to",
                 "で": "in"}
_PARTICLES = {"や": "and", "だけ": "only", "しか": "only", "ので": "because", "けれど": "but",
              "けれども": "but", "ば": "if", "ても": "even if", "でも": "even", "のに": "although",
              "か": "or"}
_NEGATION = {"ない", "ぬ", "ず", "ん", "無い"}
_AUX_VERBS = {"する", "為る", "いる", "居る", "おる", "ある", "有る", "いく", "行く",
              "くる", "来る", "しまう", "仕舞う", "おく", "置く", "みる", "見る", "くれる",
              "もらう", "貰う", "いただく", "頂く", "なる", "成る"}
# AのB where B is one of these: "B A", no "of" (会議の後 → "after meeting").
_RELATIONAL = {"後": "after", "前": "before", "中": "in", "間": "between", "上": "on",
               "下": "under", "際": "when", "時": "when", "ため": "for", "為": "for",
               "以外": "other than", "周辺": "around", "近く": "near", "代わり": "instead of",
               "うち": "among", "内": "in", "ほか": "besides", "外": "outside", "以来": "since",
               "直後": "right after", "最中": "during", "通り": "as", "よう": "like"}
_POSSESSIVE = {"彼": "his", "彼女": "her", "私": "my", "我々": "our", "私たち": "our",
               "彼ら": "their", "自分": "their own", "その": "its", "同社": "the company's",
               "他": "other", "ほか": "other", "多く": "many", "一部": "some", "全て": "all",
               "すべて": "all", "多数": "many", "これら": "these", "それら": "those",
               "各国": "each country's", "両国": "both countries'"}
_PLURAL_PRONOUNS = {"彼": "they", "彼女": "they", "私": "we", "僕": "we", "あなた": "you",
                    "君": "you", "我": "we"}
_POSS_PRONOUN = {"they": "their", "we": "our", "you": "your"}
_REPORTING = {"say"}
_STATIVE = {"be", "have", "know", "think", "say", "mean", "want", "need", "like", "believe",
            "seem", "exist", "differ", "understand", "feel", "include", "remain", "hope",
            "expect", "worry", "live", "belong", "depend", "can", "see", "hear"}
# Verbs before which と quotes rather than joins (と述べた "said", と考える "think").
_QUOTE_VERBS = {"述べる", "言う", "いう", "語る", "話す", "思う", "考える", "する", "為る",
                "見る", "みる", "見られる", "みられる", "書く", "報じる", "伝える", "発表",
                "指摘", "強調", "説明", "主張", "明らか", "答える", "回答", "判断", "予想",
                "期待", "批判", "表明", "記す", "呼ぶ", "なる", "成る", "言える", "感じる",
                "信じる", "願う", "述べ", "訴える", "求める", "結論", "発言"}
# Nouns that follow a person's name in Japanese and precede it in English.
_TITLES = {"首相", "大統領", "副大統領", "議長", "牧師", "神父", "教授", "博士", "社長",
           "会長", "監督", "長官", "知事", "市長", "議員", "上院議員", "下院議員", "大臣",
           "外相", "国務長官", "委員長", "総裁", "主席", "国王", "女王", "王子", "大使",
           "将軍", "判事", "外務大臣", "司令官", "首長", "容疑者", "被告", "医師",
           "氏", "夫人", "代表", "書記長", "総書記", "皇太子", "法王", "教皇", "師"}
_TIME_SUFFIX = {"年": "in", "月": "in", "日": "on", "時": "at", "曜日": "on", "曜": "on"}
_MAX_WORDS = 4
_LATIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.\-'&/+]*[A-Za-z0-9])?")
_KATAKANA = re.compile(f"[{KATAKANA_WORD}]+")
_NOMINAL = re.compile(r"(?:tion|sion|ment|ance|ence|ity|ness|ure|ism|ship|ery|ics|al)$")


@lru_cache(maxsize=1)
def load_tables() -> dict[str, dict[str, Any]]:
    """The curated tables in pipeline/data/gloss_ja_en.toml: words, suru verbs, irregulars."""
    text = resources.files("pipeline.data").joinpath("gloss_ja_en.toml").read_text("utf-8")
    return tomllib.loads(text)


def clean_gloss(gloss: str) -> str:
    """'(political) administration' → 'administration'; 'to state' → 'state'."""
    g = gloss
    for _ in range(2):
        g = re.sub(r"\([^()]*\)", " ", g)
    g = re.sub(r"\s+", " ", g).strip(" ,;:.")
    words = [w for w in g.removeprefix("to ").split() if w not in ("sb", "sth", "one's")]
    return " ".join(words).lstrip("-")  # suffix glosses: 店 "-store" → "store"


def _hira(kata: str) -> str:
    """Katakana → hiragana (Sudachi readings are katakana, JMdict kana forms hiragana)."""
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in kata)


def _pick_gloss(senses: Sequence[Any]) -> str | None:
    """First gloss of the first sense, unless a short one follows in the same sense."""
    for sense in senses:
        glosses = [c for g in sense.gloss if (c := clean_gloss(g))
                   and not c.startswith("counter for")]
        if glosses:
            short = [g for g in glosses if len(g.split()) <= _MAX_WORDS]
            return (short or glosses)[0]
    return None


# ---------------------------------------------------------------------- English verb forms
@dataclass(eq=False)
class _Verb:
    """A verb in the output whose English form waits for its auxiliaries (た, ない, れる …)."""

    base: str
    past: bool = False
    neg: bool = False
    passive: bool = False
    prog: bool = False
    want: bool = False
    can: bool = False  # 入手できる "can acquire"
    future: bool = False  # 文末の非過去: 拡大される "will be expanded"

    def words(self) -> list[str]:
        be = "was" if self.past else "is"
        no = ["not"] if self.neg else []
        if self.future and not (self.neg or self.prog or self.want or self.can):
            if self.passive:
                return ["will be", participle(self.base)]
            return ["will", self.base]
        if self.passive:
            return [be, *no, participle(self.base)]
        if self.prog:
            return [be, *no, gerund(self.base)]
        if self.want:
            return [*(["did not"] if self.neg and self.past else no),
                    "wanted to" if self.past and not self.neg else "want to", self.base]
        if self.base == "be" or self.base.startswith("be "):
            rest = self.base[3:]
            return [be, *no, *([rest] if rest else [])]
        if self.base == "can" or self.can:  # できなかった "could not", not "did not can"
            modal = ("could" if self.past else "can") + (" not" if self.neg else "")
            return [modal, *([self.base] if self.base != "can" else [])]
        if self.neg:
            return ["did not" if self.past else "not", self.base]
        if self.base in _REPORTING:  # と語る: news reports speech in the past ("said")
            return [past(self.base)]
        return [past(self.base) if self.past else self.base]


@dataclass(slots=True)
class _Tok:
    """One morpheme (or a Latin run / converted number standing in for one)."""

    surface: str
    lemma: str
    norm: str
    reading: str
    pos: tuple[str, ...]
    m: Any = None  # the Sudachi morpheme; None for Latin runs and numbers
    english: str | None = None  # fixed rendering (Latin runs, numbers)
    time: str = ""  # preposition for a date/time number ("on" the 4th)


def _fixed(surface: str, english: str, time: str = "") -> _Tok:
    return _Tok(surface, surface, surface, "", ("名詞", "固有名詞", "一般", "*", "*", "*"),
                None, english, time)


def _wrap(m: Any) -> _Tok:
    return _Tok(m.surface(), m.dictionary_form(), m.normalized_form(), m.reading_form(),
                tuple(m.part_of_speech()), m)


def _nounish(t: _Tok) -> bool:
    """Can this morpheme be part of a noun phrase (including its modifiers)?"""
    p0 = t.pos[0]
    if t.english is not None or p0 in ("名詞", "代名詞", "接頭辞", "形状詞", "連体詞"):
        return True
    if p0 == "接尾辞":
        return t.pos[1] in ("名詞的", "形状詞的")
    return p0 == "形容詞" and t.pos[5].startswith("連体形") and t.pos[1] != "非自立可能"


def _dotted(ms: list[_Tok], i: int) -> bool:
    """A katakana word joined to another by ・ is part of a foreign name (ボブ・ディラン)."""
    near = [ms[k] for k in (i - 1, i + 1) if 0 <= k < len(ms)]
    return bool(_KATAKANA.fullmatch(ms[i].surface) and ms[i].surface != "・"
                and any(m.surface == "・" for m in near))


def _clause_te(t: _Tok, nxt: _Tok | None, after: _Tok | None) -> bool:
    """て/で joining two clauses (逮捕されて、起訴された) reads "and"; before an auxiliary
    verb (している, してしまう) or inside a set phrase it stays silent."""
    if t.pos[1] != "接続助詞" or t.surface not in ("て", "で") or nxt is None:
        return False
    if nxt.surface == "、":
        nxt = after
    return nxt is not None and nxt.pos[1] != "非自立可能" and nxt.pos[0] not in (
        "助詞", "助動詞", "補助記号") and nxt.lemma not in _AUX_VERBS


def _ends_past(ms: list[_Tok], i: int) -> bool:
    """Does the sentence after position i end in a past-tense predicate (…た。)? Japanese
    marks tense once, on the last verb; English marks every verb of the sentence."""
    j = i + 1
    while j < len(ms) and ms[j].surface not in ("。", "！", "？", "「", "」"):
        j += 1
    tail = [m for m in ms[i + 1:j] if m.pos[0] in ("助動詞", "動詞", "助詞")][-3:]
    return any(m.lemma == "た" and m.pos[0] == "助動詞" for m in tail)


_EXIST = {"ある", "有る", "いる", "居る", "住む", "位置", "存在", "滞在", "残る", "おる"}


def _existence_follows(ms: Sequence[_Tok]) -> bool:
    """Is the next verb one of being somewhere (ある, いる, 住む)? Then に means "in"."""
    for m in ms:
        if m.pos[0] == "動詞" or (m.pos[0] == "名詞" and "サ変" in m.pos[2]
                                 and m.lemma in _EXIST):
            return m.lemma in _EXIST
        if m.surface in ("、", "。"):
            return False
    return False


def _cap(word: str | _Verb) -> Any:
    return word[:1].upper() + word[1:] if isinstance(word, str) else word


def _is_title(t: _Tok, words: list[str]) -> bool:
    """A title after a name goes before it in English (首相, 大統領, 博士, 牧師 …)."""
    return t.lemma in _TITLES or (t.pos[1] == "普通名詞" and words[0][:1].isupper()
                                  and not _KATAKANA.search(t.surface))


class JMdictGlossTranslator(CjkToEnglishGloss):
    """ja → en word gloss (tier "gloss"); JMdict through `pipeline.lang.jmdict`, one Sudachi
    tokenizer per thread."""

    name = "gloss-jmdict"
    src, tgt = "ja", "en"

    def __init__(self, overrides: dict[str, str] | None = None) -> None:
        tables = load_tables()
        self._overrides = {**tables["words"], **JA_OVERRIDES, **(overrides or {})}
        self._suru: dict[str, str] = tables["suru"]
        self._pos_words: dict[str, str] = tables["pos_words"]
        self._words: dict[tuple[str, ...], str | None] = {}
        self._names: dict[tuple[str, str, str], str | None] = {}

    # ------------------------------------------------------------------ per-thread resources
    # ------------------------------------------------------------------ glossing
    def gloss(self, text: str) -> str:
        """Numbers, Latin runs and morphemes go through one pass, so particles after a number
        (4日に → "on the 4th") or a Latin name can still move in front of it."""
        if not text.strip():
            return ""
        toks: list[_Tok] = []
        pos = 0
        for start, end, replacement in find_cjk_numbers(text):
            toks += self._morphemes(text[pos:start])
            span = text[start:end]
            time = next((p for suffix, p in _TIME_SUFFIX.items() if span.endswith(suffix)), "")
            toks.append(_fixed(span, replacement, time))
            pos = end
        toks += self._morphemes(text[pos:])
        return join_gloss(self._render(toks))

    def _tokens(self, chunk: str) -> list[str]:
        return self._render(self._morphemes(chunk))

    def _morphemes(self, chunk: str) -> list[_Tok]:
        """Sudachi over the whole chunk (so 1つである parses as one clause), with each Latin
        run (G7, F-35) merged back into one token."""
        if not chunk.strip():
            return []
        spans = [(m.start(), m.end()) for m in _LATIN.finditer(chunk)]
        out: list[_Tok] = []
        k = 0
        for m in sudachi_tokenizer("C").tokenize(chunk):
            while k < len(spans) and spans[k][1] <= m.begin():
                k += 1
            if k < len(spans) and spans[k][0] <= m.begin() < spans[k][1]:
                latin = chunk[spans[k][0]:spans[k][1]]
                if not (out and out[-1].english == latin and out[-1].m is None):
                    out.append(_fixed(latin, latin))
                continue
            out.append(_wrap(m))
        return out

    def _render(self, ms: list[_Tok]) -> list[str]:  # one pass, many rules
        out: list[str | _Verb] = []
        np_start: int | None = None  # where the open noun phrase starts in `out`
        np_first: _Tok | None = None  # its first morpheme
        np_last: _Tok | None = None  # its last morpheme
        of_stack: list[tuple[list[str | _Verb], str]] = []  # AのB: A waiting for B to end
        closed: tuple[int, _Tok | None, _Tok | None] | None = None  # the NP that just ended
        verb: _Verb | None = None  # the verb that auxiliaries attach to
        last_content = 0  # where the last content word's gloss starts, for "not" placement
        args: int | None = None  # where the verb's first object/adjunct starts (SOV → SVO)
        name_at: int | None = None  # where a person's name starts in the open noun phrase
        ga_at: int | None = None  # where the last subject marked by が starts

        def place_verb(v: _Verb) -> None:
            """Emit a verb; it jumps before the objects and adjuncts of its clause."""
            nonlocal args
            emit([v])
            if args is not None and args < len(out) - 1:
                out.insert(args, out.pop())
            args = None

        def close_np() -> None:
            nonlocal np_start, np_first, np_last, closed, name_at
            if np_start is None:
                return
            start = np_start
            if len(out) == start:  # AのB with no B output: A stays where it was
                while of_stack:
                    out.extend(of_stack.pop()[0])
            single = len(out) - start == 1
            while of_stack:
                a, how = of_stack.pop()
                if how == "poss" or (np_first is not None and np_first.pos[2] == "人名"):
                    out[start:start] = a  # 彼の本 "his book"; 財務相の片山 "minister Katayama"
                elif (single and np_first is not None and np_first.lemma in _RELATIONAL
                      and np_first is np_last):
                    out[start:] = [_RELATIONAL[np_first.lemma], *a]
                else:
                    out.extend(["of", *a])
                single = False
            closed = (start, np_first, np_last)
            np_start = np_first = np_last = None
            name_at = None

        def emit(words: list[str | _Verb], tok: _Tok | None = None) -> None:
            """Append non-noun output: ends the noun phrase first."""
            nonlocal closed, last_content
            close_np()
            closed = None
            if tok is not None and not tok.pos[0].startswith(("助", "補助記号")):
                last_content = len(out)
            out.extend(words)

        def definite(np: tuple[int, _Tok | None, _Tok | None], article: str = "the") -> None:
            """A common-noun subject or object takes 'the' (政府は → 'the government')."""
            first, head = np[1], out[np[0]] if np[0] < len(out) else None
            if (first is not None and first.pos[1] == "普通名詞" and first.pos[2] != "副詞可能"
                    and isinstance(head, str) and head[:1].islower() and head.isascii()
                    and head.split()[0] not in _DETERMINERS):
                out.insert(np[0], article)

        def preposition(word: str | _Verb) -> None:
            """Put `word` before the noun phrase that just ended, or here if none did."""
            nonlocal closed
            close_np()
            if closed is not None:
                out.insert(closed[0], word)
            else:
                out.append(word)
            closed = None

        i = 0
        while i < len(ms):
            t = ms[i]
            nxt = ms[i + 1] if i + 1 < len(ms) else None
            prev = ms[i - 1] if i else None
            p0 = t.pos[0]
            # -- fixed phrases (について "about", と述べた is handled by the verb rules)
            phrase = next((k for k in (4, 3, 2) if "".join(m.surface for m in ms[i:i + k])
                           in _PHRASES), 0)
            if phrase:
                word = _PHRASES["".join(m.surface for m in ms[i:i + phrase])]
                end = ms[i + phrase] if i + phrase < len(ms) else None
                if word == "" and ms[i].surface == "と" and end is not None and (
                        end.surface in ("。", "」")):
                    word = "said"  # 文末の「…という。」: hearsay, "(he) said"
                if word in ("can", "could", "cannot", "may", "must") and verb is not None:
                    emit([])
                    at = next(k for k, w in enumerate(out) if w is verb)
                    out.insert(at, word)
                elif word and word.split()[-1] in ("about", "in", "against", "by", "as", "for",
                                                   "on", "toward", "with", "over", "through",
                                                   "including", "from"):
                    preposition(word)
                elif word:
                    emit([word])
                verb = None
                i += phrase
                continue
            # -- noun-phrase material
            if t.english is not None or (p0 in ("名詞", "代名詞", "接頭辞") or (
                    p0 == "接尾辞" and t.pos[1] == "名詞的")):
                if (t.pos[1] == "普通名詞" and "サ変" in t.pos[2] and nxt is not None
                        and nxt.lemma in ("する", "為る", "できる", "出来る")
                        and nxt.pos[0] == "動詞"):
                    v = self._suru_verb(t)
                    if v is not None:
                        verb = _Verb(v, can=nxt.lemma not in ("する", "為る"))
                        place_verb(verb)
                        i += 2
                        continue
                words, i = self._noun(ms, i)
                if np_start is None:
                    np_start, np_first, name_at = len(out), t, None
                    closed = None
                np_last = ms[i - 1]
                last_content = len(out)
                foreign = bool(_KATAKANA.fullmatch(t.surface)) and self._word(t) is None
                dotted = foreign and _dotted(ms, i - 1)
                if dotted:
                    words = [_cap(w) for w in words]  # レセップ・タイップ
                if name_at is not None and words and _is_title(t, words):
                    out[name_at:] = [*words, *map(_cap, out[name_at:])]  # ザエフ首相
                    name_at += len(words)
                else:
                    if t.pos[2] == "人名" or foreign:
                        name_at = len(out) if name_at is None else name_at
                    else:
                        name_at = None
                    out.extend(words)
                verb = None
                continue
            if p0 in ("形状詞", "連体詞") or (p0 == "形容詞" and _nounish(t)):
                word = self._adnominal(t, prev)
                if nxt is not None and _nounish(nxt) or (
                        nxt is not None and nxt.surface == "な" and i + 2 < len(ms)
                        and _nounish(ms[i + 2])):
                    if np_start is None:
                        np_start, np_first = len(out), t
                        closed = None
                    np_last = t
                    last_content = len(out)
                    out.extend(word)
                else:
                    emit(word, t)
                verb = None
                i += 1
                continue
            if p0 == "助動詞" and t.lemma == "だ" and t.surface == "な":
                i += 1  # 形状詞 + な before a noun: stays inside the noun phrase
                continue
            # -- particles
            if p0 == "助詞":
                s = t.surface
                if t.pos[1] == "格助詞" and s == "の" and np_start is not None:
                    if nxt is not None and _nounish(nxt) and nxt.lemma not in ("こと", "もの"):
                        a = out[np_start:]
                        del out[np_start:]
                        poss = (len(a) == 1 and np_first is not None
                                and np_first.lemma in _POSSESSIVE)
                        if len(a) == 1 and a[0] in _POSS_PRONOUN:
                            a, poss = [_POSS_PRONOUN[a[0]]], True  # type: ignore[index]
                        elif poss:
                            a = [_POSSESSIVE[np_first.lemma]]  # type: ignore[union-attr]
                        elif (np_first is not None and np_first.pos[1] == "固有名詞" and a
                              and a[-1][:1].isupper() and a[-1].isascii()):
                            # セインズベリーの計画 → "Sainsbury's plan": a name owns
                            a = [*a[:-1], a[-1] + ("'" if a[-1].endswith("s") else "'s")]
                            poss = True
                        of_stack.append((a, "poss" if poss else "of"))
                        np_start, np_first = len(out), None
                        i += 1
                        np_first = nxt
                        continue
                    i += 1
                    continue
                if t.pos[1] == "接続助詞" and s in ("が", "から"):
                    emit(["but" if s == "が" else "because"], t)
                elif t.pos[1] == "格助詞" and s == "と":
                    after = nxt.lemma if nxt is not None else ""
                    quoting = (after in _QUOTE_VERBS or (prev is not None and prev.surface in
                                                         "」』\"") or (nxt is not None and nxt.pos[0] in (
                        "助詞", "補助記号")) or (prev is not None and prev.pos[0] in (
                            "動詞", "助動詞", "形容詞")))
                    if quoting:
                        close_np()
                        closed = None
                    elif nxt is not None and _nounish(nxt) and np_start is not None:
                        close_np()
                        out.append("and")
                        closed = None
                    else:
                        preposition("with")
                elif t.pos[1] == "格助詞" and s in _PREPOSITIONS:
                    word = self._case(s, closed_np=np_start, last=np_last, prev=prev,
                                      nxt=nxt, nxt_all=ms[i + 1:i + 8])
                    close_np()
                    if closed is not None and args is None and word not in ("than",):
                        args = closed[0]
                    if word:
                        preposition(word)
                    else:
                        closed = None
                elif s in _PARTICLES:
                    emit([_PARTICLES[s]], t)
                elif _clause_te(t, nxt, ms[i + 2] if i + 2 < len(ms) else None):
                    if verb is not None and _ends_past(ms, i):
                        verb.past = True  # 行って、話した: "went, and talked"
                    comma = nxt is not None and nxt.surface == "、"
                    emit([",", "and"] if comma else ["and"], t)
                    if comma:
                        args, verb = None, None
                        i += 2
                        continue
                elif s in ("を", "は", "が", "も"):
                    close_np()
                    ga_at = closed[0] if closed is not None and s in ("が", "も") else None
                    if closed is not None:
                        definite(closed)
                        if s == "を" and args is None:
                            args = closed[0]
                    if s != "を":
                        args = None
                    closed = None
                else:
                    close_np()
                    closed = None
                verb = None if s not in ("て", "で") else verb
                i += 1
                continue
            # -- punctuation
            if t.surface == "・" and np_start is not None and nxt is not None and (
                    _nounish(nxt)):
                i += 1  # ボブ・ディラン: one name, the noun phrase stays open
                continue
            if p0 in ("補助記号", "記号", "空白"):
                if t.surface == "、" and verb is not None and prev is not None and (
                        prev.pos[5].startswith("連用形")) and prev.pos[0] in ("動詞", "助動詞"):
                    verb.past = verb.past or _ends_past(ms, i)
                    emit([",", "and"], t)  # 参加し、発言した: "participated, and said"
                    args, verb = None, None
                    i += 1
                    continue
                if t.surface == "。" and verb is not None and not verb.past and (
                        verb.base not in _STATIVE and prev is not None and prev.pos[0] in (
                            "動詞", "助動詞")):
                    verb.future = True  # news: a plain sentence-final verb is a plan
                mark = PUNCT.get(t.surface, t.surface) if t.surface.strip() else ""
                emit([mark] if mark else [], t)
                if t.surface in ("。", "！", "？", "、"):
                    args = None
                verb = None
                i += 1
                continue
            # -- auxiliaries and verbs
            if t.lemma in _NEGATION and (p0 == "助動詞" or t.pos[1] == "非自立可能"):
                if verb is not None:
                    verb.neg = True
                else:
                    close_np()
                    closed = None
                    out.insert(min(last_content, len(out)), "not")
                i += 1
                continue
            if p0 == "助動詞":
                lemma = t.lemma
                if verb is not None:
                    if lemma == "た" and not t.pos[5].startswith("仮定形"):
                        verb.past = True
                    elif lemma in ("れる", "られる"):
                        verb.passive = True
                    elif lemma == "たい":
                        verb.want = True
                elif lemma in ("だ", "です") and (nxt is None or nxt.pos[0] != "助詞"
                                                or nxt.surface == "は") and (
                        prev is not None and prev.pos[0] in ("名詞", "代名詞", "形状詞",
                                                            "接尾辞")):
                    if t.surface != "で" or (nxt is not None and nxt.lemma in ("ある", "は")):
                        verb = _Verb("be")
                        preposition(verb)  # 問題である: "is a problem", the copula first
                elif lemma == "たい":
                    emit(["want to"], t)
                i += 1
                continue
            if p0 == "動詞":
                after_te = prev is not None and prev.surface in ("て", "で") and prev.pos[
                    0] == "助詞"
                if t.pos[1] == "非自立可能" and t.lemma in _AUX_VERBS and (
                        t.lemma in ("する", "為る") or after_te or prev is None
                        or "サ変" in prev.pos[2]):
                    if after_te and verb is not None and t.lemma in ("いる", "居る", "おる"):
                        verb.prog = True
                    elif not after_te and t.lemma in ("する", "為る") and verb is None and (
                            prev is not None and prev.surface == "と"):
                        verb = _Verb("say")
                        emit([verb], t)
                    i += 1
                    continue
                if t.lemma in ("ある", "有る") and verb is not None and verb.base == "be":
                    i += 1  # である: the copula is already out
                    continue
                if t.lemma in ("ある", "有る") and t.pos[5].startswith("連体形") and (
                        prev is None or prev.pos[0] in ("補助記号",) or prev.surface == "の"
                ) and nxt is not None and _nounish(nxt):
                    if np_start is None:
                        np_start, np_first, closed = len(out), t, None
                    np_last = t
                    out.append("a")  # ある議員 "a lawmaker"
                    i += 1
                    continue
                word = self._content(t)
                verb = _Verb(word[0]) if len(word) == 1 and word[0] else None
                if verb is not None and word == ["be"] and ga_at is not None and (
                        ga_at < len(out) and prev is not None and prev.surface in ("が", "も")):
                    emit([])
                    if out[ga_at] == "the":
                        out[ga_at] = "a"
                    out[ga_at:ga_at] = ["there", verb]  # 問題がある: "there is a problem"
                elif verb is not None:
                    place_verb(verb)
                else:
                    emit(word, t)
                i += 1
                continue
            emit(self._content(t), t)
            verb = None
            i += 1
        close_np()
        words: list[str] = []
        verbs: set[int] = set()  # positions of verb words: no "the" before them
        for w in out:
            if isinstance(w, _Verb):
                verbs.add(len(words))
                words += w.words()
            else:
                words.append(w)
        return _glue_prefixes(_articles(_agree(words), verbs))

    def _case(self, s: str, closed_np: int | None, last: _Tok | None, prev: _Tok | None,
              nxt: _Tok | None, nxt_all: Sequence[_Tok] = ()) -> str:
        """English preposition for a case particle after a noun phrase ('' drops it)."""
        if prev is None or prev.pos[0] in ("補助記号",):
            return _PREPOSITIONS[s] if s != "に" else ""
        if s in ("に", "で") and (prev.pos[0] in ("形状詞", "助動詞") or prev.lemma == "的"
                                or prev.pos[0] == "動詞"):
            return ""  # 積極的に: an adverb, not a place
        if s in ("に", "で") and nxt is not None and nxt.lemma in ("なる", "成る", "する"):
            return ""  # 〜になる "become", 〜にする "make"
        if s in ("に", "まで", "から") and last is not None:
            if last.time:
                return last.time if s == "に" else _PREPOSITIONS[s]
            unit = next((p for suffix, p in _TIME_SUFFIX.items() if last.surface.endswith(
                suffix)), "")
            if unit and last.pos[2] in ("副詞可能", "助数詞可能", "助数詞"):
                return unit if s == "に" else _PREPOSITIONS[s]
            if s == "に" and last.pos[2] == "副詞可能":
                return "in"
        if s in ("に", "で") and closed_np is None:
            return ""
        if s == "に" and _existence_follows(nxt_all):
            return "in"  # 公園に犬がいる: "in the park"
        return _PREPOSITIONS[s]

    def _noun(self, ms: list[_Tok], i: int) -> tuple[list[str], int]:
        """English words for the noun (or person-name run) at i, and where the next one is."""
        t = ms[i]
        if t.english is not None:
            return [t.english], i + 1
        plural = ms[i + 1].lemma if i + 1 < len(ms) else ""
        if t.lemma in _PLURAL_PRONOUNS and plural in ("ら", "たち", "達", "等"):
            return [_PLURAL_PRONOUNS[t.lemma]], i + 2  # 彼ら "they", 私たち "we"
        if t.pos[2] == "人名":
            j = i
            while j < len(ms) and ms[j].m is not None and ms[j].pos[2] == "人名":
                j += 1
            return [self._person(ms[i:j])], j
        return [w for w in self._content(t) if w], i + 1

    def _adnominal(self, t: _Tok, prev: _Tok | None) -> list[str]:
        if t.lemma in ("ある", "或る") and t.pos[0] == "連体詞":
            return ["a"]
        return [w for w in self._content(t) if w]

    def _suru_verb(self, t: _Tok) -> str | None:
        """発表 + する → 'announce': the curated verb, else the noun if it reads as a verb."""
        if t.lemma in self._suru:
            return self._suru[t.lemma]
        word = self._word(t)
        if not word or " " in word or not word.isascii():
            return None
        if word.endswith("ment") and len(word) > 7:
            return word[:-4]
        return None if _NOMINAL.search(word) or word.endswith("ing") else word

    def _content(self, t: _Tok) -> list[str]:
        """Gloss of a content morpheme; unknown words are split, then romanised or kept."""
        if t.english is not None:
            return [t.english]
        word = self._word(t)
        if word is not None:
            return [word] if word else []
        pieces = t.m.split(sudachi_mode("A")) if t.m is not None else []
        if len(pieces) > 1:
            return [w for p in pieces for w in self._content(_wrap(p)) if w]
        if _KATAKANA.fullmatch(t.surface):
            roman = romanize(t.surface)
            return [roman.capitalize() if t.pos[1] == "固有名詞" else roman] if roman else []
        return [t.surface]  # unknown: show the original rather than guess

    def _word(self, m: _Tok) -> str | None:
        """Gloss for a morpheme's lemma, or None when JMdict lacks it."""
        lemma, norm = m.lemma, m.norm
        for key in (f"{lemma}:{m.pos[1]}", f"{lemma}:{m.pos[0]}"):  # そう:副詞 "so"
            if key in self._pos_words:
                return self._pos_words[key]
        for key in dict.fromkeys((m.surface, lemma, norm)):
            if key in self._overrides:
                return self._overrides[key]
        reading = _hira(m.reading)
        # everything the answer depends on: keyed on the lemma alone, the first part of
        # speech seen (トム as a common noun) would decide every later one (トム as a name),
        # and a gloss would depend on what the process glossed before
        key = (lemma, norm, reading, m.pos[1], m.pos[2])
        if key not in self._words:
            found = self._lookup(lemma, reading)
            if found is None and norm != lemma and not _KATAKANA.search(lemma):
                found = self._lookup(norm, reading)
            if m.pos[1] == "固有名詞" and _KATAKANA.fullmatch(lemma) and m.pos[2] == "地名":
                found = self._name(lemma, reading, "place") or found  # イラン: Iran
            if found is None and m.pos[1] == "固有名詞":
                found = self._name(lemma, reading, "place")
            self._words[key] = found
        return self._words[key]

    def _lookup(self, query: str, reading: str) -> str | None:
        if not query or re.search(r"[%?_]", query):
            return None
        entries = jmdict.words(query)
        if not entries:
            return None
        kana_query = not HAN_CHAR.search(query)

        def rank(entry: Any) -> tuple[int, int, int]:
            kanji = [k.text for k in entry.kanji_forms]
            kana = [k.text for k in entry.kana_forms]
            usually_kana = any("kana alone" in x for s in entry.senses[:1] for x in s.misc)
            if kana_query:
                spelled = query in kana and (usually_kana or not kanji)
            else:
                spelled = query in kanji
            common = any(f.pri for f in (*entry.kanji_forms, *entry.kana_forms))
            return (0 if spelled else 1, 0 if reading in kana else 1, 0 if common else 1)

        best = min(entries, key=rank)  # min is stable: JMdict order breaks ties
        return _pick_gloss(best.senses)

    def _person(self, ms: Sequence[_Tok]) -> str:
        """A run of 人名 morphemes: the full name in JMnedict, else each part by its reading."""
        full = "".join(m.surface for m in ms)
        reading = "".join(_hira(m.reading) for m in ms)
        found = self._name(full, reading, "person") if len(ms) > 1 else None
        if found:
            return found
        parts = []
        for m in ms:
            kind = {"姓": "surname", "名": "given"}.get(m.pos[3], "person")
            parts.append(self._name(m.surface, _hira(m.reading), kind)
                         or self._word(m) or self._unknown_name(m))
        return " ".join(parts)

    def _unknown_name(self, m: _Tok) -> str:
        """A name neither dictionary has (ドナルド・トランプ, トランプ大統領): its short-unit
        pieces, titles first and katakana romanised, never kana left in the English."""
        pieces = [_wrap(p) for p in m.m.split(sudachi_mode("A"))] if m.m is not None else []
        pieces = pieces or [m]
        names: list[str] = []
        titles: list[str] = []
        for p in pieces:
            if p.surface == "・":
                continue
            if _KATAKANA.fullmatch(p.surface):
                found = (self._name(p.surface, _hira(p.reading), "person") or self._word(p)
                         or romanize(p.surface).capitalize())
                names.append(found)
            elif len(pieces) > 1:
                titles += self._content(p)
            else:
                names.append(p.surface)
        return " ".join([*titles, *names])

    def _name(self, query: str, reading: str, kind: str) -> str | None:
        """Romanised name from JMnedict, preferring the entry read the way Sudachi reads it."""
        key = (query, reading, kind)
        if key in self._names:
            return self._names[key]
        found = None
        if query and not re.search(r"[%?_]", query):
            names = jmdict.names(query)
            types = {"surname": {"surname"}, "given": {"given", "fem", "masc"},
                     "place": {"place"}}.get(kind, set())

            def rank(n: Any) -> tuple[int, int]:
                ntypes = {t for s in n.senses for t in s.name_type}
                return (0 if reading in [k.text for k in n.kana_forms] else 1,
                        0 if ntypes & types or kind == "person" else 1)

            if names:
                best = min(names, key=rank)
                found = _pick_gloss(best.senses)
        self._names[key] = found
        return found


_KANA_ROMAJI = {
    "キャ": "kya", "キュ": "kyu", "キョ": "kyo", "シャ": "sha", "シュ": "shu", "ショ": "sho",
    "シェ": "she", "チャ": "cha", "チュ": "chu", "チョ": "cho", "チェ": "che", "ニャ": "nya",
    "ニュ": "nyu", "ニョ": "nyo", "ヒャ": "hya", "ヒュ": "hyu", "ヒョ": "hyo", "ミャ": "mya",
    "ミュ": "myu", "ミョ": "myo", "リャ": "rya", "リュ": "ryu", "リョ": "ryo", "ギャ": "gya",
    "ギュ": "gyu", "ギョ": "gyo", "ジャ": "ja", "ジュ": "ju", "ジョ": "jo", "ジェ": "je",
    "ビャ": "bya", "ビュ": "byu", "ビョ": "byo", "ピャ": "pya", "ピュ": "pyu", "ピョ": "pyo",
    "ファ": "fa", "フィ": "fi", "フェ": "fe", "フォ": "fo", "ティ": "ti", "ディ": "di",
    "トゥ": "tu", "ドゥ": "du", "ウィ": "wi", "ウェ": "we", "ウォ": "wo", "ヴァ": "va",
    "ヴィ": "vi", "ヴェ": "ve", "ヴォ": "vo", "デュ": "dyu", "テュ": "tyu",
}
_KANA1 = dict(zip(
    "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン"
    "ガギグゲゴザジズゼゾダヂヅデドバビブベボパピプペポヴァィゥェォャュョヮ",
    ["a", "i", "u", "e", "o", "ka", "ki", "ku", "ke", "ko", "sa", "shi", "su", "se", "so", "ta",
     "chi", "tsu", "te", "to", "na", "ni", "nu", "ne", "no", "ha", "hi", "fu", "he", "ho", "ma",
     "mi", "mu", "me", "mo", "ya", "yu", "yo", "ra", "ri", "ru", "re", "ro", "wa", "o", "n", "ga",
     "gi", "gu", "ge", "go", "za", "ji", "zu", "ze", "zo", "da", "ji", "zu", "de", "do", "ba",
     "bi", "bu", "be", "bo", "pa", "pi", "pu", "pe", "po", "vu", "a", "i", "u", "e", "o", "ya",
     "yu", "yo", "wa"], strict=True))


def romanize(kana: str) -> str:
    """Katakana → Hepburn-style letters (カムリ → kamuri), a last resort for loanwords."""
    out: list[str] = []
    i, double = 0, False
    while i < len(kana):
        pair, ch = kana[i:i + 2], kana[i]
        if pair in _KANA_ROMAJI:
            syl, i = _KANA_ROMAJI[pair], i + 2
        elif ch == "ッ":
            double, i = True, i + 1
            continue
        elif ch in "ー・":
            i += 1
            continue
        else:
            syl, i = _KANA1.get(ch, ""), i + 1
        if double and syl:
            syl = ("t" if syl.startswith("ch") else syl[0]) + syl
            double = False
        out.append(syl)
    return "".join(_drop_epenthetic(out))


_EPENTHETIC = re.compile(r"(?:[kszfbgpmr]u|[td]o)")


def _drop_epenthetic(syls: list[str]) -> list[str]:
    """Katakana adds a vowel after a lone consonant (ダニウス = Danius, ヌグロホ = Nugroho):
    drop u/o after k s z f b g p m r / t d at the end or before another consonant."""
    out = list(syls)
    dropped = False
    for k, syl in enumerate(syls):
        nxt = syls[k + 1] if k + 1 < len(syls) else ""
        before_consonant = nxt[:1] not in ("", "a", "i", "u", "e", "o", "y") and nxt != "n"
        first_ok = k > 0 or nxt[:1] == "r" or (syl == "su" and nxt[:1] in "tkpmnw")
        drop = (len(syls) > 2 and first_ok and not dropped and _EPENTHETIC.search(syl)
                is not None and len(syl) <= 3 and syl[-2] not in "aeiou"
                and (not nxt or before_consonant))
        if drop:
            out[k] = syl[:-1]
        dropped = drop
    return out


_PREP_WORDS = {"of", "in", "to", "from", "on", "at", "with", "for", "by", "about", "than",
               "after", "before", "against", "under", "among", "through", "over", "toward",
               "until", "between", "during", "around", "near", "outside", "including"}
_DETERMINERS = {"a", "an", "the", "this", "that", "these", "those", "his", "her", "its", "my",
                "our", "their", "your", "each", "every", "some", "many", "all", "other", "both",
                "any", "no", "more", "most", "he", "she", "they", "it", "we", "i", "you", "one",
                "not", "what", "which", "who", "whether", "such", "several", "few", "last",
                "next", "same", "whole", "much", "less", "only", "even", "also", "very"}


def _articles(words: list[str], verbs: set[int]) -> list[str]:
    """'in field' → 'in the field': a common noun after a preposition takes 'the'."""
    out: list[str] = []
    for k, w in enumerate(words):
        out.append(w)
        nxt = words[k + 1] if k + 1 < len(words) else ""
        if (w in _PREP_WORDS and k + 1 not in verbs and nxt[:1].islower() and nxt.isascii()
                and nxt.split()[0] not in _DETERMINERS and not nxt.endswith("-")):
            out.append("the")
    return out


_PLURAL_SUBJECT = {"they", "we", "you", "They", "We", "You", "people", "both"}


def _agree(words: list[str]) -> list[str]:
    """'they is' → 'they are', 'we was' → 'we were', 'I is' → 'I am': the verb form
    follows a pronoun subject right before it."""
    out = list(words)
    for k in range(1, len(out)):
        w, before = out[k], out[k - 1]
        if w in ("is", "was") and before in _PLURAL_SUBJECT:
            out[k] = "are" if w == "is" else "were"
        elif w == "is" and before == "I":
            out[k] = "am"
    return out


def _glue_prefixes(words: list[str]) -> list[str]:
    """JMdict prefixes end in '-' (再 → 're-'): attach them to the next word."""
    out: list[str] = []
    for w in words:
        if out and out[-1].endswith("-") and w[:1].isalpha():
            out[-1] += w
        else:
            out.append(w)
    return out
