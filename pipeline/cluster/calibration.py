"""The calibrated thresholds, read from `pipeline/data/clustering.toml`.

They are fitted by `newsdigest_eval.calibrate` on a calibration split and then used unchanged
everywhere (CLI, evaluation suites, benchmarks); a config file may still override them.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from typing import Any


@lru_cache(maxsize=1)
def calibrated() -> dict[str, Any]:
    text = resources.files("pipeline.data").joinpath("clustering.toml").read_text("utf-8")
    return tomllib.loads(text)


def value(section: str, key: str) -> float:
    return float(calibrated()[section][key])
