"""Where the project's own data lives (eval/references, eval/baseline.json, seeds/).

An editable install finds it beside the package; a plain `pip install .` (README command 1)
puts the package in site-packages, so the checkout is then the working directory.
$NEWSDIGEST_HOME overrides both.
"""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    env = os.environ.get("NEWSDIGEST_HOME")
    candidates = [Path(env)] if env else []
    candidates += [Path(__file__).resolve().parents[1], Path.cwd()]
    for candidate in candidates:
        if (candidate / "eval" / "references").is_dir():
            return candidate
    return Path.cwd()


def evaldata_dir() -> Path:
    """$NEWSDIGEST_EVALDATA, else `../shared/evaldata` beside the checkout."""
    env = os.environ.get("NEWSDIGEST_EVALDATA")
    return Path(env) if env else project_root().parent / "shared" / "evaldata"
