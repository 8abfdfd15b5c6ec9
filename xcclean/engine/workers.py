"""Work split over threads or processes, with the same answers for any number of workers.

Two kinds of work, two kinds of worker:

* **numpy work** (shingle hashes, MinHash, sorting, joins) releases the GIL
  inside its loops: :func:`thread_map` runs it on threads, no copying.
* **Python work a pair** (the alignment rules) holds the GIL:
  :func:`process_map` forks worker processes, which inherit the inputs
  (copy-on-write, nothing pickled on the way in) and send back compact
  numpy results. The calling process works on the first part itself, so
  two workers cost one fork. Where ``fork`` is not available (Windows,
  macOS's default), the parts run here, one after another.

Either way the parts are cut the same way whatever the worker count and
their results come back in input order, so the answer never depends on
``workers``; only the time does.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# What a forked worker reads: set by :func:`process_map` just before the fork.
_SHARED: Any = None


def worker_count(workers: int | None) -> int:
    """``workers`` checked; None: every core the machine has (``os.cpu_count()``)."""
    if workers is None:
        return os.cpu_count() or 1
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ValueError(f"workers must be a positive integer or None, not {workers!r}")
    return workers


def thread_map(fn: Callable[[T], R], items: Sequence[T], workers: int) -> list[R]:
    """``[fn(x) for x in items]``, on up to ``workers`` threads (for work that releases the GIL)."""
    if workers <= 1 or len(items) <= 1:
        return [fn(x) for x in items]
    with ThreadPoolExecutor(min(workers, len(items))) as pool:
        return list(pool.map(fn, items))


def can_fork() -> bool:
    """Whether worker processes can inherit this one's memory."""
    return "fork" in multiprocessing.get_all_start_methods()


def _run_part(fn: Callable[[Any, int], R], part: int) -> R:
    return fn(_SHARED, part)


def process_map(fn: Callable[[Any, int], R], shared: Any, parts: int, workers: int) -> list[R]:
    """``[fn(shared, p) for p in range(parts)]``, the parts spread over ``workers`` processes.

    ``fn`` must be a module-level function (it is sent to the workers by
    name); ``shared`` reaches them by fork, never pickled. Part 0 runs in
    this process while the forked workers take the rest.
    """
    global _SHARED
    if workers <= 1 or parts <= 1 or not can_fork():
        return [fn(shared, p) for p in range(parts)]
    _SHARED = shared
    try:
        with multiprocessing.get_context("fork").Pool(min(workers, parts) - 1) as pool:
            rest = pool.starmap_async(_run_part, [(fn, p) for p in range(1, parts)], chunksize=1)
            first = fn(shared, 0)
            return [first, *rest.get()]
    finally:
        _SHARED = None
