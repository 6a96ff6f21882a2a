"""The last resort: hand the original back, labelled untranslated, so readers are told."""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.model import Translation


class Untranslated:
    name = "untranslated"
    tier = "original"

    def supports(self, src: str, tgt: str) -> bool:
        return True

    def translate(self, texts: Sequence[str], src: str, tgt: str) -> list[Translation]:
        return [Translation(text=t, tier="original", backend=self.name, untranslated=True)
                for t in texts]
