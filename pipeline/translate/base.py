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


class ModelUnavailable(RuntimeError):
    """A model-backed translator cannot load its model (missing folder, missing extra, bad files).

    Raised with a message that says where the model was looked for and how to get it, so the
    user can fix the setup instead of reading a library traceback.
    """


class TranslatorNotice(UserWarning):
    """A remark about the translation setup the reader should see once (the CLI prints it)."""


class PartialTranslation(RuntimeError):
    """Some texts of a batch were translated and some were rejected (a failed output check,
    an endpoint that stayed down). The router keeps `results` where they are not None and
    sends the rejected texts to the next backend that serves the pair.
    """

    def __init__(self, results: list[Translation | None], reasons: list[str]) -> None:
        self.results = results
        self.reasons = reasons  # one short reason per rejected text, for the warning
        super().__init__(f"{sum(r is None for r in results)} of {len(results)} texts rejected")
