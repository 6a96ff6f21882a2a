"""What this machine gives a run: the cores this process may use (its affinity, not the host's)."""

from __future__ import annotations

import os


def available_cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


# what numeric libraries read when they start their thread pools
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def one_thread_per_worker() -> None:
    """Called first in every pool worker: the numeric libraries under it (OpenBLAS for
    numpy, spaCy's thinc, torch) start one thread per core each, so N workers on N cores run
    N² threads that spin against each other. Measured on a 1k archive's day stage: two
    workers spent 1.4× the CPU time of one process on the same events; with one thread
    each, 1.0×. Libraries already loaded are limited now; ones loaded later read the
    environment."""
    import sys

    for name in THREAD_VARIABLES:
        os.environ[name] = "1"
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(1)
