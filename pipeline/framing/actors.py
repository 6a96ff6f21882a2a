"""Who is named in a sentence: glossary names in every language, plus the names the glossary
lacks (capitalised English names, CJK segmenter names).

Quotes, figures, terms and headlines all need the same actors with the same keys, so that a
person named in English and in Chinese counts once; this module is that single reading.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pipeline.dedup.text import fold_script
from pipeline.entities import load_glossary
from pipeline.framing.common import (
    CJK,
)
from pipeline.lang.analysers import jieba_posseg, kiwi, sudachi_tokenizer
from pipeline.lang.scripts import HAN
from pipeline.model import Document

ACTOR_TYPES = ("PERSON", "NAME", "ORG", "GPE", "ROLE")


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
def glossary_patterns() -> dict[str, Any]:
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
            if CJK.search(name):
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
    g = glossary_patterns()
    if key in g["display"]:
        return g["display"][key]
    return key.split(":", 1)[-1]


def glossary_spans(text: str) -> list[Actor]:
    """Glossary names in the text, longest first where they overlap, in text order."""
    g = glossary_patterns()
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
    return non_overlapping(found)


def non_overlapping(spans: list[Actor]) -> list[Actor]:
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


def english_names(text: str, glossary: list[Actor], aliases: dict[str, Actor]) -> list[Actor]:
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


# single-character country abbreviations in Chinese headlines (美 = US, 中 = China, ...)
_ZH_ABBREV = {"美": "gpe:united_states", "中": "gpe:china", "日": "gpe:japan", "韩": "gpe:south_korea",
              "韓": "gpe:south_korea", "英": "gpe:united_kingdom", "澳": "gpe:australia",
              "印": "gpe:india", "欧": "org:european_union"}


_LATIN_GLOSS = re.compile(r"\s*[（(]\s*([A-Z][A-Za-z.'’-]+(?: [A-Z][A-Za-z.'’-]+)+)\s*[)）]")


def _zh_name(text: str, start: int, end: int, kind: str) -> Actor:
    """A segmenter name, widened over a transliterated given name (戴维·科普利) and keyed by
    the Latin spelling an article gives after it (戴维·科普利(David Copley)) so it matches
    the English name."""
    lead = re.search(f"[{HAN}]{{1,4}}[·・]$", text[:start])
    start = lead.start() if lead else start
    word = text[start:end]
    latin = _LATIN_GLOSS.match(text, end)
    if latin:
        name = latin.group(1)
        return Actor(start, end, "name:" + name.lower(), name, kind, word)
    return Actor(start, end, f"name:{word}", word, kind, word)


# sentences whose segmenter names are kept: one sentence is read for its names by the
# summary's fact lines, the headline comparison, quotes and terms, and again each day its
# event is shown (a segmenter pass is 1-2 ms; a kept sentence ~1 KB)
SENTENCES_KEPT = 32_768
SEGMENTED_LANGS = ("zh", "ja", "ko")
_KNOWN_NAMES: OrderedDict[tuple[str, str], tuple[Actor, ...]] = OrderedDict()
_NAMES_LOCK = threading.Lock()


def segmenter_names(text: str, lang: str) -> tuple[Actor, ...]:
    """Names a word segmenter tags in a sentence (jieba nr/nt/ns, Sudachi 人名/組織名/地名,
    Kiwi NNP), remembered for the last `SENTENCES_KEPT` sentences."""
    key = (text, lang)
    with _NAMES_LOCK:
        found = _KNOWN_NAMES.get(key)
    if found is None:
        found = _segment_names(text, lang)
    _keep_names(key, found)
    return found


def keep_segment_names(doc: Document) -> None:
    """The document stage `segmenter names`: each CJK content sentence's names, kept on its
    segment (`Segment.names`), so an event worker reads them instead of segmenting the
    sentence again (the link keys read them first; jieba's HMM pass, Sudachi and Kiwi were
    an eighth of the event workers' time)."""
    for _, seg in doc.content_segments:
        if seg.lang in SEGMENTED_LANGS and CJK.search(seg.text):
            seg.names = segmenter_names(seg.text, seg.lang)


def remember_segment_names(docs: Iterable[Document]) -> None:
    """Names the document stage kept on these documents' segments, as if found here."""
    for doc in docs:
        for seg in doc.segments:
            if seg.names is not None:
                _keep_names((seg.text, seg.lang), seg.names)


def _keep_names(key: tuple[str, str], names: tuple[Actor, ...]) -> None:
    with _NAMES_LOCK:
        _KNOWN_NAMES[key] = names
        _KNOWN_NAMES.move_to_end(key)
        if len(_KNOWN_NAMES) > SENTENCES_KEPT:
            _KNOWN_NAMES.popitem(last=False)


def _segment_names(text: str, lang: str) -> tuple[Actor, ...]:
    out: list[Actor] = []
    if lang == "zh":
        types = {"nr": "PERSON", "nrfg": "PERSON", "nrt": "PERSON", "nt": "ORG", "ns": "GPE"}
        pos = 0
        g = glossary_patterns()
        # jieba's dictionary is simplified: on traditional text every character is unknown
        # and its HMM pass runs over whole sentences (100+ ms each); folding the script is
        # character for character, so offsets still point into `text`
        for pair in jieba_posseg().cut(fold_script(text), HMM=True):
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
        for m in [*sudachi_tokenizer("C").tokenize(text), None]:
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
        for tok in kiwi().tokenize(text):
            if tok.tag == "NNP" and len(tok.form) >= 2:
                word = text[tok.start:tok.start + tok.len]
                after = text[tok.start + tok.len:tok.start + tok.len + 4]
                kind = "PERSON" if re.match(r"\s?(대통령|부통령|장관|총리|대변인|의원|씨|위원장)", after) \
                    else "NAME"
                out.append(Actor(tok.start, tok.start + tok.len, f"name:{word}", word, kind, word))
    return tuple(out)


def actor_spans(text: str, lang: str, aliases: dict[str, Actor] | None = None,
                segmenter: bool = True) -> list[Actor]:
    """Glossary names, then names the glossary lacks (English capitalisation, CJK
    segmenters when `segmenter`), without overlaps, in text order."""
    glossary = glossary_spans(text)
    if lang == "en" or not CJK.search(text):
        extra = english_names(text, glossary, aliases or {})
        # a multi-word name that is not all glossary ("South China Morning Post") wins
        glossary = [a for a in glossary if a.type == "TERM" or not any(
            n.start <= a.start and a.end <= n.end and n.key.startswith("name:") for n in extra)]
    elif segmenter:
        extra = segmenter_names(text, lang)
    else:
        extra = []
    spans = glossary + [n for n in extra
                        if all(n.end <= a.start or n.start >= a.end for a in glossary)]
    return non_overlapping(spans)
