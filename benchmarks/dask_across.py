"""Cross-page dedup on Dask against one machine, at 100k+ paragraphs.

Pages of ``--per-page`` body paragraphs are cut from a ``benchmarks/dup_corpus.py``
corpus of ``--paragraphs`` paragraphs (30 % damaged copies of earlier ones,
so most copies land on another page). Timed, on the same pages, in
interleaved rounds (median of ``--repeat``, after one warm-up round):

* ``one machine``: ``xcclean.corpus.across.across_pages`` in this process;
* ``dask, N workers``: ``xcclean.dask.dedup_across`` over ``--parts`` parts
  already on a ``LocalCluster`` of N single-threaded worker processes.

Every Dask answer is checked against the one-machine answer. Run from the
repository root::

    python benchmarks/dask_across.py                        # 120k paragraphs, 1 and 2 workers
    python benchmarks/dask_across.py --workers 1,2,4,8,16   # on a bigger machine
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from distributed import Client, LocalCluster  # noqa: E402

from benchmarks.dup_corpus import build  # noqa: E402
from xcclean.corpus.across import across_pages  # noqa: E402
from xcclean.dask import dedup_across  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--paragraphs", type=int, default=120_000)
    parser.add_argument("--per-page", type=int, default=30)
    parser.add_argument("--parts", type=int, default=4)
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    texts = build(args.paragraphs, seed=1).texts
    pages = [texts[i : i + args.per_page] for i in range(0, len(texts), args.per_page)]
    step = -(-len(pages) // args.parts)
    chunks = [pages[i : i + step] for i in range(0, len(pages), step)]
    times: dict[str, list[float]] = {}
    reference = None
    clusters = []
    for n in map(int, args.workers.split(",")):
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0",
                               silence_logs=logging.ERROR)
        client = Client(cluster)
        clusters.append((n, cluster, client, client.scatter(chunks)))
    try:
        for round_ in range(args.repeat + 1):
            start = time.perf_counter()
            found = across_pages(pages)
            if round_:
                times.setdefault("one machine", []).append(time.perf_counter() - start)
            reference = found
            for n, _, client, parts in clusters:
                start = time.perf_counter()
                answer = dedup_across(client, parts)
                if round_:
                    times.setdefault(f"dask, {n} worker{'s' * (n > 1)}", []).append(time.perf_counter() - start)
                if answer != reference:
                    raise SystemExit(f"dask with {n} workers disagrees with one machine")
                print(f"round {round_}: {n} workers {time.perf_counter() - start:.2f} s", file=sys.stderr)
    finally:
        for _, cluster, client, _ in clusters:
            client.close()
            cluster.close()
    removed = sum(map(len, reference or []))
    base = statistics.median(times["one machine"])
    lines = ["# Cross-page dedup on Dask (`python benchmarks/dask_across.py`)", "",
             f"{len(texts):,} body paragraphs in {len(pages):,} pages of {args.per_page}, {len(chunks)} parts; "
             f"{removed:,} cross-page duplicates removed (every Dask answer identical to one machine's). "
             f"Median of {args.repeat} interleaved rounds after a warm-up; wall time on the 2-core development "
             "machine, shared with other jobs.", "",
             "| path | seconds | paragraphs/s | time vs one machine |", "|---|---:|---:|---:|"]
    for name, values in times.items():
        t = statistics.median(values)
        lines.append(f"| {name} | {t:.2f} | {len(texts) / t:,.0f} | {t / base:.2f} |")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "dask_across.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
