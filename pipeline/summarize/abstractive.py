"""Abstractive summaries and titles through an LLM, held to the extractive evidence.

The model never sees whole articles: it gets the event's extractive selection (numbered
source sentences, each in its own language, plus the output-language rendering when there
is one) and must end every sentence it writes with the numbers of the sentences it rests on.
Each generated sentence then goes through the claim check (`check.py`) against exactly the
sources it cites. A sentence that cites nothing, cites a number that does not exist, or has
an unsupported number or name is replaced by the extractive sentence it cites first (or
dropped when that one is already shown), and the replacement says why. If the generator
fails, the extractive summary stands. Titles are generated from the checked summary and
checked the same way against all of the summary's sources.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from pipeline.model import Document, Source, SummarySentence
from pipeline.summarize.check import check_claims, source_texts
from pipeline.summarize.extractive import Selected, summary_text
from pipeline.translate.llm_backend import END, START, TARGET_NAMES, LLMTranslator, load_prompt

_CITE = re.compile(r"\s*\[\s*S?(\d+)\s*\]", re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[-*•·]|\d+[.)])\s+")
TITLE_CHARS = {"en": 90, "zh": 30, "ja": 36, "ko": 40}


class Generator(Protocol):
    """Anything that answers a system + user prompt with text (an LLM, or a test double)."""

    name: str

    def generate(self, system: str, user: str) -> str: ...


class LLMGenerator:
    """The chat-completions endpoint of the `llm` translator (same options and environment:
    NEWSDIGEST_LLM_BASE_URL, NEWSDIGEST_LLM_MODEL, NEWSDIGEST_LLM_API_KEY)."""

    name = "llm"

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        self._client = LLMTranslator.from_env(options)

    def generate(self, system: str, user: str) -> str:
        return self._client.chat([{"role": "system", "content": system},
                                  {"role": "user", "content": user}])


def _evidence_line(number: int, sel: Selected, shown: SummarySentence) -> str:
    text = summary_text(sel.primary.seg.text).replace(START, " ").replace(END, " ")
    line = f"[S{number}] ({sel.primary.seg.lang}) {text}"
    if shown.tier != "original" and not shown.untranslated:
        line += f" = ({shown.lang}) {shown.text.replace(START, ' ').replace(END, ' ')}"
    return line


def parse_reply(reply: str, count: int) -> list[tuple[str, list[int]]]:
    """(sentence, cited indices 0-based) per non-empty line; an invalid citation gives []."""
    out = []
    for line in reply.replace(START, "").replace(END, "").splitlines():
        line = _BULLET.sub("", line).strip()
        if not line:
            continue
        cited = [int(n) - 1 for n in _CITE.findall(line)]
        text = _CITE.sub("", line).strip()
        if not text:
            continue
        valid = bool(cited) and all(0 <= k < count for k in cited)
        out.append((text, list(dict.fromkeys(cited)) if valid else []))
    return out


def _merged_sources(picked: Sequence[Selected], cited: list[int]) -> list[Source]:
    seen: dict[tuple[str, int], Source] = {}
    for k in cited:
        for src in picked[k].sources:
            seen.setdefault((src.document, src.segment), src)
    return list(seen.values())


def abstractive_summary(picked: Sequence[Selected], extractive: Sequence[SummarySentence],
                        lang: str, generator: Generator, docs: dict[str, Document],
                        max_sentences: int, max_chars: float) -> list[SummarySentence]:
    """The generated summary in `lang`, every sentence checked; `extractive[k]` is how
    `picked[k]` is shown in `lang` (the fallback)."""
    if not picked:
        return list(extractive)
    fields = {"target_language": TARGET_NAMES.get(lang, lang), "max_sentences": max_sentences,
              "max_chars": int(max_chars)}
    system = load_prompt("summarize_system.txt").format(**fields).strip()
    user = load_prompt("summarize_user.txt").format(
        **fields, sentence_count=len(picked),
        sentences="\n".join(_evidence_line(k + 1, sel, shown)
                            for k, (sel, shown) in enumerate(zip(picked, extractive)))).strip()
    reply = generator.generate(system, user)
    out: list[SummarySentence] = []
    used: set[int] = set()
    for text, cited in parse_reply(reply, len(picked))[:max_sentences]:
        if not cited:
            fallback = None
            verdict_dict = {"claims": 0, "unsupported": ["no valid citation"],
                            "action": "replaced"}
        else:
            sources = _merged_sources(picked, cited)
            verdict = check_claims(text, source_texts(sources, docs))
            if verdict.passed:
                out.append(SummarySentence(text, lang, "llm", sources, backend=generator.name,
                                           check=verdict.to_dict("kept")))
                used.update(cited)
                continue
            fallback = cited[0]
            verdict_dict = verdict.to_dict("replaced")
        if fallback is None:
            fallback = next((k for k in range(len(picked)) if k not in used), None)
        if fallback is None or fallback in used:
            continue
        used.add(fallback)
        base = extractive[fallback]
        out.append(SummarySentence(base.text, base.lang, base.tier, base.sources,
                                   backend=base.backend, untranslated=base.untranslated,
                                   original=base.original,
                                   check=verdict_dict | {"generated": text}))
    return out or list(extractive)


def abstractive_title(summary: Sequence[SummarySentence], lang: str, generator: Generator,
                      docs: dict[str, Document]) -> SummarySentence | None:
    """A generated headline, or None when it fails the check (the extractive title stays)."""
    if not summary:
        return None
    limit = TITLE_CHARS.get(lang, 90)
    fields = {"target_language": TARGET_NAMES.get(lang, lang), "max_chars": limit}
    briefing = "\n".join(s.text.replace(START, " ").replace(END, " ") for s in summary)
    system = load_prompt("title_system.txt").format(**fields).strip()
    user = load_prompt("title_user.txt").format(**fields, briefing=briefing).strip()
    lines = [ln.strip().strip("\"'“”「」") for ln in generator.generate(system, user).splitlines()
             if ln.strip()]
    if not lines or len(lines[0]) > 2 * limit:
        return None
    sources = list({(s.document, s.segment): s for sent in summary for s in sent.sources}.values())
    texts = source_texts(sources, docs) + [s.text for s in summary]
    verdict = check_claims(lines[0], texts)
    if not verdict.passed:
        return None
    return SummarySentence(lines[0], lang, "llm", sources, backend=generator.name,
                           check=verdict.to_dict("kept"))
