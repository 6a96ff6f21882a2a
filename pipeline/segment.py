"""Split a document's text into paragraphs and sentence segments with exact offsets.

Real pages are messy: podcast transcripts put every clause on its own bullet line, summaries
glue bullet lists into one line (`... [1][3] - The U.S. ...`), headline lists are joined by
double spaces. We rebuild paragraphs first, then split sentences with spaCy's rule-based
sentencizer over a blank pipeline for the paragraph's script (jieba for Chinese, SudachiPy for
Japanese, whitespace rules for Korean and English). Offsets always point into `Document.text`.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import cache

from pipeline.lang.scripts import HAN_CHAR, HANGUL, HANGUL_JAMO, KANA_CHAR
from pipeline.model import Document, Segment

_BULLET = re.compile(r"(?:[•·●▪◦‣∙・*]|-(?=\s)|\d{1,2}[.)](?=\s))\s*")
_MD_HEADING = re.compile(r"#{1,6}\s+")
_TERMINAL = tuple(".!?。！？…\"”’'」』)")
_SPACE = " \t\u00a0\u3000\u200b\ufeff"
_KANA = KANA_CHAR
_HANGUL = re.compile(f"[{HANGUL}{HANGUL_JAMO}]")
_HAN = HAN_CHAR
_LATIN_LIST_GAP = re.compile(r"\s{2,}")
_INLINE_ITEM = re.compile(r"(?<=\])\s+-\s+(?=\S)|\s+(?=Group \d+:)")
_HEADED_ITEM = re.compile(r"([^!?\n]{1,80}?:[^!?\n]{0,60}?)\s+-\s+(?=[A-Z])")


@dataclass
class _Line:
    start: int
    end: int
    bullet: bool


def splitter_lang(text: str) -> str:
    """Pick the sentence splitter by script; the language stage decides the real language."""
    if _KANA.search(text):
        return "ja"
    if _HANGUL.search(text):
        return "ko"
    if _HAN.search(text):
        return "zh"
    return "en"


@cache
def _nlp(lang: str):
    import spacy

    if lang == "zh":
        from pipeline.lang.analysers import jieba

        jieba()  # the shared, quiet, initialised jieba that spaCy's segmenter then uses
        nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    elif lang == "ko":
        # spaCy's default Korean tokenizer needs mecab-ko; whitespace rules suffice to split.
        nlp = spacy.blank("ko", config={"nlp": {"tokenizer": {"@tokenizers": "spacy.Tokenizer.v1"}}})
    else:
        nlp = spacy.blank(lang)
    nlp.add_pipe("sentencizer")
    return nlp


def _lines(text: str) -> list[_Line | None]:
    """Non-empty lines with stripped offsets and bullets removed; None marks a blank line."""
    out: list[_Line | None] = []
    pos = 0
    for raw in text.split("\n"):
        start, end = pos, pos + len(raw)
        pos = end + 1
        while start < end and text[start] in _SPACE:
            start += 1
        while end > start and text[end - 1] in _SPACE + "\r":
            end -= 1
        if start == end:
            out.append(None)
            continue
        heading = _MD_HEADING.match(text, start, end)
        if heading and heading.end() < end:
            start = heading.end()
        bullet = _BULLET.match(text, start, end)
        if bullet and bullet.end() < end:
            start = bullet.end()
        out.append(_Line(start, end, bool(bullet)))
    return out


def paragraphs(text: str) -> list[list[_Line]]:
    """Group lines into paragraphs.

    A line is its own paragraph (many feeds put one paragraph per line) unless it continues
    the previous one: a transcript bullet after a bullet that did not end its sentence (even
    across blank lines), or a soft-wrapped line starting in lower case.
    """
    paras: list[list[_Line]] = []
    blank_since_last = False
    for line in _lines(text):
        if line is None:
            blank_since_last = True
            continue
        prev = paras[-1][-1] if paras else None
        open_sentence = prev is not None and not text[prev.start : prev.end].endswith(_TERMINAL)
        continues = open_sentence and (
            (line.bullet and prev.bullet)
            or (not blank_since_last and not line.bullet and text[line.start].islower())
        )
        if continues:
            paras[-1].append(line)
        else:
            paras.append([line])
        blank_since_last = False
    return paras


def _joined(text: str, para: list[_Line]) -> tuple[str, list[int]]:
    """The paragraph as one string plus, per character, its offset in the original text."""
    chars: list[str] = []
    where: list[int] = []
    for i, line in enumerate(para):
        if i:
            chars.append(" ")
            where.append(para[i - 1].end)
        chars.extend(text[line.start : line.end])
        where.extend(range(line.start, line.end))
    return "".join(chars), where


MAX_PIECE = 20_000  # characters given to a splitter at once (spaCy refuses > 1M; no sentence
# is this long, so a longer run is cut at its last sentence end or space before the limit)
_PIECE_END = re.compile(r"[.!?。！？]\s*|\s+")


def _bounded(joined: str, a: int, b: int) -> list[tuple[int, int]]:
    spans = []
    while b - a > MAX_PIECE:
        ends = [m.end() for m in _PIECE_END.finditer(joined, a + MAX_PIECE // 2, a + MAX_PIECE)]
        cut = ends[-1] if ends else a + MAX_PIECE
        spans.append((a, cut))
        a = cut
    return spans + [(a, b)]


def _chunks(joined: str) -> list[tuple[int, int]]:
    """Pre-split where sentence punctuation is missing: list gaps and inline bullet items;
    runs longer than `MAX_PIECE` are cut."""
    cuts = [0]
    if not _HAN.search(joined) and not _HANGUL.search(joined):
        cuts += [m.end() for m in _LATIN_LIST_GAP.finditer(joined)]
    cuts += [m.end() for m in _INLINE_ITEM.finditer(joined)]
    cuts = sorted(set(cuts)) + [len(joined)]
    spans: list[tuple[int, int]] = []
    for a, b in itertools.pairwise(cuts):
        head = _HEADED_ITEM.match(joined, a, b)
        if head:
            spans.append((a, head.end(1)))
            a = head.end()
        spans += _bounded(joined, a, b)
    return spans


def _trim(joined: str, a: int, b: int) -> tuple[int, int]:
    while a < b and (joined[a] in _SPACE or joined[a] == "-"):
        a += 1
    while b > a and joined[b - 1] in _SPACE + "-":
        b -= 1
    return a, b


def sentences(joined: str, limit: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans inside one paragraph string (the first `limit` or more)."""
    spans: list[tuple[int, int]] = []
    for a, b in _chunks(joined):
        if limit is not None and len(spans) >= limit:
            break
        a, b = _trim(joined, a, b)
        if a >= b:
            continue
        piece = joined[a:b]
        for sent in _nlp(splitter_lang(piece))(piece).sents:
            sa, sb = _trim(joined, a + sent.start_char, a + sent.end_char)
            if sa < sb:
                spans.append((sa, sb))
    return spans


def segment_document(doc: Document, limit: int | None = None) -> None:
    """Fill `doc.segments` with sentence segments (role body; later stages refine roles);
    with `limit`, segmenting stops once there are more than `limit` (the caller cuts)."""
    doc.segments = []
    for p_index, para in enumerate(paragraphs(doc.text)):
        if limit is not None and len(doc.segments) > limit:
            break
        joined, where = _joined(doc.text, para)
        for a, b in sentences(joined, None if limit is None else limit + 1 - len(doc.segments)):
            start, end = where[a], where[b - 1] + 1
            text = re.sub(r"\s+", " ", joined[a:b]).strip()
            doc.segments.append(Segment(text=text, start=start, end=end, paragraph=p_index))
