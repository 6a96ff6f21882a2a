"""`newsdigest batch` on synthetic dated archives: articles per second, peak RSS, stage times.

The archive is `newsdigest_eval.synthetic_archive.build_archive(N)` (en/zh/ja/ko articles
from the public evaluation data, ~10% exact copies, ~5% reprints, ~5% near copies,
NTREX/FLORES language versions as translations, ~200 articles a day) written as one JSONL
file. Each (size, engine)
runs `run_batch` in a fresh subprocess with a fresh output folder (no embedding cache), so
its peak RSS (the largest process: the driver or a worker) and its times are its own.

Prints per run: seconds per phase (documents, duplicates, days) and per named stage after
reading (`pipeline.stages`), the embedding time (the document and sentence vector stages,
cache lookups included) and total / embedding, the time inside the encoder itself (every
stage's cache misses, the translation check's sentences included) and total / encoder, total, articles per second, peak RSS of the run's processes,
documents/events/days, duplicates by kind. Targets: issue 8, 10k articles in ≤ 5 minutes on
2 cores with the offline defaults, peak RSS ≤ 2 GB and no more at 50k; issue 21, total ≤
1.5 × embedding. Without the evaluation data it says so and exits 0.

usage: python benchmarks/archive.py [--sizes 1000,10000,50000] [--engines local,ray]
                                    [--json PATH] [--keep DIR]
       python benchmarks/archive.py --one N --engine E --archive PATH --out DIR
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def write_archive(size: int, path: Path) -> str:
    from newsdigest_eval.synthetic_archive import build_archive

    archive = build_archive(size)
    with path.open("w", encoding="utf-8") as out:
        for doc in archive.documents:
            out.write(json.dumps({"id": doc.id, "title": doc.title, "text": doc.text,
                                  "date": doc.date.isoformat() if doc.date else None,
                                  "outlet": doc.outlet, "url": doc.url},
                                 ensure_ascii=False) + "\n")
    return archive.describe()


# the stages whose time is the encoder's (with the embedding cache's lookups): the floor
EMBEDDING_STAGES = ("document vectors", "sentence vectors")


def one(size: int, engine: str, archive: Path, out: Path) -> dict:
    """Run in this process; return the figures (called in a subprocess by `main`)."""
    import warnings

    warnings.simplefilter("ignore")
    from pipeline.batch.runner import run_batch
    from pipeline.config import Config

    start = time.perf_counter()
    summary = run_batch([archive], out, Config(), engine=engine)
    total = time.perf_counter() - start
    rss = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
              resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    embedding = sum(summary.stage_seconds.get(k, 0.0) for k in EMBEDDING_STAGES)
    return {"size": size, "engine": engine, "seconds": summary.seconds,
            "stages": summary.stage_seconds, "embedding": embedding,
            "encoder": summary.encoder_seconds, "total": total,
            "per_second": summary.documents / total if total else 0.0, "peak_rss_mb": rss,
            "documents": summary.documents, "events": summary.events, "days": summary.days,
            "failed": summary.failed,
            "duplicates": {k.split(":", 1)[1]: v for k, v in sorted(summary.statuses.items())
                           if k.startswith("duplicate:")}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--engines", default="local")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--keep", type=Path, help="keep archives and outputs here")
    parser.add_argument("--one", type=int)
    parser.add_argument("--engine", default="local")
    parser.add_argument("--archive", type=Path)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one, args.engine, args.archive, args.out)))
        return 0
    from newsdigest_eval.synthetic_archive import missing_data

    missing = missing_data()
    if missing:
        print(f"evaluation data not found ({', '.join(map(str, missing))}): nothing to measure")
        return 0
    work = args.keep or Path(tempfile.mkdtemp(prefix="archive-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, RAY_AUTH_MODE="disabled")
    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        archive = work / f"archive-{size}.jsonl"
        print(f"[{size}] {write_archive(size, archive)}", flush=True)
        for engine in args.engines.split(","):
            out = work / f"out-{size}-{engine}"
            done = subprocess.run([sys.executable, __file__, "--one", str(size), "--engine",
                                   engine, "--archive", str(archive), "--out", str(out)],
                                  capture_output=True, text=True, env=env, check=False)
            if done.returncode != 0:
                print(f"[{size} {engine}] failed:\n{done.stderr[-2000:]}", flush=True)
                continue
            result = json.loads(done.stdout.strip().splitlines()[-1])
            results.append(result)
            stages = ", ".join(f"{k} {v:.1f}" for k, v in result["seconds"].items())
            detail = ", ".join(f"{k} {v:.1f}" for k, v in result["stages"].items())
            print(f"[{size} {engine}] stages after reading: {detail}", flush=True)
            print(f"[{size} {engine}] embedding stages {result['embedding']:.1f} s; total / "
                  f"embedding {result['total'] / max(result['embedding'], 1e-9):.2f}; inside the "
                  f"encoder {result['encoder']:.1f} s; total / encoder "
                  f"{result['total'] / max(result['encoder'], 1e-9):.2f}", flush=True)
            print(f"[{size} {engine}] {stages}; total {result['total']:.1f} s → "
                  f"{result['per_second']:.1f} articles/s; peak RSS {result['peak_rss_mb']:.0f} "
                  f"MB; {result['documents']} documents, {result['events']} events over "
                  f"{result['days']} days; duplicates {result['duplicates']}", flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    print("target: 10k articles in ≤ 300 s on 2 cores, peak RSS ≤ 2 GB, flat to 50k; "
          "total ≤ 1.5 × embedding (issue 21)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
