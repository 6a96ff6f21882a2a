"""Framing comparison per event: how each outlet and each language tells the same event.

Researchers compare coverage of one event across outlets and languages. For every event this
module builds `Event.framing` (JSON `events[].framing`, a table in digest.md and digest.html):

- `facts`: the event's key facts (its summary sentences in the first output language) and,
  per outlet and per language, which of them each one carries, states with other figures, or
  omits, each with the segment that shows it;
- `quoted`: the actors each outlet quotes (a name attached to a speech verb, "according
  to", or a quotation in the same sentence), with the sentences as evidence;
- `number_conflicts`: figures that differ between sources on the same quantity (same unit
  and the same words around the number), never a year against a percentage nor the two ends
  of a range;
- `distinctive_terms`: the words and names an outlet (a language) uses that the rest of the
  event does not, tf-idf style, with an English gloss for CJK terms;
- `headlines`: every headline (copies included) with its English translation, its actors in
  order, whether it asks a question, and the terms it shares or not with the other headlines.

Only the event's clustered documents are compared as sources. Copies folded into the event
(reprints, translations) are not separate voices: they carry their original's facts by
construction, so they inherit its fact coverage, but their own headlines and quotes are read,
since a republisher or translator may reframe a headline. Nothing is embedded again: sentence
vectors come from `embed_segments`. See docs/framing.md for the fields, thresholds and limits.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from typing import Any

import numpy as np

from pipeline.config import Config
from pipeline.entities import load_glossary
from pipeline.eval.metrics import amounts, tokenize
from pipeline.model import Document, Event, Segment, SummarySentence
from pipeline.summarize.extractive import display_text
from pipeline.translate.numbers import cjk_numbers_to_english

# --------------------------------------------------------------------------- thresholds

# A fact is carried by a document in the fact's own language when its closest sentence there
# is at least `Config.paraphrase_similarity` (0.9, the bar summaries cite sources at) and the
# two are each other's best match. On the seeds, true paraphrases across the two outlets of the
# minerals event score 0.918-0.962 and the closest non-paraphrase 0.909.
# Across languages the embedder scores true translations lower (NTREX en↔zh/ja/ko: median
# 0.85, 5th percentile 0.81) and topical non-translations nearly as high (95th percentile
# 0.82-0.83), so a cosine alone cannot decide; the ratio-margin of Artetxe & Schwenk (2019)
# (cosine over the mean of each side's `MARGIN_K` nearest neighbours) plus mutual best match
# can: on 60 NTREX articles a margin of 1.02, a cosine floor of 0.82 and mutual best match
# keep 85-95% of true translations and admit 1-1.4% of other sentences (optimistic: there
# every other sentence has its own translation beside it, which mutual best match exploits).
CROSS_LANG_COSINE = 0.82
CROSS_LANG_MARGIN = 1.02
MARGIN_K = 3
MUTUAL_SLACK = 0.005  # a best match may tie another sentence within this
# in one language a sentence this close is a paraphrase even when the source has a second,
# closer one (two sentences of one article retelling the same thing); seeds: non-paraphrases
# reach 0.909, NTREX sentences of one article 0.924 at the 95th percentile
SAME_LANG_SURE = 0.94
# `weak`: the closest sentence misses by one criterion (not each other's best match, or a
# little under the bar): shown as "similar, not confirmed", never counted as carried or omitted
WEAK_SAME_LANG_SLACK = 0.02
WEAK_CROSS_LANG_COSINE = 0.80
WEAK_CROSS_LANG_MARGIN = 1.0
# across languages, a sentence naming the fact's specific names (see `_named_match`)
SPECIFIC_KEYS = ("person", "org", "event", "misc")
NAMED_MIN_SHARED = 2
TOP_TERMS = 8
TITLE_WEIGHT = 2  # headline words count twice, as in clustering
STEM_CHARS = 6  # term keys: 'explode', 'explosion', 'explosive' share 'explos' (as clustering)
QUOTE_MIN_WORDS = 3  # a quotation alone attributes speech only when it is this long
QUOTE_MIN_CJK = 6
MAX_EVIDENCE = 3  # sentences kept per quoted actor
ACTOR_TYPES = ("PERSON", "NAME", "ORG", "GPE", "ROLE")
STATUS_ORDER = ("cited", "paraphrase", "differs", "weak", "omitted", "unknown")
CARRIED = ("cited", "paraphrase")

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_HAN_KANA = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


def _cjk_lang(lang: str) -> bool:
    return lang in ("zh", "ja", "ko")


def _r(value: float) -> float:
    return round(float(value), 3)


# ------------------------------------------------------------------------------- actors


@dataclass(frozen=True)
class Actor:
    """A name found in a sentence: glossary id or `name:`/`role:` key, display name, type."""

    start: int
    end: int
    key: str
    name: str
    type: str  # PERSON ORG GPE EVENT MISC TERM (glossary), NAME (untyped), ROLE (unnamed)
    surface: str


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


@lru_cache(maxsize=1)
def _glossary() -> dict[str, Any]:
    """Glossary names as regexes: Latin names by exact case (TERMs case-blind), CJK anywhere."""
    latin: dict[str, str] = {}
    terms: dict[str, str] = {}
    cjk: dict[str, str] = {}
    display: dict[str, str] = {}
    types: dict[str, str] = {}
    for entry in load_glossary():
        names = [n for lang in ("en", "zh", "ja", "ko") for n in entry.get(lang, [])]
        display[entry["id"]] = (entry.get("en") or names or [entry["id"]])[0]
        types[entry["id"]] = entry["type"]
        for name in names:
            if _CJK.search(name):
                cjk.setdefault(name, entry["id"])
            elif entry["type"] == "TERM":
                terms.setdefault(name.lower(), entry["id"])
            else:
                latin.setdefault(name, entry["id"])
    bound = r"(?<![A-Za-z0-9])(?:{})(?![A-Za-z0-9])"
    return {
        "latin": re.compile(bound.format(_alt(latin))), "latin_ids": latin,
        "terms": re.compile(bound.format(_alt(terms)), re.IGNORECASE), "term_ids": terms,
        "cjk": re.compile(_alt(cjk)), "cjk_ids": cjk,
        "display": display, "types": types,
        "topic_words": frozenset(w for n in terms for w in re.findall(r"[a-z]+", n)),
        "name_words": frozenset(w.lower() for n in latin for w in re.findall(r"[A-Za-z]+", n)),
    }


def display_name(key: str) -> str:
    """English display name of an actor key."""
    g = _glossary()
    if key in g["display"]:
        return g["display"][key]
    return key.split(":", 1)[-1]


def glossary_spans(text: str) -> list[Actor]:
    """Glossary names in the text, longest first where they overlap, in text order."""
    g = _glossary()
    found: list[Actor] = []
    for pattern, ids, fold in ((g["latin"], g["latin_ids"], False),
                               (g["terms"], g["term_ids"], True),
                               (g["cjk"], g["cjk_ids"], False)):
        if not ids:
            continue
        for m in pattern.finditer(text):
            key = ids[m.group().lower() if fold else m.group()]
            found.append(Actor(m.start(), m.end(), key, g["display"][key], g["types"][key],
                               m.group()))
    return _non_overlapping(found)


def _non_overlapping(spans: list[Actor]) -> list[Actor]:
    kept: list[Actor] = []
    for span in sorted(spans, key=lambda a: (-(a.end - a.start), a.start)):
        if all(span.end <= k.start or span.start >= k.end for k in kept):
            kept.append(span)
    return sorted(kept, key=lambda a: a.start)


# English names the glossary lacks: two or more capitalised words
_CAP = r"(?:Mc[A-Z][a-z]+|[A-Z][a-z]+(?:['’][A-Z][a-z]+)?|[A-Z]{2,}|(?:[A-Z]\.){2,})"
_EN_NAME = re.compile(rf"(?<![\w.]){_CAP}(?:[ -]{_CAP})+(?![\w])")
_TITLE_WORDS = frozenset([
    "the", "a", "an", "on", "in", "at", "and", "but", "this", "that", "as", "for", "from", "by",
    "with", "after", "since", "of", "to", "president", "vice", "prime", "minister", "secretary",
    "state", "senator", "sen", "rep", "representative", "trade", "governor", "gov", "chancellor",
    "ambassador", "director", "chairman", "chairwoman", "chair", "chief", "executive", "officer",
    "ceo", "spokesperson", "spokesman", "spokeswoman", "mr", "mrs", "ms", "dr", "professor",
    "prof", "general", "gen", "commerce", "treasury", "defense", "defence", "foreign", "finance",
    "energy", "deputy", "senior", "former", "special", "assistant", "envoy", "chinese",
    "american", "japanese", "korean", "australian", "british", "european",
    "indian", "russian", "us", "u.s.", "uk", "eu", "un"
])
_ORG_WORDS = frozenset([
    "department", "ministry", "council", "agency", "lab", "laboratory", "post", "times",
    "journal", "university", "institute", "center", "centre", "bank", "group", "company", "corp",
    "corporation", "inc", "ltd", "association", "committee", "commission", "office",
    "administration", "survey", "program", "programme", "forum", "materials", "americas", "news",
    "agency", "federation", "union", "party", "organization", "organisation", "fund",
    "foundation", "network", "exchange"
])


def _english_names(text: str, glossary: list[Actor], aliases: dict[str, Actor]) -> list[Actor]:
    """Capitalised multi-word names (titles stripped); a known surname alone ("Senti") maps to
    the full name seen earlier in the document. A name wholly made of glossary names and
    titles ("US Trade Representative Jamieson Greer") is left to the glossary."""
    out: list[Actor] = []
    covered = [(a.start, a.end) for a in glossary]
    for m in _EN_NAME.finditer(text):
        if text[m.end():m.end() + 6] == "-based":
            continue  # "Hong Kong-based": a modifier, not an actor
        words = [(w.start() + m.start(), w.end() + m.start(), w.group())
                 for w in re.finditer(r"[^\s-]+", m.group())]
        while words and words[0][2].lower().rstrip(".") in _TITLE_WORDS | {"us", "u.s"}:
            words = words[1:]
        own = [w for w in words if not any(s <= w[0] and w[1] <= e for s, e in covered)
               and w[2].lower() not in _TITLE_WORDS]
        if len(words) < 2 or not own:
            continue
        start, end = words[0][0], words[-1][1]
        name = text[start:end]
        if name.endswith(("'s", "’s")):
            name, end = name[:-2], end - 2
        kind = "ORG" if words[-1][2].lower() in _ORG_WORDS else "NAME"
        out.append(Actor(start, end, "name:" + name.lower(), name, kind, name))
    for m in re.finditer(r"(?<![\w.])[A-Z][a-z]+(?![\w])", text):
        full = aliases.get(m.group())
        if full is not None:
            out.append(Actor(m.start(), m.end(), full.key, full.name, full.type, m.group()))
    return out


@cache
def _jieba_posseg():
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    return jieba.posseg


@cache
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


@cache
def _sudachi_c():
    from sudachipy import Dictionary, SplitMode

    return Dictionary(dict="core").tokenizer(SplitMode.C)


@cache
def _kiwi():
    from kiwipiepy import Kiwi

    return Kiwi()


# single-character country abbreviations in Chinese headlines (美 = US, 中 = China, ...)
_ZH_ABBREV = {"美": "gpe:united_states", "中": "gpe:china", "日": "gpe:japan", "韩": "gpe:south_korea",
              "韓": "gpe:south_korea", "英": "gpe:united_kingdom", "澳": "gpe:australia",
              "印": "gpe:india", "欧": "org:european_union"}


_LATIN_GLOSS = re.compile(r"\s*[（(]\s*([A-Z][A-Za-z.'’-]+(?: [A-Z][A-Za-z.'’-]+)+)\s*[)）]")


def _zh_name(text: str, start: int, end: int, kind: str) -> Actor:
    """A segmenter name, widened over a transliterated given name (戴维·科普利) and keyed by
    the Latin spelling an article gives after it (戴维·科普利(David Copley)) so it matches
    the English name."""
    lead = re.search(r"[\u4e00-\u9fff]{1,4}[·・]$", text[:start])
    start = lead.start() if lead else start
    word = text[start:end]
    latin = _LATIN_GLOSS.match(text, end)
    if latin:
        name = latin.group(1)
        return Actor(start, end, "name:" + name.lower(), name, kind, word)
    return Actor(start, end, f"name:{word}", word, kind, word)


def _cjk_names(text: str, lang: str) -> list[Actor]:
    """Names a word segmenter tags (jieba nr/nt/ns, Sudachi 人名/組織名/地名, Kiwi NNP)."""
    out: list[Actor] = []
    if lang == "zh":
        types = {"nr": "PERSON", "nrfg": "PERSON", "nrt": "PERSON", "nt": "ORG", "ns": "GPE"}
        pos = 0
        g = _glossary()
        for pair in _jieba_posseg().cut(text, HMM=True):
            word, flag = pair.word, pair.flag
            start, pos = pos, pos + len(word)
            if word in _ZH_ABBREV and flag in ("ns", "j") and _ZH_ABBREV[word] in g["display"]:
                key = _ZH_ABBREV[word]
                out.append(Actor(start, pos, key, g["display"][key], g["types"][key], word))
            elif flag in types and len(word) >= 2:
                out.append(_zh_name(text, start, pos, types[flag]))
    elif lang == "ja":
        kinds = {"人名": "PERSON", "組織名": "ORG", "地名": "GPE", "一般": "NAME"}
        run: list[Any] = []
        for m in [*_sudachi_c().tokenize(text), None]:
            kind = kinds.get(m.part_of_speech()[2]) if m is not None and \
                m.part_of_speech()[1] == "固有名詞" else None
            if run and (kind is None or kind != run[0][1] or m.begin() != run[-1][0].end()):
                start, end = run[0][0].begin(), run[-1][0].end()
                word = text[start:end]
                if len(word) >= 2:
                    out.append(Actor(start, end, f"name:{word}", word, run[0][1], word))
                run = []
            if kind is not None:
                run.append((m, kind))
    elif lang == "ko":
        for tok in _kiwi().tokenize(text):
            if tok.tag == "NNP" and len(tok.form) >= 2:
                word = text[tok.start:tok.start + tok.len]
                after = text[tok.start + tok.len:tok.start + tok.len + 4]
                kind = "PERSON" if re.match(r"\s?(대통령|부통령|장관|총리|대변인|의원|씨|위원장)", after) \
                    else "NAME"
                out.append(Actor(tok.start, tok.start + tok.len, f"name:{word}", word, kind, word))
    return out


def actor_spans(text: str, lang: str, aliases: dict[str, Actor] | None = None,
                segmenter: bool = True) -> list[Actor]:
    """Glossary names, then names the glossary lacks (English capitalisation, CJK
    segmenters when `segmenter`), without overlaps, in text order."""
    glossary = glossary_spans(text)
    if lang == "en" or not _CJK.search(text):
        extra = _english_names(text, glossary, aliases or {})
        # a multi-word name that is not all glossary ("South China Morning Post") wins
        glossary = [a for a in glossary if a.type == "TERM" or not any(
            n.start <= a.start and a.end <= n.end and n.key.startswith("name:") for n in extra)]
    elif segmenter:
        extra = _cjk_names(text, lang)
    else:
        extra = []
    spans = glossary + [n for n in extra
                        if all(n.end <= a.start or n.start >= a.end for a in glossary)]
    return _non_overlapping(spans)


# ------------------------------------------------------------------------------ quotes

_EN_SPEECH = re.compile(
    r"\b(?:said|says|say|told|tells|stated|added|adds|noted|highlighted|highlights|"
    r"acknowledged|acknowledges|argued|argues|warned|warns|urged|urges|insisted|insists|"
    r"explained|explains|claimed|indicated|indicates|stressed|stresses|emphasi[sz]ed|"
    r"emphasi[sz]es|described|describes|referred to|refers to|wrote|writes|reported|"
    r"commented|asserted|asserts|confirmed|confirms|denied|denies|suggested|suggests|"
    r"predicted|predicts|cautioned|cautions|recalled|remarked|conceded|concedes|"
    r"call(?:ed|s)? (?:on|for)\b|called(?= [\"“‘'])|[Aa]ccording to)\b")
_ZH_SPEECH = frozenset([
    "表示", "称", "说", "指出", "认为", "强调", "透露", "宣称", "声称", "坦言", "直言", "呼吁", "警告", "回应", "介绍", "提到",
    "告诉", "报道", "表态", "说道", "谈到", "重申", "批评", "承认", "否认", "解释", "补充", "称赞", "形容", "评论"
])
_ZH_CUE_CHARS = re.compile("[" + "".join(sorted({w[0] for w in _ZH_SPEECH} | {"据"})) + "]")
_JA_SPEECH = re.compile(
    r"と(?:述べ|語っ|語り|話し|話す|強調し|指摘し|説明し|発表し|主張し|訴え|表明し|明らかにし|"
    r"言っ|言い|批判し|警告し|呼びかけ|報じ|し(?:てい|た))|報じ|によると|によれば")
_KO_SPEECH = re.compile(
    r"(?:말했|밝혔|강조했|전했|설명했|주장했|지적했|언급했|덧붙였|발표했|말한|밝힌|비판했|"
    r"경고했|촉구했)|에 따르면|에따르면")
_QUOTE = re.compile(r"[\"“]([^\"”]{2,})[\"”]|(?<![A-Za-z])['‘]([^'’]{2,}?)['’](?![A-Za-z])|"
                    r"「([^」]{2,})」|『([^』]{2,})』")
_ROLE_EN = re.compile(
    r"\b((?:[A-Z][\w.]*\s+){0,3}(?:[a-z]+\s+)?(?i:spokes(?:person|man|woman)|officials?|"
    r"analysts?|experts?|sources?|diplomats?|executives?|economists?|observers?|president|"
    r"minister|ministry|government|administration|lawmakers?|critics|researchers?|"
    r"industry figures|delegates?))\b")
_ROLE_CJK = re.compile(r"(发言人|官员|分析人士|专家|消息人士|知情人士|報道官|当局者|関係者|専門家|"
                       r"대변인|관계자|전문가|당국자)")
_PRONOUN_EN = re.compile(r"^(?:[,\s]*(?:and|but)?\s*)(he|she)$", re.IGNORECASE)
_PRONOUN_CJK = re.compile(r"(?:^|[，,\s])(?:他|她)\s*$|同氏|彼は|彼女は|그는|그녀는")
_RELATIVE = re.compile(r",\s+(?:which|who|whom|where|but|and|while|whereas)\s+")
_CLAUSE_EN = re.compile(r"[;:!?\"“”]|(?<![A-Za-z])['‘’](?![A-Za-z])")
_CLAUSE_CJK = re.compile(r"[，。；！？：,;:!?“”「」『』]")


_ZH_SOURCE = re.compile(r"([^，,。；;：:\s]{2,12}?)(?:报道|称|消息|透露|表示|介绍|援引|的)")
_CJK_SOURCE_BEFORE = re.compile(r"([\u30a0-\u30ff\u4e00-\u9fffA-Za-z0-9\uac00-\ud7af]{2,12})\s*$")


def _source_actor(m: re.Match[str], text: str) -> Actor:
    word = m.group(1)
    return Actor(m.start(1), m.end(1), f"name:{word}", word, "NAME", word)


@dataclass
class Quote:
    actor: Actor
    document: str
    segment: int
    cue: str
    how: str  # verb | according | quote | pronoun
    quote: str | None


def _quotes_in(text: str) -> list[tuple[int, int, str]]:
    out = []
    for m in _QUOTE.finditer(text):
        inner = next(g for g in m.groups() if g is not None)
        out.append((m.start(), m.end(), inner.strip(" ,.")))
    return out


def _inside(pos: int, spans: Sequence[tuple[int, int, str]]) -> bool:
    return any(s < pos < e for s, e, _ in spans)


def _speakers(cands: list[Actor], nearest: bool) -> Actor | None:
    """The speaker among actors of a subject span: a person, else an organisation."""
    for types in (("PERSON", "NAME"), ("ORG",)):
        found = [a for a in cands if a.type in types]
        if found:
            return found[-1] if nearest else found[0]
    return None


def _role(span_text: str, offset: int, lang: str) -> Actor | None:
    """An unnamed source ("the US president", "officials", 发言人) as a ROLE actor."""
    if lang == "en" or not _CJK.search(span_text):
        matches = list(_ROLE_EN.finditer(span_text))
        if not matches:
            return None
        m = matches[-1]
        phrase = re.sub(r"^(?:the|a|an|some|other)\s+", "", m.group(1).strip(), flags=re.IGNORECASE)
    else:
        m = _ROLE_CJK.search(span_text)
        if m is None:
            return None
        phrase = m.group(1)
    return Actor(offset + m.start(1), offset + m.end(1), "role:" + phrase.lower(),
                 phrase, "ROLE", m.group(1))


def _subject_actor(text: str, lang: str, actors: list[Actor], start: int, end: int,
                   nearest: bool) -> Actor | None:
    """Who speaks in text[start:end] (the clause before the cue): a person or organisation;
    else an unnamed role; else a country ("China said")."""
    cands = [a for a in actors if a.start >= start and a.end <= end and a.type in ACTOR_TYPES]
    if lang == "en" and "," in text[start:end]:
        head_end = start + text[start:end].index(",")  # "X, an adviser to Y, said": X
        head = _speakers([a for a in cands if a.end <= head_end], nearest)
        if head is not None:
            return head
    found = _speakers(cands, nearest)
    if found is not None:
        return found
    role = _role(text[start:end], start, lang)
    if role is not None:
        return role
    gpe = [a for a in cands if a.type == "GPE"]
    return (gpe[-1] if nearest else gpe[0]) if gpe else None


def _person_before(history: list[list[Actor]]) -> Actor | None:
    """The one person named in the nearest earlier sentence that names any (pronoun target)."""
    for actors in reversed(history[-2:]):
        people = {a.key: a for a in actors if a.type in ("PERSON", "NAME")}
        if people:
            return next(iter(people.values())) if len(people) == 1 else None
    return None


def _cues(text: str, lang: str) -> list[tuple[int, int, str]]:
    """(start, end, cue) of every speech cue in the sentence."""
    if lang == "zh":
        out, pos = [], 0
        if not _ZH_CUE_CHARS.search(text):
            return out
        for word in _jieba().lcut(text, HMM=False):  # words, so 称 is not read in 名称
            if word in _ZH_SPEECH:
                out.append((pos, pos + len(word), word))
            elif word in ("据", "根据"):
                out.append((pos, pos + len(word), "据"))
            pos += len(word)
        return out
    pattern = {"ja": _JA_SPEECH, "ko": _KO_SPEECH}.get(lang, _EN_SPEECH)
    return [(m.start(), m.end(), m.group()) for m in pattern.finditer(text)]


def _clause_start(text: str, pos: int, lang: str) -> int:
    pattern = _CLAUSE_CJK if _cjk_lang(lang) else _CLAUSE_EN
    starts = [m.end() for m in pattern.finditer(text, 0, pos)]
    return starts[-1] if starts else 0


def _clause_end(text: str, pos: int, lang: str) -> int:
    pattern = _CLAUSE_CJK if _cjk_lang(lang) else _CLAUSE_EN
    m = pattern.search(text, pos)
    return m.start() if m else len(text)


def sentence_quotes(text: str, lang: str, actors: list[Actor], history: list[list[Actor]],
                    document: str = "", segment: int = 0) -> list[Quote]:
    """Attributed speech in one sentence: "X said", "according to X", "X は…と述べた",
    "X 表示", "X에 따르면", a pronoun ("He said") resolved to the one person of the sentence
    before, and, without any cue, a quotation of `QUOTE_MIN_WORDS`+ words with one
    person or organisation named outside it."""
    quoted = _quotes_in(text)
    quote_text = max((q for _, _, q in quoted), key=len, default=None)
    out: list[Quote] = []
    cjk = _cjk_lang(lang) and bool(_CJK.search(text))
    previous = 0  # a second cue's subject starts after the first cue
    for start, end, cue in _cues(text, lang if cjk else "en"):
        floor, previous = previous, end
        if _inside(start, quoted):
            continue
        speaker, how = None, "verb"
        if cue.lower() in ("according to", "据"):  # the source follows the cue
            stop = _clause_end(text, end, lang if cjk else "en")
            comma = re.search(r"[,，、]", text[end:stop])
            stop = end + comma.start() if comma else stop
            speaker = _subject_actor(text, lang, actors, end, stop, nearest=False)
            how = "according"
            source = _ZH_SOURCE.match(text, end) if cue == "据" else None
            if speaker is None and source:  # 据新华社报道: a source no segmenter knows
                speaker = _source_actor(source, text)
        elif cue in ("によると", "によれば", "에 따르면", "에따르면"):  # the source precedes it
            begin = _clause_start(text, start, lang)
            speaker = _subject_actor(text, lang, actors, begin, start, nearest=True)
            how = "according"
            source = _CJK_SOURCE_BEFORE.search(text, 0, start)
            if speaker is None and source:  # 共同通信によると, 연합뉴스에 따르면
                speaker = _source_actor(source, text)
        elif not cjk and cue.startswith("described") and text[:start].rstrip().endswith(","):
            continue  # ", described as 'very positive'": passive, no speaker
        else:
            begin = max(floor, _clause_start(text, start, lang if cjk else "en"))
            if not cjk:  # ", which the US president called": the relative clause's subject
                rel = [r for r in _RELATIVE.finditer(text, begin, start)
                       if "," not in text[r.end():start]]  # not "X, who heads Y, said"
                begin = rel[-1].end() if rel else begin
            subject = text[begin:start]
            outside = [a for a in actors if not _inside(a.start, quoted)]
            speaker = _subject_actor(text, lang, outside, begin, start,
                                     nearest=cjk and lang == "zh")
            if speaker is None and not cjk and not subject.strip(" ,—–"):
                # inverted: '"...," said Wade Senti'
                stop = _clause_end(text, end, "en")
                speaker = _subject_actor(text, lang, actors, end, min(stop, end + 60), False)
            pronoun = (_PRONOUN_EN.match(subject.strip()) if not cjk
                       else _PRONOUN_CJK.search(subject))
            if speaker is None and pronoun:
                speaker, how = _person_before(history), "pronoun"
            if speaker is None and cjk and not subject.strip():
                # "万斯未点名中国，称……": the dropped subject is the sentence's one speaker
                named = {a.key: a for a in outside if a.end <= start and a.type in
                         ("PERSON", "NAME", "ORG")}
                speaker = next(iter(named.values())) if len(named) == 1 else None
        if speaker is not None and all(q.actor.key != speaker.key for q in out):
            out.append(Quote(speaker, document, segment, cue, how, quote_text))
    if not out and quoted:
        longest = max(quoted, key=lambda q: len(q[2]))
        long_enough = (len(_CJK.findall(longest[2])) >= QUOTE_MIN_CJK if cjk
                       else len(longest[2].split()) >= QUOTE_MIN_WORDS)
        words = re.findall(r"[A-Za-z]+", longest[2])
        titled = len(words) >= 2 and sum(w[0].isupper() for w in words) >= 0.6 * len(words)
        outside = [a for a in actors if not _inside(a.start, quoted)]
        people = {a.key for a in outside if a.type in ("PERSON", "NAME", "ORG")}
        # one candidate only, and not a Title Cased name of a plan or an agreement
        speaker = _speakers(outside, nearest=False) if long_enough and not titled and \
            len(people) == 1 else None
        if speaker is not None:
            out.append(Quote(speaker, document, segment, "quotation", "quote", longest[2]))
    return out


def _surname_aliases(doc: Document) -> dict[str, Actor]:
    """Last word of each untyped English name in the document → that name, when unique."""
    seen: dict[str, set[Actor]] = {}
    for _, seg in doc.content_segments:
        if _CJK.search(seg.text):
            continue
        for actor in _english_names(display_text(seg.text), glossary_spans(seg.text), {}):
            if actor.type == "NAME":
                last = actor.name.split()[-1]
                seen.setdefault(last, set()).add(Actor(0, 0, actor.key, actor.name, "NAME", ""))
    return {last: next(iter(a)) for last, a in seen.items() if len(a) == 1}


def document_quotes(doc: Document) -> list[Quote]:
    """Attributed speech in every content sentence of a document, in text order."""
    aliases = _surname_aliases(doc)
    sentences = []
    for index, seg in doc.content_segments:
        text = display_text(seg.text)
        lang = seg.lang if seg.lang != "und" else ("en" if not _CJK.search(text) else "zh")
        sentences.append((index, text, lang))
    found: dict[int, list[Actor]] = {}  # names are looked for only where speech is

    def actors_of(k: int) -> list[Actor]:
        if k not in found:
            _, text, lang = sentences[k]
            found[k] = actor_spans(text, lang, aliases)
        return found[k]

    out: list[Quote] = []
    for k, (index, text, lang) in enumerate(sentences):
        if _cues(text, lang) or _quotes_in(text):
            history = [actors_of(j) for j in range(max(0, k - 2), k)]  # pronoun targets
            out += sentence_quotes(text, lang, actors_of(k), history, doc.id, index)
    return out


def _quoted_summary(quotes: list[Quote], outlet_of: dict[str, str]) -> list[dict[str, Any]]:
    by_key: dict[str, list[Quote]] = {}
    for q in quotes:
        by_key.setdefault(q.actor.key, []).append(q)
    out = []
    for key, items in by_key.items():
        names = Counter(q.actor.name for q in items)
        name = display_name(key) if not key.startswith(("name:", "role:")) else \
            min(names, key=lambda n: (-names[n], n))
        evidence = sorted({(q.document, q.segment, q.cue, q.how, q.quote) for q in items},
                          key=lambda e: (e[0], e[1], e[2]))
        out.append({
            "actor": name,
            "key": key,
            "type": items[0].actor.type,
            "mentions": len({(q.document, q.segment) for q in items}),
            "cues": sorted({q.cue for q in items}),
            "outlets": sorted({outlet_of.get(q.document, q.document) for q in items}),
            "evidence": [{"document": d, "segment": s, "cue": c, "how": h, "quote": t}
                         for d, s, c, h, t in evidence[:MAX_EVIDENCE]],
        })
    return sorted(out, key=lambda a: (-a["mentions"], a["actor"].lower(), a["key"]))


# ------------------------------------------------------------------------------- facts


def _vectors(doc: Document) -> tuple[list[int], np.ndarray | None]:
    rows = [(i, s.vector) for i, s in doc.content_segments if s.vector is not None]
    if not rows:
        return [], None
    return [i for i, _ in rows], np.vstack([v for _, v in rows]).astype(np.float32)


def _topk_mean(values: np.ndarray, k: int = MARGIN_K) -> float:
    if values.size == 0:
        return 0.0
    return float(np.sort(values)[-k:].mean())


def _numbers_disagree(a: str, b: str) -> bool:
    """Both state amounts and share none: the same statement with other figures."""
    x, y = amounts(display_text(a)), amounts(display_text(b))
    return bool(x) and bool(y) and not x & y


@dataclass
class FactMatch:
    status: str  # cited | paraphrase | differs | omitted | unknown
    document: str
    segment: int | None = None
    similarity: float | None = None
    margin: float | None = None
    by: str | None = None  # "names": matched on shared names across languages, not vectors

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"status": self.status, "document": self.document}
        if self.by:
            out["by"] = self.by
        if self.segment is not None:
            out["segment"] = self.segment
        if self.similarity is not None:
            out["similarity"] = _r(self.similarity)
        if self.margin is not None:
            out["margin"] = _r(self.margin)
        return out


def match_fact(fact: SummarySentence, doc: Document, docs: dict[str, Document],
               same_lang_cosine: float) -> FactMatch:
    """Does `doc` state the fact? Cited by the summary; else its best sentence against each
    cited source passes the same-language (cosine + mutual best) or cross-language (cosine
    floor + margin + mutual best) test; a match whose amounts all differ is `differs`."""
    cited = [s for s in fact.sources if s.document == doc.id]
    if cited:
        src = cited[0]
        seg = doc.segments[src.segment] if 0 <= src.segment < len(doc.segments) else None
        first = fact.sources[0]
        sim = None
        if seg is not None and seg.vector is not None and first.document in docs:
            ref = docs[first.document].segments[first.segment].vector
            sim = float(seg.vector @ ref) if ref is not None else None
        return FactMatch("cited", doc.id, src.segment, sim)
    indices, matrix = _vectors(doc)
    if matrix is None:
        return FactMatch("unknown", doc.id)
    best: tuple[float, float, int, Segment, Segment, int] | None = None
    for src in fact.sources:
        source_doc = docs.get(src.document)
        if source_doc is None or not 0 <= src.segment < len(source_doc.segments):
            continue
        fseg = source_doc.segments[src.segment]
        if fseg.vector is None:
            continue
        sims = matrix @ fseg.vector
        j = int(np.argmax(sims))
        cos = float(sims[j])
        target = doc.segments[indices[j]]
        own_idx, own = _vectors(source_doc)
        others = own[[k for k, i in enumerate(own_idx) if i != src.segment]] \
            if own is not None else np.zeros((0, matrix.shape[1]), np.float32)
        back = others @ target.vector if len(others) else np.zeros(0)
        a, b = _topk_mean(sims), _topk_mean(back) if back.size else _topk_mean(sims)
        margin = cos / ((a + b) / 2) if a + b > 0 else 0.0
        mutual = back.size == 0 or cos >= float(back.max()) - MUTUAL_SLACK
        if target.lang == fseg.lang:
            close = cos >= same_lang_cosine
            near = cos >= same_lang_cosine - WEAK_SAME_LANG_SLACK
        else:
            close = cos >= CROSS_LANG_COSINE and margin >= CROSS_LANG_MARGIN
            near = cos >= WEAK_CROSS_LANG_COSINE and margin >= WEAK_CROSS_LANG_MARGIN
        sure = target.lang == fseg.lang and cos >= SAME_LANG_SURE
        # 2: passes; 1: misses by one criterion (weak); 0: no match
        level = 2 if (close and mutual) or sure else 1 if (close or (near and mutual)) else 0
        if best is None or (level, cos) > (best[5], best[0]):
            best = (cos, margin, indices[j], fseg, target, level)
    if best is None:
        return FactMatch("unknown", doc.id)
    cos, margin, index, fseg, target, level = best
    if level < 2:
        named = _named_match(fact, doc, docs, indices, matrix)
        if named is not None:
            return named
        return FactMatch("weak" if level else "omitted", doc.id, index, cos, margin)
    status = "differs" if _numbers_disagree(fseg.text, target.text) else "paraphrase"
    return FactMatch(status, doc.id, index, cos, margin)


def _specific(seg: Segment) -> set[str]:
    return {k for k in seg.entities if k.split(":")[0] in SPECIFIC_KEYS}


def _named_match(fact: SummarySentence, doc: Document, docs: dict[str, Document],
                 indices: list[int], matrix: np.ndarray) -> FactMatch | None:
    """Across languages, a sentence that packs several facts (common in Chinese and
    Japanese news) is close to none of them: it counts when it names at least
    `NAMED_MIN_SHARED` of the fact's specific names (people, organisations, events, named
    things; two thirds of them) and still scores `WEAK_CROSS_LANG_COSINE`."""
    best: tuple[int, float, int, Segment, Segment] | None = None
    for src in fact.sources:
        source_doc = docs.get(src.document)
        if source_doc is None or not 0 <= src.segment < len(source_doc.segments):
            continue
        fseg = source_doc.segments[src.segment]
        wanted = _specific(fseg)
        if fseg.vector is None or len(wanted) < NAMED_MIN_SHARED:
            continue
        sims = matrix @ fseg.vector
        for j, index in enumerate(indices):
            target = doc.segments[index]
            shared = len(wanted & _specific(target))
            if target.lang == fseg.lang or sims[j] < WEAK_CROSS_LANG_COSINE or \
                    shared < max(NAMED_MIN_SHARED, math.ceil(2 * len(wanted) / 3)):
                continue
            if best is None or (shared, float(sims[j])) > best[:2]:
                best = (shared, float(sims[j]), index, fseg, target)
    if best is None:
        return None
    _, cos, index, fseg, target = best
    status = "differs" if _numbers_disagree(fseg.text, target.text) else "paraphrase"
    return FactMatch(status, doc.id, index, cos, None, "names")


def _best(matches: list[FactMatch]) -> FactMatch:
    return min(matches, key=lambda m: (STATUS_ORDER.index(m.status), -(m.similarity or 0.0),
                                       m.document))


# ----------------------------------------------------------------------------- numbers

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


def _lemma(word: str) -> str:
    """Light English plural stripping: minerals → mineral, countries → country."""
    if not word.isascii() or len(word) < 4:
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _stem(word: str) -> str:
    """A term key: the lemma's first `STEM_CHARS` letters (launched, launches → launch), as
    clustering keys its terms."""
    return _lemma(word)[:STEM_CHARS]


@cache
def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def _anchor(token: str) -> str | None:
    """A context word as an anchor: a concept id, or the word (lemma) when it says something."""
    token = token.lower().strip("'’")
    if token in _CONCEPTS:
        return _CONCEPTS[token]
    if _CJK.search(token):
        if len(token) < 2 or re.fullmatch(r"[\u3040-\u309f]+", token):
            return None  # one character, or kana endings (いる)
        for word, concept in _CONCEPTS.items():
            if _CJK.search(word) and (word in token or token in word):
                return concept
        if token in _GENERIC or re.search(r"\d", token) or \
                any(token in name for name in _glossary()["cjk_ids"]):
            return None  # names and topic terms (稀土, 关键矿产) are not context
        return token
    lemma = _lemma(token)
    if lemma in _CONCEPTS:
        return _CONCEPTS[lemma]
    if (len(token) < 3 or token in _stop_words() or token in _GENERIC or lemma in _GENERIC
            or token in _glossary()["topic_words"] or lemma in _glossary()["topic_words"]
            or token in _glossary()["name_words"]
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
    cjk = _cjk_lang(lang) and bool(_CJK.search(clause))

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
    conv = cjk_numbers_to_english(text) if _CJK.search(text) else text
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
            noun = _lemma(unit.group(1).lower()) if unit else ""
            plain = re.fullmatch(r"\d+", m.group()) is not None
            if plain and 1800 <= value <= 2100 and not scaled and noun not in _MEASURES:
                continue  # a year
            if not noun or noun in _stop_words() or noun in _GENERIC:
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
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    conflicting: set[int] = set()
    contradicted: set[int] = set()
    for i in range(n):
        for j in range(i + 1, n):
            a, b = mentions[i], mentions[j]
            if a.document == b.document or math.isclose(a.value, b.value, rel_tol=1e-9) or \
                    not same_quantity(a, b):
                continue
            parent[find(i)] = find(j)
            conflicting |= {i, j}
            if not _compatible(a, b):
                contradicted |= {i, j}
    groups: dict[int, set[int]] = {}
    for i in conflicting:
        groups.setdefault(find(i), set()).add(i)
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


# ------------------------------------------------------------------------------- terms

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
            pair: bool = False):
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


def _cjk_terms(text: str, lang: str) -> list[str]:
    if lang == "zh":  # content words only: nouns, verbs, adjectives, idioms, abbreviations
        return [p.word for p in _jieba_posseg().cut(text, HMM=False)
                if len(p.word) >= 2 and _HAN_KANA.search(p.word) and p.word not in _ZH_STOP
                and p.flag[:1] in ("n", "v", "a", "l", "i", "j")]
    if lang == "ja":
        return [m.surface() for m in _sudachi_c().tokenize(text)
                if m.part_of_speech()[0] == "名詞" and m.part_of_speech()[1] in ("普通名詞", "固有名詞")
                and len(m.surface()) >= 2 and _CJK.search(m.surface())]
    if lang == "ko":
        return [text[t.start:t.start + t.len] for t in _kiwi().tokenize(text)
                if t.tag in ("NNG", "NNP") and t.len >= 2]
    return []


def _english_terms(text: str) -> list[tuple[str, str]]:
    """(key, surface) for content words and adjacent content-word pairs."""
    stop = _stop_words() | _EN_EXTRA_STOP
    out: list[tuple[str, str]] = []
    prev: tuple[str, str, int] | None = None
    for m in re.finditer(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|\S", text):
        word = re.sub(r"['’]s$", "", m.group()).lower()
        keep = word.isascii() and len(word) >= 3 and re.fullmatch(r"[a-z][a-z-]*", word) \
            and word not in stop and not _EN_SPEECH.fullmatch(word)
        if not keep:
            prev = None
            continue
        out.append((_stem(word), word))
        if prev is not None and text[prev[2]:m.start()].strip() == "":
            out.append((f"{prev[0]} {_stem(word)}", f"{prev[1]} {word}"))
        prev = (_stem(word), word, m.end())
    return out


def document_terms(doc: Document, gloss_keys: bool) -> TermBag:
    """Entity names (as language-free keys) and content words of a document; headline words
    weigh `TITLE_WEIGHT`. With `gloss_keys`, CJK words are keyed by their English dictionary
    gloss so the same word in two languages counts as one term."""
    bag = TermBag()
    for _, seg in doc.content_segments:
        sentence = _sentence_terms(seg, gloss_keys)
        bag.update(sentence)
        bag.sentences.update(sentence.counts.keys())
    return bag


def _sentence_terms(seg: Segment, gloss_keys: bool) -> TermBag:
    bag = TermBag()
    weight = TITLE_WEIGHT if seg.role == "title" else 1
    text = display_text(seg.text)
    spans = actor_spans(text, seg.lang, segmenter=False)
    for a in spans:
        bag.add("@" + a.key, a.surface, seg.lang, weight, a.key)
    blanked = _blank(text, spans)
    if _cjk_lang(seg.lang) and _CJK.search(text):
        for word in _cjk_terms(blanked, seg.lang):
            gloss = term_gloss(word, seg.lang) if gloss_keys else None
            key = _gloss_key(gloss) if gloss else None
            bag.add(key or f"{seg.lang}:{word}", word, seg.lang, weight)
    else:
        for key, surface in _english_terms(blanked):
            bag.add(key, surface, "en", weight, pair=" " in key)
    return bag


def _gloss_key(gloss: str) -> str | None:
    words = [_stem(w) for w in re.findall(r"[a-z]+", gloss.lower())
             if w not in _stop_words() and len(w) >= 3]
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


@lru_cache(maxsize=8192)
def term_gloss(word: str, lang: str) -> str | None:
    """An English dictionary gloss of one CJK word (tier gloss), or None."""
    glosser = _glosser(lang)
    if glosser is None:
        return None
    try:
        text = glosser.gloss(word).strip().rstrip(".")
    except Exception:  # noqa: BLE001
        return None
    return text.lower() if text and not _CJK.search(text) else None


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
    entry: dict[str, Any] = {"term": surface, "lang": lang, "score": _r(score), "count": count}
    if key in bag.entity:
        entry["entity"] = bag.entity[key]
        if _CJK.search(surface):
            entry["gloss"] = display_name(bag.entity[key])
    elif _CJK.search(surface):
        gloss = term_gloss(surface, lang)
        if gloss:
            entry["gloss"] = gloss
    return entry


# --------------------------------------------------------------------------- headlines


def headline_of(doc: Document) -> tuple[str, str, list[int]]:
    """(text, lang, title segment indices): title segments, else the document title."""
    titles = [(i, s) for i, s in doc.content_segments if s.role == "title"]
    if titles:
        first_para = titles[0][1].paragraph
        titles = [(i, s) for i, s in titles if s.paragraph == first_para]
        return (" ".join(display_text(s.text) for _, s in titles), titles[0][1].lang,
                [i for i, _ in titles])
    text = doc.title or ""
    if re.search(r"[\u3040-\u30ff]", text):
        return text, "ja", []
    if re.search(r"[\uac00-\ud7af]", text):
        return text, "ko", []
    if _CJK.search(text):
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
    if title is not None and indices and not title.untranslated and title.lang == "en" and \
            [(s.document, s.segment) for s in title.sources] == [(doc.id, i) for i in indices]:
        return {"text": title.text, "tier": title.tier, "backend": title.backend or title.tier}
    if router is not None:
        result = router.translate([text], lang, "en")[0]
        if not result.untranslated:
            return {"text": result.text, "tier": result.tier, "backend": result.backend}
    return None


def _blank(text: str, spans: Sequence[Actor]) -> str:
    """The text with the spans replaced by a separator (names are counted as entities)."""
    for a in sorted(spans, key=lambda a: -a.start):
        text = text[: a.start] + " | " + text[a.end:]
    return text


def _headline_terms(text: str, lang: str, spans: Sequence[Actor],
                    gloss_keys: bool) -> dict[str, str]:
    """key → label of a headline's subject terms: glossary terms and named things by id,
    content words (CJK keyed by their English gloss when `gloss_keys`) by lemma."""
    out = {"@" + a.key: a.name for a in spans if a.type in ("TERM", "EVENT", "MISC")}
    blanked = _blank(text, spans)
    if _cjk_lang(lang) and _CJK.search(text):
        for word in _cjk_terms(blanked, lang):
            gloss = term_gloss(word, lang)
            key = (_gloss_key(gloss) if gloss and gloss_keys else None) or f"{lang}:{word}"
            out.setdefault(key, f"{word} ({gloss})" if gloss else word)
        return out
    for key, surface in _english_terms(blanked):
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
        actors = [a for a in actors if a.key in _glossary()["display"] or a.surface in body]
        keys = list(dict.fromkeys(a.key for a in actors if a.type in ACTOR_TYPES))
        spans = glossary_spans(text) if text else []
        terms = _headline_terms(text, lang, _non_overlapping([*spans, *actors]), multilingual) \
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


# --------------------------------------------------------------------------- the event


def outlet_of(doc: Document) -> str:
    """The outlet a document speaks for: its outlet, else its id (each unknown outlet apart)."""
    return (doc.outlet or "").strip() or doc.id


def _copies(event: Event, docs: dict[str, Document]) -> dict[str, tuple[str, str]]:
    out = {}
    for doc_id in event.copies:
        doc = docs.get(doc_id)
        if doc is not None:
            out[doc_id] = (doc.duplicate_of or "", doc.duplicate_kind or "copy")
    return out


def _fact_list(event: Event, lang: str) -> list[tuple[str, SummarySentence]]:
    sentences = event.summary.get(lang) or next(iter(event.summary.values()), [])
    return [(f"f{i}", s) for i, s in enumerate(sentences, 1)]


def _coverage_lists(matches: dict[str, FactMatch], fact_ids: list[str]) -> dict[str, list[str]]:
    return {
        "carries": [f for f in fact_ids if matches[f].status in CARRIED],
        "differs": [f for f in fact_ids if matches[f].status == "differs"],
        "weak": [f for f in fact_ids if matches[f].status == "weak"],
        "omits": [f for f in fact_ids if matches[f].status == "omitted"],
        "unknown": [f for f in fact_ids if matches[f].status == "unknown"],
    }


def _sorted_keys(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _sorted_keys(obj[k]) for k in sorted(obj)}
    if isinstance(obj, list):
        return [_sorted_keys(x) for x in obj]
    return obj


def frame_event(event: Event, docs: dict[str, Document], config: Config | None = None,
                router: Any = None) -> dict[str, Any]:
    """The framing comparison of one event (JSON-ready, deterministic: sorted keys).

    `router` (optional) translates headlines no earlier stage translated into English.
    An event with fewer than two comparable sources gets a `note` saying why nothing is
    compared, and still lists its facts, headlines and quoted actors. A failure here is
    reported in the entry (`error`), never allowed to stop the digest.
    """
    config = config or Config()
    try:
        return _frame_event(event, docs, config, router)
    except Exception as exc:  # noqa: BLE001 - the digest matters more than one comparison
        return {"compared": 0, "error": f"{type(exc).__name__}: {exc}", "facts": [],
                "headlines": [], "languages": [], "note": "framing could not be computed",
                "number_conflicts": [], "outlets": []}


def _frame_event(event: Event, docs: dict[str, Document], config: Config,
                 router: Any) -> dict[str, Any]:
    members = [docs[i] for i in event.documents if i in docs]
    copies = _copies(event, docs)
    copy_docs = [docs[i] for i in copies]
    comparable = [d for d in members if d.content_segments]
    excluded = [{"document": d.id, "reason": "no content: every segment is boilerplate"}
                for d in members if not d.content_segments]
    outlets: dict[str, list[Document]] = {}
    for doc in comparable + copy_docs:
        outlets.setdefault(outlet_of(doc), []).append(doc)
    owner = {d.id: outlet_of(d) for d in members + copy_docs}
    langs_of = {d.id: d.main_lang for d in members + copy_docs}
    multilingual = len({langs_of[d.id] for d in comparable}) > 1

    # facts: who states each key fact
    facts = _fact_list(event, config.langs[0])
    fact_ids = [f for f, _ in facts]
    per_doc: dict[str, dict[str, FactMatch]] = {}
    for doc in comparable:
        per_doc[doc.id] = {f: match_fact(s, doc, docs, config.paraphrase_similarity)
                           for f, s in facts}
    for copy_id, (original, _) in copies.items():
        if original in per_doc:  # a reprint or translation states what its original states
            per_doc[copy_id] = {f: FactMatch(m.status, copy_id, None, None)
                                for f, m in per_doc[original].items()}

    # quotes, figures, words
    quotes = {d.id: document_quotes(d) for d in comparable + copy_docs}
    mentions = [m for d in comparable for m in document_mentions(d, owner[d.id])] \
        if len(comparable) > 1 else []
    conflicts = number_conflicts(mentions)
    compare_terms = len({owner[d.id] for d in comparable}) > 1
    bags = {d.id: document_terms(d, multilingual) for d in comparable} if compare_terms else {}

    def grouped(key_of) -> dict[str, TermBag]:
        out: dict[str, TermBag] = {}
        for doc_id, bag in bags.items():
            out.setdefault(key_of(doc_id), TermBag()).update(bag)
        return out

    outlet_terms = distinctive(grouped(lambda i: owner[i])) if compare_terms else {}
    lang_terms = distinctive(grouped(lambda i: langs_of[i])) if compare_terms and multilingual \
        else {}

    rows = []
    for name in sorted(outlets, key=lambda o: (o.lower(), o)):
        group = outlets[name]
        originals = [d for d in group if d.id not in copies]
        matches = {f: _best([per_doc[d.id][f] for d in group if d.id in per_doc])
                   for f in fact_ids if any(d.id in per_doc for d in group)}
        row: dict[str, Any] = {
            "outlet": name,
            "outlet_known": any(d.outlet for d in group),
            "langs": sorted({langs_of[d.id] for d in group}),
            "documents": [d.id for d in originals],
            "copies": [{"document": d.id, "of": copies[d.id][0], "kind": copies[d.id][1]}
                       for d in group if d.id in copies],
            "quoted": _quoted_summary([q for d in group for q in quotes[d.id]], owner),
            "distinctive_terms": outlet_terms.get(name, []),
        }
        if matches and len(matches) == len(fact_ids):
            row["facts"] = {f: m.as_dict() for f, m in matches.items()}
            row |= _coverage_lists(matches, fact_ids)
        rows.append(row)

    languages = []
    for lang in sorted({langs_of[d.id] for d in comparable + copy_docs}):
        docs_in = [d for d in comparable + copy_docs if langs_of[d.id] == lang]
        entry: dict[str, Any] = {
            "lang": lang,
            "outlets": sorted({owner[d.id] for d in docs_in}, key=lambda o: (o.lower(), o)),
            "documents": [d.id for d in docs_in],
            "quoted": _quoted_summary([q for d in docs_in for q in quotes[d.id]], owner),
            "distinctive_terms": lang_terms.get(lang, []),
        }
        known = [d for d in docs_in if d.id in per_doc]
        if known and fact_ids:
            carried = {f: sum(per_doc[d.id][f].status in CARRIED for d in known) for f in fact_ids}
            entry["carried_by"] = carried
            entry["carries"] = [f for f in fact_ids if carried[f]]
            entry["omits"] = [f for f in fact_ids if not carried[f] and all(
                per_doc[d.id][f].status == "omitted" for d in known)]
            entry["differs"] = [f for f in fact_ids if not carried[f] and any(
                per_doc[d.id][f].status == "differs" for d in known)]
            entry["weak"] = [f for f in fact_ids if not carried[f] and f not in entry["differs"]
                             and any(per_doc[d.id][f].status == "weak" for d in known)]
        languages.append(entry)

    framing: dict[str, Any] = {
        "compared": len(comparable),
        "sources": len({owner[d.id] for d in comparable}),
        "method": {
            "same_language_cosine": _r(config.paraphrase_similarity),
            "cross_language_cosine": CROSS_LANG_COSINE,
            "cross_language_margin": CROSS_LANG_MARGIN,
            "facts_from": config.langs[0],
        },
        "facts": [{"id": f, "text": s.text, "lang": s.lang, "tier": s.tier,
                   "sources": list(dict.fromkeys(src.document for src in s.sources))}
                  for f, s in facts],
        "outlets": rows,
        "languages": languages,
        "number_conflicts": conflicts,
        "headlines": headlines([*comparable, *copy_docs], copies, owner, event, router,
                               multilingual),
    }
    if excluded:
        framing["excluded"] = excluded
    note = _note(comparable, copy_docs, owner, facts)
    if note:
        framing["note"] = note
    return _sorted_keys(framing)


def _note(comparable: list[Document], copy_docs: list[Document], owner: dict[str, str],
          facts: list) -> str | None:
    sources = sorted({owner[d.id] for d in comparable})
    if not comparable:
        return "no comparable source: every document of this event is boilerplate only"
    if len(comparable) == 1:
        extra = (f" and {len(copy_docs)} cop{'y' if len(copy_docs) == 1 else 'ies'} of it "
                 "(reprint or translation: same facts by construction)") if copy_docs else ""
        return (f"one source ({sources[0]}){extra}: nothing to compare; its key facts, "
                "headline and quoted actors are listed")
    if len(sources) == 1:
        return (f"{len(comparable)} documents, all from one outlet ({sources[0]}): compared "
                "per language and headline only")
    if not facts:
        return "no key facts were extracted for this event: fact coverage is not compared"
    return None
