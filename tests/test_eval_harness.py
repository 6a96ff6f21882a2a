"""The harness around the metrics: seed scoring, report files, baseline guard, CLI."""

from __future__ import annotations

import json

import pytest

from newsdigest_eval.base import SuiteResult
from newsdigest_eval.baseline import entry_for, load_baseline, regressions, update_baseline
from newsdigest_eval.report import write_report
from newsdigest_eval.seed_suite import seed_suite
from pipeline.cli import main


@pytest.fixture(scope="module")
def seed_scores(seed_run):
    _, out = seed_run
    return seed_suite(digest_path=out / "digest.json")


def test_seed_digest_scores(seed_scores):
    figures = seed_scores.figures
    assert figures["seeds.clustering.bcubed_f1"] == 1.0  # the hand-written grouping
    assert figures["seeds.clustering.ari"] == 1.0
    assert figures["seeds.langid.accuracy"] >= 0.98
    assert figures["seeds.noncontent.recall"] == 1.0
    assert figures["seeds.repeats.recall"] == 1.0
    assert figures["seeds.faithfulness"] >= 0.95
    for lang in ("en", "zh"):
        assert 0.3 <= figures[f"seeds.fact_recall.{lang}"] <= 1.0
        assert 0.0 < figures[f"seeds.rougeL.{lang}"] < 1.0
    assert {row["event"] for row in seed_scores.rows if "event" in row} == {
        "critical_minerals_ministerial", "wsj_podcast_us_catch_up",
        "trump_call_rare_earth_leverage", "us_diversifies_rare_earth_supply_central_asia"}


def test_seed_figures_hold_the_baseline(seed_scores):
    entry = entry_for(load_baseline(), "seeds", None)
    assert entry is not None, "eval/baseline.json has no seeds entry"
    assert regressions(seed_scores, entry) == []


def test_regressions_respect_tolerance_and_direction():
    entry = {"figures": {"a.f1": 0.80, "b.chrf": 30.0, "c.untranslated_share": 0.10}}
    fine = SuiteResult("x", {"a.f1": 0.79, "b.chrf": 29.5, "c.untranslated_share": 0.11})
    assert regressions(fine, entry) == []
    worse = SuiteResult("x", {"a.f1": 0.77, "b.chrf": 28.0, "c.untranslated_share": 0.2})
    assert [r.figure for r in regressions(worse, entry)] == ["a.f1", "b.chrf",
                                                            "c.untranslated_share"]
    assert [r.figure for r in regressions(SuiteResult("x", {}), entry)] == list(entry["figures"])


def test_update_baseline_replaces_only_its_entry(tmp_path):
    path = tmp_path / "baseline.json"
    update_baseline([SuiteResult("seeds", {"s.f1": 0.5})], None, path)
    update_baseline([SuiteResult("dedup", {"d.recall": 1.0})], 20, path)
    update_baseline([SuiteResult("seeds", {"s.f1": 0.6})], None, path)
    data = load_baseline(path)
    assert [(r["suite"], r["limit"]) for r in data["runs"]] == [("dedup", 20), ("seeds", None)]
    assert entry_for(data, "seeds", None)["figures"] == {"s.f1": 0.6}


def test_report_has_markdown_charts_and_every_figure(seed_scores, tmp_path):
    paths = write_report([seed_scores], tmp_path)
    data = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert data["schema"] == "newsdigest/eval@1"
    assert data["figures"] == seed_scores.figures
    charts = [p for p in paths if p.suffix == ".png"]
    assert charts and all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in charts)
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "seeds.fact_recall.en" in md and charts[0].name in md


def test_cli_eval_digest(seed_run, tmp_path, capsys):
    _, out = seed_run
    code = main(["eval", "--digest", str(out / "digest.json"), "--report", str(tmp_path),
                 "--json", str(tmp_path / "figures.json"), "--check-baseline"])
    assert code == 0
    printed = capsys.readouterr().out
    assert "seeds.fact_recall.en" in printed and "seeds.rougeL.zh" in printed
    assert json.loads((tmp_path / "figures.json").read_text())["figures"]


def test_cli_eval_needs_something_to_score(capsys):
    assert main(["eval"]) == 1
    assert main(["eval", "--suite", "nope"]) == 1
    assert "unknown suite" in capsys.readouterr().err


def _public_entries():
    return [(r["suite"], r["limit"]) for r in load_baseline()["runs"] if r["suite"] != "seeds"]


@pytest.mark.parametrize(("suite", "limit"), _public_entries())
def test_public_figures_hold_the_baseline(suite, limit, evaldata):
    """Each public suite, at the limit its baseline was recorded with, may not regress."""
    from newsdigest_eval.suites import run_suites

    if not evaldata.exists():
        pytest.skip("evaldata not present")
    (result,) = run_suites([suite], limit)
    found = regressions(result, entry_for(load_baseline(), suite, limit))
    assert found == [], "\n".join(map(str, found))
