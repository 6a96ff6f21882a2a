"""The acceptance of issue 21 on a 300-article archive in four languages over five days
(ECB+, NTREX-128, FLORES-200 and WMT articles with injected copies and real translations,
`newsdigest_eval.synthetic_archive`): `newsdigest run`, `newsdigest run --date DAY` and
`newsdigest batch` over the same file give the same events, and for a day the same
summaries, titles and ranking."""

from __future__ import annotations

import json

import pytest

from newsdigest_eval.synthetic_archive import build_archive, missing_data
from pipeline.cli import main

pytestmark = pytest.mark.skipif(bool(missing_data()), reason="needs ../shared/evaldata")

SIZE, PER_DAY = 300, 60


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("archive300")
    archive = build_archive(SIZE, per_day=PER_DAY)
    path = folder / "archive.jsonl"
    path.write_text("".join(
        json.dumps({"id": d.id, "text": d.text, "date": d.date.isoformat(), "outlet": d.outlet},
                   ensure_ascii=False) + "\n" for d in archive.documents), encoding="utf-8")
    assert main(["batch", str(path), "--out", str(folder / "batch"), "--quiet"]) == 0
    assert main(["run", str(path), "--out", str(folder / "run"), "--quiet"]) == 0
    days = sorted(p.name for p in (folder / "batch" / "days").iterdir())
    assert len(days) == 5
    dated = {}
    for day in (days[2], days[4]):  # a day inside the archive and its last day
        out = folder / f"run-{day}"
        assert main(["run", str(path), "--out", str(out), "--date", day, "--quiet"]) == 0
        dated[day] = _read(out / "digest.json")
    return folder, days, dated


def _read(path):
    return json.loads(path.read_text("utf-8"))


def test_run_and_batch_put_the_archive_into_the_same_events(outputs):
    folder, _, _ = outputs
    ran = _read(folder / "run" / "digest.json")
    rows = [json.loads(line) for line in
            (folder / "batch" / "events.jsonl").read_text("utf-8").splitlines()]
    assert len(rows) > 50
    assert {e["id"]: (e["documents"], e["copies"]) for e in ran["events"]} == \
        {r["id"]: (r["documents"], r["copies"]) for r in rows}


def test_a_day_is_the_same_from_run_date_and_from_batch(outputs):
    folder, _, dated = outputs
    for day, ran in dated.items():
        batched = _read(folder / "batch" / "days" / day / "digest.json")
        assert len(ran["events"]) >= 20
        assert [e["id"] for e in ran["events"]] == [e["id"] for e in batched["events"]]
        for mine, theirs in zip(ran["events"], batched["events"], strict=True):
            for key in ("rank", "documents", "copies", "outlets", "independent_sources",
                        "title", "summary", "framing"):
                assert mine[key] == theirs[key], (day, mine["id"], key)
        assert ran["langs"] == batched["langs"] and ran["backends"] == batched["backends"]
        assert batched["notices"] and set(batched["notices"]) <= set(ran["notices"])


def test_every_day_of_the_batch_says_how_it_translated(outputs):
    """Every day's digest, the first included (its events were summarised on the pool's
    workers, so the driver's router had translated nothing), names the pairs its sentences
    were glossed in and the command that fetches a model for them."""
    folder, days, _ = outputs
    for day in days:
        digest = _read(folder / "batch" / "days" / day / "digest.json")
        glossed = {(s["sources"][0]["lang"], s["lang"]) for e in digest["events"]
                   for ss in e["summary"].values() for s in ss
                   if s["tier"] == "gloss" and s["sources"][0]["lang"] != s["lang"]}
        (advice,) = [n for n in digest["notices"] if "tier gloss" in n]
        named = advice.split(":", 1)[0].split(", ")
        assert glossed and {f"{a}→{b}" for a, b in glossed} <= set(named), (day, advice)
        assert "newsdigest models get" in advice, advice
