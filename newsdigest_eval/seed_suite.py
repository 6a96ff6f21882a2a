"""Score a seed digest against the hand-written references in eval/references/.

Per event: fact recall and ROUGE of the summary in each language, faithfulness of every
sentence to the sources it cites. Per run: event grouping (B-cubed, ARI), language and role of
every reference line (a line's prediction is the majority, by characters, of the segments
inside it), repeated lines, document dates. The digest JSON is the only input besides the
references and the seed texts, so any digest, from any version, can be scored.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from newsdigest_eval import metrics
from newsdigest_eval.base import SuiteResult
from newsdigest_eval.references import (
    SeedReferences,
    line_of_span,
    line_spans,
    load_references,
    seed_text,
    seeds_folder,
)

NON_CONTENT = ("boilerplate", "related")


def _run_seeds(progress) -> dict:
    from pipeline.config import Config
    from pipeline.model import digest_to_dict
    from pipeline.run import run

    if progress:
        progress("seeds: running the pipeline", 0, 1)
    result = run([seeds_folder()], Config())
    if progress:
        progress("seeds: running the pipeline", 1, 1)
    return digest_to_dict(result.digest)


def _line_labels(doc: dict, text: str) -> dict[int, tuple[str, str]]:
    """Reference line → predicted (lang, role), by characters of the segments inside it."""
    spans = line_spans(text)
    votes: dict[int, tuple[Counter, Counter]] = {}
    for seg in doc["segments"]:
        for line, (start, end) in spans.items():
            overlap = min(end, seg["end"]) - max(start, seg["start"])
            if overlap > 0:
                langs, roles = votes.setdefault(line, (Counter(), Counter()))
                langs[seg["lang"]] += overlap
                roles[seg.get("role", "boilerplate" if seg["boilerplate"] else "body")] += overlap
    return {line: (langs.most_common(1)[0][0], roles.most_common(1)[0][0])
            for line, (langs, roles) in votes.items()}


def _event_scores(digest: dict, refs: SeedReferences) -> tuple[dict[str, float], list[dict]]:
    figures: dict[str, list[float]] = {}
    rows = []
    docs = {d["id"]: d for d in digest["documents"]}
    for ref in refs.events:
        best = max(digest["events"], default=None,
                   key=lambda e: len(set(e["documents"]) & set(ref.documents)))
        row: dict[str, Any] = {"event": ref.name}
        if best is None or not set(best["documents"]) & set(ref.documents):
            rows.append(row | {"matched": ""})
            continue
        row["matched"] = best["id"]
        for lang in ("en", "zh"):
            sents = best["summary"].get(lang, [])
            texts = [s["text"] for s in sents]
            recall = metrics.fact_recall(texts, ref.facts).recall
            rouge = metrics.rouge(" ".join(texts), ref.summary[lang], lang)
            row[f"fact_recall_{lang}"] = recall
            row[f"rougeL_{lang}"] = rouge["rougeL"]["f"]
            figures.setdefault(f"seeds.fact_recall.{lang}", []).append(recall)
            for key in ("rouge1", "rouge2", "rougeL"):
                figures.setdefault(f"seeds.{key}.{lang}", []).append(rouge[key]["f"])
            faithful = []
            for sent in sents:
                sources = []
                for src in sent["sources"]:
                    seg = docs[src["document"]]["segments"][src["segment"]]
                    sources.append(seg["text"])
                    sources += [t["text"] for t in seg.get("translations", {}).values()]
                faithful.append(float(metrics.faithfulness(sent["text"], sources)))
            figures.setdefault("seeds.faithfulness", []).extend(faithful)
            row[f"faithful_{lang}"] = sum(faithful) / len(faithful) if faithful else 1.0
        rows.append(row)
    return {k: sum(v) / len(v) for k, v in figures.items()}, rows


def _clustering(digest: dict, refs: SeedReferences) -> dict[str, float]:
    gold = {doc: ref.name for ref in refs.events for doc in ref.documents}
    owner = {d["id"]: d.get("duplicate_of") or d["id"] for d in digest["documents"]}
    event_of = {doc: e["id"] for e in digest["events"] for doc in e["documents"]}
    pred = {doc: event_of.get(owner.get(doc, doc), f"unclustered:{doc}") for doc in gold}
    p, r, f = metrics.bcubed(pred, gold)
    return {"seeds.clustering.bcubed_precision": p, "seeds.clustering.bcubed_recall": r,
            "seeds.clustering.bcubed_f1": f,
            "seeds.clustering.ari": metrics.adjusted_rand_index(pred, gold)}


def _lines(digest: dict, refs: SeedReferences) -> tuple[dict[str, float], list[dict]]:
    gold_lang, pred_lang = {}, {}
    gold_boiler, pred_boiler, gold_noncontent, pred_noncontent = set(), set(), set(), set()
    gold_dup, pred_dup = set(), set()
    rows = []
    for doc in digest["documents"]:
        ref = refs.documents.get(doc["id"])
        if ref is None:
            continue
        text = seed_text(doc["id"])
        predicted = _line_labels(doc, text)
        for line in ref.lines:
            key = (doc["id"], line.number)
            lang, role = predicted.get(line.number, ("und", "body"))
            if line.lang != "und":
                gold_lang[key], pred_lang[key] = line.lang, lang
            if line.role == "boilerplate":
                gold_boiler.add(key)
            if role == "boilerplate":
                pred_boiler.add(key)
            if line.role in NON_CONTENT:
                gold_noncontent.add(key)
            if role in NON_CONTENT:
                pred_noncontent.add(key)
            if line.lang != "und" and lang != line.lang:
                rows.append({"document": doc["id"], "line": line.number, "gold_lang": line.lang,
                             "pred_lang": lang})
        gold_dup |= {(doc["id"], a) for a, _ in ref.duplicates_within}
        spans = line_spans(text)
        pred_dup |= {(doc["id"], line_of_span(spans, seg["start"], seg["end"]))
                     for seg in doc["segments"] if "duplicate_of" in seg}
    bp, br, _ = metrics.precision_recall(pred_boiler, gold_boiler)
    np_, nr, _ = metrics.precision_recall(pred_noncontent, gold_noncontent)
    dp, dr, _ = metrics.precision_recall(pred_dup, gold_dup)
    figures = {
        "seeds.langid.accuracy": metrics.accuracy(pred_lang, gold_lang),
        "seeds.boilerplate.precision": bp, "seeds.boilerplate.recall": br,
        "seeds.noncontent.precision": np_, "seeds.noncontent.recall": nr,
        "seeds.repeats.precision": dp, "seeds.repeats.recall": dr,
    }
    for lang in ("en", "zh", "ja", "ko"):
        keys = [k for k, v in gold_lang.items() if v == lang]
        if keys:
            figures[f"seeds.langid.accuracy.{lang}"] = (
                sum(pred_lang[k] == lang for k in keys) / len(keys))
    dates = [(d["date"], refs.dates.get(d["id"])) for d in digest["documents"]
             if d["id"] in refs.dates]
    if dates:
        figures["seeds.dates.accuracy"] = sum(p == g for p, g in dates) / len(dates)
    return figures, rows


def seed_suite(digest_path: Path | None = None, references: Path | None = None,
               progress=None) -> SuiteResult:
    """Score `digest_path`, or a fresh pipeline run on seeds/ when none is given."""
    refs = load_references(references)
    if digest_path is not None:
        digest = json.loads(Path(digest_path).read_text(encoding="utf-8"))
    else:
        digest = _run_seeds(progress)
    event_figures, event_rows = _event_scores(digest, refs)
    line_figures, line_rows = _lines(digest, refs)
    result = SuiteResult(name="seeds")
    result.figures = {**event_figures, **_clustering(digest, refs), **line_figures}
    result.rows = event_rows + line_rows
    result.notes.append(f"{len(digest['documents'])} documents, {len(digest['events'])} events; "
                        "rows after the events list reference lines whose language was missed")
    return result
