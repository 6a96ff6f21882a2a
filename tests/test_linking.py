"""Cross-lingual event linking on independently written coverage (eval/linking, test split):
the pipeline's own stages with the default config on two groups of hard negatives, the
earthquakes of one week (Hualien, Noto) and three rate decisions of eight days (BOJ, BOK,
PBOC), each event reported in en, zh, ja and ko by outlets writing on their own."""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pytest
from scipy import sparse

from pipeline.cluster.scorer import (
    FEATURES,
    LinkModel,
    Profile,
    default_model,
    feature_blocks,
    score_sums,
    single_profile,
)
from pipeline.config import Config
from pipeline.eval.dev_linking import copy_flags, linking_figures, pair_shares
from pipeline.eval.linking_set import LinkingSet, load_linking_set
from pipeline.eval.public_data import resolved_events
from pipeline.run import build_embedder, embed_documents, group_events, process_documents

GROUPS = ("quakes", "rate-decisions")


@pytest.fixture(scope="module")
def linked():
    full = load_linking_set("test")
    keep = [d for d in full.documents if full.group_of_event[full.gold[d.id].event] in GROUPS]
    subset = LinkingSet(keep, {d.id: full.gold[d.id] for d in keep}, full.split_of_event,
                        full.group_of_event)
    config = Config(workers=1)
    docs, problems = process_documents(subset.documents, config)
    assert not problems
    embedder = build_embedder(config)
    events = group_events(docs, config,
                          lambda b: embed_documents(b, embedder, False, config.embed_chars),
                          embedder.embed)
    return subset, docs, events


def test_the_subset_is_independent_coverage_in_four_languages(linked):
    subset, docs, _ = linked
    langs = {(a.event, a.lang) for a in subset.gold.values() if a.kind == "original"}
    events = {a.event for a in subset.gold.values()}
    assert len(events) == 5 and len(langs) == 20  # every event in en, zh, ja and ko
    assert len(docs) >= 45


def test_same_event_pairs_join_across_every_language_pair(linked):
    subset, docs, events = linked
    pred = resolved_events(docs, events)
    shares = pair_shares({k: v for k, v in pred.items() if k in subset.gold}, subset)
    for pair, (hit, total) in shares.items():
        assert total and hit / total >= 0.9, (pair, hit, total)


def test_same_kind_events_in_one_language_stay_apart(linked):
    """Two earthquakes three days apart; three central banks within eight days."""
    subset, docs, events = linked
    pred = resolved_events(docs, events)
    for a, b in itertools.combinations(subset.gold.values(), 2):
        if a.event != b.event and a.lang == b.lang:
            assert pred[a.id] != pred[b.id], (a.id, b.id)


def test_independent_reports_are_never_translation_copies_and_reprints_are_found(linked):
    subset, docs, _ = linked
    flags = copy_flags(docs, subset)
    assert flags["wrong"] == {}
    hit, total = flags["found"]["reprint"]
    assert total >= 2 and hit == total  # Kyodo's Noto copy, Reuters' Hualien copy, ...
    hit, total = flags["found"]["translation"]
    assert total >= 3 and hit == total  # Nikkei's Chinese edition, Yonhap's English one


def test_the_figures_of_the_harness(linked):
    subset, docs, events = linked
    figures, notes = linking_figures(docs, events, subset)
    assert figures["linking.dev.ari"] >= 0.9 and figures["linking.dev.bcubed_f1"] >= 0.9
    assert figures["linking.dev.false_translation_flags"] == 0
    assert notes and "same-event pairs" in notes[0]


def _profile(rng, lang, day, names=(), numbers=()):
    vector = rng.normal(size=8)
    row = lambda keys: sparse.csr_matrix(  # noqa: E731
        (np.ones(len(keys)) / max(1, len(keys)) ** 0.5, ([0] * len(keys), list(keys))),
        shape=(1, 64))
    return single_profile(vector / np.linalg.norm(vector), lang, row([]), row(names),
                          row(numbers), day)


def test_event_sums_score_as_the_sum_of_their_documents_pairs():
    """The score is bilinear: an event's sums give the total of its members' pair scores,
    which is what lets average linkage run on sums."""
    rng = np.random.default_rng(0)
    model = default_model()
    docs = [_profile(rng, lang, 738000 + n % 3, names=[n % 5, 7], numbers=[n % 2])
            for n, lang in enumerate(["en", "zh", "ja", "ko", "en", "ja"])]
    event = Profile(np.zeros_like(docs[0].lang_vectors), np.zeros(5), docs[0].terms * 0,
                    docs[0].names * 0, docs[0].numbers * 0, 0.0, 0.0)
    for p in docs[:4]:
        event.add(p)
    pairwise = score_sums(docs[:4], docs[4:], model)
    assert np.allclose(score_sums([event], docs[4:], model)[0], pairwise.sum(axis=0))
    blocks = feature_blocks(docs, docs)
    by_features = sum(model.weights.get(name, 0.0) * blocks[name] for name in FEATURES)
    assert np.allclose(by_features, score_sums(docs, docs, model))


def test_scored_linking_does_not_depend_on_input_order(linked):
    subset, docs, _ = linked
    config = Config(workers=1)
    params = config.cluster_params()
    from pipeline.cluster import cluster_documents

    first = {d.id: d.event for d in docs} if cluster_documents(docs, params) else {}
    shuffled = [dataclasses.replace(d) for d in docs]
    np.random.default_rng(1).shuffle(shuffled)
    cluster_documents(shuffled, params)
    assert {d.id: d.event for d in shuffled} == first


def test_an_undated_report_joins_only_on_shared_names_or_numbers():
    """Undated, the same topic alone is not enough: a page with no date and no name or
    figure in common with an event stays apart; one that shares them joins."""
    import datetime as dt

    from pipeline.cluster.stream import ClusterParams, EventStream
    from pipeline.model import Document, Segment

    model = LinkModel({"emb:en-en": 10.0, "names": 10.0, "numbers": 10.0}, 1.0)
    params = ClusterParams(0.3, 0.18, 0.06, link_model=model)
    rng = np.random.default_rng(0)
    topics = np.eye(8)

    def doc(doc_id, topic, names, date):
        d = Document(doc_id, "x", "t", date=date)
        d.segments = [Segment(text="x", start=0, end=1, lang="en", role="body")]
        d.vector = topics[topic] + rng.normal(scale=0.05, size=8)
        d.vector /= np.linalg.norm(d.vector)
        d.terms, d.link_keys = {"quake": 1}, {k: 1 for k in names}
        return d

    def joins(undated) -> bool:
        stream = EventStream(params)
        day1, day2 = dt.date(2026, 3, 3), dt.date(2026, 3, 20)
        stream.add_step([doc(f"a{n}", 0, ["r:hln", "v:6.4"], day1) for n in range(3)], day1)
        stream.add_step([doc(f"b{n}", 1, ["r:nt", "v:6.1"], day2) for n in range(3)], day2)
        stream.add_step([undated], None)
        event_of = {m: e.id for e in stream.events for m in e.members}
        return event_of[undated.id] == event_of["a0"]

    assert joins(doc("u-named", 0, ["r:hln"], None))
    assert not joins(doc("u-plain", 0, [], None))
