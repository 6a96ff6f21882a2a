"""Word tokens of a text in any of the four languages, for ROUGE and for matching words.

One definition for the evaluation's ROUGE (`newsdigest_eval.metrics`) and the framing's
comparison of what outlets state (`framing.numbers`): the harness imports it from here, the
product never imports the harness.
"""

from __future__ import annotations

import re
import unicodedata

from pipeline.lang.analysers import jieba, sudachi_tokenizer

_WORD = re.compile(r"[^\W_]+")  # a run of letters/digits, any script
_KO_PUNCT = re.compile(r"(?<![0-9])[\W_]|[\W_](?![0-9])")  # keeps 3.5 and 1,000


def tokenize(text: str, lang: str) -> list[str]:
    """Word tokens for ROUGE and matching; NFKC, lower-cased, punctuation dropped everywhere.

    zh: jieba words (`lcut`, HMM off so unseen words split the same way on every run);
    ja: SudachiPy split mode A (shortest units) surface forms; ko: whitespace-separated eojeol
    (word + particles, 대통령은 stays whole) with punctuation removed except between digits;
    en and anything else: alphanumeric runs. A token with no letter or digit is dropped.
    """
    text = unicodedata.normalize("NFKC", text).lower()
    if lang == "zh":
        tokens = jieba().lcut(text, HMM=False)
    elif lang == "ja":
        pieces = re.split(r"(?<=[。！？!?\n])", text)  # SudachiPy refuses inputs over ~49 kB
        tokens = [m.surface() for piece in pieces for m in sudachi_tokenizer("A").tokenize(piece)]
    elif lang == "ko":
        tokens = [_KO_PUNCT.sub("", word) for word in text.split()]
    else:
        tokens = _WORD.findall(text)
    return [t for t in tokens if _WORD.search(t)]
