"""Duplicates: repeated paragraphs inside a document, identical and near-identical documents.

Syndicated copies and scraper glitches (one seed repeats its whole body) must never yield a
second summary sentence. Inside a document we compare normalised sentences exactly; across
documents we use MinHash LSH (datasketch) over word or character shingles, so a large archive
is compared in near-linear time, and confirm each candidate pair with its estimated Jaccard.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from datasketch import MinHash, MinHashLSH

from pipeline.model import Document

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_CJK = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]")
NUM_PERM = 128


def normalise_text(text: str) -> str:
    """Case, width and punctuation folded: what stays is what a reader would call the same."""
    text = unicodedata.normalize("NFKC", text).lower()
    return _NON_WORD.sub(" ", text).strip()


def mark_repeated_segments(doc: Document) -> int:
    """Point each repeated content sentence at its first occurrence; return how many."""
    first_seen: dict[str, int] = {}
    repeats = 0
    for index, seg in enumerate(doc.segments):
        if seg.role not in ("title", "body"):
            continue
        key = normalise_text(seg.text)
        if not key:
            continue
        if key in first_seen:
            seg.duplicate_of = first_seen[key]
            repeats += 1
        else:
            first_seen[key] = index
    return repeats


def _content_text(doc: Document) -> str:
    return " ".join(seg.text for _, seg in doc.content_segments if seg.role == "body")


def shingles(text: str, k_words: int = 5, k_chars: int = 4) -> set[str]:
    """Word shingles for spaced scripts, character shingles where words are not spaced."""
    norm = normalise_text(text)
    if len(_CJK.findall(norm)) > len(norm) / 3:
        chars = norm.replace(" ", "")
        return {chars[i : i + k_chars] for i in range(max(1, len(chars) - k_chars + 1))}
    words = norm.split()
    return {" ".join(words[i : i + k_words]) for i in range(max(1, len(words) - k_words + 1))}


def _minhash(items: set[str]) -> MinHash:
    mh = MinHash(num_perm=NUM_PERM, seed=1)
    for item in sorted(items):
        mh.update(item.encode("utf-8"))
    return mh


def mark_duplicate_documents(docs: list[Document], threshold: float = 0.8) -> int:
    """Set `duplicate_of` on exact and near copies; the earliest document (input order) wins."""
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    exact: dict[str, str] = {}
    hashes: dict[str, MinHash] = {}
    marked = 0
    for doc in docs:
        text = _content_text(doc)
        if not text:
            continue
        digest = hashlib.sha1(normalise_text(text).encode("utf-8")).hexdigest()
        if digest in exact:
            doc.duplicate_of = exact[digest]
            marked += 1
            continue
        mh = _minhash(shingles(text))
        near = sorted(
            (other for other in lsh.query(mh) if hashes[other].jaccard(mh) >= threshold),
            key=lambda other: (-hashes[other].jaccard(mh), other),
        )
        if near:
            doc.duplicate_of = near[0]
            marked += 1
            continue
        exact[digest] = doc.id
        hashes[doc.id] = mh
        lsh.insert(doc.id, mh)
    return marked
