"""The Translator protocol: batches in, texts with their tier out.

A backend declares which language pairs it serves; the translation stage routes each pair to
the first configured backend that supports it and records the tier on every text it produces.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from pipeline.model import Translation


@runtime_checkable
class Translator(Protocol):
    name: str

    def supports(self, src: str, tgt: str) -> bool:
        """True when this backend can translate `src` text into `tgt`."""

    def translate(self, texts: Sequence[str], src: str, tgt: str) -> list[Translation]:
        """Translate a batch; one Translation per input, same order."""
