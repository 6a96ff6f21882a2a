"""Entity recognition from the bilingual name glossary, with spaCy's EntityRuler.

The same glossary id is found in English, Chinese, Japanese and Korean text, so documents can
be compared across languages without translating them first. CJK text is matched over
character tokens (a blank Chinese pipeline with its character segmenter) so names are found
inside agglutinated words (트럼프는, トランプ氏). English also yields `name:` keys for
capitalised multi-word names the glossary lacks, and every language yields `num:` keys for
amounts, which survive translation unchanged.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from functools import cache, lru_cache
from importlib import resources

from pipeline.lang.numbers import cjk_numbers_to_english
from pipeline.lang.scripts import CJK_CHAR
from pipeline.model import Document

_NAME = re.compile(r"(?<![\w.])(?:[A-Z][a-z]+|[A-Z]{2,})(?:[ -](?:[A-Z][a-z]+|[A-Z]{2,}))+\b")
_NAME_LEAD = re.compile(r"^(?:The|On|In|At|A|An|And|But|This|That|As|For|From|By|With|After|Since)[ -]")
_AMOUNT = re.compile(
    r"(\d+(?:[.,]\d+)*)\s*(%|percent|billion|million|trillion|kilograms?|tonnes?|countries)",
    re.IGNORECASE,
)
_CJK = CJK_CHAR
_SCALE = {"billion": 1e9, "million": 1e6, "trillion": 1e12}
_UNIT = {"kilograms": "kg", "kilogram": "kg", "tonnes": "t", "tonne": "t", "countries": "country"}


@lru_cache(maxsize=1)
def load_glossary() -> tuple[dict, ...]:
    text = resources.files("pipeline.data").joinpath("glossary.toml").read_text("utf-8")
    return tuple(tomllib.loads(text)["entity"])


@lru_cache(maxsize=1)
def _glossary_by_id() -> dict[str, dict]:
    return {e["id"]: e for e in load_glossary()}


def glossary_entry(entity_id: str) -> dict | None:
    """The glossary entry with this id (its names in each language), or None."""
    return _glossary_by_id().get(entity_id)


@cache
def _ruler(script: str):
    """One blank pipeline per script: 'latin' (English) or 'cjk' (characters)."""
    import spacy

    if script == "latin":
        nlp = spacy.blank("en")
        langs: tuple[str, ...] = ("en",)
    else:
        nlp = spacy.blank("zh")  # default segmenter: one token per character
        langs = ("zh", "ja", "ko")
    ruler = nlp.add_pipe("entity_ruler", config={"overwrite_ents": True})
    patterns = []
    for entry in load_glossary():
        for lang in langs:
            for name in entry.get(lang, []):
                if script == "latin" and entry["type"] == "TERM":
                    tokens = [{"LOWER": t.lower_} for t in nlp.make_doc(name)]
                    patterns.append({"label": entry["type"], "pattern": tokens, "id": entry["id"]})
                else:
                    patterns.append({"label": entry["type"], "pattern": name, "id": entry["id"]})
    ruler.add_patterns(patterns)
    return nlp


def _script(lang: str) -> str:
    return "latin" if lang in ("en", "und") else "cjk"


def glossary_entities(text: str, lang: str) -> list[str]:
    """Glossary ids found in the text, in order of appearance."""
    return [ent.ent_id_ for ent in _ruler(_script(lang))(text).ents]


def glossary_entities_many(texts: list[str], langs: list[str]) -> list[list[str]]:
    """`glossary_entities` for many texts, through `nlp.pipe` per script (3× faster than one
    call per sentence: the per-call overhead dominates short sentences)."""
    out: list[list[str]] = [[] for _ in texts]
    for script in ("latin", "cjk"):
        rows = [i for i, lang in enumerate(langs) if _script(lang) == script]
        if rows:
            for i, doc in zip(rows, _ruler(script).pipe(texts[i] for i in rows)):
                out[i] = [ent.ent_id_ for ent in doc.ents]
    return out


def amount_keys(text: str) -> list[str]:
    """Amounts as language-free keys: `$12 billion` and `120亿美元` give the same key."""
    if _CJK.search(text):
        text = cjk_numbers_to_english(text)
    keys = []
    for number, unit in _AMOUNT.findall(text):
        try:
            value = float(number.replace(",", ""))
        except ValueError:
            continue
        unit = unit.lower()
        if unit in _SCALE:
            keys.append(f"num:{value * _SCALE[unit]:.3g}")
        elif unit in ("%", "percent"):
            keys.append(f"num:{value:g}%")
        else:
            keys.append(f"num:{value:g}:{_UNIT.get(unit, unit)}")
    return keys


def name_keys(text: str) -> list[str]:
    """Capitalised multi-word names (English), lower-cased, as extra entity keys."""
    known = _glossary_names()
    keys = []
    for match in _NAME.finditer(text):
        name = _NAME_LEAD.sub("", match.group(0))
        if (" " in name or "-" in name) and name.lower() not in known:
            keys.append("name:" + name.lower())
    return keys


@lru_cache(maxsize=1)
def _glossary_names() -> frozenset[str]:
    """English glossary names: already found as ids, so not repeated as name: keys."""
    return frozenset(n.lower() for e in load_glossary() for n in e.get("en", []))


def annotate_document(doc: Document) -> None:
    """Attach entity keys to each content segment (clustering compares them)."""
    segments = [seg for _, seg in doc.content_segments]
    found = glossary_entities_many([s.text for s in segments], [s.lang for s in segments])
    for seg, ids in zip(segments, found):
        keys = ids + amount_keys(seg.text)
        if seg.lang == "en":
            keys += name_keys(seg.text)
        seg.entities = keys


def document_keys(doc: Document) -> Counter[str]:
    counts: Counter[str] = Counter()
    for _, seg in doc.content_segments:
        counts.update(seg.entities)
    return counts
