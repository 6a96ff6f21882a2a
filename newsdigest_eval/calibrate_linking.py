"""Fit the same-event scorer (`pipeline.cluster.scorer`) and its linkage threshold.

    python -m newsdigest_eval.calibrate_linking [--write]

Pairs of documents from the calibration split of the linking development set (independent
multilingual coverage, `eval/linking`), the ECB+ odd topics and the first 64 NTREX articles
in five versions: labelled same event or not, described by the scorer's features, fitted by
logistic regression (scikit-learn). The threshold on two clusters' mean score and the
cohesion rule (`linkage.GapRule`: off, or a gap below the clusters' own cohesion under a
sure level) and the weight of two undated pages are then the best development-set ARI (the
case the scorer is for: independent reports across languages) among the settings that keep
the seeds' hand-written grouping and ECB+ odd-topic event F1 >= 0.93, ties going to the
mean of ECB+ F1 and NTREX event ARI, then to the lower threshold. Test splits and ECB+ even topics are never read here.
`--write` stores the weights in pipeline/data/linking.toml with the figures reached.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import time
from collections.abc import Sequence

import numpy as np

from newsdigest_eval.calibrate import (
    Split,
    _prepared,
    calibration_split,
    partition_scores,
    seed_split,
    seeds_grouped,
    write_data,
)
from newsdigest_eval.linking_set import load_linking_set
from pipeline.backends import build_embedder
from pipeline.cluster import document_status
from pipeline.cluster.features import cached_terms, link_keys
from pipeline.cluster.scorer import FEATURES, LinkModel, feature_blocks
from pipeline.cluster.stream import CorpusStats, EventStream
from pipeline.config import Config
from pipeline.dedup import mark_translations

THRESHOLDS = tuple(np.round(np.arange(0.5, 2.51, 0.25), 2))
# the cohesion rule on the score's scale (`linkage.GapRule`): off, or gap × sure
RULES = ((0.0, float("inf")), (3.0, 6.0), (4.0, 6.0), (3.0, 8.0))
# the weight of a pair of two undated pages, searched rather than fitted: pairwise log-loss
# leaves it near 0, yet ECB+ (all undated, twins sharing their vocabulary) needs a stricter
# bar than dated reports, and two undated pages should need more evidence to group
UNDATED = (None, -2.0, -4.0, -6.0)
C = 1.0  # inverse L2 strength: the features are few and the pairs many
# the English twins must stay apart (issue 19: ECB+ sub-topic F1 >= 0.92 on all topics;
# the odd topics are held to more, the even ones have scored up to 0.02 lower)
ECB_FLOOR = 0.93


def dev_split(config: Config) -> Split:
    ls = load_linking_set("calibration")
    docs = _prepared(ls.documents, config)
    gold = {d.id: ls.gold[d.id].event for d in docs}
    return Split(docs, gold, gold)


def mark_split_translations(split: Split, config: Config, embed) -> None:
    """Translations as `run` marks them (sentence alignment included), from scratch."""
    for doc in split.docs:
        if doc.duplicate_kind == "translation":
            doc.duplicate_of = doc.duplicate_kind = None
    mark_translations(split.docs, config.translation_cosine, config.date_window_days, embed)


def pair_table(split: Split, config: Config) -> tuple[np.ndarray, np.ndarray]:
    """(features of every pair of clustered documents, same-event labels)."""
    docs = [d for d in split.docs if document_status(d).startswith("clustered")]
    stats = CorpusStats.of(docs, cached_terms, link_keys)
    stream = EventStream(config.cluster_params(), stats)
    profiles = stream.profiles(docs)
    blocks = feature_blocks(profiles, profiles)
    i, j = np.triu_indices(len(docs), k=1)
    x = np.column_stack([blocks[name][i, j] for name in FEATURES])
    y = np.array([split.event[docs[a].id] == split.event[docs[b].id] for a, b in zip(i, j)])
    return x, y


def fit(tables: list[tuple[np.ndarray, np.ndarray]]) -> dict[str, float]:
    from sklearn.linear_model import LogisticRegression

    # each set weighs the same whatever its number of pairs; positives as much as negatives
    xs, ys, ws = [], [], []
    for x, y in tables:
        pos = max(1, int(y.sum()))
        neg = max(1, len(y) - pos)
        ws.append(np.where(y, 0.5 / pos, 0.5 / neg) * 1e4)
        xs.append(x)
        ys.append(y)
    model = LogisticRegression(C=C, max_iter=5000, fit_intercept=False)
    model.fit(np.vstack(xs), np.concatenate(ys), sample_weight=np.concatenate(ws))
    return {name: round(float(w), 4) for name, w in zip(FEATURES, model.coef_[0])}


def calibrate(config: Config, log=print) -> dict:
    start = time.perf_counter()
    dev = dev_split(config)
    ecb, ntrex = calibration_split(config)
    seeds = seed_split(config)
    embed = build_embedder(config).embed
    for split in (dev, ecb, ntrex, seeds):
        mark_split_translations(split, config, embed)
    log(f"prepared: dev {len(dev.docs)}, ECB+ {len(ecb.docs)}, NTREX {len(ntrex.docs)} "
        f"documents ({time.perf_counter() - start:.0f} s)")
    weights = fit([pair_table(split, config) for split in (dev, ecb, ntrex)])
    log("weights: " + ", ".join(f"{k} {v}" for k, v in weights.items()))
    best = None
    for undated, threshold, (gap, sure) in itertools.product(UNDATED, THRESHOLDS, RULES):
        fitted = weights if undated is None else {**weights, "undated": undated}
        model = LinkModel(fitted, float(threshold), gap, sure)
        params = dataclasses.replace(config.cluster_params(), link_model=model)
        if not seeds_grouped(seeds, params):
            continue
        dev_ari = partition_scores(dev, params)[2]
        ecb_f1 = partition_scores(ecb, params)[0]
        ntrex_ari = partition_scores(ntrex, params)[2]
        log(f"undated {fitted.get('undated', 0.0):.2f} threshold {threshold:5.2f} gap {gap} "
            f"sure {sure}: dev ARI {dev_ari:.3f}, ECB+ F1 {ecb_f1:.3f}, NTREX ARI "
            f"{ntrex_ari:.3f}")
        if ecb_f1 < ECB_FLOOR:
            continue
        key = (round(dev_ari, 3), round((ecb_f1 + ntrex_ari) / 2, 3), -threshold)
        if best is None or key > best[0]:
            best = (key, fitted, float(threshold), gap, sure, dev_ari, ecb_f1, ntrex_ari)
    if best is None:
        raise SystemExit(f"no setting keeps the seeds' grouping and ECB+ F1 >= {ECB_FLOOR}")
    _, weights, threshold, gap, sure, dev_ari, ecb_f1, ntrex_ari = best
    return {"threshold": threshold, "gap": gap, "sure": sure, "weights": weights,
            "provenance": {"dev_calibration_ari": round(dev_ari, 4),
                           "ecbplus_odd_event_bcubed_f1": round(ecb_f1, 4),
                           "ntrex_first64_event_ari": round(ntrex_ari, 4),
                           "seconds": round(time.perf_counter() - start, 1)}}


def _toml(result: dict) -> str:
    lines = ["# The same-event scorer (pipeline/cluster/scorer.py): logistic-regression weights",
             "# on pair features, and the threshold on two clusters' mean score. Written by",
             "# `python -m newsdigest_eval.calibrate_linking --write`; [provenance] has what it",
             "# reached on the calibration sets.", "",
             f"threshold = {result['threshold']}", f"gap = {result['gap']}",
             f"sure = {result['sure']}", "", "[weights]"]
    lines += [f'"{k}" = {v}' for k, v in result["weights"].items()]
    lines += ["", "[provenance]"] + [f"{k} = {v}" for k, v in result["provenance"].items()]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write", action="store_true", help="update pipeline/data/linking.toml")
    args = parser.parse_args(argv)
    result = calibrate(Config())
    text = _toml(result)
    print(text)
    if args.write:
        write_data("linking.toml", text)


if __name__ == "__main__":
    main()
