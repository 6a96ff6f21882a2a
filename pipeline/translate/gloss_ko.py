"""Korean → English dictionary gloss through the Sino-Korean bridge (no Korean dictionary).

No free Korean–English dictionary ships on PyPI, but most Korean news vocabulary is
Sino-Korean: each hangul syllable reads one of a few hanja, and the hanja word is usually a
CC-CEDICT headword (수출 → 輸出 export). So kiwipiepy finds the morphemes, a small curated
table (pipeline/data/gloss_ko_en.toml + the glossary's names) covers names, native words and
verbs, and every other noun is walked syllable by syllable through the `hanja` reading table
and a prefix index of CEDICT headwords. Word order stays Korean; particles and endings drop.
"""

from __future__ import annotations

import threading
import tomllib
from functools import lru_cache
from importlib import resources

from pipeline.cache import cached
from pipeline.translate.gloss_zh import (
    PUNCT,
    SKIP_SENSE,
    CjkToEnglishGloss,
    best_sense,
    cedict_version,
    is_proper,
    load_cedict,
)

_NOUNS = {"NNG", "NNP", "NNB", "XR", "NR"}
_NEGATION = {"않", "못하", "아니"}  # VX / VCN stems that negate the verb before them
_JOIN_SUFFIX = {"XSN"}  # 희토 + 류: the suffix belongs to the noun (希土類)
_MAX_WORD = 6
_CACHE_SCHEMA = 1
_LOCK = threading.RLock()
_HANGUL0, _HANGUL1 = 0xAC00, 0xD7A3
# Initial-sound law (두음 법칙): word-initial ㄹ/ㄴ are written ㅇ/ㄴ, so 여 may be 女 (녀),
# 力 (력); 노 may be 勞 (로). Jamo indices: ㄴ=2, ㄹ=5, ㅇ=11; iotised vowels ㅑㅕㅖㅛㅠㅣ.
_IOTISED = {2, 6, 7, 12, 17, 20}


def _versions() -> str:
    from importlib.metadata import version

    return f"hanja{version('hanja')}-cedict{cedict_version()}-v{_CACHE_SCHEMA}"


def _alternates(syllable: str) -> list[str]:
    """The syllable itself plus the readings the initial-sound law may have rewritten."""
    code = ord(syllable) - _HANGUL0
    if not 0 <= code <= _HANGUL1 - _HANGUL0:
        return [syllable]
    lead, rest = divmod(code, 21 * 28)
    vowel = rest // 28
    leads = [5] if lead == 2 else [2, 5] if lead == 11 and vowel in _IOTISED else []
    if lead == 11 and vowel not in _IOTISED:
        leads = [5]  # 율/열 after a vowel: 比率 비율, 羅列 나열
    return [syllable] + [chr(_HANGUL0 + new * 21 * 28 + rest) for new in leads]


def _build_bridge() -> tuple[dict[str, tuple[str, ...]], dict[str, int]]:
    """(hangul syllable → hanja, every CEDICT headword prefix → headwords starting with it)."""
    from hanja.table import hanja_table

    readings: dict[str, list[str]] = {}
    for char, reading in hanja_table.items():
        if len(char) == 1 and len(reading) == 1:
            readings.setdefault(reading, []).append(char)
    prefixes: dict[str, int] = {}
    for head in load_cedict():
        for end in range(1, min(len(head), _MAX_WORD) + 1):
            prefixes[head[:end]] = prefixes.get(head[:end], 0) + 1
    return {k: tuple(v) for k, v in readings.items()}, prefixes


@lru_cache(maxsize=1)
def load_bridge() -> tuple[dict[str, tuple[str, ...]], dict[str, int]]:
    """The syllable → hanja inversion and CEDICT prefix counts, cached on disk (≈2 s build)."""
    with _LOCK:
        return cached(f"ko-bridge-{_versions()}", _build_bridge)


@lru_cache(maxsize=1)
def load_lexicon() -> dict[str, str]:
    """Curated words (gloss_ko_en.toml) over the glossary's one-word Korean names."""
    data = resources.files("pipeline.data")
    lexicon: dict[str, str] = {}
    for entity in tomllib.loads(data.joinpath("glossary.toml").read_text("utf-8"))["entity"]:
        for name in entity.get("ko", [])[:1]:
            if " " not in name and entity.get("en"):
                lexicon[name] = entity["en"][0]
    words = tomllib.loads(data.joinpath("gloss_ko_en.toml").read_text("utf-8"))["words"]
    return {**lexicon, **words}


def _usable(head: str) -> str | None:
    """The CEDICT sense for a hanja word, or None when only surnames/variants are listed."""
    entries = load_cedict().get(head)
    if not entries or all(SKIP_SENSE.match(d) for e in entries for d in e[3]):
        return None
    return best_sense(entries)


def hanja_candidates(word: str) -> list[tuple[str, str]]:
    """Hanja spellings of `word`'s first syllables that are CEDICT headwords, longest first.

    Returns (hanja, sense) pairs; among spellings of equal length the one that starts the
    most CEDICT headwords (then whose rarest character starts most) comes first (a frequency
    proxy that puts 政府 before 情夫, 利用 before 尼龍), and traditional spellings before
    simplified-only ones (輸出, not 手术 through the reading 출 of 术).
    """
    readings, prefixes = load_bridge()
    found: list[tuple[int, int, str]] = []
    frontier = [""]
    for i, syllable in enumerate(word[:_MAX_WORD]):
        alts = _alternates(syllable) if i == 0 or syllable in "열율" else [syllable]
        options = [h for alt in alts for h in readings.get(alt, ())]
        frontier = [p + h for p in frontier for h in options if p + h in prefixes]
        if not frontier:
            break
        found += [(i + 1, prefixes[h], h) for h in frontier]
    chars = prefixes  # a single character's prefix count = headwords starting with it
    cedict = load_cedict()

    def rank(f: tuple[int, int, str]) -> tuple:
        entries = cedict.get(f[2], ())
        trad = any(e[1] == f[2] for e in entries)  # Korean writes traditional characters
        name = all(is_proper(e) for e in entries)  # 周莊 Zhouzhuang is rarely what 주장 means
        return -f[0], not trad, name, -f[1], -min(chars.get(c, 1) for c in f[2])

    return [(head, sense) for *_, head in sorted(found, key=rank)
            if (sense := _usable(head)) is not None]


def bridge(word: str) -> list[str] | None:
    """English for a Sino-Korean word, split greedily into the longest CEDICT pieces.

    Single-syllable pieces are hundreds-way ambiguous, so they are only accepted inside a
    word that also has a piece of two or more syllables (공급망 = 供給 + 網); None otherwise.
    """
    lexicon = load_lexicon()
    out: list[str] = []
    i, long_piece = 0, False
    while i < len(word):
        rest = word[i:]
        known = next((rest[:j] for j in range(len(rest), 1, -1) if rest[:j] in lexicon), None)
        if known:
            out.append(lexicon[known])
            long_piece, i = True, i + len(known)
            continue
        best = next(iter(hanja_candidates(rest)), None)
        if best is None:
            return None
        out.append(best[1])
        long_piece = long_piece or len(best[0]) > 1
        i += len(best[0])
    return out if long_piece else None


def _kiwi():
    """One kiwipiepy analyser (≈1 s to load its model), shared by all threads."""
    global _KIWI
    with _LOCK:
        if _KIWI is None:
            from kiwipiepy import Kiwi

            _KIWI = Kiwi()
    return _KIWI


_KIWI = None


class KoreanGlossTranslator(CjkToEnglishGloss):
    """ko → en word gloss (tier "gloss"); analyser and indexes load on first use."""

    name = "gloss-ko-bridge"
    src, tgt = "ko", "en"

    def __init__(self, overrides: dict[str, str] | None = None) -> None:
        self._overrides = overrides or {}
        self._merged: dict[str, str] | None = None
        self._cache: dict[str, list[str]] = {}

    def _tokens(self, chunk: str) -> list[str]:
        if not chunk.strip():
            return []
        morphs = [(t.form, t.tag.split("-")[0]) for t in _kiwi().tokenize(chunk)]
        out: list[str] = []
        i = 0
        while i < len(morphs):
            form, tag = morphs[i]
            nxt = morphs[i + 1] if i + 1 < len(morphs) else ("", "")
            if tag == "XPN" and nxt[1] in _NOUNS:  # 재 + 배포: the prefix is part of the word
                form, tag = form + nxt[0], nxt[1]
                i += 1
                nxt = morphs[i + 1] if i + 1 < len(morphs) else ("", "")
            while tag in _NOUNS and nxt[1] in _JOIN_SUFFIX:
                form = form + nxt[0]
                i += 1
                nxt = morphs[i + 1] if i + 1 < len(morphs) else ("", "")
            if tag in _NOUNS and nxt[1] == "XSV" and f"{form}{nxt[0]}다" in self._lexicon():
                form, tag = form + nxt[0], "VV"  # 말 + 하 → 말하다 "say", not "word do"
                i += 1
            out += self._morph(form, tag)
            i += 1
        return out

    def _lexicon(self) -> dict[str, str]:
        if self._merged is None:
            self._merged = {**load_lexicon(), **self._overrides}
        return self._merged

    def _morph(self, form: str, tag: str) -> list[str]:
        if tag in _NOUNS or tag in ("MAG", "MAJ", "MM", "IC"):
            return self.word(form, bridge_ok=tag in _NOUNS)
        if tag in ("VV", "VA"):
            if form.endswith("하") and len(form) > 1 and form + "다" not in self._lexicon():
                return self.word(form[:-1])  # 경고하다 → 경고 (警告) warn: the noun carries it
            return self.word(form + "다", bridge_ok=False)
        if tag in ("VX", "VCN") and form in _NEGATION:
            return ["not"]
        if tag == "JC":
            return ["and"]
        if tag == "SH":
            return self.word(form, bridge_ok=False)
        if tag in ("SL", "SN"):
            return [form]
        if tag.startswith("S") and tag != "SW":
            return [PUNCT.get(form, form)]
        if tag == "SW" and form in "%$&+":
            return [form]
        return []  # particles (J*), endings (E*), suffixes (XS*), copula: grammar, not words

    def word(self, word: str, bridge_ok: bool = True) -> list[str]:
        """English tokens for one word (cached; empty for words the lexicon drops)."""
        key = f"{word}\0{bridge_ok}"
        hit = self._cache.get(key)
        if hit is None:
            hit = self._cache[key] = self._lookup(word, bridge_ok)
        return hit

    def _lookup(self, word: str, bridge_ok: bool) -> list[str]:
        lexicon = self._lexicon()
        if word in lexicon:
            return [lexicon[word]] if lexicon[word] else []
        if word and all(not "가" <= c <= "힣" for c in word):  # hanja written as hanja
            return [s] if (s := best_sense(load_cedict().get(word, ()))) else [word]
        if bridge_ok and (english := bridge(word)):
            return [e for e in english if e]
        return [word.removesuffix("다") if not bridge_ok and word.endswith("다") else word]
