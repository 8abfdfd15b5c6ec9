"""Dedup speed and recall at corpus scale: xcclean against the MinHash tools, in one run.

    python benchmarks/dedup_speed.py                          # dup corpus: 10k, 100k, 1M
    python benchmarks/dedup_speed.py --corpus real            # the test half's real paragraphs + 30 % copies
    python benchmarks/dedup_speed.py --corpus heavy --sizes 100000
    python benchmarks/dedup_speed.py --sizes 1000000,10000000 --methods xcclean --rounds 1   # 10M, made in the child
    python benchmarks/dedup_speed.py --sizes 10000 --rounds 1 # a quick look

Corpora (``--corpus``), all from ``benchmarks/dup_corpus.py`` with known truth:

``dup``    paragraphs recombined from the corpus's clauses, each reuse of a
           clause varied (little chance overlap), 30 % damaged copies each
           placed after its source
``real``   every real paragraph of one half of the corpus (``--half``, default
           ``test``), their natural formulaic overlap kept, plus 30 % damaged
           copies, in random order (the size is the half's)
``heavy``  clauses from a pool where each recurs ~40 times verbatim
           (boilerplate everywhere), 30 % damaged copies, in random order

Every method runs in its own child process, on the same corpus, with its
thread pools limited to one thread (``RAYON_NUM_THREADS``, ``OMP_NUM_THREADS``;
xcclean: its ``--workers``) but not pinned to a core (on a machine shared with
other jobs, a pinned child waits for its core while the other one idles);
the times are of the dedup call only (no interpreter start, imports or corpus
loading, after an untimed warm-up call): wall time (best of the rounds, rounds
interleaved) and CPU time of the child and its worker processes; the memory
is the child's peak RSS. Corpora of ``--generate-from`` paragraphs or more are not stored: each
child builds its own (not timed; its texts count in the peak RSS).
Methods (baselines as ``../shared/notes/speed-anchors.md`` defines them: char
5-grams, 128 permutations, 16 bands x 8 rows, keep-first):

``xcclean``     ``xcclean.dedup.near_duplicates(workers=N)`` (anchors + alignment)
``exact``       NFKC + whitespace stripped, blake2b, a set
``ds_naive``    datasketch ``MinHash.update`` per shingle + ``MinHashLSH``
``ds_bulk``     datasketch ``MinHash.bulk`` per 10k chunk + ``MinHashLSH``
``rensa``       rensa ``digest_matrix_from_token_sets`` +
                ``insert_matrix_and_query_duplicate_flags`` (its bulk API; the
                faster of its two paths in the notes)

Recall of a kind: the share of damaged copies whose pair is found whatever
the order -- for xcclean the copy and its source in one cluster, for a
MinHash filter the later of the two flagged. ``kept whole``: of the truncated
and contaminated pairs xcclean found, the share where it kept the source.

Writes ``benchmarks/results/dedup_speed.md`` (``--output``), ``.json`` and a plot.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import itertools
import json
import os
import pickle
import resource
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

from benchmarks.dup_corpus import KINDS, TRUNCATED, DupCorpus, build, build_real  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
METHODS = ("xcclean", "exact", "ds_naive", "ds_bulk", "rensa")
SHINGLE, NUM_PERM, BANDS, CHUNK = 5, 128, 16, 10_000
CORPORA = ("dup", "real", "heavy")


def _shingles(text: str) -> list[str]:
    return [text[i : i + SHINGLE] for i in range(max(1, len(text) - SHINGLE + 1))]


def run_xcclean(texts: list[str], workers: int = 1) -> dict[int, int]:
    import numpy as np

    from xcclean.dedup import near_duplicates

    kept = near_duplicates(texts, workers=workers).kept_of()
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


def make_corpus(kind: str, size: int, seed: int, half: str) -> DupCorpus:
    if kind == "real":
        return build_real(None if half == "all" else half, seed)
    return build(size, seed, recurrence=40, shuffle=True) if kind == "heavy" else build(size, seed)


def child(method: str, workers: int, source: str, out: Path) -> None:
    """Run one method on one corpus (in its own process, on ``workers`` cores): ``source`` is a
    pickled corpus, or ``kind:size:seed:half`` to build here."""
    if source.endswith(".pickle"):
        corpus = pickle.loads(Path(source).read_bytes())
    else:
        kind, size, seed, half = source.split(":")
        corpus = make_corpus(kind, int(size), int(seed), half)
    runner = globals()[f"run_{method}"]
    if method in MODULES:
        importlib.import_module(MODULES[method])  # imports are not timed (datasketch's take 0.5 s)
    args = (workers,) if method == "xcclean" else ()
    runner(corpus.texts[:200], *args)  # not timed: lazy imports and first-call set-up
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start, cpu = time.perf_counter(), time.process_time()
    flags = runner(corpus.texts, *args)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu += (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    scores = score(flags, corpus.truth, linked=method == "xcclean")
    out.write_text(json.dumps({"seconds": cpu, "wall": wall, "scores": scores, "load": os.getloadavg()[0]}))


def measure(method: str, workers: int, source: str) -> tuple[float, float, float, dict[str, float]]:
    """(wall seconds, CPU seconds, peak RSS MiB, scores and the load average when it ended) of one
    child run."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as tmp:
        out = Path(tmp.name)
    env = {**os.environ, "OMP_NUM_THREADS": "1", "RAYON_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    proc = subprocess.Popen([sys.executable, __file__, "--child", method, str(workers), source, str(out)], env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    if status:
        raise RuntimeError(f"{method} failed on {source}")
    result = json.loads(out.read_text())
    out.unlink()
    return result["wall"], result["seconds"], usage.ru_maxrss / 1024, {**result["scores"], "load": result["load"]}


def score(flags: dict[int, int], truth: dict[int, tuple[int, str]], linked: bool) -> dict[str, float]:
    """Recall per kind and precision (see module docstring); ``linked``: ``flags`` maps each
    duplicate to its cluster's kept paragraph."""
    found: Counter[str] = Counter()
    total: Counter[str] = Counter()
    whole = 0
    for copy, (source, kind) in truth.items():
        total[kind] += 1
        if linked:
            hit = flags.get(copy, copy) == flags.get(source, source) and (copy in flags or source in flags)
            whole += hit and kind != "near_copy" and kind != "exact" and source not in flags
        else:
            hit = max(copy, source) in flags
        found[kind] += hit
    out: dict[str, float] = {kind: found[kind] / total[kind] for kind in KINDS if total[kind]}
    truncated = sum(found[k] for k in TRUNCATED)
    out["truncated"] = truncated / max(1, sum(total[k] for k in TRUNCATED))
    out["kept_whole"] = whole / max(1, truncated + found["contaminated"]) if linked else float("nan")
    members = set(truth) | {s for s, _ in truth.values()}
    out["precision"] = sum(i in members for i in flags) / max(1, len(flags))
    out["flagged"] = len(flags)
    return out


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", choices=CORPORA, default="dup")
    parser.add_argument("--half", choices=("test", "tune", "all"), default="test", help="--corpus real: which half")
    parser.add_argument("--sizes", default="10000,100000,1000000", help="paragraphs (dup, heavy)")
    parser.add_argument("--methods", default=",".join(METHODS))
    parser.add_argument("--workers", default="1,2", help="xcclean's worker counts, a row each")
    parser.add_argument("--rounds", type=int, default=3, help="runs per method (best; ds_naive runs once)")
    parser.add_argument("--naive-max", type=int, default=100_000, help="largest size for ds_naive")
    parser.add_argument("--bulk-max", type=int, default=100_000, help="largest size for ds_bulk")
    parser.add_argument("--generate-from", type=int, default=2_000_000,
                        help="from this size up each child builds its corpus (nothing stored)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--output", type=Path, default=RESULTS / "dedup_speed.md")
    parser.add_argument("--child", nargs=4, metavar=("METHOD", "WORKERS", "CORPUS", "OUT"), help=argparse.SUPPRESS)
    return parser.parse_args()


def _runs(args: argparse.Namespace, size: int) -> list[tuple[str, int]]:
    """(method, workers) of every row at this size."""
    limits = {"ds_naive": args.naive_max, "ds_bulk": args.bulk_max}
    runs = []
    for method in args.methods.split(","):
        if size <= limits.get(method, size):
            runs += [(method, int(w)) for w in args.workers.split(",")] if method == "xcclean" else [(method, 1)]
    return runs


def _measure_size(args: argparse.Namespace, size: int, tmp: Path) -> list[dict[str, Any]]:
    spec = f"{args.corpus}:{size}:{args.seed}:{args.half}"
    if size < args.generate_from:
        corpus = make_corpus(args.corpus, size, args.seed, args.half)
        size = len(corpus.texts)
        source = str(tmp / f"corpus-{size}.pickle")
        Path(source).write_bytes(pickle.dumps(corpus))
    else:
        source = spec
    runs = _runs(args, size)
    walls: dict[tuple[str, int], list[float]] = {run: [] for run in runs}
    cpus: dict[tuple[str, int], list[float]] = {run: [] for run in runs}
    peaks: dict[tuple[str, int], float] = {}
    scores: dict[tuple[str, int], dict[str, float]] = {}
    loads: dict[tuple[str, int], list[float]] = {}
    for r in range(args.rounds):  # interleaved: each round runs every method once
        for method, workers in runs:
            if method == "ds_naive" and r:  # minutes a run: once is enough
                continue
            wall, cpu, peak, found = measure(method, workers, source)
            walls[(method, workers)].append(wall)
            cpus[(method, workers)].append(cpu)
            peaks[(method, workers)] = max(peaks.get((method, workers), 0.0), peak)
            loads.setdefault((method, workers), []).append(found.pop("load"))
            scores[(method, workers)] = found
            print(f"{args.corpus} {size:>9} {method:<8} w{workers} {wall:8.2f} s wall {cpu:8.2f} s CPU "
                  f"{peak:7.0f} MiB load {loads[(method, workers)][-1]:.1f}", file=sys.stderr)
    return [{"corpus": args.corpus, "size": size, "method": method, "workers": workers,
             "seconds": min(walls[run]), "median": statistics.median(walls[run]),
             "cpu": statistics.median(cpus[run]), "runs": len(walls[run]), "load": statistics.median(loads[run]),
             "para_per_s": size / min(walls[run]), "peak_mib": peaks[run], **scores[run]}
            for run in runs for method, workers in [run]]


def main() -> int:
    args = _arguments()
    if args.child:
        method, workers, source, out = args.child
        child(method, int(workers), source, Path(out))
        return 0
    sizes = [0] if args.corpus == "real" else list(map(int, args.sizes.split(",")))
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            rows += _measure_size(args, size, Path(tmp))
    text = report(rows, " ".join(["python", "benchmarks/dedup_speed.py", *sys.argv[1:]]))
    args.output.parent.mkdir(exist_ok=True)
    args.output.with_suffix(".json").write_text(json.dumps(rows, indent=1))
    args.output.write_text(text)
    plot(rows, args.output.with_suffix(".png"))
    print(text)
    return 0


def report(rows: list[dict[str, Any]], command: str) -> str:
    lines = [f"# Dedup speed and recall (`{command}`)", "",
             "Each method in a child process, its thread pools limited to one thread (xcclean: its workers);",
             "seconds: wall time of the dedup call, best of the runs (rounds interleaved), and the median CPU",
             "time of the child and its workers. Recall per kind: the damaged copy's pair found, in any order;",
             "kept whole: of the truncated and contaminated pairs xcclean found, the share where the source",
             "stayed. Precision: share of flags on members of a true pair (real paragraphs repeat by themselves,",
             "so it reads low on `real`). Load: the machine's 1-minute load average as the runs ended (median;",
             "on 2 cores, above 1 another job shares them and the workers=2 row cannot show its speed-up).", "",
             "| corpus | paragraphs | method | workers | runs | best s | median s | CPU s | load | paragraphs/s | "
             "peak RSS MiB | exact | near copy | truncated | contaminated | kept whole | precision |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        whole = "" if r["kept_whole"] != r["kept_whole"] else f"{r['kept_whole']:.3f}"
        lines.append(f"| {r['corpus']} | {r['size']:,} | {r['method']} | {r['workers']} | {r['runs']} | "
                     f"{r['seconds']:.2f} | {r['median']:.2f} | {r['cpu']:.2f} | {r['load']:.1f} | "
                     f"{r['para_per_s']:,.0f} | "
                     f"{r['peak_mib']:,.0f} | {r['exact']:.3f} | {r['near_copy']:.3f} | {r['truncated']:.3f} | "
                     f"{r['contaminated']:.3f} | {whole} | {r['precision']:.3f} |")
    lines += ["", "Speed ratios, same run (best wall time of the other method / best wall time of xcclean; in",
              "brackets the same with median CPU times, which another job on the machine does not inflate):", ""]
    by = {(r["corpus"], r["size"], r["method"], r["workers"]): r for r in rows}
    for corpus, size, method, workers in by:
        if method != "xcclean":
            continue
        base, base_cpu = by[(corpus, size, method, workers)]["seconds"], by[(corpus, size, method, workers)]["cpu"]
        others = [f"{m}{'' if m != 'xcclean' else f' w{w}'} {by[(corpus, size, m, w)]['seconds'] / base:.2f}x "
                  f"({by[(corpus, size, m, w)]['cpu'] / base_cpu:.2f}x)"
                  for c, s, m, w in by if (c, s) == (corpus, size) and (m, w) != (method, workers)]
        lines.append(f"- {corpus} {size:,}, xcclean w{workers}: " + ", ".join(others))
    lines += ["", "Growth (time and peak RSS ratio from one size to the next):", ""]
    for corpus, method, workers in dict.fromkeys((c, m, w) for c, _, m, w in by):
        pts = sorted((s, r["seconds"], r["peak_mib"]) for (c, s, m, w), r in by.items()
                     if (c, m, w) == (corpus, method, workers))
        if len(pts) > 1:
            lines.append(f"- {corpus} {method} w{workers}: " + ", ".join(
                f"{a[0]:,} -> {b[0]:,}: time {b[1] / a[1]:.1f}x, RSS {b[2] / a[2]:.1f}x"
                for a, b in itertools.pairwise(pts)))
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
    for method, workers in dict.fromkeys((r["method"], r["workers"]) for r in rows):
        pts = sorted((r["size"], r["seconds"]) for r in rows if (r["method"], r["workers"]) == (method, workers))
        if pts:
            ax.plot(*zip(*pts, strict=True), marker="o", label=method + (f" w{workers}" if method == "xcclean" else ""))
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("paragraphs")
    ax.set_ylabel("wall seconds (best of the runs)")
    ax.set_title("Dedup time vs corpus size")
    ax.legend()
    ax.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=120)


if __name__ == "__main__":
    sys.exit(main())
