"""What the neural MT backends share: cutting texts into units a model can take, and putting
the translated units back together.

Models translate sentences, not articles: each line is cut at sentence boundaries (the segment
stage's splitter) and over-long sentences into clause-, word- or character-sized chunks below
the model's token limit, so nothing is silently truncated. A batch of texts becomes a list of
distinct units; the backend translates those (in any order it likes) and `assemble` rebuilds
one text per input, lines and blank lines kept. Also here: how a model family is told the
language pair, and how many threads a backend should use.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from pipeline.machine import available_cores
from pipeline.model import Translation
from pipeline.translate.gloss_base import base_lang

NO_SPACE_LANGS = {"zh", "ja"}  # target languages whose sentences join without a space
CUTS = (
    re.compile(r"(?<=[，、；：,;:])"),  # after clause punctuation
    re.compile(r"(?<=\s)(?=\S)"),  # before each word
)


@dataclass(frozen=True)
class Family:
    """How a model family is told the language pair.

    Marian models serve one pair (multi-target ones take a `>>id<<` prefix, set per model);
    NLLB and M2M serve many and need the tokenizer's source code and a forced first token.
    """

    codes: dict[str, str] = field(default_factory=dict)  # our code -> the family's code
    token: str = "{}"  # how a code is spelled as a vocabulary token

    def lang_token(self, lang: str) -> str:
        return self.token.format(self.codes[lang])


FAMILIES: dict[str, Family] = {
    "marian": Family(),
    # not yet exercised by tests: wiring kept here so adding a model is a manifest entry
    "nllb": Family({"en": "eng_Latn", "zh": "zho_Hans", "ja": "jpn_Jpan", "ko": "kor_Hang"}),
    "m2m": Family({"en": "en", "zh": "zh", "ja": "ja", "ko": "ko"}, token="__{}__"),
}


def strip_codes(text: str, fam: Family) -> str:
    """M2M leaves `__en__` in decoded text even with skip_special_tokens."""
    for code in fam.codes.values():
        text = text.replace(fam.token.format(code), "")
    return text


def usable_cores() -> int:
    """Threads for one model: the cores this process may use; $NEWSDIGEST_THREADS overrides."""
    return max(1, int(os.environ.get("NEWSDIGEST_THREADS", "0")) or available_cores())


def default_max_input_tokens(*limits: int) -> int:
    """The input cut: the model's hard limits less the special tokens, and at most 256 (long
    inputs translate badly even below the hard limit)."""
    return min([256] + [n - 2 for n in limits if n and n > 2])


def plan(text: str, count: Callable[[str], int], limit: int) -> list[list[str]]:
    """Per line, the units to translate: sentences, cut further where over `limit` tokens.

    Sentence spans are used only as cut points, so the units cover the whole line (only
    whitespace between them is dropped). `count` gives a text's source tokens.
    """
    from pipeline.segment import sentences

    out: list[list[str]] = []
    for line in text.split("\n"):
        cuts = sorted({0} | {a for a, _ in sentences(line)}) + [len(line)]
        pieces = [line[a:b].strip() for a, b in itertools.pairwise(cuts)]
        out.append([c for p in pieces if p for c in chunk(p, count, limit)])
    return out


def chunk(text: str, count: Callable[[str], int], limit: int, level: int = 0) -> list[str]:
    """Greedy packing of clauses, then words, then characters, under the token limit."""
    if count(text) <= limit:
        return [text]
    atoms = CUTS[level].split(text) if level < len(CUTS) else list(text)
    if len(atoms) < 2 and level < len(CUTS):
        return chunk(text, count, limit, level + 1)
    chunks: list[str] = []
    buf = ""
    for atom in atoms:
        if buf and count(buf + atom) > limit:
            chunks.append(buf)
            buf = ""
        if not buf and level < len(CUTS) and count(atom) > limit:
            chunks += chunk(atom, count, limit, level + 1)
            continue
        buf += atom
    chunks.append(buf)
    return [c.strip() for c in chunks if c.strip()]


def distinct_units(plans: Sequence[list[list[str]]]) -> list[str]:
    """Every unit of the plans once, in first-seen order."""
    return list(dict.fromkeys(u for p in plans for line in p for u in line))


def assemble(plans: Sequence[list[list[str]]], done: Mapping[str, str], tgt: str) -> list[str]:
    """One text per plan: its units' translations joined per line, lines kept."""
    joiner = "" if tgt in NO_SPACE_LANGS else " "
    return ["\n".join(joiner.join(done[u] for u in line) for line in p) for p in plans]


def longest_first(units: Sequence[str], count: Callable[[str], int],
                  batch_size: int) -> list[list[int]]:
    """Indexes of `units` in batches, longest first (less padding); ties keep input order."""
    lengths = [count(u) for u in units]
    order = sorted(range(len(units)), key=lambda i: -lengths[i])
    return [order[s : s + batch_size] for s in range(0, len(order), batch_size)]


class UnitTranslator:
    """What both NMT backends share: the pair check, empty batches, planning every text into
    units, translating each distinct unit once, and putting the texts back together.

    One instance holds one loaded model; a multilingual one (NLLB, M2M-100) serves every pair
    in `pairs` from that single copy. Subclasses set `name`, `src`, `tgt` (the first pair,
    for messages), `pairs`, `model` and implement `load()`, `plan(text)` and
    `_generate(units, src, tgt)`.
    """

    tier = "nmt"
    pairs: frozenset[tuple[str, str]] = frozenset()

    def _set_pairs(self, src: str, tgt: str, pairs) -> None:
        self.src, self.tgt = base_lang(src), base_lang(tgt)
        self.pairs = frozenset((base_lang(s), base_lang(t)) for s, t in pairs or [(src, tgt)])

    def supports(self, src: str, tgt: str) -> bool:
        return (base_lang(src), base_lang(tgt)) in self.pairs

    def translate(self, texts: Sequence[str], src: str, tgt: str) -> list[Translation]:
        """One Translation per text, same order; blank lines and empty texts stay empty."""
        if not self.supports(src, tgt):
            raise ValueError(f"{self.name} ({self.model}) does not translate {src}->{tgt}")
        if not any(t.strip() for t in texts):
            return [Translation("", "nmt", self.name) for _ in texts]
        src, tgt = base_lang(src), base_lang(tgt)
        self.load()
        plans = [self.plan(t) for t in texts]
        units = distinct_units(plans)
        done = dict(zip(units, self._generate(units, src, tgt)))
        return [Translation(text, "nmt", self.name) for text in assemble(plans, done, tgt)]
