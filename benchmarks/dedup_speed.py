"""Dedup speed and recall at corpus scale: xcclean against the MinHash tools, in one run.

    python benchmarks/dedup_speed.py                          # 10k, 100k, 1M (about 10 minutes)
    python benchmarks/dedup_speed.py --sizes 10000 --rounds 1 # a quick look

Corpora come from ``benchmarks/dup_corpus.py`` (30 % damaged copies with
known truth). Every method runs in its own child process pinned to one CPU
core, on the same corpus file; the time is the CPU time of the dedup call
(no interpreter start, imports or file loading; CPU time rather than wall
time, because this 2-core machine is shared), the memory the child's peak
RSS.
Methods (baselines as ``../shared/notes/speed-anchors.md`` defines them: char
5-grams, 128 permutations, 16 bands x 8 rows, keep-first):

``xcclean``     ``xcclean.dedup.near_duplicates`` (anchors + alignment)
``exact``       NFKC + whitespace stripped, blake2b, a set
``ds_naive``    datasketch ``MinHash.update`` per shingle + ``MinHashLSH``
``ds_bulk``     datasketch ``MinHash.bulk`` per 10k chunk + ``MinHashLSH``
``rensa``       rensa ``digest_matrix_from_token_sets`` +
                ``insert_matrix_and_query_duplicate_flags`` (its bulk API; the
                faster of its two paths in the notes)

Writes ``benchmarks/results/dedup_speed.md`` and ``dedup_speed.png``.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.dup_corpus import KINDS, TRUNCATED, build  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
METHODS = ("xcclean", "exact", "ds_naive", "ds_bulk", "rensa")
SHINGLE, NUM_PERM, BANDS, CHUNK = 5, 128, 16, 10_000


def _shingles(text: str) -> list[str]:
    return [text[i : i + SHINGLE] for i in range(max(1, len(text) - SHINGLE + 1))]


def run_xcclean(texts: list[str]) -> dict[int, int]:
    import numpy as np

    from xcclean.dedup import near_duplicates

    kept = near_duplicates(texts).kept_of()
    dups = np.flatnonzero(kept != np.arange(len(kept)))
    return dict(zip(dups.tolist(), kept[dups].tolist(), strict=True))


def run_exact(texts: list[str]) -> dict[int, int]:
    seen: dict[bytes, int] = {}
    out = {}
    for i, text in enumerate(texts):
        key = hashlib.blake2b("".join(unicodedata.normalize("NFKC", text).split()).encode(), digest_size=8).digest()
        if key in seen:
            out[i] = seen[key]
        else:
            seen[key] = i
    return out


def _lsh_flags(texts: list[str], sketches: Any) -> dict[int, int]:
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=0.8, num_perm=NUM_PERM, params=(BANDS, NUM_PERM // BANDS))
    out = {}
    for i, m in enumerate(sketches(texts)):
        hits = lsh.query(m)
        if hits:
            out[i] = min(hits)
        lsh.insert(i, m)
    return out


def run_ds_naive(texts: list[str]) -> dict[int, int]:
    from datasketch import MinHash

    def sketches(texts: list[str]) -> Any:
        for text in texts:
            m = MinHash(num_perm=NUM_PERM)
            for shingle in _shingles(text):
                m.update(shingle.encode("utf-8"))
            yield m

    return _lsh_flags(texts, sketches)


def run_ds_bulk(texts: list[str]) -> dict[int, int]:
    from datasketch import MinHash

    def sketches(texts: list[str]) -> Any:
        for start in range(0, len(texts), CHUNK):
            chunk = [[s.encode("utf-8") for s in _shingles(t)] for t in texts[start : start + CHUNK]]
            yield from MinHash.bulk(chunk, num_perm=NUM_PERM)

    return _lsh_flags(texts, sketches)


def run_rensa(texts: list[str]) -> dict[int, int]:
    from rensa import RMinHash, RMinHashLSH

    lsh = RMinHashLSH(threshold=0.8, num_perm=NUM_PERM, num_bands=BANDS)
    out = {}
    for start in range(0, len(texts), CHUNK):
        chunk = [_shingles(t) for t in texts[start : start + CHUNK]]
        matrix = RMinHash.digest_matrix_from_token_sets(chunk, NUM_PERM, 42)
        flags = lsh.insert_matrix_and_query_duplicate_flags(matrix, start)
        out.update({start + k: -1 for k, flag in enumerate(flags) if flag})
    return out


MODULES = {"xcclean": "xcclean.dedup", "ds_naive": "datasketch", "ds_bulk": "datasketch", "rensa": "rensa"}


def child(method: str, corpus: Path, out: Path) -> None:
    """Run one method on one corpus file (in its own process, one core)."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    texts = json.loads(corpus.read_text(encoding="utf-8"))["texts"]
    runner = globals()[f"run_{method}"]
    if method in MODULES:
        importlib.import_module(MODULES[method])  # imports are not timed (datasketch's take 0.5 s)
    start, cpu = time.perf_counter(), time.process_time()
    flags = runner(texts)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    out.write_text(json.dumps({"seconds": cpu, "wall": wall, "flags": flags}))


def measure(method: str, corpus: Path) -> tuple[float, float, dict[int, int]]:
    """(seconds, peak RSS MiB, flags) of one child run."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as tmp:
        out = Path(tmp.name)
    env = {**os.environ, "OMP_NUM_THREADS": "1", "RAYON_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    proc = subprocess.Popen([sys.executable, __file__, "--child", method, str(corpus), str(out)], env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    if status:
        raise RuntimeError(f"{method} failed on {corpus}")
    result = json.loads(out.read_text())
    out.unlink()
    return result["seconds"], usage.ru_maxrss / 1024, {int(k): v for k, v in result["flags"].items()}


def score(flags: dict[int, int], truth: dict[int, tuple[int, str]], linked: bool) -> dict[str, float]:
    """Recall per kind (the copy flagged; with ``linked`` also tied to its source's cluster) and precision."""
    found: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for copy, (source, kind) in truth.items():
        total[kind] += 1
        found[kind] += copy in flags and (not linked or flags[copy] == flags.get(source, source))
    out = {kind: found[kind] / total[kind] for kind in KINDS if total[kind]}
    out["truncated"] = sum(found[k] for k in TRUNCATED) / max(1, sum(total[k] for k in TRUNCATED))
    members = set(truth) | {s for s, _ in truth.values()}
    out["precision"] = sum(i in members for i in flags) / max(1, len(flags))
    out["flagged"] = len(flags)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--methods", default=",".join(METHODS))
    parser.add_argument("--rounds", type=int, default=3, help="runs per method (median; ds_naive runs once)")
    parser.add_argument("--naive-max", type=int, default=100_000, help="largest size for ds_naive")
    parser.add_argument("--bulk-max", type=int, default=100_000, help="largest size for ds_bulk")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--child", nargs=3, metavar=("METHOD", "CORPUS", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), Path(args.child[2]))
        return 0
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in map(int, args.sizes.split(",")):
            corpus = build(size, args.seed)
            path = Path(tmp) / f"corpus-{size}.json"
            path.write_text(json.dumps({"texts": corpus.texts}, ensure_ascii=False), encoding="utf-8")
            limits = {"ds_naive": args.naive_max, "ds_bulk": args.bulk_max}
            methods = [m for m in args.methods.split(",") if size <= limits.get(m, size)]
            times: dict[str, list[float]] = {m: [] for m in methods}
            peaks: dict[str, float] = {}
            scores: dict[str, dict[str, float]] = {}
            for r in range(args.rounds):  # interleaved: each round runs every method once
                for method in methods:
                    if method == "ds_naive" and r:  # minutes a run: once is enough
                        continue
                    seconds, peak, flags = measure(method, path)
                    times[method].append(seconds)
                    peaks[method] = max(peaks.get(method, 0.0), peak)
                    scores[method] = score(flags, corpus.truth, linked=method == "xcclean")
                    print(f"{size:>8} {method:<8} {seconds:8.2f} s {peak:7.0f} MiB", file=sys.stderr)
            for method in methods:
                t = statistics.median(times[method])
                rows.append({"size": size, "method": method, "seconds": t, "runs": len(times[method]),
                             "para_per_s": size / t, "peak_mib": peaks[method], **scores[method]})
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "dedup_speed.json").write_text(json.dumps(rows, indent=1))
    (RESULTS / "dedup_speed.md").write_text(report(rows))
    plot(rows, RESULTS / "dedup_speed.png")
    print(report(rows))
    return 0


def report(rows: list[dict[str, Any]]) -> str:
    lines = ["# Dedup speed and recall (`python benchmarks/dedup_speed.py`)", "",
             "One core per method (child process pinned to one CPU), CPU seconds of the dedup call, median of",
             "the runs (rounds interleaved);",
             "corpora from `benchmarks/dup_corpus.py` (30 % damaged copies). Recall: share of damaged copies",
             "flagged (xcclean: and tied to their source's cluster); precision: share of flags on members of",
             "a true duplicate pair.", "",
             "| paragraphs | method | runs | seconds | paragraphs/s | peak RSS MiB | exact | near copy | "
             "truncated | contaminated | precision |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['size']:,} | {r['method']} | {r['runs']} | {r['seconds']:.2f} | {r['para_per_s']:,.0f} | "
                     f"{r['peak_mib']:,.0f} | {r['exact']:.3f} | {r['near_copy']:.3f} | {r['truncated']:.3f} | "
                     f"{r['contaminated']:.3f} | {r['precision']:.3f} |")
    lines += ["", "Speed ratios, same run (time of the other method / time of xcclean):", ""]
    by = {(r["size"], r["method"]): r for r in rows}
    for size in sorted({r["size"] for r in rows}):
        if (size, "xcclean") not in by:
            continue
        base = by[(size, "xcclean")]["seconds"]
        ratios = [f"{m} {by[(size, m)]['seconds'] / base:.1f}x" for m in METHODS if m != "xcclean" and (size, m) in by]
        lines.append(f"- {size:,}: " + ", ".join(ratios))
    sizes = sorted({r["size"] for r in rows})
    lines += ["", "Growth (time ratio per 10x paragraphs):", ""]
    for method in METHODS:
        t = [by[(s, method)]["seconds"] for s in sizes if (s, method) in by]
        if len(t) > 1:
            lines.append(f"- {method}: " + ", ".join(f"{b / a:.1f}x" for a, b in itertools.pairwise(t)))
    return "\n".join(lines) + "\n"


def plot(rows: list[dict[str, Any]], path: Path) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib missing (pip install -e '.[bench]'): no plot", file=sys.stderr)
        return
    fig, ax = plt.subplots(figsize=(6, 4))
    for method in METHODS:
        pts = sorted((r["size"], r["seconds"]) for r in rows if r["method"] == method)
        if pts:
            ax.plot(*zip(*pts, strict=True), marker="o", label=method)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("paragraphs")
    ax.set_ylabel("CPU seconds (one core)")
    ax.set_title("Dedup time vs corpus size")
    ax.legend()
    ax.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=120)


if __name__ == "__main__":
    sys.exit(main())
