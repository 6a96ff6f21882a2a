"""Document dedup on a synthetic set built from real ECB+ articles.

Wire copies are the common case in a news archive: the same story re-posted verbatim, with a
sentence cut, with a house style (case, quotes, spacing) or with a number restyled. Other
articles about the same event are the hard negatives: same names, same facts, not the same
text, and they must stay separate documents. Everything is seeded, so a run is reproducible.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable
from typing import Any

from pipeline.config import Config
from pipeline.dedup import mark_copies, shingles
from pipeline.eval.base import SuiteResult
from pipeline.eval.metrics import pair_precision_recall
from pipeline.eval.public_data import (
    Progress,
    duplicate_pairs,
    process_all,
    read_ecbplus,
    report,
)
from pipeline.model import Document

KINDS = ("exact", "drop_sentence", "surface", "number")
DISTINCT_JACCARD = 0.3  # bases overlapping more than this (ECB+ has wire copies) are skipped
MIN_LINES_TO_DROP = 6  # headline + 5 sentences: one cut sentence is a near copy, not a new text
_ONES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
         "eighteen", "nineteen")
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
# a free-standing number: not part of a time (4:59), an age (33-year-old), a percentage or a price
_NUMBER = re.compile(
    r"(?<![\w.,:/$-])(\d{1,3}(?:,\d{3})+|\d+\.\d+|\d{5,}|\d{1,2})(?![\w:%/-]|[.,]\d)")
_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|"
           "December")
_DATE = re.compile(rf"\b({_MONTHS}) (\d{{1,2}}), (\d{{4}})\b")


def _words(value: int) -> str:
    """0–99 in words, as house styles spell them: 3 → three, 33 → thirty-three."""
    if value < 20:
        return _ONES[value]
    tens, ones = divmod(value, 10)
    return _TENS[tens - 2] + (f"-{_ONES[ones]}" if ones else "")


def _reformat_number(token: str) -> str:
    """`20,000` → `20000`, `12345` → `12,345`, `2.6` → `2.60`, `33` → `thirty-three`,
    `May 2, 2013` → `2 May 2013`: the same value in another house style."""
    date = _DATE.fullmatch(token)
    if date:
        return f"{date[2]} {date[1]} {date[3]}"
    if "," in token:
        return token.replace(",", "")
    if "." in token:
        return token + "0"
    if len(token) >= 5:
        return f"{int(token):,}"
    return _words(int(token))


def _drop_sentence(lines: list[str], rng: random.Random) -> list[str] | None:
    if len(lines) < MIN_LINES_TO_DROP:
        return None
    cut = rng.randrange(1, len(lines))  # never the headline
    return lines[:cut] + lines[cut + 1 :]


def _surface(lines: list[str], rng: random.Random) -> list[str]:
    """House style: headline case, curly quotes, doubled spaces, a lost full stop."""
    out = list(lines)
    out[0] = out[0].upper() if rng.random() < 0.5 else out[0].lower()
    for i in range(1, len(out)):
        line = out[i].replace('"', "\u201c", 1).replace('"', "\u201d", 1)
        if rng.random() < 0.3:
            line = line.replace(" ", "  ", 3)
        if rng.random() < 0.2 and line.endswith("."):
            line = line[:-1]
        out[i] = line
    return out


def _number(lines: list[str], rng: random.Random) -> list[str] | None:
    spots = []
    for i, line in enumerate(lines[1:], 1):  # the headline stays as it was
        dates = list(_DATE.finditer(line))
        spots += [(i, m) for m in dates]
        spots += [(i, m) for m in _NUMBER.finditer(line)
                  if not any(d.start() <= m.start() < d.end() for d in dates)]
    if not spots:
        return None
    i, m = rng.choice(spots)
    out = list(lines)
    out[i] = out[i][: m.start()] + _reformat_number(m.group()) + out[i][m.end() :]
    return out


_VARIANTS: dict[str, Callable[[list[str], random.Random], list[str] | None]] = {
    "exact": lambda lines, _rng: list(lines),
    "drop_sentence": _drop_sentence,
    "surface": _surface,
    "number": _number,
}


def _bases(records: list[dict[str, Any]], wanted: int) -> tuple[list[dict[str, Any]], int]:
    """The first `wanted` articles that are not copies of an earlier pick; also the skip count."""
    picked: list[tuple[dict[str, Any], set[str]]] = []
    skipped = 0
    for record in records:
        if len(picked) == wanted:
            break
        grams = shingles(" ".join(record["text"].split("\n")[1:]))
        if any(len(grams & g) / max(1, len(grams | g)) >= DISTINCT_JACCARD for _, g in picked):
            skipped += 1
            continue
        picked.append((record, grams))
    return [r for r, _ in picked], skipped


def build_dedup_set(limit: int | None) -> tuple[list[Document], dict[str, tuple[str, str]], int]:
    """Documents (shuffled), variant id → (kind, original id), and how many bases were skipped.

    Half the documents are distinct ECB+ articles, half one variant each; kinds cycle, and a
    variant that does not apply (too short to cut, no number) falls back to `surface`.
    """
    rng = random.Random(0)
    wanted = max(2, (limit or 2 * 982) // 2)
    bases, skipped = _bases(read_ecbplus(None), wanted)
    docs: list[Document] = []
    variants: dict[str, tuple[str, str]] = {}
    for index, record in enumerate(bases):
        lines = [line for line in record["text"].split("\n") if line.strip()]
        kind = KINDS[index % len(KINDS)]
        changed = _VARIANTS[kind](lines, rng)
        if changed is None:
            kind, changed = "surface", _surface(lines, rng)
        base_id = record["id"]
        docs.append(Document(id=base_id, text="\n".join(lines), source=f"ecbplus:{base_id}"))
        variant_id = f"{base_id}~{kind}"
        docs.append(Document(id=variant_id, text="\n".join(changed), source="synthetic"))
        variants[variant_id] = (kind, base_id)
    rng.shuffle(docs)
    return docs, variants, skipped


def dedup_suite(limit: int | None, progress: Progress = None,
                config: Config | None = None) -> SuiteResult:
    """Pair precision/recall of `mark_duplicate_documents` on the synthetic set (`limit` docs)."""
    start = time.perf_counter()
    config = config or Config()
    result = SuiteResult(name="dedup")
    docs, variants, skipped = build_dedup_set(limit)
    subtopic = {r["id"]: r["subtopic"] for r in read_ecbplus(None)}
    docs, problems = process_all(docs, config, progress, "dedup: reading")
    report(progress, "dedup: comparing", 0, 1)
    mark_copies(docs, config.near_duplicate_jaccard, config.partial_containment)
    report(progress, "dedup: comparing", 1, 1)
    kept = {d.id for d in docs}
    predicted = duplicate_pairs(docs)
    gold = {tuple(sorted((v, base))) for v, (_, base) in variants.items()
            if v in kept and base in kept}
    scores = pair_precision_recall(predicted, gold)
    figures = {"dedup.ecbplus.pair_precision": scores.precision,
               "dedup.ecbplus.pair_recall": scores.recall, "dedup.ecbplus.pair_f1": scores.f1}
    by_id = {d.id: d for d in docs}
    for kind in KINDS:
        pairs = [(v, b) for v, (k, b) in variants.items() if k == kind and v in kept]
        if pairs:
            found = sum(tuple(sorted(p)) in predicted for p in pairs)
            figures[f"dedup.ecbplus.{kind}.recall"] = found / len(pairs)
        for v, b in pairs:
            result.rows.append({"variant": v, "kind": kind, "original": b,
                                "found": tuple(sorted((v, b))) in predicted,
                                "duplicate_of": by_id[v].duplicate_of,
                                "duplicate_kind": by_id[v].duplicate_kind})
    bases = sorted(b for b in kept if b not in variants)
    same_event = [(a, b) for i, a in enumerate(bases) for b in bases[i + 1 :]
                  if subtopic[a] == subtopic[b]]
    if same_event:
        apart = sum((a, b) not in predicted for a, b in same_event)
        figures["dedup.ecbplus.same_event.kept_apart_share"] = apart / len(same_event)
    result.figures = {k: round(float(v), 4) for k, v in figures.items()}
    kinds = {k: sum(1 for kk, _ in variants.values() if kk == k) for k in KINDS}
    result.notes += problems + [
        (f"{len(docs)} documents: {len(bases)} distinct ECB+ articles plus one variant each "
         f"({', '.join(f'{n} {k}' for k, n in kinds.items())}); {len(same_event)} same-event "
         "pairs of distinct articles are the negatives"),
        (f"{skipped} ECB+ articles skipped as bases because they overlap an earlier pick "
         f"(shingle Jaccard ≥ {DISTINCT_JACCARD}: the corpus holds wire copies)"),
        (f"drop_sentence only on articles of ≥ {MIN_LINES_TO_DROP} lines, number only where a "
         "number occurs; otherwise the variant is `surface`; seeded random.Random(0), "
         "full article text, near_duplicate_jaccard "
         f"{config.near_duplicate_jaccard}"),
    ]
    bodiless = sorted(b for b in bases
                      if not any(seg.role == "body" for _, seg in by_id[b].content_segments))
    if bodiless:
        result.notes.append(
            f"{len(bodiless)} base article(s) have no body sentence after cleaning "
            f"({', '.join(bodiless[:5])}): mark_duplicate_documents compares body text only, "
            "so neither they nor their copies can be marked")
    result.seconds = round(time.perf_counter() - start, 2)
    return result
