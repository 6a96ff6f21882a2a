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


def sudachi_tokenizer(mode: str = "C") -> Any:
    from sudachipy import SplitMode

    dictionary = sudachi_dictionary()
    make = getattr(dictionary, "tokenizer", None) or dictionary.create  # create(): < 0.7
    return make(getattr(SplitMode, mode))


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
