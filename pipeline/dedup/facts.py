"""Language-free facts of a text: numbers as values, and Latin-script names and acronyms.

A translation keeps its original's numbers (1.1 million tonnes / 110万吨 / 110만 톤) and its
Latin-script names (MWP, BBC, iPhone) whatever the language, while another article on the
same story quotes other figures. These are what confirm an embedding match across languages.
"""

from __future__ import annotations

import re

from pipeline.lang.numbers import cjk_numbers_to_english
from pipeline.lang.scripts import CJK_CHAR

_CJK = CJK_CHAR
# only Latin letters and digits may not precede a number: in CJK text any character may
_NUMBER = re.compile(r"(?<![A-Za-z0-9.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(thousand|million|"
                     r"billion|trillion)?", re.IGNORECASE)
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
# BBC, MWP, iPhone, McIlroy; not shouted words (ANOTHER BLACK PERSON), which translators do
_ACRONYM = re.compile(r"(?<![A-Za-z])(?:[A-Z]{2,5}|[A-Z]?[a-z]+[A-Z][A-Za-z]*)(?![A-Za-z])")
SMALL_NUMBER = 10  # English spells these out ("three"), CJK writes digits: not comparable


def number_values(text: str) -> set[str]:
    """Values of the numbers above ten, as canonical strings: '1.1 million' → '1.1e+06'."""
    if _CJK.search(text):
        text = cjk_numbers_to_english(text)
    values = set()
    for digits, scale in _NUMBER.findall(text):
        value = float(digits.replace(",", "")) * _SCALE.get(scale.lower(), 1.0)
        if value > SMALL_NUMBER or value != int(value):
            values.add(f"{value:.4g}")
    return values


def latin_names(text: str) -> set[str]:
    """Acronyms and camel-case names (AM, MWP, iPhone's stays out): kept verbatim by
    translators into every language."""
    return {m.lower() for m in _ACRONYM.findall(text)}


def facts(text: str) -> set[str]:
    return {f"n:{v}" for v in number_values(text)} | {f"a:{a}" for a in latin_names(text)}


def agreement(a: set[str], b: set[str], lone_figure_disagrees: bool = True) -> float | None:
    """Share of the smaller fact set found in the larger; None when there is nothing to compare.

    Numbers on one side only are a disagreement (a translation keeps its figures). Latin
    names on one side only are not: EU and NATO become 欧盟 and 北约 in a Chinese translation,
    so they are compared only when both texts have some. `lone_figure_disagrees` False:
    a single figure on one side is no evidence (a translator may add the year), for
    documents whose sentences are aligned afterwards anyway.
    """
    numbers = [{f for f in side if f.startswith("n:")} for side in (a, b)]
    names = [{f for f in side if f.startswith("a:")} for side in (a, b)]
    shared = total = 0
    for x, y in (numbers, names):
        if x and y:
            shared += len(x & y)
            total += min(len(x), len(y))
    if total:
        return shared / total
    lone = len(numbers[0]) + len(numbers[1])
    if lone >= (1 if lone_figure_disagrees else 2):  # figures on one side only
        return 0.0
    return None
