"""Text normal forms and shingles: what two copies of one article still share.

Copies differ in case, width, punctuation, spacing and, for Chinese, in script (a Taiwanese
outlet reprints a Xinhua story in traditional characters). Folding all of that away first
means the hash and shingle layers compare what a reader would call the same words.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pipeline.lang.scripts import CJK_CHAR, HAN_CHAR

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_CJK = CJK_CHAR
_HAN = HAN_CHAR


@lru_cache(maxsize=1)
def _script_tables() -> tuple[dict[int, str], dict[int, str]]:
    """One-character CC-CEDICT entries whose two forms differ, both ways: 國 → 国, 灣 → 湾
    (traditional → simplified) and 莲 → 蓮 (simplified → traditional, the first listed)."""
    from pipeline.lang.cedict import iter_cedict

    to_simplified: dict[int, str] = {}
    to_traditional: dict[int, str] = {}
    for entry in iter_cedict():
        simp, trad = entry[0], entry[1]
        if len(trad) == 1 and len(simp) == 1 and trad != simp:
            to_simplified.setdefault(ord(trad), simp)
            to_traditional.setdefault(ord(simp), trad)
    return to_simplified, to_traditional


def _traditional_to_simplified() -> dict[int, str]:
    return _script_tables()[0]


def to_traditional(text: str) -> str:
    """Simplified characters mapped to traditional ones (hanja dictionaries are traditional)."""
    return text.translate(_script_tables()[1])


def fold_script(text: str) -> str:
    """Traditional Chinese characters mapped to simplified ones; other text unchanged."""
    if not _HAN.search(text):
        return text
    return text.translate(_traditional_to_simplified())


def normalise_text(text: str) -> str:
    """Case, width, punctuation and Chinese script folded: what stays is what a reader would
    call the same text."""
    text = unicodedata.normalize("NFKC", text).lower()
    return _NON_WORD.sub(" ", fold_script(text)).strip()


def is_cjk_text(norm: str) -> bool:
    """True when unspaced scripts hold more than a third of the characters."""
    return len(_CJK.findall(norm)) > len(norm) / 3


def shingles(text: str, k_words: int = 5, k_chars: int = 4) -> set[str]:
    """Word shingles for spaced scripts, character shingles where words are not spaced."""
    return shingles_of_normalised(normalise_text(text), k_words, k_chars)


def shingles_of_normalised(norm: str, k_words: int = 5, k_chars: int = 4) -> set[str]:
    """`shingles` of a text `normalise_text` has already folded."""
    if not norm:
        return set()
    if is_cjk_text(norm):
        chars = norm.replace(" ", "")
        return {chars[i : i + k_chars] for i in range(max(1, len(chars) - k_chars + 1))}
    words = norm.split()
    return {" ".join(words[i : i + k_words]) for i in range(max(1, len(words) - k_words + 1))}
