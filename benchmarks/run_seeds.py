"""Time the pipeline on the seeds (or any inputs), stage by stage; prints numbers.

usage: python benchmarks/run_seeds.py [INPUT...] [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from pipeline import run as run_module
from pipeline.config import Config

ROOT = Path(__file__).resolve().parents[1]


def _timed(label: str, timings: dict[str, float], fn):
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            timings[label] = timings.get(label, 0.0) + time.perf_counter() - start
    return wrapper


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("inputs", nargs="*", default=[str(ROOT / "seeds")])
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    names = ["read_inputs", "process_document", "mark_duplicate_documents", "embed_documents",
             "cluster_documents", "summarize_event"]
    originals = {n: getattr(run_module, n) for n in names}
    walls = []
    for attempt in range(args.repeat):
        timings: dict[str, float] = {}
        for name, fn in originals.items():
            setattr(run_module, name, _timed(name, timings, fn))
        start = time.perf_counter()
        result = run_module.run(args.inputs, Config())
        wall = time.perf_counter() - start
        walls.append(wall)
        label = "cold" if attempt == 0 else "warm"
        print(f"run {attempt + 1} ({label}): {wall:.2f} s, {len(result.digest.documents)} docs, "
              f"{len(result.digest.events)} events")
        for name in names:
            print(f"  {name:26s} {timings.get(name, 0.0):7.2f} s")
    print(f"median wall: {statistics.median(walls):.2f} s")


if __name__ == "__main__":
    main()
