"""The words and names an outlet (a language) uses that the rest of the event does not,
tf-idf style over the event's own documents, with an English gloss for CJK terms.

Word choice is framing ("regime" against "government"); weighing terms against the other
sources of the same event, not a background corpus, shows what is particular to one of them.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from pipeline.framing.actors import Actor, actor_spans, display_name
from pipeline.framing.common import (
    CJK,
    cjk_lang,
    english_lemma,
    rounded,
    stop_words,
)
from pipeline.framing.quotes import EN_SPEECH
from pipeline.lang.analysers import jieba_posseg, kiwi, sudachi_tokenizer
from pipeline.lang.scripts import HAN, KANA
from pipeline.model import Document, Segment, per_document
from pipeline.summarize.extractive import display_text

TOP_TERMS = 8
TITLE_WEIGHT = 2  # headline words count twice, as in clustering
STEM_CHARS = 6  # term keys: 'explode', 'explosion', 'explosive' share 'explos' (as clustering)

_HAN_KANA = re.compile(f"[{KANA}{HAN}]")


def _stem(word: str) -> str:
    """A term key: the lemma's first `STEM_CHARS` letters (launched, launches → launch), as
    clustering keys its terms."""
    return english_lemma(word)[:STEM_CHARS]


def blank_spans(text: str, spans: Sequence[Actor]) -> str:
    """The text with the spans replaced by a separator (names are counted as entities)."""
    for a in sorted(spans, key=lambda a: -a.start):
        text = text[: a.start] + " | " + text[a.end:]
    return text


_ZH_STOP = frozenset([
    "我们", "他们", "你们", "这个", "那个", "这些", "那些", "以及", "进行", "表示", "认为", "可能", "已经", "目前", "其中",
    "因为", "所以", "但是", "而且", "如果", "一个", "没有", "就是", "还是", "这样", "通过", "对于", "关于", "由于", "成为",
    "作为", "同时"
])
_EN_EXTRA_STOP = frozenset("""
said says say told according also would could may might like additionally however including
meanwhile already recently monday tuesday wednesday thursday friday saturday sunday
""".split())  # noqa: SIM905 - a word list reads better as text


@dataclass
class TermBag:
    counts: Counter[str] = field(default_factory=Counter)
    surfaces: dict[str, Counter[str]] = field(default_factory=dict)
    langs: dict[str, str] = field(default_factory=dict)
    entity: dict[str, str] = field(default_factory=dict)  # key → actor key
    pairs: set[str] = field(default_factory=set)  # keys of adjacent word pairs
    sentences: Counter[str] = field(default_factory=Counter)  # sentences using each key

    def add(self, key: str, surface: str, lang: str, weight: int, entity: str | None = None,
            pair: bool = False) -> None:
        self.counts[key] += weight
        self.surfaces.setdefault(key, Counter())[surface] += weight
        self.langs.setdefault(key, lang)
        if entity:
            self.entity[key] = entity
        if pair:
            self.pairs.add(key)

    def update(self, other: TermBag) -> None:
        for key, count in other.counts.items():
            self.counts[key] += count
            self.surfaces.setdefault(key, Counter()).update(other.surfaces[key])
            self.langs.setdefault(key, other.langs[key])
            if key in other.entity:
                self.entity[key] = other.entity[key]
        self.pairs |= other.pairs
        self.sentences.update(other.sentences)


def cjk_terms(text: str, lang: str) -> list[str]:
    if lang == "zh":  # content words only: nouns, verbs, adjectives, idioms, abbreviations
        return [p.word for p in jieba_posseg().cut(text, HMM=False)
                if len(p.word) >= 2 and _HAN_KANA.search(p.word) and p.word not in _ZH_STOP
                and p.flag[:1] in ("n", "v", "a", "l", "i", "j")]
    if lang == "ja":
        return [m.surface() for m in sudachi_tokenizer("C").tokenize(text)
                if m.part_of_speech()[0] == "名詞" and m.part_of_speech()[1] in ("普通名詞", "固有名詞")
                and len(m.surface()) >= 2 and CJK.search(m.surface())]
    if lang == "ko":
        return [text[t.start:t.start + t.len] for t in kiwi().tokenize(text)
                if t.tag in ("NNG", "NNP") and t.len >= 2]
    return []


def english_terms(text: str) -> list[tuple[str, str]]:
    """(key, surface) for content words and adjacent content-word pairs."""
    stop = stop_words() | _EN_EXTRA_STOP
    out: list[tuple[str, str]] = []
    prev: tuple[str, str, int] | None = None
    for m in re.finditer(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|\S", text):
        word = re.sub(r"['’]s$", "", m.group()).lower()
        keep = word.isascii() and len(word) >= 3 and re.fullmatch(r"[a-z][a-z-]*", word) \
            and word not in stop and not EN_SPEECH.fullmatch(word)
        if not keep:
            prev = None
            continue
        out.append((_stem(word), word))
        if prev is not None and text[prev[2]:m.start()].strip() == "":
            out.append((f"{prev[0]} {_stem(word)}", f"{prev[1]} {word}"))
        prev = (_stem(word), word, m.end())
    return out


@per_document
def document_terms(doc: Document, gloss_keys: bool) -> TermBag:
    """Entity names (as language-free keys) and content words of a document; headline words
    weigh `TITLE_WEIGHT`. With `gloss_keys`, CJK words are keyed by their English dictionary
    gloss so the same word in two languages counts as one term."""
    bag = TermBag()
    for _, seg in doc.content_segments:
        # added straight into the document's bag (a bag per sentence, merged, was a fifth
        # of this); each key counts once per sentence in `sentences`, in first-use order
        used = _sentence_terms(seg, gloss_keys, bag)
        bag.sentences.update(used.keys())
    return bag


def _sentence_terms(seg: Segment, gloss_keys: bool, bag: TermBag) -> dict[str, None]:
    """Add one sentence's terms to `bag`; return the keys it used, in first-use order."""
    used: dict[str, None] = {}
    weight = TITLE_WEIGHT if seg.role == "title" else 1
    text = display_text(seg.text)
    spans = actor_spans(text, seg.lang, segmenter=False)
    for a in spans:
        bag.add("@" + a.key, a.surface, seg.lang, weight, a.key)
        used["@" + a.key] = None
    blanked = blank_spans(text, spans)
    if cjk_lang(seg.lang) and CJK.search(text):
        for word in cjk_terms(blanked, seg.lang):
            gloss = term_gloss(word, seg.lang) if gloss_keys else None
            key = (gloss_key(gloss) if gloss else None) or f"{seg.lang}:{word}"
            bag.add(key, word, seg.lang, weight)
            used[key] = None
    else:
        for key, surface in english_terms(blanked):
            bag.add(key, surface, "en", weight, pair=" " in key)
            used[key] = None
    return used


def gloss_key(gloss: str) -> str | None:
    words = [_stem(w) for w in re.findall(r"[a-z]+", gloss.lower())
             if w not in stop_words() and len(w) >= 3]
    return " ".join(words[:2]) or None


@cache
def _glosser(lang: str):
    """The offline dictionary glosser for lang → en (None if its dictionary is missing)."""
    try:
        if lang == "zh":
            from pipeline.translate.gloss_zh import CedictGlossTranslator

            return CedictGlossTranslator()
        if lang == "ja":
            from pipeline.translate.gloss_ja import JMdictGlossTranslator

            return JMdictGlossTranslator()
        if lang == "ko":
            from pipeline.translate.gloss_ko import KoreanGlossTranslator

            return KoreanGlossTranslator()
    except Exception:  # noqa: BLE001 - a gloss is a nicety, never a failure
        return None
    return None


@lru_cache(maxsize=65_536)  # ~10 MB: a batch asks for the same words every day
def term_gloss(word: str, lang: str) -> str | None:
    """An English dictionary gloss of one CJK word (tier gloss), or None."""
    glosser = _glosser(lang)
    if glosser is None:
        return None
    try:
        text = glosser.gloss(word).strip().rstrip(".")
    except Exception:  # noqa: BLE001
        return None
    return text.lower() if text and not CJK.search(text) else None


def distinctive(bags: dict[str, TermBag], top: int = TOP_TERMS) -> dict[str, list[dict[str, Any]]]:
    """Per group, its terms weighed against the other groups: (1 + ln tf) · ln((G + 1) / df),
    df = groups using the term; a term every group uses is not distinctive. A pair of
    words is shown when it recurs (two sentences) and none of its words is shown already."""
    groups = [g for g, bag in bags.items() if bag.counts]
    df: Counter[str] = Counter(k for g in groups for k in bags[g].counts)
    total = len(groups)
    out: dict[str, list[dict[str, Any]]] = {}
    for g in sorted(bags):
        bag = bags[g]
        scored = sorted((((1 + math.log(c)) * math.log((total + 1) / df[k]), c, k)
                         for k, c in bag.counts.items() if df[k] < total),
                        key=lambda x: (-x[0], -x[1], x[2] not in bag.pairs, x[2]))
        picked: list[tuple[float, int, str]] = []
        shown: set[str] = set()
        for score, count, key in scored:
            if len(picked) >= top:
                break
            words = set(key.split(" ")) if key in bag.pairs else {key}
            if key in bag.pairs and (bag.sentences[key] < 2 or words & shown):
                continue
            if key not in bag.pairs and key in shown:
                continue  # already shown inside a pair
            picked.append((score, count, key))
            shown |= words
        out[g] = [_term_entry(bag, key, score, count) for score, count, key in picked[:top]]
    return out


def _term_entry(bag: TermBag, key: str, score: float, count: int) -> dict[str, Any]:
    surfaces = bag.surfaces[key]
    surface = min(surfaces, key=lambda s: (-surfaces[s], s))
    lang = bag.langs[key]
    entry: dict[str, Any] = {"term": surface, "lang": lang, "score": rounded(score), "count": count}
    if key in bag.entity:
        entry["entity"] = bag.entity[key]
        if CJK.search(surface):
            entry["gloss"] = display_name(bag.entity[key])
    elif CJK.search(surface):
        gloss = term_gloss(surface, lang)
        if gloss:
            entry["gloss"] = gloss
    return entry
