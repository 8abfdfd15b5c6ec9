"""Per-page speed of xcclean against ftfy and a naive datasketch LSH pass.

For every page, three things are timed side by side in one run:

* ``xcclean``: ``Cleaner.clean(text)`` on one Cleaner created before timing;
* ``ftfy``: ``ftfy.fix_text(text)`` with ftfy's default config, the baseline
  xcclean promises to be no slower than;
* ``datasketch LSH``: split the page into paragraphs on blank lines, build a
  ``MinHash(num_perm=128)`` from the character 5-gram shingles of each, and
  query-then-insert it into a fresh ``MinHashLSH(threshold=0.8)``, i.e. the
  near-duplicate pass a user would write by hand with datasketch.

How, and why:

* Each figure is the **median** of ``--repeat`` timed calls (``time.perf_counter``),
  so one slow call (a scheduler hiccup, a page fault) does not move it.
* ``--warmup`` untimed calls per method and page come first, so caches are warm.
  xcclean's one-time cost (lazy imports, jieba/wordfreq dictionaries) is paid by
  the Cleaner's very first call, which is timed on its own and reported
  separately as the cold first call, before anything else calls xcclean.
* The methods are **interleaved** (xcclean, ftfy, datasketch, xcclean, ...), so
  any drift in machine speed (thermal throttling, other load) hits all three
  alike; ``gc.collect()`` runs before, and gc is disabled during, each timed call.
* The ratios are against baselines **measured in the same run** on the same
  machine, which makes them comparable across machines where raw ms are not.

Run from the repository root: ``python benchmarks/page_speed.py --help``.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import re
import shlex
import statistics
import sys
import time
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import datasketch
import ftfy

import xcclean

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"
EXAMPLES = REPO / "examples"
PACKAGES = ("xcclean", "ftfy", "datasketch", "rapidfuzz", "numpy")
METHODS = ("xcclean", "ftfy", "datasketch LSH")
_BLANK_LINE = re.compile(r"\n\s*\n")


def paragraphs(text: str) -> list[str]:
    """The page's paragraphs: split on blank lines, stripped, empty ones dropped."""
    return [p for p in (part.strip() for part in _BLANK_LINE.split(text)) if p]


def datasketch_lsh(text: str, k: int = 5, num_perm: int = 128, threshold: float = 0.8) -> int:
    """A full near-duplicate pass over one page; returns how many paragraphs were near-duplicates."""
    lsh = datasketch.MinHashLSH(threshold=threshold, num_perm=num_perm)
    duplicates = 0
    for i, para in enumerate(paragraphs(text)):
        m = datasketch.MinHash(num_perm=num_perm)
        for s in [para[j : j + k] for j in range(len(para) - k + 1)] or [para]:
            m.update(s.encode("utf-8"))
        if lsh.query(m):
            duplicates += 1
        lsh.insert(str(i), m)
    return duplicates


def timed_ms(fn: Callable[[str], object], text: str) -> float:
    """One call of ``fn(text)`` in milliseconds, after a gc.collect() and with gc off."""
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        fn(text)
        elapsed = time.perf_counter() - start
    finally:
        gc.enable()
    return elapsed * 1000.0


def find_pages(given: list[str] | None) -> list[Path]:
    """Pages named on the command line (files or directories of ``*.txt``), else the seeds, else examples."""
    if given:
        pages: list[Path] = []
        for name in given:
            path = Path(name)
            if path.is_dir():
                pages.extend(sorted(path.glob("*.txt")))
            elif path.is_file():
                pages.append(path)
            else:
                raise FileNotFoundError(name)
        return pages
    if SEEDS.is_dir():
        return sorted(SEEDS.glob("0*.txt"))
    return sorted(EXAMPLES.glob("*.txt"))


def package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def non_negative_int(value: str) -> int:
    number = int(value)
    if number < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {number}")
    return number


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--pages", nargs="+", metavar="PATH", help=f"page files or directories (default: {SEEDS}/0*.txt)"
    )
    parser.add_argument(
        "--repeat", type=non_negative_int, default=15, help="timed calls per method and page (default 15)"
    )
    parser.add_argument("--warmup", type=non_negative_int, default=3, help="untimed calls before timing (default 3)")
    parser.add_argument("--output", type=Path, metavar="PATH", help="also write the markdown report to PATH")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    try:
        pages = find_pages(args.pages)
    except FileNotFoundError as missing:
        parser.error(f"--pages: no such file or directory: {missing}")
    if not pages:
        where = "the given --pages" if args.pages else f"{SEEDS} or {EXAMPLES}"
        print(f"page_speed: no pages (*.txt) found in {where}; pass some with --pages PATH ...", file=sys.stderr)
        return 2
    texts = [page.read_text(encoding="utf-8") for page in pages]

    # The one-time cost first: the brand-new Cleaner's first call loads its dictionaries.
    cleaner = xcclean.Cleaner()
    start = time.perf_counter()
    cleaner.clean(texts[0])
    cold_ms = (time.perf_counter() - start) * 1000.0

    methods: dict[str, Callable[[str], object]] = {
        "xcclean": cleaner.clean,
        "ftfy": ftfy.fix_text,
        "datasketch LSH": datasketch_lsh,
    }
    rows: list[tuple[str, int, int, dict[str, float]]] = []
    for page, text in zip(pages, texts, strict=True):
        for _ in range(args.warmup):
            for fn in methods.values():
                fn(text)
        samples: dict[str, list[float]] = {name: [] for name in METHODS}
        for _ in range(args.repeat):
            for name, fn in methods.items():
                samples[name].append(timed_ms(fn, text))
        medians = {name: statistics.median(times) for name, times in samples.items()}
        rows.append((page.name, len(text), len(paragraphs(text)), medians))

    totals = {name: sum(row[3][name] for row in rows) for name in METHODS}
    rows.append(("all pages", sum(r[1] for r in rows), sum(r[2] for r in rows), totals))

    versions = ", ".join(f"{name} {package_version(name)}" for name in PACKAGES)
    lines = [
        "# xcclean page speed",
        "",
        f"- machine: Python {platform.python_version()} ({platform.python_implementation()}), "
        f"{os.cpu_count()} CPUs, {platform.platform()}",
        f"- versions: {versions}",
        f"- command: `{shlex.join(sys.orig_argv)}`",
        f"- each figure: median of {args.repeat} timed calls after {args.warmup} warm-up calls, methods interleaved",
        "",
        "| page | chars | paragraphs | xcclean ms | ftfy ms | datasketch LSH ms "
        "| xcclean / ftfy | xcclean / datasketch |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, chars, paras, ms in rows:
        xc, ft, ds = (ms[m] for m in METHODS)
        label = f"**{name}**" if name == "all pages" else name
        lines.append(
            f"| {label} | {chars} | {paras} | {xc:.2f} | {ft:.2f} | {ds:.2f} | {xc / ft:.2f} | {xc / ds:.2f} |"
        )
    lines += [
        "",
        f"xcclean cold first call: {cold_ms:.2f} ms "
        f"(a brand-new Cleaner on {pages[0].name}, incl. lazy imports and dictionary loading)",
    ]
    report = "\n".join(lines) + "\n"
    print(report, end="")
    if args.output is not None:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
