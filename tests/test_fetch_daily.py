"""Digests from the article store: `newsdigest daily` over two days of the local news site,
and a fetch killed with SIGKILL then rerun giving the digest of an uninterrupted one."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from feed_server import FeedServer

from pipeline.cli import main

FEEDS = ["harbor", "dongfang", "kitahama", "hanbit"]
FAST = {"per_host_interval": 0.0, "per_host_concurrency": 4}


@pytest.fixture(scope="module")
def two_days(tmp_path_factory):
    folder = tmp_path_factory.mktemp("daily")
    with FeedServer() as server:
        sources = server.sources_toml(folder, FEEDS, **FAST)
        args = ["daily", str(sources), "--store", str(folder / "store"), "--out",
                str(folder / "out"), "--quiet"]
        first = main([*args, "--today", "2026-12-07"])
        server.site.day = 2
        second = main([*args, "--today", "2026-12-08"])
    days = {d.name: json.loads((d / "digest.json").read_text("utf-8"))
            for d in (folder / "out").iterdir()}
    return first, second, days, folder


def test_daily_writes_one_digest_per_run(two_days):
    first, second, days, folder = two_days
    assert (first, second) == (0, 0)
    assert sorted(days) == ["2026-12-07", "2026-12-08"]
    assert days["2026-12-07"]["window"]["new_documents"] == 8
    assert days["2026-12-08"]["window"]["new_documents"] == 8
    assert days["2026-12-08"]["window"]["previous"]["path"].endswith("2026-12-07/digest.json")
    assert "NEW" in (folder / "out" / "2026-12-08" / "digest.md").read_text("utf-8")


def test_day_two_shows_only_events_with_new_articles_marked_against_day_one(two_days):
    _, _, days, folder = two_days
    db = sqlite3.connect(folder / "store" / "articles.sqlite")
    day_two = {row[0] for row in db.execute("SELECT id FROM articles WHERE day = '2026-12-08'")}
    digest = days["2026-12-08"]
    assert digest["events"]
    for event in digest["events"]:
        members = set(event["documents"]) | set(event.get("copies") or [])
        assert members & day_two, event["id"]  # every event shown has a new article
        assert set(event["new_documents"]) <= day_two
    statuses = {e["status"] for e in digest["events"]}
    assert statuses == {"new", "updated"}
    # the drone recall is new; the ferry fire goes on from day one: updated
    by_status = {e["status"]: e for e in digest["events"]}
    assert "Feiyun" in json.dumps(by_status["new"]["title"], ensure_ascii=False)
    updated = by_status["updated"]
    assert updated["previous_events"] and set(updated["documents"]) - day_two
    # a day-one event with no new article is left out, and says why
    left = digest["window"]["left_out"]
    assert left and all(entry["reason"] == "no-new-article" for entry in left)


def test_run_and_batch_read_the_store(two_days, tmp_path):
    _, _, _, folder = two_days
    store = folder / "store"
    assert main(["run", "--store", str(store), "--date", "2026-12-08", "--out",
                 str(tmp_path / "run"), "--quiet"]) == 0
    digest = json.loads((tmp_path / "run" / "digest.json").read_text("utf-8"))
    assert digest["window"]["start"] == "2026-12-08" and digest["events"]
    assert len(digest["documents"]) == 16  # the day and the days before it, for context
    assert main(["store", "export", str(store), "--parquet", str(tmp_path / "a.parquet")]) == 0
    assert main(["batch", "--store", str(store), "--out", str(tmp_path / "batch"),
                 "--quiet"]) == 0
    assert sorted(p.name for p in (tmp_path / "batch" / "days").iterdir()) == [
        "2026-12-07", "2026-12-08"]


def _fetch_cmd(sources: Path) -> list[str]:
    return [sys.executable, "-m", "pipeline.cli", "fetch", str(sources), "--store", "store",
            "--quiet"]


def _stored(folder: Path) -> int:
    try:
        db = sqlite3.connect(f"file:{folder / 'store' / 'articles.sqlite'}?mode=ro", uri=True)
        return db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_a_killed_fetch_rerun_stores_each_article_once_and_digests_the_same(tmp_path):
    killed, whole = tmp_path / "killed", tmp_path / "whole"
    killed.mkdir()
    whole.mkdir()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    with FeedServer() as server:
        server.site.day = 2
        # one request at a time, 0.25 s apart: 16 pages take ~5 s, time to kill mid-way
        slow = server.sources_toml(killed, FEEDS, per_host_interval=0.25,
                                   per_host_concurrency=1)
        proc = subprocess.Popen(_fetch_cmd(slow), cwd=killed, env=env)
        deadline = time.monotonic() + 60
        while _stored(killed) < 4 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        assert proc.poll() is None, "the fetch ended before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        partial = _stored(killed)
        assert 4 <= partial < 16
        assert subprocess.run(_fetch_cmd(slow), cwd=killed, env=env, check=False).returncode == 0
        fast = server.sources_toml(whole, FEEDS, **FAST)
        assert subprocess.run(_fetch_cmd(fast), cwd=whole, env=env, check=False).returncode == 0
    rows = {}
    for folder in (killed, whole):
        db = sqlite3.connect(folder / "store" / "articles.sqlite")
        rows[folder.name] = db.execute("SELECT id, content_hash FROM articles ORDER BY id"
                                       ).fetchall()
        assert db.execute("SELECT COUNT(DISTINCT url) FROM articles").fetchone()[0] == 16
    assert rows["killed"] == rows["whole"] and len(rows["whole"]) == 16
    digests = []
    for folder in (killed, whole):
        old = os.getcwd()
        os.chdir(folder)  # the same relative store path: sources in the digest compare equal
        try:
            assert main(["run", "--store", "store", "--out", "out", "--quiet"]) == 0
        finally:
            os.chdir(old)
        digests.append((folder / "out" / "digest.json").read_bytes())
    assert digests[0] == digests[1]
