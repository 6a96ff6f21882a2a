"""Copies of one article in one language: exact, reprinted, edited, trimmed or padded.

Layers, cheapest first, over documents in publication order (the earliest copy is kept):
1. the normalised body hash: the same text, under the same header (`exact`) or under another
   title or outlet (`reprint`: a wire story several outlets ran);
2. MinHash LSH (datasketch) over word shingles, or character shingles for CJK, so an archive
   is compared in near-linear time. A candidate is confirmed on the exact (hashed) shingle
   sets by Jaccard (`near`, or `reprint` when the header differs) or, when one text is
   mostly inside the other, by containment (`partial`: a trimmed copy, or one padded with
   boilerplate the cleaner does not know); or, when most of the smaller text is inside the
   other (`edited`, 0.6), an edited copy: an agency story another outlet ran re-headlined,
   with its credit line moved and a paragraph cut or reordered (`reprint`, or `near` under
   the same header). Independent reports of one event in one language share at most 0.39
   of their shingles (the linking development set), edited reprints 0.73 and more.
A document with no content left after cleaning is not compared (see `cluster.status`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from datasketch import MinHash, MinHashLSH

from pipeline.dedup.text import is_cjk_text, normalise_text, shingles_of_normalised
from pipeline.model import Document, per_document, publication_order

NUM_PERM = 128
CANDIDATE_JACCARD = 0.2  # LSH bands tuned this low so trimmed copies (J ≈ size ratio) are found
MIN_PARTIAL_SHINGLES = 20  # a few sentences: shorter overlaps are quotes, not copies


@dataclass(frozen=True)
class CopyPrint:
    """What the index compares of a document, read from it alone: a document stage
    (`copy_print`), so an archive's workers make them on every core and the day sweep only
    looks them up (it was 14 s of serial work at 10k articles)."""

    digest: str  # sha1 of the normalised copy text; "" when nothing is left to compare
    header: tuple[str, str]  # normalised title, outlet
    grams: np.ndarray  # sorted 64-bit hashes of the shingles: exact checks, 8 bytes each
    hashvalues: np.ndarray  # the MinHash signature of the shingles (NUM_PERM values)

    def minhash(self) -> MinHash:
        template = _template()
        return MinHash(num_perm=NUM_PERM, seed=1, hashvalues=self.hashvalues,
                       permutations=template.permutations, scheme=template.scheme)


def copy_print(doc: Document) -> CopyPrint:
    """The document's `CopyPrint`, made once and kept on it (and in a batch's checkpoint)."""
    if doc.copy_print is None:
        text = copy_text(doc)
        norm = normalise_text(text)
        if not norm:
            doc.copy_print = CopyPrint("", _header(doc), _NO_GRAMS, _NO_GRAMS)
        else:
            grams = shingles_of_normalised(norm)
            doc.copy_print = CopyPrint(hashlib.sha1(norm.encode("utf-8")).hexdigest(),
                                       _header(doc), _hashed(grams), _minhash(grams).hashvalues)
    return doc.copy_print


_NO_GRAMS = np.zeros(0, dtype=np.uint64)


@per_document
def copy_text(doc: Document) -> str:
    """The body sentences, with the title in front when the body alone is too short to
    tell a copy from a quote (a two-line brief); the title when there is nothing else."""
    body = [seg.text for _, seg in doc.content_segments if seg.role == "body"]
    titles = [seg.text for _, seg in doc.content_segments if seg.role == "title"]
    if body and _shingle_count("\n".join(body)) >= MIN_PARTIAL_SHINGLES:
        return "\n".join(body)
    return "\n".join(titles + body)


def _shingle_count(text: str) -> int:
    """How many shingles `shingles` would make, without building the set (an upper bound)."""
    norm = normalise_text(text)
    if is_cjk_text(norm):
        return max(0, len(norm.replace(" ", "")) - 3)
    return max(0, len(norm.split()) - 4)


def _hashed(grams: set[str]) -> np.ndarray:
    digests = (hashlib.blake2b(g.encode("utf-8"), digest_size=8).digest() for g in grams)
    return np.unique(np.frombuffer(b"".join(digests), dtype=np.uint64))


def _header(doc: Document) -> tuple[str, str]:
    return normalise_text(doc.title or ""), normalise_text(doc.outlet or "")


@lru_cache(maxsize=1)
def _template() -> MinHash:
    return MinHash(num_perm=NUM_PERM, seed=1)  # its permutations are built once, not per doc


def _minhash(grams: set[str]) -> MinHash:
    template = _template()
    mh = MinHash(num_perm=NUM_PERM, seed=1, permutations=template.permutations,
                 scheme=template.scheme)
    mh.update_batch([g.encode("utf-8") for g in sorted(grams)])
    return mh


def _mark(doc: Document, original: str, kind: str) -> None:
    doc.duplicate_of, doc.duplicate_kind = original, kind


def _match(grams: np.ndarray, other: CopyPrint, jaccard: float, containment: float,
           edited: float = 1.0) -> tuple[int, float] | None:
    """(strength, score) when `other` is a copy: 3 for near copies, 2 for partial ones,
    1 for edited ones.

    LSH only proposes candidates; the decision is on the exact shingle sets, because
    128-permutation estimates miss true copies near the thresholds by ±0.05.
    """
    shared = len(np.intersect1d(grams, other.grams, assume_unique=True))
    union = len(grams) + len(other.grams) - shared
    if union and shared / union >= jaccard:
        return 3, shared / union
    small = min(len(grams), len(other.grams))
    if small < MIN_PARTIAL_SHINGLES:
        return None
    if shared / small >= containment:
        return 2, shared / small
    return (1, shared / small) if shared / small >= edited else None


class CopyIndex:
    """The layers above as an index that grows: documents are added in publication order
    (a whole batch at once, or day by day for an archive) and each is compared with every
    kept document added before it. An archive `forget`s old documents' shingles (~5 KB
    each) but keeps their text hashes (~150 bytes), so exact copies are found archive-wide."""

    def __init__(self, jaccard: float = 0.8, containment: float = 0.9,
                 edited: float = 1.0) -> None:
        self.jaccard, self.containment, self.edited = jaccard, containment, edited
        self._lsh = MinHashLSH(threshold=CANDIDATE_JACCARD, num_perm=NUM_PERM)
        self._by_hash: dict[str, tuple[str, tuple[str, str]]] = {}  # sha1 -> id, header
        self._prints: dict[str, CopyPrint] = {}  # the indexed documents' prints

    def add(self, doc: Document) -> bool:
        """Mark `doc` when it copies an indexed document (True), else index it."""
        if doc.duplicate_of is not None:
            return False
        found = copy_print(doc)
        if not found.digest:
            return False
        header, digest = found.header, found.digest
        if digest in self._by_hash:
            original_id, original_header = self._by_hash[digest]
            _mark(doc, original_id, "exact" if original_header == header else "reprint")
            return True
        hashed, mh = found.grams, found.minhash()
        best: tuple[tuple[int, float], str] | None = None
        for other_id in sorted(self._lsh.query(mh)):
            found_copy = _match(hashed, self._prints[other_id], self.jaccard, self.containment,
                                self.edited)
            if found_copy is not None and (best is None or found_copy > best[0]):
                best = (found_copy, other_id)
        if best is not None:
            (strength, _), original_id = best
            if strength == 2:
                kind = "partial"
            else:
                kind = "near" if self._prints[original_id].header == header else "reprint"
            _mark(doc, original_id, kind)
            return True
        self._prints[doc.id] = found
        self._by_hash[digest] = (doc.id, header)
        self._lsh.insert(doc.id, mh)
        return False

    def forget(self, doc_ids: list[str]) -> None:
        """Stop matching near and partial copies of these documents (exact ones still are)."""
        for doc_id in doc_ids:
            if self._prints.pop(doc_id, None) is not None:
                self._lsh.remove(doc_id)

    def __len__(self) -> int:
        """Documents whose shingles are held."""
        return len(self._prints)


def mark_copies(docs: list[Document], jaccard: float = 0.8, containment: float = 0.9,
                edited: float = 1.0) -> int:
    """Set `duplicate_of`/`duplicate_kind` on every copy; return how many were marked."""
    index = CopyIndex(jaccard, containment, edited)
    return sum(index.add(doc) for doc in publication_order(docs))
