"""Chinese transliterations of foreign names → their Latin spelling (西米诺夫 → Siminoff).

Chinese news spells foreign names by sound, and the dictionary gloss used to turn the ones
CC-CEDICT lacks into toneless pinyin ("Aihude") or, worse, into per-character meanings.
`romanize_name` decodes them with a joint-sequence ("graphone") trigram model: each Chinese
character emits a Latin substring (斯 → "s", 夫 → "ff"/"v", 克 → "c"/"k"), and the model
scores sequences of (character, substring) units in context, so word-final 斯 → "s",
诺夫 → "nov"/"noff" and 斯基 → "ski" come out of the counts.

The table (pipeline/data/translit_zh.toml) is learned from CC-CEDICT's proper-name entries
whose definition is the Latin name (哈利法克斯 "Halifax") by `python -m pipeline.translate.translit_zh_build`:
EM alignment of characters to substrings, then graphone n-gram counts. Its pairs are split
deterministically (`is_heldout`); the shipped table is trained on the 90 % training part
only, so benchmarks/translit_zh.py measures it on names it has never seen.
"""

from __future__ import annotations

import hashlib
import math
import re
import threading
import tomllib
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources

from pipeline.lang.scripts import HAN

_HAN = re.compile(f"[{HAN}]+")
_SEPARATORS = re.compile(r"[·・•‧．.\-\s]+")
_LATIN_NAME = re.compile(r"[A-Z][a-z']+(?:[ \-][A-Z][a-z']+)*")
_LOCK = threading.Lock()

BOS, EOS = "<s>", "</s>"
MAX_SUB = 4  # longest Latin substring one character may emit
HELDOUT_BUCKETS = 10  # 1 pair in 10 is held out
LETTER_WEIGHT = 0.3  # weight of the letter model against the graphone model
LETTER_BONUS = 2.5  # per-letter bonus: the letter model alone would favour short names
DISCOUNT = 0.8  # absolute discount of the interpolated graphone n-grams


# ---------------------------------------------------------------- training pairs (build/bench)


def ascii_fold(text: str) -> str:
    """'Dubček' → 'Dubcek'."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _bucket(headword: str) -> int:
    return hashlib.sha1(headword.encode("utf-8")).digest()[0] % HELDOUT_BUCKETS


def is_heldout(headword: str) -> bool:
    """Deterministic 10 % test split on the headword (stable across runs and machines)."""
    return _bucket(headword) == 0


def is_dev(headword: str) -> bool:
    """Another 10 % (a development split, for tuning the decoder without the test split)."""
    return _bucket(headword) == 1


def _toneless(pinyin: str) -> list[str]:
    return [re.sub(r"[0-9:]", "", s).replace("u:", "v").lower() for s in pinyin.split()]


def latin_name(definition: str) -> str | None:
    """The Latin name a proper-noun sense spells, or None ('Halifax (name)' → 'Halifax')."""
    d = re.sub(r"\([^()]*\)", " ", definition)
    d = re.split(r"[,;:/]", d)[0].strip()
    d = ascii_fold(d.removeprefix("Sir ").removeprefix("St ").strip())
    return d if _LATIN_NAME.fullmatch(d) else None


def iter_name_pairs() -> Iterator[tuple[str, str, str, str]]:
    """(simplified, traditional, pinyin, latin) for CC-CEDICT proper entries naming one Latin
    word per headword part: 哈利法克斯 → Halifax, 迪伦 → Dylan; 鲍勃·迪伦-style entries give one
    pair per part. Chinese names spelled in pinyin (丁玲 'Ding Ling') are left out; entries that
    are translations rather than transliterations (水蛇座 'Hydrus') are left for the aligner's
    score to drop."""
    from pipeline.lang.cedict import iter_cedict

    seen: set[tuple[str, str]] = set()
    for simp, trad, pinyin, defs in iter_cedict():
        if not pinyin[:1].isupper():
            continue
        s_parts = [p for p in _SEPARATORS.split(simp) if p]
        t_parts = [p for p in _SEPARATORS.split(trad) if p]
        if not s_parts or not all(_HAN.fullmatch(p) for p in s_parts + t_parts):
            continue
        syllables = [s for s in _toneless(pinyin) if s not in ("·", "•")]
        if len(syllables) != sum(map(len, s_parts)) or len(t_parts) != len(s_parts):
            continue
        for definition in defs:
            name = latin_name(definition)
            if name is None:
                continue
            words = name.replace("-", " ").split()
            if len(words) != len(s_parts):
                continue
            at = 0
            for s_part, t_part, word in zip(s_parts, t_parts, words, strict=True):
                sounds = syllables[at:at + len(s_part)]
                at += len(s_part)
                latin = re.sub(r"[^a-z]", "", word.lower())
                in_pinyin = any(latin == "".join(sounds[:k]) for k in range(1, len(sounds) + 1))
                if not latin or in_pinyin or (s_part, latin) in seen:
                    continue  # a Chinese name in pinyin (高密市 'Gaomi'), or a duplicate
                if len(s_parts) == 1 and len(s_part) < 2:
                    continue
                seen.add((s_part, latin))
                yield s_part, t_part, " ".join(sounds), latin
            break  # the first usable sense only


# ---------------------------------------------------------------- the learned model


class _Model:
    """Graphone trigram, interpolated absolute discounting, counts read from the TOML table."""

    def __init__(self, data: dict) -> None:
        self.order = int(data["meta"]["order"])
        self.variants: dict[str, str] = dict(data.get("variants", {}))
        self.inventory = frozenset(data["meta"]["inventory"])
        # counts[n][history] = {unit: count}; units are "字=sub" strings
        self.counts: list[dict[tuple[str, ...], dict[str, int]]] = [{} for _ in range(self.order)]
        for n, key in enumerate(("unigram", "bigram", "trigram")[: self.order]):
            for line in data["counts"][key]:
                *units, count = line.split(" ")
                hist, unit = tuple(units[:-1]), units[-1]
                self.counts[n].setdefault(hist, {})[unit] = int(count)
        self.totals = [{h: sum(c.values()) for h, c in level.items()} for level in self.counts]
        self.types = [{h: len(c) for h, c in level.items()} for level in self.counts]
        uni = self.counts[0][()]
        self.n_units = sum(uni.values())
        self.vocab = len(uni) + 1
        self.candidates: dict[str, list[str]] = {}
        for unit, count in sorted(uni.items(), key=lambda kv: -kv[1]):
            char, _, sub = unit.partition("=")
            if count >= 1:
                self.candidates.setdefault(char, []).append(sub)
        self._prob_cache: dict[tuple[tuple[str, ...], str], float] = {}
        # letter n-grams of the names: spelling plausibility of what the units spell
        self.letter_order = int(data["meta"]["letter_order"])
        self.letters: dict[str, int] = {}
        for line in data["counts"]["letters"]:
            gram, count = line.split(" ")
            self.letters[gram] = int(count)
        self.ctx_total: dict[str, int] = {}
        self.ctx_types: dict[str, int] = {}
        for gram, count in self.letters.items():
            self.ctx_total[gram[:-1]] = self.ctx_total.get(gram[:-1], 0) + count
            self.ctx_types[gram[:-1]] = self.ctx_types.get(gram[:-1], 0) + 1
        self._letter_cache: dict[str, float] = {}

    def letter_logprob(self, context: str, letter: str) -> float:
        """log P(letter | up to letter_order-1 previous letters), absolute discounting."""
        key = context + letter
        hit = self._letter_cache.get(key)
        if hit is not None:
            return hit
        p = (self.letters.get(letter, 0) + 0.5) / (self.ctx_total[""] + 0.5 * 28)
        for n in range(1, len(context) + 1):
            ctx = context[-n:]
            total = self.ctx_total.get(ctx)
            if not total:
                break
            c = self.letters.get(ctx + letter, 0)
            p = (max(c - DISCOUNT, 0) + DISCOUNT * self.ctx_types[ctx] * p) / total
        self._letter_cache[key] = hit = math.log(p)
        return hit

    def spell_logprob(self, context: str, sub: str) -> tuple[float, str]:
        """log P of the letters of `sub` after `context`, and the new context."""
        total = 0.0
        keep = self.letter_order - 1
        for letter in sub:
            total += self.letter_logprob(context, letter)
            context = (context + letter)[-keep:]
        return total, context

    def prob(self, hist: tuple[str, ...], unit: str) -> float:
        key = (hist, unit)
        hit = self._prob_cache.get(key)
        if hit is not None:
            return hit
        uni = self.counts[0][()]
        p = (uni.get(unit, 0) + 0.5) / (self.n_units + 0.5 * self.vocab)
        for n in range(1, self.order):
            h = hist[len(hist) - n:] if len(hist) >= n else None
            if h is None:
                break
            seen = self.counts[n].get(h)
            if not seen:
                continue
            total, types = self.totals[n][h], self.types[n][h]
            p = (max(seen.get(unit, 0) - DISCOUNT, 0) + DISCOUNT * types * p) / total
        self._prob_cache[key] = p
        return p

    def decode(self, chars: str, beam: int = 24, per_char: int = 12) -> str:
        """The most probable Latin spelling of one name part (lower case)."""
        # state: (last order-1 units, last letters) → (log prob, spelling so far)
        start = "^" * (self.letter_order - 1)
        states: dict[tuple[tuple[str, ...], str], tuple[float, str]] = {
            ((BOS,), start): (0.0, "")}
        for ch in chars:
            ch = ch if ch in self.candidates else self.variants.get(ch, ch)
            subs = self.candidates.get(ch, [])[:per_char] or [_char_pinyin(ch)]
            nxt: dict[tuple[tuple[str, ...], str], tuple[float, str]] = {}
            for (hist, ctx), (score, text) in states.items():
                for sub in subs:
                    unit = f"{ch}={sub}"
                    spell, new_ctx = self.spell_logprob(ctx, sub)
                    s = (score + math.log(self.prob(hist, unit))
                         + LETTER_WEIGHT * (spell + LETTER_BONUS * len(sub)))
                    key = ((*hist, unit)[-(self.order - 1):], new_ctx)
                    if key not in nxt or nxt[key][0] < s:
                        nxt[key] = (s, text + sub)
            states = dict(sorted(nxt.items(), key=lambda kv: -kv[1][0])[:beam])

        def final(item) -> float:
            (hist, ctx), (score, _) = item
            return (score + math.log(self.prob(hist, EOS))
                    + LETTER_WEIGHT * self.letter_logprob(ctx, "$"))

        return max(states.items(), key=final)[1][1]


def _char_pinyin(ch: str) -> str:
    """Toneless pinyin of a character the table lacks (the old fallback), '' if none."""
    from pipeline.lang.cedict import pinyin

    return pinyin(ch).lower() if _HAN.fullmatch(ch) else ""


@lru_cache(maxsize=1)
def _model() -> _Model:
    with _LOCK:
        text = resources.files("pipeline.data").joinpath("translit_zh.toml").read_text("utf-8")
        return _Model(tomllib.loads(text))


def inventory() -> frozenset[str]:
    """Characters the table saw spelling foreign names often enough to count as sound-letters."""
    return _model().inventory


# ---------------------------------------------------------------- public API


@lru_cache(maxsize=4096)
def romanize_name(word: str) -> str:
    """Most plausible Latin spelling of a transliterated foreign name, capitalised per part:
    '西米诺夫' → 'Siminoff', '鲍勃·迪伦' → 'Bob Dylan'. Characters outside the table fall back
    to their toneless pinyin; non-Han text is kept as is."""
    model = _model()
    parts = []
    for part in _SEPARATORS.split(word):
        if not part:
            continue
        out = "".join(model.decode(run) if _HAN.fullmatch(run) else run
                      for run in re.split(f"({_HAN.pattern})", part) if run)
        parts.append(out[:1].upper() + out[1:])
    return " ".join(parts)


@lru_cache(maxsize=4096)
def looks_transliterated(word: str) -> bool:
    """True for a word that is (nearly) all sound-letters, ≥ 2 characters, and not a common
    Chinese word: 西米诺夫, 达尔豪西 yes; 经济, 公司, 美国, 研究 no."""
    chars = "".join(_SEPARATORS.split(word))
    if len(chars) < 2 or not _HAN.fullmatch(chars):
        return False
    inv = _sound_letters()
    variants = _model().variants
    outside = sum(c not in inv and variants.get(c) not in inv for c in chars)
    if outside > len(chars) // 5:  # one stray character allowed from five characters on
        return False
    return not _is_common_word(word)


@lru_cache(maxsize=1)
def _sound_letters() -> frozenset[str]:
    """The learned inventory plus the gloss's hand-made one (豪, 琼: rare in CC-CEDICT names)."""
    from pipeline.lang.cedict import TRANSLIT_CHARS

    return _model().inventory | frozenset(TRANSLIT_CHARS)


def _is_common_word(word: str) -> bool:
    """A CC-CEDICT headword with a common-word (lower-case pinyin) entry (经济, 马克 'mark'),
    or a Chinese place or person whose English name is its pinyin (北京, 上海)."""
    from pipeline.lang.cedict import is_proper, load_cedict

    for entry in load_cedict().get(word, ()):
        if not is_proper(entry):
            return True
        sounds = "".join(_toneless(entry[2]))
        firsts = (ascii_fold(d).split()[:1] for d in entry[3])
        if any(w and re.sub(r"[^a-z]", "", w[0].lower()) == sounds for w in firsts):
            return True  # a Chinese name spelled in pinyin: 北京 Beijing, 上海 Shanghai
    return False
