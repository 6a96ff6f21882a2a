"""Events on the seeds against the hand-written grouping in eval/references."""

from __future__ import annotations

import tomllib

import numpy as np

from pipeline.cluster import average_linkage, key_similarity
from tests.conftest import ROOT


def _reference() -> set[frozenset[str]]:
    with open(ROOT / "eval" / "references" / "seed_events.toml", "rb") as fh:
        return {frozenset(e["documents"]) for e in tomllib.load(fh)["event"]}


def test_seed_events_match_the_hand_written_grouping(seed_run):
    result, _ = seed_run
    found = {frozenset(e.documents) for e in result.digest.events}
    assert found == _reference()


def test_shared_rare_entities_count_more_than_ubiquitous_ones():
    from collections import Counter

    docs = [Counter({"gpe:china": 3, "person:jd_vance": 2}),
            Counter({"gpe:china": 5, "person:jd_vance": 1}),
            Counter({"gpe:china": 2, "gpe:uzbekistan": 1})]
    sim = key_similarity(docs)
    assert sim[0, 1] > 0.9
    assert sim[0, 2] < 0.1


def test_linkage_respects_forbidden_pairs():
    sim = np.array([[1.0, 0.9, 0.9], [0.9, 1.0, -1.0], [0.9, -1.0, 1.0]])
    groups = average_linkage(sim, 0.5)
    assert [1, 2] not in groups and sorted(map(len, groups)) == [1, 2]
