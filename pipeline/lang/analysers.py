"""One instance per process of each heavy morphological analyser (Kiwi, SudachiPy, jieba),
shared by every stage.

A kiwipiepy `Kiwi` costs about 500 MB of memory and a SudachiPy dictionary about 80 MB;
the Korean gloss and the framing's name finder both need Kiwi, the Japanese gloss, the
framing and the evaluation's tokeniser all need Sudachi. Loaded once here, they are paid
once (and a forked worker shares the pages).
"""

from __future__ import annotations

import importlib
import threading
from functools import cache
from typing import Any

_LOCK = threading.Lock()


@cache
def kiwi() -> Any:
    """The Korean analyser (thread-safe for `tokenize`)."""
    with _LOCK:
        from kiwipiepy import Kiwi

        return Kiwi()


@cache
def sudachi_dictionary() -> Any:
    """The SudachiPy core dictionary; make one tokenizer per thread from it (a tokenizer is
    not thread-safe, the dictionary can make many)."""
    with _LOCK:
        from sudachipy import Dictionary

        return Dictionary(dict="core")


_TOKENIZERS = threading.local()


def sudachi_tokenizer(mode: str = "C") -> Any:
    """This thread's SudachiPy tokenizer in split mode `mode` (A, B or C), made once from
    the process's one dictionary."""
    made = _TOKENIZERS.__dict__.setdefault("by_mode", {})
    if mode not in made:
        from sudachipy import SplitMode

        dictionary = sudachi_dictionary()
        make = getattr(dictionary, "tokenizer", None) or dictionary.create  # create(): < 0.7
        made[mode] = make(getattr(SplitMode, mode))
    return made[mode]


@cache
def jieba() -> Any:
    """The jieba module with its default tokenizer initialised once (≈1 s) and quietly."""
    with _LOCK:
        import logging

        import jieba as module

        module.setLogLevel(logging.WARNING)
        if not module.dt.initialized:
            module.initialize()
        return module


@cache
def jieba_posseg() -> Any:
    """jieba's part-of-speech segmenter, over the same initialised dictionary."""
    jieba()
    return importlib.import_module("jieba.posseg")


def sudachi_mode(name: str) -> Any:
    """SudachiPy's split mode `name` (A, B or C), for a `tokenize` call that asks for a
    finer split than its tokenizer's."""
    from sudachipy import SplitMode

    return getattr(SplitMode, name)


def jieba_word_counts() -> dict[str, str]:
    """The word counts (as digit strings) of jieba's bundled dict.txt: how common a Chinese
    word is, without loading the tokenizer."""
    import re
    from pathlib import Path

    import jieba as module

    text = (Path(module.__file__).parent / "dict.txt").read_text(encoding="utf-8")
    return dict(re.findall(r"^(\S+) ([0-9]+)", text, re.MULTILINE))


def jieba_version() -> str:
    import jieba as module

    return module.__version__
