"""`newsdigest batch`: per-day digests, the events table, errors, resume after kill -9."""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.cli import main
from tests.conftest import ROOT, SEEDS

OUTPUTS = ("*.json", "*.md", "*.html", "*.jsonl", "*.parquet")


def _fingerprints(out: Path) -> dict[str, str]:
    """sha256 of every output file (not the checkpoint or the caches)."""
    files = sorted({p for pattern in OUTPUTS for p in out.rglob(pattern)})
    return {str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def _archive(folder: Path) -> Path:
    """The seeds as a dated JSONL archive over three days, plus a reprint and bad rows."""
    rows = []
    for n, path in enumerate(sorted(SEEDS.glob("*.txt"))):
        lines = path.read_text("utf-8").strip().splitlines()
        rows.append({"id": path.stem, "title": lines[0], "text": "\n".join(lines[1:]),
                     "date": f"2025-06-0{7 + n % 3}", "outlet": f"outlet-{n}"})
    reprint = dict(rows[1], id="reprint-of-001", outlet="wire-copy", date="2025-06-09")
    lines = [json.dumps(r, ensure_ascii=False) for r in [*rows, reprint]]
    lines += ['{"id": "broken", "text": ', json.dumps({"id": "no-text", "title": "x"}),
              json.dumps({"id": "wrong-type", "text": 42})]
    archive = folder / "archive.jsonl"
    archive.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return archive


@pytest.fixture(scope="module")
def batch_out(tmp_path_factory):
    folder = tmp_path_factory.mktemp("batch")
    archive = _archive(folder)
    out = folder / "out"
    code = main(["batch", str(archive), "--out", str(out), "--quiet"])
    return archive, out, code


def test_one_digest_per_day_and_the_events_table(batch_out):
    _, out, code = batch_out
    assert code == 2  # finished, with skipped rows reported
    days = sorted(p.name for p in (out / "days").iterdir())
    assert days == ["2025-06-07", "2025-06-08", "2025-06-09"]
    rows = [json.loads(line) for line in (out / "events.jsonl").read_text("utf-8").splitlines()]
    seen_in_digests: dict[str, set[str]] = {}
    for day in days:
        digest = json.loads((out / "days" / day / "digest.json").read_text("utf-8"))
        assert (out / "days" / day / "digest.md").exists()
        assert (out / "days" / day / "digest.html").exists()
        doc_ids = {d["id"] for d in digest["documents"]}
        for event in digest["events"]:
            assert set(event["documents"]) <= doc_ids  # every citation resolves
            assert event["summary"]["en"] and event["title"]["en"]
            seen_in_digests.setdefault(event["id"], set()).add(day)
    assert {r["id"]: set(r["days"]) for r in rows} == seen_in_digests
    import pyarrow.parquet as pq

    table = pq.read_table(out / "events.parquet")
    assert sorted(table.column("id").to_pylist()) == sorted(r["id"] for r in rows)
    assert "title_en" in table.column_names and "title_zh" in table.column_names


def test_the_reprint_is_folded_and_counted_once(batch_out):
    _, out, _ = batch_out
    rows = [json.loads(line) for line in (out / "events.jsonl").read_text("utf-8").splitlines()]
    (row,) = [r for r in rows if "reprint-of-001" in r["copies"]]
    assert "001_b85f593ae8e40eb1" in row["documents"]
    assert "wire-copy" in row["outlets"]
    assert row["independent_sources"] == len(row["documents"])


def test_bad_rows_are_listed_with_their_reason(batch_out):
    _, out, _ = batch_out
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text("utf-8").splitlines()]
    reasons = " | ".join(e["reason"] for e in errors)
    assert len([e for e in errors if e["fatal"]]) == 3
    assert "invalid JSON" in reasons and 'missing or empty "text"' in reasons
    assert "not a string (int)" in reasons


def test_a_rerun_skips_finished_work_and_writes_the_same_bytes(batch_out):
    archive, out, _ = batch_out
    before = _fingerprints(out)
    from pipeline.batch.runner import run_batch
    from pipeline.config import Config

    summary = run_batch([archive], out, Config())
    assert summary.read == 0 and summary.skipped == 6
    assert _fingerprints(out) == before


def test_another_configuration_is_refused(batch_out, capsys):
    archive, out, _ = batch_out
    assert main(["batch", str(archive), "--out", str(out), "--langs", "en,ja", "--quiet"]) == 1
    assert "another configuration" in capsys.readouterr().err


def test_kill_9_at_any_point_then_rerun_gives_the_same_outputs(batch_out, tmp_path):
    """The batch is killed at three fixed points (loading, documents, days) and at random
    ones (NEWSDIGEST_KILL_SEED picks them; one folder is killed twice in a row); each
    rerun finishes with outputs byte-identical to the uninterrupted run."""
    archive, reference, _ = batch_out
    expected = _fingerprints(reference)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    command = [sys.executable, "-m", "pipeline.cli", "batch", str(archive), "--quiet"]
    rng = random.Random(int(os.environ.get("NEWSDIGEST_KILL_SEED", "8")))
    plans = [(1.5,), (4.0,), (6.5,), (rng.uniform(0.5, 9.0),),
             (rng.uniform(0.5, 9.0), rng.uniform(0.5, 9.0))]
    for n, delays in enumerate(plans):
        out = tmp_path / f"killed-{n}"
        for delay in delays:
            proc = subprocess.Popen([*command, "--out", str(out)], env=env, cwd=ROOT)
            time.sleep(delay)
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
            proc.wait()
        rerun = subprocess.run([*command, "--out", str(out)], env=env, cwd=ROOT,
                               capture_output=True, text=True, timeout=600, check=False)
        assert rerun.returncode == 2, rerun.stderr
        assert _fingerprints(out) == expected, f"killed after {delays} s"


def test_the_ray_engine_gives_the_same_outputs(batch_out, tmp_path, monkeypatch):
    """Ray Data (a local cluster, an actor pool holding the tools) for the per-document
    stages: the outputs are byte-identical to the local engine's."""
    pytest.importorskip("ray")
    monkeypatch.setenv("RAY_AUTH_MODE", "disabled")
    archive, reference, _ = batch_out
    out = tmp_path / "ray"
    assert main(["batch", str(archive), "--out", str(out), "--engine", "ray", "--quiet"]) == 2
    assert _fingerprints(out) == _fingerprints(reference)


def test_members_read_back_from_the_checkpoint_keep_their_duplicate_marks(tmp_path):
    """001 and its reprint on June 1, 004 (same event) on June 6, a reprint of 004 on June 12:
    on June 12 the event's June 1 documents are outside the window and read back from the
    checkpoint; the reprint of 001 must still be shown as 001's copy."""
    texts = {p.stem[:3]: p.read_text("utf-8").strip().splitlines() for p in SEEDS.glob("*.txt")}

    def row(doc_id, key, date, outlet):
        lines = texts[key]
        return {"id": doc_id, "title": lines[0], "text": "\n".join(lines[1:]), "date": date,
                "outlet": outlet}

    rows = [row("a-001", "001", "2025-06-01", "A"), row("b-001", "001", "2025-06-01", "B"),
            row("c-004", "004", "2025-06-06", "C"), row("d-004", "004", "2025-06-12", "D")]
    archive = tmp_path / "a.jsonl"
    archive.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                       encoding="utf-8")
    out = tmp_path / "out"
    assert main(["batch", str(archive), "--out", str(out), "--quiet"]) == 0
    digest = json.loads((out / "days" / "2025-06-12" / "digest.json").read_text("utf-8"))
    (event,) = digest["events"]
    assert event["documents"] == ["a-001", "c-004"] and event["copies"] == ["b-001", "d-004"]
    docs = {d["id"]: d for d in digest["documents"]}
    assert docs["b-001"]["duplicate_of"] == "a-001" and docs["b-001"]["duplicate_kind"]
    assert docs["b-001"]["cluster_status"] == "duplicate"
    assert docs["a-001"]["cluster_status"] == "clustered" and docs["a-001"]["event"] == event["id"]
