"""``near_duplicates`` of one checkout against another, on the same corpus, in one run.

    git worktree add /tmp/base main       # or: git archive main | tar -x -C /tmp/base
    python benchmarks/dedup_ab.py --base /tmp/base --corpus heavy --size 100000

Each variant (the base checkout with each ``--base-workers`` count, 0 for
its default arguments; this checkout with each ``--workers`` count) runs in its own child process on the same
pickled corpus (:mod:`benchmarks.dup_corpus`, built by this checkout), the
variants interleaved round by round. Prints the best wall and CPU time of
each (CPU: the child and its worker processes), the ratio to the base, the
load average, and the md5 of ``kept_of()``: the clusters must be identical.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def child(root: str, corpus: str, workers: int) -> None:
    sys.path.insert(0, root)
    from xcclean.dedup import near_duplicates

    texts = pickle.loads(Path(corpus).read_bytes())
    kwargs = {} if workers == 0 else {"workers": workers}
    near_duplicates(texts[:200], **kwargs)  # not timed: lazy imports
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start, cpu = time.perf_counter(), time.process_time()
    kept = near_duplicates(texts, **kwargs).kept_of()
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu += after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    print(json.dumps({"wall": wall, "cpu": cpu, "md5": hashlib.md5(kept.tobytes()).hexdigest(),
                      "load": os.getloadavg()[0]}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", help="the other checkout's root (its near_duplicates, defaults)")
    parser.add_argument("--corpus", choices=("dup", "real", "heavy"), default="dup")
    parser.add_argument("--size", type=int, default=100_000, help="paragraphs (dup, heavy)")
    parser.add_argument("--workers", default="1,2", help="this checkout's worker counts")
    parser.add_argument("--base-workers", default="0", help="the base's worker counts (0: its default)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], int(args.child[2]))
        return 0
    if not args.base:
        parser.error("--base is required")
    sys.path.insert(0, str(ROOT))
    from benchmarks.dedup_speed import make_corpus

    corpus = make_corpus(args.corpus, args.size, 0, "test")
    variants = [(f"base w={w}" if w != "0" else "base", args.base, int(w)) for w in args.base_workers.split(",")]
    variants += [(f"workers={w}", str(ROOT), int(w)) for w in args.workers.split(",")]
    runs: dict[str, list[dict[str, float | str]]] = {name: [] for name, _, _ in variants}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.pickle"
        path.write_bytes(pickle.dumps(corpus.texts))
        for _ in range(args.rounds):
            for name, root, workers in variants:
                done = subprocess.run([sys.executable, __file__, "--child", root, str(path), str(workers)],
                                      capture_output=True, text=True, check=True)
                runs[name].append(json.loads(done.stdout.strip().splitlines()[-1]))
    base = min(float(r["wall"]) for r in runs[variants[0][0]])
    for name, found in runs.items():
        wall, cpu = min(float(r["wall"]) for r in found), min(float(r["cpu"]) for r in found)
        loads = sorted(float(r["load"]) for r in found)
        md5 = sorted({r["md5"] for r in found})
        print(f"{args.corpus} {len(corpus.texts):,} {name:10s} best wall {wall:.3f} s ({base / wall:.2f}x base), "
              f"best CPU {cpu:.3f} s, load {loads[0]:.1f}-{loads[-1]:.1f}, kept_of md5 {md5}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
