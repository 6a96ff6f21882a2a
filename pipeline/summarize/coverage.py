"""What a candidate sentence tells, as weighted concepts, and what it costs in output characters.

A summary that only picks the sentences closest to the centroid repeats the gist ("the US is
working to reduce dependence on China") and leaves out the facts a briefing needs: figures,
names, places. So sentences are also scored by the concepts they add that the summary does not
have yet (budgeted maximum coverage, as in Gillick & Favre's concept ILP and Lin & Bilmes'
submodular summarisers): amounts and numbers, named entities (glossary ids are language-free,
so a fact in Chinese and in English share them), and content words. A concept is worth more
when more documents of the event state it (support) and less when nearly every candidate
has it (the topic words: China, rare earths).

Length is counted in the characters of the output language: a Han character carries about
three Latin ones, so an English sentence costs a third of its length in a Chinese summary.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache

from pipeline.lang.scripts import CJK, HAN_CHAR, HANGUL_CHAR, KANA_CHAR
from pipeline.model import Segment

# concept kinds by the prefix of an entity key (pipeline.entities), and their base weights:
# an amount or a person is a checkable fact; a country is usually the topic
KIND_WEIGHT = {"num": 3.0, "person": 2.0, "org": 2.0, "name": 2.0, "term": 1.0, "gpe": 1.0}
NUMBER_WEIGHT = 2.0  # a bare number or year the entity amounts did not catch
WORD_WEIGHT = 0.5  # content words: what an amount or a name is about, worth less alone
CJK_PAIR_WEIGHT = 0.25  # character pairs: several per word
SUPPORT_STEP = 0.5  # each further document stating a concept adds half its weight

_WORD = re.compile(r"[^\W\d_]{3,}")
_NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:,\d{3})+(?!\d)|(?<![\w.,])\d+(?:\.\d+)?(?![\w])")
_CJK_RUN = re.compile(f"[{CJK}]{{2,}}")
_FOOTNOTE = re.compile(r"\[\d+\]")
STEM_CHARS = 6

# Script weights: one Han character carries about as much as three Latin characters (spaces
# included), kana two, a hangul syllable a little over two (as in the LLM translation checks)
_SCRIPT_WEIGHT = (("han", 3.0, HAN_CHAR),
                  ("kana", 2.0, KANA_CHAR),
                  ("hangul", 2.2, HANGUL_CHAR))
# what one character of each output language carries, in Latin characters
OUTPUT_CHAR_WEIGHT = {"en": 1.0, "zh": 3.0, "ja": 2.4, "ko": 2.2}


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def concepts(seg: Segment) -> set[str]:
    """The concepts a sentence states: entity keys, numbers, content-word stems, CJK pairs."""
    text = _FOOTNOTE.sub(" ", seg.text)
    out = {"@" + key for key in seg.entities}
    out |= {"#" + n.replace(",", "") for n in _NUMBER.findall(text)}
    stop = _stop_words()
    out |= {"w:" + w[:STEM_CHARS] for w in (m.lower() for m in _WORD.findall(text))
            if w not in stop}
    for run in _CJK_RUN.findall(text):
        out |= {"c:" + run[i : i + 2] for i in range(len(run) - 1)}
    return out


def base_weight(concept: str) -> float:
    if concept.startswith("@"):
        return KIND_WEIGHT.get(concept[1:].split(":", 1)[0], 1.0)
    if concept.startswith("#"):
        return NUMBER_WEIGHT
    return CJK_PAIR_WEIGHT if concept.startswith("c:") else WORD_WEIGHT


def concept_weights(per_candidate: list[set[str]], documents: list[str]) -> dict[str, float]:
    """Weight = base × support (documents stating it) × rarity among the candidates."""
    n = len(per_candidate)
    df: Counter[str] = Counter()
    support: dict[str, set[str]] = {}
    for found, doc in zip(per_candidate, documents):
        df.update(found)
        for concept in found:
            support.setdefault(concept, set()).add(doc)
    return {c: base_weight(c) * (1 + SUPPORT_STEP * (len(support[c]) - 1))
            * math.log(1 + n / df[c]) for c in df}


def latin_equivalent(text: str) -> float:
    """Length in Latin characters' worth: CJK characters count for what they carry."""
    total = float(len(text))
    for _, weight, pattern in _SCRIPT_WEIGHT:
        total += (weight - 1.0) * len(pattern.findall(text))
    return total


def output_chars(text: str, source_lang: str, output_lang: str) -> float:
    """Expected length of `text` once shown in `output_lang` (itself when already there)."""
    if source_lang == output_lang:
        return float(len(text))
    return latin_equivalent(text) / OUTPUT_CHAR_WEIGHT.get(output_lang, 1.0)
