"""`newsdigest run --date D` and `newsdigest batch` build their digests the same way (issue
21): the same backends from the same config, the same summary languages, and, for a day
whose events both group alike, the same events in the same ranks. Option by option."""

from __future__ import annotations

import json

import pytest

from pipeline.cli import main
from tests.test_batch import _archive

DAY = "2025-06-09"  # two events (every day of a larger archive: test_run_batch_archive.py)


def _pair(tmp_path, options: str) -> tuple[dict, dict]:
    config = tmp_path / "config.toml"
    config.write_text(options, encoding="utf-8")
    archive = _archive(tmp_path)
    assert main(["run", str(archive), "--out", str(tmp_path / "run"), "--date", DAY,
                 "--config", str(config), "--quiet"]) in (0, 2)
    assert main(["batch", str(archive), "--out", str(tmp_path / "batch"),
                 "--config", str(config), "--quiet"]) in (0, 2)
    run = json.loads((tmp_path / "run" / "digest.json").read_text("utf-8"))
    day = json.loads((tmp_path / "batch" / "days" / DAY / "digest.json").read_text("utf-8"))
    return run, day


@pytest.mark.parametrize("options", [
    'langs = ["en", "ja"]\n',
    'translators = ["gloss"]\nlangs = ["en", "zh-TW"]\n',
])
def test_a_config_option_means_the_same_in_run_and_batch(tmp_path, options):
    run, day = _pair(tmp_path, options)
    assert run["langs"] == day["langs"]
    assert run["backends"] == day["backends"]
    assert [(e["rank"], sorted(e["documents"])) for e in run["events"]] == \
        [(e["rank"], sorted(e["documents"])) for e in day["events"]]
    for ran, batched in zip(run["events"], day["events"], strict=True):
        assert sorted(ran["summary"]) == sorted(batched["summary"]) == sorted(run["langs"])
        assert ran["title"] == batched["title"]
