"""Claim check: every number and name a summary shows must be in the sources it cites.

Hallucinated figures and misattributed names are what readers of news digests complain about
most, and a briefing writer pastes without re-reading the sources. So before a generated
(LLM) or machine-translated sentence is shown, its checkable claims (`pipeline.claims`:
numbers as values, glossary names by id in any language, other names literally) are looked
up in its cited source sentences, in their original words and in every translation the run
made of them.

- Generated sentences (abstractive mode) are checked on all three kinds. A sentence with an
  unsupported claim is replaced by the extractive sentence it cites first (`abstractive.py`).
- Translations (gloss, NMT, LLM) are checked on numbers, the one claim that survives any
  translation unchanged as a value. Names are not held against translations: a translator
  writes them in another script (Copley → 科普利), or expands a short form the glossary does
  not list (美 → US), so a name missing from the source's claims is no evidence of an error.
  A translation that fails is not shown: the original sentence is shown instead, marked
  untranslated, with the reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from pipeline.claims import faithfulness
from pipeline.model import Document, Source

LANGUAGE_FREE = ("num:",)  # claim kinds every translation must carry over unchanged


@dataclass
class CheckResult:
    checked: int  # claims looked up
    unsupported: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.unsupported

    def to_dict(self, action: str) -> dict:
        return {"claims": self.checked, "unsupported": list(self.unsupported), "action": action}


def source_texts(sources: Iterable[Source], docs: dict[str, Document]) -> list[str]:
    """The cited sentences in their original words and in every translation made of them."""
    texts: list[str] = []
    for src in sources:
        texts.append(src.text)
        doc = docs.get(src.document)
        if doc is not None and 0 <= src.segment < len(doc.segments):
            seg = doc.segments[src.segment]
            texts += [t.text for t in seg.translations.values() if not t.untranslated]
    return texts


def check_claims(text: str, sources: Sequence[str], kinds: tuple[str, ...] | None = None
                 ) -> CheckResult:
    """Claims of `text` (only those of `kinds` when given) that `sources` do not contain."""
    result = faithfulness(text, sources)
    wanted = result.unsupported
    if kinds is not None:
        wanted = [c for c in wanted if c.startswith(kinds)]
    return CheckResult(result.checked, sorted(wanted))


def check_translation(text: str, sources: Sequence[str]) -> CheckResult:
    return check_claims(text, sources, LANGUAGE_FREE)
