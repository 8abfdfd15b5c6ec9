"""Page-level cleaning throughput on Dask against one in-process Cleaner.

Builds ``--pages`` damaged pages with :mod:`benchmarks.damage` (3,100 pages
are about 100k input paragraphs) and times, on the same pages:

* ``one machine``: a ``Cleaner.clean`` loop in this process (the reference);
* ``clean_bag``: ``xcclean.dask.clean_bag`` over a bag of ``--partition-pages``
  pages a partition, on a ``LocalCluster`` of N worker processes with one
  thread each, for each N in ``--workers``;
* ``clean_files``: ``xcclean.dask.clean_files`` from one JSONL file to JSONL
  part files on the same cluster (reading, cleaning, atomic writes);
* ``clean_bag, Cleaner per partition``: the same bag with a new Cleaner built
  in every partition call instead of one per worker (the largest N only), to
  show what the per-worker cache saves.

Clusters start first. Then, round after round, every case runs once in
turn (so a change in the machine's load hits all cases alike); round 0 is a
warm-up (the workers' imports and dictionary load; reported as ``warm-up
s``), each figure is the median of the ``--repeat`` rounds after it. The
one-machine Cleaner is warm before round 0 (it made the expected output
every case is checked against). ``vs one machine`` is a median over the
one-machine median (above 1 is slower), for wall time and for CPU time
(this process plus the workers). Run from the repository root::

    python benchmarks/dask_scaling.py                       # 3,100 pages, 1 and 2 workers
    python benchmarks/dask_scaling.py --workers 1,2,4,8,16  # on a bigger machine
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import re
import shlex
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import dask  # noqa: E402
import dask.bag as db  # noqa: E402
import distributed  # noqa: E402
import psutil  # noqa: E402
from distributed import Client, LocalCluster  # noqa: E402

import xcclean  # noqa: E402
from benchmarks.damage import CORPUS, Generator, load_articles  # noqa: E402
from xcclean import Cleaner, Config  # noqa: E402
from xcclean.dask import clean_bag, clean_files  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"


def paragraphs(page: str) -> int:
    return sum(1 for block in re.split(r"\n[ \t\u3000]*\n", page) if block.strip())


def clean_with_new_cleaner(pages: Iterable[str], config: Config) -> list[str]:
    """The alternative to a per-worker Cleaner: one built in every partition call."""
    cleaner = Cleaner(config)
    return [cleaner.clean(page) for page in pages]


@dataclass
class Case:
    """One way to clean the pages, timed round after round."""

    name: str
    workers: int
    partitions: int | str
    run: Callable[[], list[str]]  # returns the cleaned pages, in order
    pids: list[int] = field(default_factory=list)  # worker processes whose CPU time counts
    times: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)


def cpu_seconds(pids: list[int]) -> float:
    """CPU time of this process (the loop, or client and schedulers) and of the workers ``pids``."""
    return time.process_time() + sum(sum(psutil.Process(pid).cpu_times()[:2]) for pid in pids)


def peak_rss_mib(pid: int) -> float:
    """Peak resident memory of a process (Linux /proc; nan elsewhere)."""
    status = Path(f"/proc/{pid}/status")
    if not status.exists():
        return float("nan")
    line = next(line for line in status.read_text().splitlines() if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=3100, help="damaged pages to clean (default 3100)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", default="1,2", help="worker counts, comma-separated (default 1,2)")
    parser.add_argument("--partition-pages", type=int, default=100, help="pages per partition (default 100)")
    parser.add_argument("--repeat", type=int, default=3, help="timed rounds (default 3)")
    parser.add_argument("--output", type=Path, default=RESULTS / "dask_scaling.md", help="markdown report path")
    args = parser.parse_args(argv)
    workers = [int(n) for n in args.workers.split(",")]
    if not CORPUS.exists():
        parser.error(f"the corpus is not at {CORPUS}")

    pages = [page.raw for page in Generator(load_articles(), args.seed).pages(args.pages)]
    count = sum(paragraphs(page) for page in pages)
    print(f"{len(pages)} pages, {count} paragraphs, {sum(map(len, pages))} characters", file=sys.stderr)
    cleaner = Cleaner()
    expected = [cleaner.clean(page) for page in pages]  # also warms this process's Cleaner
    load = [os.getloadavg()[0]]
    starts: dict[int, float] = {}
    peaks: dict[int, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        source = Path(tmp) / "pages.jsonl"
        source.write_text("".join(json.dumps({"text": p}, ensure_ascii=False) + "\n" for p in pages), "utf-8")
        partitions = -(-len(pages) // args.partition_pages)
        blocksize = source.stat().st_size // partitions  # read_bytes makes size // blocksize parts
        outputs = (f"{tmp}/out{n}" for n in itertools.count())
        bag = db.from_sequence(pages, partition_size=args.partition_pages)

        def read_back(folder: str) -> list[str]:
            return [json.loads(line)["text"] for part in sorted(Path(folder).glob("part-*.jsonl"))
                    for line in part.read_text("utf-8").splitlines()]

        def files(client: Client) -> list[str]:
            folder = next(outputs)
            clean_files(str(source), folder, scheduler=client, blocksize=blocksize)
            return read_back(folder)

        cases = [Case("one machine, `Cleaner.clean` loop", 1, "–", lambda: [cleaner.clean(p) for p in pages])]
        for n in workers:
            started = time.perf_counter()
            cluster = stack.enter_context(LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                                       dashboard_address=":0"))
            client = stack.enter_context(Client(cluster))
            client.wait_for_workers(n)
            starts[n] = time.perf_counter() - started
            pids = list(client.run(os.getpid).values())
            peaks[n] = pids
            cases.append(Case("`clean_bag`", n, bag.npartitions, partial(clean_bag(bag).compute, scheduler=client),
                              pids))
            cases.append(Case("`clean_files`, JSONL to JSONL", n, partitions, partial(files, client), pids))
            if n == max(workers):
                per_partition = bag.map_partitions(clean_with_new_cleaner, Config())
                cases.append(Case("`clean_bag`, Cleaner built per partition", n, bag.npartitions,
                                  partial(per_partition.compute, scheduler=client), pids))
        for _ in range(args.repeat + 1):  # round 0 warms up; cases interleave, so load drifts hit all alike
            for case in cases:
                before, started = cpu_seconds(case.pids), time.perf_counter()
                cleaned = case.run()
                case.times.append(time.perf_counter() - started)
                case.cpus.append(cpu_seconds(case.pids) - before)
                assert cleaned == expected, case.name
            load.append(os.getloadavg()[0])
        memory = {n: [peak_rss_mib(pid) for pid in pids] for n, pids in peaks.items()}

    report = render(args, argv, len(pages), count, cases, starts, memory, load)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(report, encoding="utf-8")
    print(report)
    return 0


def render(args: argparse.Namespace, argv: list[str] | None, pages: int, count: int, cases: list[Case],
           starts: dict[int, float], memory: dict[int, list[float]], load: list[float]) -> str:
    command = " ".join(shlex.quote(a) for a in (sys.argv[1:] if argv is None else argv))
    single = statistics.median(cases[0].times[1:])
    single_cpu = statistics.median(cases[0].cpus[1:])
    lines = [
        "# Page-level cleaning on Dask: throughput",
        "",
        f"- machine: Python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.platform()}; "
        f"1-minute load average {', '.join(f'{x:.2f}' for x in load)} (before, then after each round)",
        f"- versions: xcclean {xcclean.__version__}, dask {dask.__version__}, distributed {distributed.__version__}",
        f"- command: `python benchmarks/dask_scaling.py{' ' if command else ''}{command}`",
        f"- input: {pages} damaged pages from `benchmarks/damage.py` (seed {args.seed}), {count:,} paragraphs",
        f"- each figure: median of {args.repeat} rounds after a warm-up round; in each round every row runs once, "
        "in table order; clusters started beforehand (LocalCluster, worker processes with one thread each)",
        "- CPU s: CPU time of this process (the loop, or client and scheduler) plus the workers'",
        "",
        "| path | workers | partitions | median s | pages/s | paragraphs/s | vs one machine | CPU s "
        "| CPU vs one machine | warm-up s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for case in cases:
        median, cpu = statistics.median(case.times[1:]), statistics.median(case.cpus[1:])
        lines.append(f"| {case.name} | {case.workers} | {case.partitions} | {median:.2f} | {pages / median:,.0f} | "
                     f"{count / median:,.0f} | {median / single:.2f} | {cpu:.1f} | {cpu / single_cpu:.2f} | "
                     f"{case.times[0]:.2f} |")
    lines += [
        "",
        "Cluster start (until all workers are up): "
        + ", ".join(f"{n} worker{'s' * (n > 1)} {s:.1f} s" for n, s in starts.items()) + ". "
        "Peak resident memory per worker process after all rounds: "
        + "; ".join(f"{n} worker{'s' * (n > 1)}: " + ", ".join(f"{m:.0f} MiB" for m in mib)
                    for n, mib in memory.items()) + ".",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
