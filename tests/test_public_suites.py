"""The public-set suites on a few lines/articles each: figures exist, are in range and sensible."""

from __future__ import annotations

import pytest

from tests.conftest import EVALDATA


def _need(*folders: str) -> None:
    missing = [f for f in folders if not (EVALDATA / f).is_dir()]
    if missing:
        pytest.skip(f"evaldata not present: {', '.join(missing)}")


COUNTS = ("false_translation_flags", "false_copy_flags", "independent_sources_wrong",
          "events", "gold_events")  # the linking suite's counts, not shares


def _shares_in_range(figures: dict[str, float]) -> None:
    for name, value in figures.items():
        if name.rsplit(".", 1)[-1] in COUNTS:
            assert value >= 0 and value == int(value), (name, value)
            continue
        low = -1.0 if name.endswith(".ari") else 0.0  # ARI is negative below chance
        high = 100.0 if name.endswith((".chrf", ".bleu")) else 1.0
        assert low <= value <= high, (name, value)


def test_translation_suite_scores_every_pair():
    _need("flores200-devtest", "ntrex128")
    from newsdigest_eval.public import translation_suite

    calls: list[tuple[str, int, int]] = []
    result = translation_suite(20, lambda label, done, total: calls.append((label, done, total)))
    for set_name in ("flores", "ntrex"):
        for src in ("zh", "ja", "ko"):
            for metric in ("chrf", "bleu", "untranslated_share"):
                assert f"translation.{set_name}.{src}-en.{metric}" in result.figures
        assert result.figures[f"translation.{set_name}.zh-en.chrf"] > 10
        assert result.figures[f"translation.{set_name}.ja-en.chrf"] > 10
        assert result.figures[f"translation.{set_name}.zh-en.untranslated_share"] == 0.0
        assert result.figures[f"translation.{set_name}.ko-en.chrf"] > 10
        assert result.figures[f"translation.{set_name}.ko-en.untranslated_share"] == 0.0
    _shares_in_range(result.figures)
    assert {r["backend"] for r in result.rows} == {"gloss-cedict", "gloss-jmdict", "gloss-ko-bridge"}
    assert all(r["lines"] == 20 for r in result.rows)
    assert not any("ko-en" in note and "untranslated" in note for note in result.notes)
    assert calls and calls[-1][1] == calls[-1][2]


def test_flores_korean_csv_quoting_is_undone():
    from newsdigest_eval.public_translation import unquote_csv

    assert unquote_csv('"그는 ""현재"" 덧붙였다."') == '그는 "현재" 덧붙였다.'
    assert unquote_csv('"plain quote" stays') == '"plain quote" stays'


def test_clustering_suite_scores_events_and_topics():
    _need("ecbplus-event-clusters")
    from newsdigest_eval.public import clustering_suite

    result = clustering_suite(12)
    for level in ("event", "topic"):
        for metric in ("bcubed_p", "bcubed_r", "bcubed_f1", "ari"):
            assert f"clustering.ecbplus.{level}.{metric}" in result.figures
    _shares_in_range(result.figures)
    # 12 articles of topic 1 (two events): whatever it merges, it must not mix the two events
    assert result.figures["clustering.ecbplus.event.bcubed_p"] >= 0.8
    assert result.figures["clustering.ecbplus.event.bcubed_f1"] > 0.2
    # stories sit above events and never mix topics (the two events of topic 1 may or may
    # not share a story: twins are meant to, but they are undated and only a few here)
    assert result.figures["clustering.ecbplus.topic.bcubed_p"] >= 0.8
    assert result.figures["clustering.ecbplus.topic.bcubed_r"] >= 0.5
    # topic 1 is in the calibration split (odd topics): nothing held out to report
    assert not any(".heldout." in key for key in result.figures)
    assert sum(r["documents"] for r in result.rows) == 12
    assert any("no date" in note for note in result.notes)


def test_linking_suite_links_translations():
    _need("ntrex128")
    from newsdigest_eval.public import linking_suite

    result = linking_suite(10)  # two articles, five versions each (zh-CN and zh-TW)
    assert len(result.rows) == 2
    _shares_in_range(result.figures)
    # the development set's test split runs whole whatever the limit
    assert result.figures["linking.dev.gold_events"] == 22
    assert result.figures["linking.dev.ari"] >= 0.9
    assert any(note.startswith("linking.dev") for note in result.notes)
    assert result.figures["linking.ntrex.linked_share"] >= 0.5
    assert result.figures["linking.ntrex.translation_dup_precision"] == 1.0
    assert result.figures["linking.ntrex.translation_dup_recall"] > 0
    # two articles never fold into one family: precision of families is exact
    assert result.figures["linking.ntrex.families.bcubed_p"] == 1.0


def test_ntrex_event_reference_names_real_articles_once():
    _need("ntrex128")
    from newsdigest_eval.references import ntrex_event_of
    from pipeline.paths import evaldata_dir

    articles = set((evaldata_dir() / "ntrex128" / "docids.txt").read_text("utf-8").split())
    events = ntrex_event_of([f"{a}.en" for a in sorted(articles)])
    grouped = {k: v for k, v in events.items() if v != k.rsplit(".", 1)[0]}
    assert len(set(grouped.values())) == 11 and len(grouped) == 34  # every listed id is real
    assert events["rt.com.91337.en"] == events["reuters.218932.en"]  # Macedonia referendum
    assert events["bbc.381647.en"] == "bbc.381647"  # Kanye's new name: an event of its own
