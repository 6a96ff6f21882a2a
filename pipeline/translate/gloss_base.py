"""What every dictionary gloss shares: one language pair, tier "gloss", numbers spliced in.

Numbers and magnitudes are converted exactly before any dictionary sees the text (a gloss of
21億ドル must read $2.1 billion), so each glosser only tokenises the stretches between them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from pipeline.model import Translation

Span = tuple[int, int, str]


def base_lang(code: str) -> str:
    """`zh-TW` → `zh`: region tags do not change which dictionary applies."""
    return code.split("-")[0].lower()


def splice(text: str, spans: Sequence[Span], tokens: Callable[[str], list]) -> list:
    """Tokens of the text between the spans, with each span's replacement in its place."""
    out: list = []
    pos = 0
    for start, end, replacement in spans:
        out += tokens(text[pos:start])
        out.append(replacement)
        pos = end
    return out + tokens(text[pos:])


class DictionaryGloss:
    """Base for the offline glossers: subclasses set name/src/tgt and implement `gloss`."""

    name = "gloss"
    tier = "gloss"
    src = ""
    tgt = ""

    def supports(self, src: str, tgt: str) -> bool:
        return base_lang(src) == self.src and base_lang(tgt) == self.tgt

    def translate(self, texts: Sequence[str], src: str, tgt: str) -> list[Translation]:
        """One gloss per text, same order; a pair this backend does not serve is an error."""
        if not self.supports(src, tgt):
            raise ValueError(f"{self.name} does not translate {src}->{tgt}")
        return [Translation(g, "gloss", self.name) for g in self.gloss_batch(texts)]

    def gloss_batch(self, texts: Sequence[str]) -> list[str]:
        """One gloss per text; a subclass may carry what it learns from one text to the next."""
        return [self.gloss(t) for t in texts]

    def gloss(self, text: str) -> str:
        raise NotImplementedError
