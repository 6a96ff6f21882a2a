"""What a reader could check in a sentence, and whether its sources back it.

Numbers (as language-free values: `$12 billion` = `120亿美元`), glossary names (by id, so
万斯 = Vance) and other names (capitalised multi-word names, acronyms, Katakana words) are
the claims a summary can get wrong. The pipeline's claim check (`pipeline.summarize.check`)
and the evaluation's faithfulness metric use this one definition, so a sentence the check
lets through is never scored unfaithful by a different rule, and the reverse.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import cache
from typing import Self

from pipeline.entities import load_glossary, name_keys
from pipeline.lang.numbers import cjk_numbers_to_english
from pipeline.lang.scripts import CJK_CHAR

_CJK = CJK_CHAR


def _norm(text: str) -> str:
    """NFKC (full-width digits and letters → ASCII) with runs of whitespace made one space."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


_VAGUE = re.compile(r"[数數几幾수몇][十百千万萬亿億兆십백천만억조]+")  # 数千亿: "hundreds of..."
_AMOUNT = re.compile(
    r"(?<![A-Za-z0-9.])(?<![A-Za-z]-)(?P<num>[0-9]+(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?)"
    r"(?:[ -]?(?P<scale>thousand|million|billion|trillion)(?![A-Za-z])"
    r"|(?P<abbr>bn|mn|tn|[kmb])(?![A-Za-z]))?(?P<pct> ?%| ?percent\b| ?per cent\b)?",
    re.IGNORECASE,
)
_SCALE = {"thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "m": 1e6, "billion": 1e9,
          "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12}


_UNITS_WORDS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
                "eighteen", "nineteen")
_TENS_WORDS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
# spelled-out numbers ("three" = 3): not "one", which is as often a pronoun as a count
_WORD_VALUE = {w: n for n, w in enumerate(_UNITS_WORDS, 2)} | {
    w: 10 * n for n, w in enumerate(_TENS_WORDS, 2)}
_NUMBER_WORD = re.compile(rf"(?<![A-Za-z-])(?P<tens>{'|'.join(_TENS_WORDS)})"
                          rf"(?:-(?P<unit>one|{'|'.join(_UNITS_WORDS[:8])}))?(?![A-Za-z-])"
                          rf"|(?<![A-Za-z-])(?P<word>{'|'.join(_UNITS_WORDS)})(?![A-Za-z-])",
                          re.IGNORECASE)


def _word_numbers(text: str) -> set[str]:
    """Values of spelled-out English numbers: three → 3, twenty-five → 25."""
    out = set()
    for m in _NUMBER_WORD.finditer(text):
        if m["word"]:
            out.add(str(_WORD_VALUE[m["word"].lower()]))
        else:
            unit = m["unit"].lower() if m["unit"] else None
            out.add(str(_WORD_VALUE[m["tens"].lower()]
                        + (1 if unit == "one" else _WORD_VALUE.get(unit, 0) if unit else 0)))
    return out


def amounts(text: str) -> set[str]:
    """Numbers as language-free values: `$12 billion`, `12 billion dollars`, `US$12bn`,
    `12,000,000,000` and `120亿美元` all give {"12000000000"}; `40 percent` and `百分之四十`
    give {"40%"}; `three` and `三人` give {"3"}.

    CJK amounts go through `cjk_numbers_to_english` first; vague ones (数千亿) are skipped.
    Currency is not compared: glosses render it inconsistently, the value is the fact.
    """
    text = _norm(text)
    if _CJK.search(text):
        text = cjk_numbers_to_english(_VAGUE.sub(" ", text))
    out = set()
    for m in _AMOUNT.finditer(text):
        value = float(m["num"].replace(",", ""))
        value *= _SCALE.get((m["scale"] or m["abbr"] or "").lower(), 1)
        out.add(f"{value:.12g}%" if m["pct"] else f"{value:.12g}")
    return out | _word_numbers(text)


def _has(alias: str, text: str) -> bool:
    """Alias in text, not inside a longer Latin word; case-blind unless an acronym (US)."""
    flags = 0 if alias.isupper() and len(alias) <= 5 else re.IGNORECASE
    return re.search(rf"(?<![A-Za-z0-9]){re.escape(alias)}(?![A-Za-z0-9])", text, flags) is not None


_ACRONYM = re.compile(r"(?<![A-Za-z0-9-])[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*(?![A-Za-z0-9])")
_KATAKANA = re.compile(r"[\u30a1-\u30fa][\u30a1-\u30fa\u30fc\u30fb]{2,}")


@cache
def _glossary_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    """Every glossary name (not TERMs) in every language → its id; Latin names match by case."""
    ids = {_norm(n): e["id"] for e in load_glossary() if e["type"] != "TERM"
           for lang in ("en", "zh", "ja", "ko") for n in e.get(lang, [])}
    alt = "|".join(re.escape(n) for n in sorted(ids, key=lambda n: (-len(n), n)))
    return re.compile(rf"(?<![A-Za-z0-9])(?:{alt})(?![A-Za-z0-9])"), ids


def claims(text: str) -> set[str]:
    """What a reader could check: `num:` values, `id:` glossary names (any language) and
    `name:` others (capitalised multi-word names, acronyms such as IEA or F-35, Katakana
    words). Han names outside the glossary cannot be told from other words and are skipped.
    """
    text = _norm(text)
    pattern, ids = _glossary_pattern()
    out = {f"num:{a}" for a in amounts(text)}
    out |= {f"id:{ids[m.group()]}" for m in pattern.finditer(text)}
    rest = pattern.sub("\x00", text)  # "President Trump" leaves no multi-word name behind
    out |= set(name_keys(rest))
    out |= {f"name:{a.lower()}" for a in _ACRONYM.findall(rest) if len(a.replace("-", "")) > 1}
    out |= {f"name:{k}" for k in _KATAKANA.findall(rest)}
    return out


class Faithfulness(float):
    """The score, a float, carrying how many claims were `checked`, the `unsupported` ones and
    `vacuous`: the summary had none (score 1.0: nothing invented, but nothing checked)."""

    def __new__(cls, score: float, checked: int, unsupported: Sequence[str],
                vacuous: bool = False) -> Self:
        self = super().__new__(cls, score)
        self.checked, self.unsupported, self.vacuous = checked, list(unsupported), vacuous
        return self


def faithfulness(summary_text: str, source_texts: Sequence[str]) -> Faithfulness:
    """How much of a summary's checkable content its cited sources (originals or their
    translations) contain: numbers by value, glossary names by id across languages, other
    names literally (case-blind). An invented figure or person lowers it below 1.
    """
    wanted = claims(summary_text)
    if not wanted:
        return Faithfulness(1.0, 0, [], vacuous=True)
    sources = [_norm(s) for s in source_texts]
    have = set().union(*(claims(s) for s in sources))

    def supported(key: str) -> bool:
        kind, _, value = key.partition(":")
        return key in have or (kind == "name" and any(_has(value, s) for s in sources))

    missing = sorted(k for k in wanted if not supported(k))
    return Faithfulness(1 - len(missing) / len(wanted), len(wanted), missing)
