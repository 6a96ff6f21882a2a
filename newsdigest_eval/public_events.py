"""Event clustering on ECB+ and cross-lingual linking on NTREX-128, through the pipeline's stages.

Both suites run what `pipeline.run.run` runs between reading and summarising: per-document
stages → duplicate documents → embeddings → translated copies → events, with the default
Config. A duplicate is scored under the event of the copy that was kept, as a reader sees it.
"""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

from newsdigest_eval.base import SuiteResult
from newsdigest_eval.dev_linking import linking_figures
from newsdigest_eval.evaldata import ntrex_documents
from newsdigest_eval.linking_set import load_linking_set
from newsdigest_eval.metrics import adjusted_rand_index, bcubed, pair_precision_recall
from newsdigest_eval.public_data import (
    Progress,
    duplicate_pairs,
    embed_all,
    evaldata_folder,
    process_all,
    read_ecbplus,
    resolved_events,
    same_label_pairs,
)
from newsdigest_eval.references import ntrex_event_of
from pipeline.backends import build_embedder
from pipeline.cluster import duplicate_root
from pipeline.config import Config
from pipeline.model import Document, Event
from pipeline.run import group_events

NTREX_SENTENCES = 10**6  # whole articles: one embedded lead per document, terms read it all
LANGS = ("en", "zh", "zh-TW", "ja", "ko")  # NTREX has two Chinese translations


def _run_stages(docs: list[Document], config: Config, progress: Progress,
                name: str) -> tuple[list[Document], list[Event], list[str]]:
    """The cross-document stages in `pipeline.run` order; returns kept docs, events, problems."""
    docs, problems = process_all(docs, config, progress, f"{name}: reading")
    embedder = build_embedder(config)
    events = group_events(docs, config,
                          lambda batch: embed_all(batch, embedder, progress, f"{name}: embedding",
                                                  config.embed_chars), embedder.embed)
    return docs, events, problems


def _partition_figures(prefix: str, pred: dict[str, str], gold: dict[str, str]) -> dict[str, float]:
    p, r, f1 = bcubed(pred, gold)
    return {f"{prefix}.bcubed_p": p, f"{prefix}.bcubed_r": r, f"{prefix}.bcubed_f1": f1,
            f"{prefix}.ari": adjusted_rand_index(pred, gold)}


def _rounded(figures: dict[str, float]) -> dict[str, float]:
    return {k: round(float(v), 4) for k, v in figures.items()}


def _ecbplus_document(record: dict[str, Any]) -> Document:
    lines = [line for line in record["text"].split("\n") if line.strip()]
    return Document(id=record["id"], text="\n".join(lines), source=f"ecbplus:{record['id']}",
                    url=record.get("url"))


def clustering_suite(limit: int | None, progress: Progress = None,
                     config: Config | None = None) -> SuiteResult:
    """B-cubed and ARI of the pipeline's events against ECB+ gold events (and topics).

    Takes the first `limit` articles in file order, which keeps whole topics together
    (each topic holds two events of the same kind: the hard case for a news digest).
    All 982 articles take about 30 s on 2 cores with a cold embedding cache.
    """
    start = time.perf_counter()
    config = config or Config()
    result = SuiteResult(name="clustering")
    records = read_ecbplus(limit)
    gold_event = {r["id"]: r["subtopic"] for r in records}
    gold_topic = {r["id"]: r["topic"] for r in records}
    docs, events, problems = _run_stages(
        [_ecbplus_document(r) for r in records], config, progress, "clustering")
    pred = resolved_events(docs, events)
    story_of = {e.id: e.story or e.id for e in events}
    pred_story = {k: story_of.get(v, v) for k, v in pred.items()}
    gold_event = {k: gold_event[k] for k in pred}
    gold_topic = {k: gold_topic[k] for k in pred}
    held_out = [k for k in pred if int(gold_topic[k]) % 2 == 0]  # calibration uses odd topics
    figures = {
        **_partition_figures("clustering.ecbplus.event", pred, gold_event),
        **_partition_figures("clustering.ecbplus.topic", pred_story, gold_topic),
    }
    if held_out:
        figures.update({
            **_partition_figures("clustering.ecbplus.heldout.event", _only(pred, held_out),
                                 _only(gold_event, held_out)),
            **_partition_figures("clustering.ecbplus.heldout.topic",
                                 _only(pred_story, held_out), _only(gold_topic, held_out)),
        })
    result.figures = _rounded(figures)
    for event, members in sorted(_members(gold_event).items(), key=lambda kv: _topic_key(kv[0])):
        spread = Counter(pred[m] for m in members)
        largest_event, largest = spread.most_common(1)[0]
        result.rows.append({
            "event": event, "topic": gold_topic[members[0]], "documents": len(members),
            "predicted_events": len(spread), "largest_share": round(largest / len(members), 3),
            "largest_purity": round(
                largest / sum(1 for v in pred.values() if v == largest_event), 3),
        })
    dated = sum(1 for d in docs if d.date)
    dupes = sum(1 for d in docs if d.duplicate_of)
    result.notes += problems + [
        (f"{len(docs)} ECB+ articles ({len(set(gold_topic.values()))} topics, "
         f"{len(set(gold_event.values()))} events) → {len(events)} predicted events; "
         f"{dupes} marked duplicates (ECB+ holds wire copies) and scored under their original"),
        ("events are scored against ECB+ sub-topics, stories (the level above events) against "
         "topics; `heldout` figures cover the even topics, which calibration never saw"),
        (f"ECB+ articles carry no date; {dated} of {len(docs)} got one from their own text "
         f"(metadata stage), so the {config.date_window_days}-day window only separates those"),
        (f"default Config: embedding_weight {config.embedding_weight}, cluster_threshold "
         f"{config.cluster_threshold}, story_threshold {config.story_threshold}, "
         f"near_duplicate_jaccard {config.near_duplicate_jaccard}, embedder {config.embedder}"),
    ]
    result.seconds = round(time.perf_counter() - start, 2)
    return result


def _only(labels: dict[str, str], keys: list[str]) -> dict[str, str]:
    return {k: labels[k] for k in keys}


def _members(labels: dict[str, str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for item, label in labels.items():
        out.setdefault(label, []).append(item)
    return out


def _topic_key(label: str) -> tuple[int, str]:
    head = label.split("_", 1)[0]
    return (int(head) if head.isdigit() else 0, label)


def dev_linking_figures(config: Config, progress: Progress) -> tuple[dict[str, float], list[str]]:
    """The test split of the linking development set (independent coverage, `eval/linking`),
    whole whatever the limit: its figures are about the events' full coverage."""
    ls = load_linking_set("test")
    docs, events, problems = _run_stages(ls.documents, config, progress, "linking: dev")
    figures, notes = linking_figures(docs, events, ls)
    about = ("linking.dev.* : the test split of eval/linking (independent reports of 22 events "
             "in en, zh, ja and ko, never seen by calibration); pairs.* is the share of "
             "same-event pairs across each language pair put in one event; "
             "false_translation_flags counts translation marks between independently written "
             "reports")
    return figures, [*problems, *notes, about]


def linking_suite(limit: int | None, progress: Progress = None,
                  config: Config | None = None) -> SuiteResult:
    """The linking development set's test split (`dev_linking_figures`), then: do the
    en/zh/ja/ko versions of one NTREX article end up as one event?

    `limit` counts documents: max(1, limit // 5) articles, five whole versions each (en,
    zh-CN, zh-TW, ja, ko). A version counts as linked when it is in its article's event or
    marked a duplicate (any kind) of a document that is.
    """
    start = time.perf_counter()
    config = config or Config()
    result = SuiteResult(name="linking")
    dev_figures, dev_notes = dev_linking_figures(config, progress)
    folder = evaldata_folder("ntrex128")
    articles = 10**6 if limit is None else max(1, limit // len(LANGS))
    docs = ntrex_documents(articles, NTREX_SENTENCES, langs=LANGS, folder=folder)
    docs, events, problems = _run_stages(docs, config, progress, "linking")
    pred = resolved_events(docs, events)
    gold = {d.id: d.id.rsplit(".", 1)[0] for d in docs}
    by_article = _members(gold)
    by_id = {d.id: d for d in docs}
    linked = 0
    for article, members in by_article.items():
        events_here = {pred[m] for m in members}
        is_linked = len(members) == len(LANGS) and len(events_here) == 1
        linked += is_linked
        row: dict[str, Any] = {"article": article, "linked": is_linked,
                               "events": len(events_here)}
        for m in members:  # which copy each version was folded into, if any
            row[f"{m.rsplit('.', 1)[1]}_duplicate_of"] = by_id[m].duplicate_of
        result.rows.append(row)
    dup = pair_precision_recall(duplicate_pairs(docs), same_label_pairs(gold))
    family = {d.id: duplicate_root(d, by_id).id for d in docs}  # before events merge outlets
    result.figures = _rounded({
        **dev_figures,
        "linking.ntrex.linked_share": linked / max(1, len(by_article)),
        **_partition_figures("linking.ntrex", pred, gold),
        **_partition_figures("linking.ntrex.events", pred, ntrex_event_of(list(pred))),
        **_partition_figures("linking.ntrex.families", family, gold),
        "linking.ntrex.translation_dup_precision": dup.precision,
        "linking.ntrex.translation_dup_recall": dup.recall,
    })
    kinds = Counter(d.duplicate_kind for d in docs if d.duplicate_of)
    marked = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) or "none"
    result.notes += dev_notes + problems + [
        (f"{len(by_article)} NTREX articles × {len(LANGS)} versions, whole articles → "
         f"{len(events)} predicted events; duplicates marked: {marked}"),
        ("translation_dup pairs are the closure of duplicate marks (a→en, b→en ⇒ a~b) against "
         "all same-article pairs; NTREX documents are undated"),
        ("linking.ntrex.bcubed_*/ari score events against articles (two outlets' reports of one "
         "happening count as an error there); linking.ntrex.events.* against the hand-judged "
         "events of eval/references/ntrex_events.toml, the grouping a digest should show"),
        ("linking.ntrex.families.* score the duplicate families (each document with the copies "
         "and translations folded into it) against articles: do the flagged cross-lingual "
         "duplicates recover the documents, before events merge outlets"),
    ]
    result.seconds = round(time.perf_counter() - start, 2)
    return result
