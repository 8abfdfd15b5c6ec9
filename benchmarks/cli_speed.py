"""Corpus command-line speed: ``xcclean clean DIR -o OUT`` with ``--workers 2`` against ``--workers 1``.

Builds N damaged pages with :mod:`benchmarks.damage` (from
``../shared/corpus/news.jsonl``) in a temporary directory, then times whole
runs of the installed command (interpreter start, dictionary loads, reading
and writing included), the two worker counts interleaved run by run. Reports
the median wall time of each, their ratio, pages/s, checks that both give
identical outputs, and keeps the summary table of the last run. Writes
``benchmarks/results/cli_speed.md``.

    python benchmarks/cli_speed.py                  # 2,000 pages, 3 runs each
    python benchmarks/cli_speed.py --pages 200 --runs 1
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.damage import Generator, load_articles  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"


def write_pages(folder: Path, count: int, seed: int) -> int:
    """Write ``count`` damaged pages, 100 to a subfolder; return their total characters."""
    chars = 0
    for i, page in enumerate(Generator(load_articles(), seed).pages(count)):
        path = folder / f"{i // 100:03d}" / f"{i:05d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page.raw, encoding="utf-8")
        chars += len(page.raw)
    return chars


def digest(folder: Path) -> str:
    """One hash over every output file's path and bytes."""
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            h.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # every finished descendant, workers included
    return usage.ru_utime + usage.ru_stime


def _busy() -> float:
    """CPU seconds the whole machine has been busy (Linux /proc/stat; 0 elsewhere)."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    except OSError:
        return 0.0
    return (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")  # all but idle and iowait


def run(pages: Path, out: Path, workers: int) -> tuple[float, float, float, str, str]:
    """One whole run: wall seconds, its CPU seconds, other processes' CPU seconds meanwhile, stderr, digest."""
    shutil.rmtree(out, ignore_errors=True)
    cpu, busy = _cpu(), _busy()
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "xcclean", "clean", str(pages), "-o", str(out),
                           "--workers", str(workers)], capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if proc.returncode:
        raise SystemExit(f"xcclean failed ({proc.returncode}):\n{proc.stderr}")
    cpu = _cpu() - cpu
    return wall, cpu, max(_busy() - busy - cpu, 0.0), proc.stderr, digest(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3, help="runs per worker count (default 3)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--output", type=Path, default=RESULTS / "cli_speed.md")
    args = parser.parse_args()
    counts = (1, 2)
    with tempfile.TemporaryDirectory(prefix="xcclean-cli-speed-") as tmp:
        pages = Path(tmp) / "pages"
        chars = write_pages(pages, args.pages, args.seed)
        walls: dict[int, list[float]] = {w: [] for w in counts}
        cpus: dict[int, list[float]] = {w: [] for w in counts}
        digests: set[str] = set()
        rows = []
        summary = ""
        for n in range(args.runs):
            for workers in counts:
                wall, cpu, others, summary, out_digest = run(pages, Path(tmp) / "out", workers)
                walls[workers].append(wall)
                cpus[workers].append(cpu)
                digests.add(out_digest)
                rows.append(f"| {n + 1} | {workers} | {wall:.1f} | {args.pages / wall:.1f} | {cpu:.1f} | "
                            f"{others:.1f} |")
                print(f"run {n + 1}, {workers} worker(s): {wall:.1f} s", file=sys.stderr)
    median = {w: statistics.median(walls[w]) for w in counts}
    cpu = {w: statistics.median(cpus[w]) for w in counts}
    report = f"""# Corpus command line: `--workers 2` against `--workers 1`

`python benchmarks/cli_speed.py --pages {args.pages} --runs {args.runs} --seed {args.seed}`: {args.pages:,} damaged
pages ({chars:,} characters) from `benchmarks/damage.py`, cleaned by
`xcclean clean PAGES -o OUT --workers N` as a whole process (start-up, dictionary loads, reading and atomic
writes included), the two worker counts interleaved run by run. Machine: {os.cpu_count()} cores,
Python {sys.version.split()[0]}. **Caveat:** the machine is shared and other people's jobs may have been running:
the last column of the second table is the CPU time the rest of the machine used during each run (from
`/proc/stat`); with 2 cores, anything near the run's wall time means xcclean had about one core, not two.
CPU time (user + sys of xcclean and its workers) is less sensitive to that than wall time.

| workers | median wall (s) | pages/s | median CPU (s) |
|---|---|---|---|
| 1 | {median[1]:.1f} | {args.pages / median[1]:.1f} | {cpu[1]:.1f} |
| 2 | {median[2]:.1f} | {args.pages / median[2]:.1f} | {cpu[2]:.1f} |

`--workers 2` / `--workers 1` wall time: **{median[2] / median[1]:.2f}** (speed-up {median[1] / median[2]:.2f}×).
Outputs identical across all runs and worker counts: **{"yes" if len(digests) == 1 else "NO"}**.

| run | workers | wall (s) | pages/s | CPU (s) | others' CPU meanwhile (s) |
|---|---|---|---|---|---|
{chr(10).join(rows)}

Summary table of the last run (stderr):

```
{summary[summary.index("xcclean summary"):].rstrip()}
```
"""
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(report, encoding="utf-8")
    print(report)
    return 0 if len(digests) == 1 else 1


if __name__ == "__main__":
    raise SystemExit(main())
