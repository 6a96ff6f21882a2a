"""Duplicates in layers: repeated sentences, copies in one language, translations.

See `repeats` (inside a document), `copies` (exact, reprint, near, partial: hashes and MinHash
LSH) and `translations` (embeddings plus numbers, names and length). Every layer sets
`Document.duplicate_of` to the copy that is kept and `duplicate_kind` to what it found.
"""

from pipeline.dedup.copies import copy_text, mark_copies
from pipeline.dedup.repeats import mark_repeated_segments
from pipeline.dedup.text import normalise_text, shingles
from pipeline.dedup.translations import mark_translations, script_variant

DUPLICATE_KINDS = ("exact", "reprint", "near", "partial", "translation")

__all__ = ["DUPLICATE_KINDS", "copy_text", "mark_copies", "mark_repeated_segments",
           "mark_translations", "normalise_text", "script_variant", "shingles"]
