"""English → Chinese dictionary gloss: CC-CEDICT read backwards.

The only offline way to give a Chinese reader a line for an English sentence. CC-CEDICT maps
Chinese → English, so it is inverted once (English sense → headwords, ranked by jieba's word
frequencies) and cached on disk; a small curated table (pipeline/data/gloss_en_zh.toml) wins
over it for function words, news names and topic terms. English word order is kept.

`ReverseGloss` holds the English side (tokens, lemmas, longest phrase match, names) for every
en → CJK gloss; a subclass supplies the index, the table and the target's punctuation.
"""

from __future__ import annotations

import math
import re
import threading
import tomllib
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from pipeline.cache import cached
from pipeline.lang.analysers import jieba_version, jieba_word_counts
from pipeline.lang.cedict import (
    SKIP_SENSE,
    CedictEntry,
    cedict_version,
    clean_sense,
    is_proper,
    iter_cedict,
    load_cedict,
)
from pipeline.lang.numbers import find_english_numbers
from pipeline.lang.scripts import HAN
from pipeline.translate.gloss_base import DictionaryGloss, splice

_MAX_WORDS = 4
_TOKEN = re.compile(
    r"(?P<url>(?:https?://|www\.)\S+|[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/\S*)"
    r"|(?P<abbr>(?:[A-Z]\.){2,}|(?:Dr|Mr|Mrs|Ms|Prof|Gen|Sen|Rep|Gov|St|Jr|Sr|Inc|Corp|Ltd|Co"
    r"|No|vs|etc)\.(?!\w))"
    r"|(?P<word>[A-Za-z][A-Za-z0-9]*(?:['’-][A-Za-z0-9]+)*)"
    r"|(?P<num>[0-9](?:[0-9,.]*[0-9])?)"
    r"|(?P<space>\s+)"
    r"|(?P<punct>.)"
)
_PUNCT = {",": "，", ".": "。", "?": "？", "!": "！", ":": "：", ";": "；", "(": "（", ")": "）"}
_QUOTES = {'"', "'", "“", "”", "‘", "’"}
_SENTENCE_END = {".", "?", "!", ":", '"', "'", "“", "‘"}
_HAN_ONLY = re.compile(f"[{HAN}·]+")
_INDEX_SCHEMA = 1
_STOP = {"the", "a", "an", "of", "to", "by", "in", "on", "at", "for", "with", "from", "as", "and",
         "or", "is", "are", "was", "be", "it", "its", "that", "this", "their", "his", "her"}
_STOP_END = {"the", "a", "an", "it", "its", "that", "this", "their", "his", "her", "and", "or"}
_TABLE = Path(__file__).resolve().parent.parent / "data" / "gloss_en_zh.toml"
_LOCK = threading.Lock()
Table = tuple[dict[str, str], dict[str, str], dict[str, str]]


class Index(NamedTuple):
    """Best headword per English key: `common` keys are lowercase, `proper` keep their case."""

    common: dict[str, str]
    proper: dict[str, str]


def build_index() -> Index:
    """Invert CC-CEDICT: every short sense → its most common, most central headword.

    Score = log(jieba count) − sense position − a penalty for single characters (mostly
    bound forms); ties go to the lexicographically smaller headword, so output is stable.
    """
    freq = jieba_word_counts()
    best: dict[tuple[bool, str], tuple[float, str]] = {}
    if load_cedict.cache_info().currsize:  # already in memory: no second parse
        entries: Iterable[CedictEntry] = dict.fromkeys(e for g in load_cedict().values() for e in g)
    else:
        entries = iter_cedict()
    for entry in entries:
        head, proper = entry[0], is_proper(entry)
        if not _HAN_ONLY.fullmatch(head):
            continue
        base = math.log(int(freq.get(head, 0)) + 1) - (0.7 if len(head) == 1 else 0.0)
        for pos, definition in enumerate(entry[3]):
            if SKIP_SENSE.match(definition):
                continue
            key = clean_sense(definition, proper)
            if not key or len(key.split()) > _MAX_WORDS:
                continue
            slot = (proper, key if proper else key.lower())
            score = base - pos
            old = best.get(slot)
            if old is None or (-score, head) < (-old[0], old[1]):
                best[slot] = (score, head)
    index = Index({}, {})
    for (proper, key), (_score, head) in sorted(best.items()):
        (index.proper if proper else index.common)[key] = head
    return index


@lru_cache(maxsize=1)
def load_index() -> Index:
    """The inverted index, built once (≈3 s) and then read from the cache dir (≈0.3 s)."""
    with _LOCK:
        return cached(f"reverse-index-cedict{cedict_version()}-jieba{jieba_version()}"
                      f"-s{_INDEX_SCHEMA}", build_index)


@lru_cache(maxsize=4)
def read_table(path: Path) -> Table:
    """Curated (case-sensitive, case-insensitive) phrases and irregular forms from a TOML."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    cased = {k: v for k, v in data["phrases"].items() if k != k.lower()}
    folded = {k: v for k, v in data["phrases"].items() if k == k.lower()}
    return cased, folded, dict(data.get("irregular", {}))


def load_table() -> Table:
    """The English → Chinese table (pipeline/data/gloss_en_zh.toml)."""
    return read_table(_TABLE)


def lemmas(word: str, irregular: dict[str, str]) -> list[str]:
    """'batteries' → [batteries, battery, …]: candidate base forms, most likely first.

    Bare suffix stripping must leave four letters, so 'noting' never becomes 'not'.
    """
    w = word.lower()
    out = [irregular[w], w] if w in irregular else [w]

    def strip(n: int, add: str = "") -> None:
        stem = w[:-n]
        if len(stem) >= (3 if add else 4):
            out.append(stem + add)

    if w.endswith("ies"):
        strip(3, "y")
    if w.endswith("es"):
        strip(2)
    if w.endswith("s") and not w.endswith("ss"):
        strip(1)
    if w.endswith("ied"):
        strip(3, "y")
    if w.endswith("ed"):
        strip(1)
        strip(2)
        if len(w) > 4 and w[-3] == w[-4]:
            strip(3)
    if w.endswith("ing"):
        strip(3, "e")
        strip(3)
        if len(w) > 5 and w[-4] == w[-5]:
            strip(4)
    if w.endswith("ily"):
        strip(3, "y")
    if w.endswith("ly"):
        strip(2)
    if w.endswith(("er", "est")):
        strip(2 if w.endswith("er") else 3)
    return list(dict.fromkeys(out))


class _Tok(NamedTuple):
    kind: str  # word | cjk | num | punct | url
    text: str


class ReverseGloss(DictionaryGloss):
    """English → CJK word gloss: subclasses give `index`, `table`, punctuation and quotes."""

    src = "en"
    punct: dict[str, str] = _PUNCT
    quotes = ("“", "”")
    index: Callable[[], Index]  # the inverted dictionary, loaded on first use
    table: Callable[[], Table]  # the curated table, checked first

    def gloss(self, text: str) -> str:
        """One English text → one gloss line in the target language."""
        if not text.strip():
            return ""
        return _join(self._pieces(self._tokenize(text)))

    def _tokenize(self, text: str) -> list[_Tok]:
        spans = [(start, end, _Tok("cjk", cjk)) for start, end, cjk in
                 find_english_numbers(text, self.tgt)]
        return splice(text, spans, lambda chunk: list(self._split(chunk)))

    def _split(self, text: str) -> Iterator[_Tok]:
        cased, folded, _ = self.table()
        for m in _TOKEN.finditer(text.replace("’", "'")):
            kind = m.lastgroup or "punct"
            if kind == "space":
                continue
            tok = m.group()
            if kind == "word" and "'" in tok and tok not in cased and tok.lower() not in folded:
                base, _, rest = tok.partition("'")
                suffix = "'" + rest if rest == "s" else "n't" if base.lower().endswith("n") \
                    and rest == "t" else None
                if suffix == "n't":
                    base = base[:-1]
                if suffix:
                    yield _Tok("word", base)
                    yield _Tok("word", suffix)
                    continue
            yield _Tok("abbr" if kind == "abbr" else kind, tok)

    def _pieces(self, toks: list[_Tok]) -> list[tuple[str, bool]]:
        """(text, is_latin) pieces: phrases matched longest first, unknown words kept."""
        words = [t.text for t in toks if t.kind in ("word", "abbr")]
        title = len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.6 * len(words)
        out: list[tuple[str, bool]] = []
        quote_open = False
        initial = True
        i = 0
        while i < len(toks):
            tok = toks[i]
            if tok.kind in ("word", "abbr"):
                run = [t.text for t in toks[i:i + _MAX_WORDS]]
                run = run[:next((k for k, t in enumerate(toks[i:i + _MAX_WORDS])
                                 if t.kind not in ("word", "abbr")), len(run))]
                for n in range(len(run), 0, -1):
                    named = not title and self._in_name_run(toks, i, n)
                    cjk = self._phrase(run[:n], initial, named)
                    if cjk is not None:
                        out.append((cjk, False))
                        i += n
                        break
                else:
                    out.append((tok.text, True))
                    i += 1
                initial = False
                continue
            if tok.kind == "punct" and tok.text in _QUOTES:
                out.append((self.quotes[quote_open], False))
                quote_open = not quote_open
            elif tok.kind == "punct":
                out.append((self.punct.get(tok.text, tok.text), False))
            else:
                out.append((tok.text, tok.kind in ("num", "url")))
            initial = tok.text in _SENTENCE_END
            i += 1
        return out

    @staticmethod
    def _in_name_run(toks: list[_Tok], i: int, n: int) -> bool:
        """Capitalised words next to other capitalised words (Project Vault) are names."""
        def cap(k: int) -> bool:
            return 0 <= k < len(toks) and toks[k].kind in ("word", "abbr") and \
                toks[k].text[0].isupper()
        return all(cap(k) for k in range(i, i + n)) and (cap(i - 1) or cap(i + n) or n > 1)

    def _phrase(self, words: list[str], initial: bool, named: bool) -> str | None:
        cased, folded, irregular = self.table()
        index = self.index()
        exact = " ".join(words)
        if exact in cased:
            return cased[exact]
        keys = list(self._variants(words, irregular))
        for key in keys:
            if key in folded:
                return folded[key]
        capital = all(w[0].isupper() for w in words)
        if capital and exact in index.proper:
            return index.proper[exact]
        if named or (capital and not initial and exact.isupper() and len(exact) > 1):
            return None  # an unknown name or acronym: keep it in Latin letters
        if len(words) > 1 and (words[0].lower() in _STOP or words[-1].lower() in _STOP_END):
            return None  # CEDICT senses like "the state" or "by the" mislead in running text
        return next((index.common[k] for k in keys if k in index.common), None)

    @staticmethod
    def _variants(words: list[str], irregular: dict[str, str]) -> Iterator[str]:
        low = [w.lower() for w in words]
        for lem in lemmas(low[-1], irregular):
            yield " ".join([*low[:-1], lem])
        if len(low) > 1:
            for lem in lemmas(low[0], irregular)[1:]:
                yield " ".join([lem, *low[1:]])


class ReverseCedictGlossTranslator(ReverseGloss):
    """en → zh word gloss (tier "gloss"); the index loads on first use."""

    name = "gloss-cedict-reverse"
    tgt = "zh"
    index = staticmethod(load_index)
    table = staticmethod(load_table)


def _join(pieces: Sequence[tuple[str, bool]]) -> str:
    """Chinese and Japanese need no spaces; only two Latin pieces in a row are separated."""
    out: list[str] = []
    prev_latin = False
    for text, latin in pieces:
        if not text:
            continue
        if latin and prev_latin:
            out.append(" ")
        out.append(text)
        prev_latin = latin
    return "".join(out).strip()
