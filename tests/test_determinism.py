"""Determinism: the same input and config give byte-identical outputs, run in two separate
processes with different string-hash seeds (the usual way set and dict order leaks)."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import SEEDS

from pipeline.render.files import DIGEST_FILES


def test_two_runs_in_fresh_processes_write_identical_files(tmp_path):
    outs = []
    for seed in ("1", "4242"):
        out = tmp_path / f"out-{seed}"
        env = dict(os.environ, PYTHONHASHSEED=seed, NEWSDIGEST_CACHE=str(tmp_path / f"c{seed}"))
        done = subprocess.run([sys.executable, "-m", "pipeline.cli", "run", str(SEEDS),
                               "--out", str(out), "--quiet"], env=env, capture_output=True,
                              text=True, timeout=900, check=False)
        assert done.returncode == 0, done.stderr[-2000:]
        outs.append(out)
    for name in DIGEST_FILES:  # the digest carries no timestamp, so nothing is set aside
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name
