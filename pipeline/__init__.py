"""newsdigest: multilingual news digest pipeline.

The public API is one call::

    from pipeline import digest
    result = digest(["seeds/"], langs=("en", "zh"))   # the Digest model (pipeline.model)
    result.events[0].title["en"].text

Anything else is reachable through its module (`pipeline.run`, `pipeline.config`, ...).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.config import Config
    from pipeline.model import Digest

__all__ = ["digest"]


def digest(inputs: Sequence[str | Path] | str | Path, config: Config | None = None,
           out_dir: str | Path | None = None, **options: Any) -> Digest:
    """Read `inputs` (files, folders, globs, JSONL/CSV/Parquet archives, as `newsdigest run`
    reads them) and return the digest: events, summaries, titles, framing, with every
    sentence's sources. `config` (default: the embedded offline defaults) with any field
    overridden by `options` (langs=("en", "ja"), summarizer="llm", ...); `out_dir` also
    writes digest.json, .md and .html there. A file that could not be read is listed in
    `digest.errors` (one line each) and the rest goes on; no usable input at all raises
    ValueError."""
    import dataclasses

    from pipeline.config import Config
    from pipeline.run import run

    config = config or Config()
    if options:
        config = dataclasses.replace(config, **options)
    paths = [inputs] if isinstance(inputs, (str, Path)) else list(inputs)
    result = run(paths, config, Path(out_dir) if out_dir else None)
    if result.exit_code == 1:
        raise ValueError("no usable input: " + "; ".join(result.problems[:5]))
    return result.digest
