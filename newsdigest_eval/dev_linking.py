"""Figures of event linking on the development set of independent coverage (`linking_set`):
partition scores, the share of same-event pairs across each language pair put in one event,
copy flags that join independent reports, and reprints found.

Used by `newsdigest eval --suite linking` and `benchmarks/linking.py`, one definition each.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from newsdigest_eval.linking_set import LinkingSet
from newsdigest_eval.metrics import adjusted_rand_index, bcubed
from newsdigest_eval.public_data import resolved_events
from pipeline.cluster import duplicate_root
from pipeline.dedup.outlets import outlet_key
from pipeline.model import Document, Event

LANG_PAIRS = tuple(itertools.combinations(("en", "zh", "ja", "ko"), 2))


def gold_families(ls: LinkingSet) -> dict[str, str]:
    """Each article's copy family: an original with its gold reprints and translations."""
    root = {doc_id: doc_id for doc_id in ls.gold}

    def find(x: str) -> str:
        while root[x] != x:
            root[x] = root[root[x]]
            x = root[x]
        return x

    for doc_id, article in ls.gold.items():
        if article.of in root:
            root[find(doc_id)] = find(article.of)
    return {doc_id: find(doc_id) for doc_id in ls.gold}


def pair_shares(pred: dict[str, str], ls: LinkingSet) -> dict[str, tuple[int, int]]:
    """Per language pair: (same-event pairs put in one event, same-event pairs)."""
    by_event: dict[str, list[str]] = defaultdict(list)
    for doc_id, article in ls.gold.items():
        if doc_id in pred:
            by_event[article.event].append(doc_id)
    counts: dict[str, list[int]] = {f"{a}-{b}": [0, 0] for a, b in LANG_PAIRS}
    for members in by_event.values():
        for x, y in itertools.combinations(members, 2):
            la, lb = ls.gold[x].lang, ls.gold[y].lang
            key = f"{la}-{lb}" if f"{la}-{lb}" in counts else f"{lb}-{la}"
            if key in counts:
                counts[key][1] += 1
                counts[key][0] += pred[x] == pred[y]
    return {k: (v[0], v[1]) for k, v in counts.items()}


def copy_flags(docs: Sequence[Document], ls: LinkingSet) -> dict[str, Any]:
    """Copy marks against the gold families: wrong ones by kind, reprints and translations
    found (a gold copy whose kept root is its family's)."""
    family = gold_families(ls)
    by_id = {d.id: d for d in docs}
    wrong: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for doc in docs:
        if (doc.duplicate_of and doc.id in family and doc.duplicate_of in family
                and family[doc.id] != family[doc.duplicate_of]):
            wrong[doc.duplicate_kind or "?"].append((doc.id, doc.duplicate_of))
    found: dict[str, list[int]] = {kind: [0, 0] for kind in ("reprint", "translation")}
    for doc_id, article in ls.gold.items():
        if article.kind in found and doc_id in by_id and article.of in by_id:
            found[article.kind][1] += 1
            found[article.kind][0] += (duplicate_root(by_id[doc_id], by_id).id
                                       == duplicate_root(by_id[article.of], by_id).id)
    return {"wrong": dict(wrong), "found": found}


def independent_source_errors(events: Sequence[Event], ls: LinkingSet) -> tuple[int, int]:
    """(events whose `independent_sources` differs from the gold count: the houses whose
    own text, an original by the gold, is among the event's documents and copies; events).
    Houses as the product keys them (an outlet's editions are one): what this measures is
    whether the right originals are counted, not the outlet table."""
    errors = 0
    for event in events:
        own = {outlet_key(ls.gold[m].outlet) for m in event.documents + event.copies
               if m in ls.gold and ls.gold[m].kind == "original"}
        if own and event.independent_sources != len(own):
            errors += 1
    return errors, len(events)


def linking_figures(docs: Sequence[Document], events: Sequence[Event], ls: LinkingSet,
                    prefix: str = "linking.dev") -> tuple[dict[str, float], list[str]]:
    """(figures, notes) for one split run through the pipeline's stages."""
    pred = {k: v for k, v in resolved_events(docs, events).items() if k in ls.gold}
    gold = {k: ls.gold[k].event for k in pred}
    p, r, f1 = bcubed(pred, gold)
    figures: dict[str, float] = {f"{prefix}.bcubed_p": p, f"{prefix}.bcubed_r": r,
                                 f"{prefix}.bcubed_f1": f1,
                                 f"{prefix}.ari": adjusted_rand_index(pred, gold)}
    shares = pair_shares(pred, ls)
    for key, (hit, total) in shares.items():
        figures[f"{prefix}.pairs.{key}"] = hit / total if total else 1.0
    flags = copy_flags(docs, ls)
    figures[f"{prefix}.false_translation_flags"] = len(flags["wrong"].get("translation", []))
    figures[f"{prefix}.false_copy_flags"] = sum(len(v) for k, v in flags["wrong"].items()
                                                if k != "translation")
    for kind, (hit, total) in flags["found"].items():
        figures[f"{prefix}.{kind}s_found"] = hit / total if total else 1.0
    errors, _ = independent_source_errors(events, ls)
    figures[f"{prefix}.independent_sources_wrong"] = errors
    figures[f"{prefix}.events"] = len(set(pred.values()))
    figures[f"{prefix}.gold_events"] = len(set(gold.values()))
    notes = [f"{prefix}: {len(pred)} documents, {len(set(gold.values()))} gold events, "
             f"{len(set(pred.values()))} predicted; same-event pairs in one event: "
             + ", ".join(f"{k} {h}/{t}" for k, (h, t) in shares.items())]
    for kind, pairs in sorted(flags["wrong"].items()):
        notes.append(f"{prefix}: wrong {kind} flags: "
                     + ", ".join(f"{a}->{b}" for a, b in pairs[:20]))
    return figures, notes
