"""MinHash signatures for many paragraphs: per-shingle loop vs vectorised.

Before/after for xcclean's hot path. All three methods compute the same
signatures (datasketch's affine32 scheme, 128 permutations, character
4-grams hashed by xcclean's polynomial hash), and the script checks that they
are equal before it reports any time:

* ``datasketch update()``: one ``MinHash.update`` call per shingle -- the
  usual way to use datasketch, a Python loop over shingles;
* ``datasketch update_batch()``: one call per paragraph;
* ``xcclean signatures()``: all paragraphs at once, one numpy pass per
  permutation over the flat shingle array with ``np.minimum.reduceat``.

Paragraphs come from ``../shared/corpus/news.jsonl`` when present (else the
seed-style snippets in tests/). Each figure is the median of ``--repeat``
runs after one warm-up, all methods in the same process and run.

    python benchmarks/minhash_speed.py --paragraphs 5000
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from datasketch import MinHash

from xcclean.engine.minhash import signatures
from xcclean.engine.shingles import shingle_hash, shingle_hashes

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "news.jsonl"


def load(n: int) -> list[str]:
    texts: list[str] = []
    if CORPUS.exists():
        with CORPUS.open(encoding="utf-8") as handle:
            for line in handle:
                texts.extend(json.loads(line)["paragraphs"])
                if len(texts) >= n:
                    break
    else:
        sys.path.insert(0, str(ROOT))
        from tests.snippets import PARAGRAPHS

        texts = [f"{p}{i}" for i in range(n // len(PARAGRAPHS) + 1) for p in PARAGRAPHS]
    return texts[:n]


def per_shingle(hashed: list[list[int]], num_perm: int) -> np.ndarray:
    out = np.empty((len(hashed), num_perm), dtype=np.uint32)
    for i, values in enumerate(hashed):
        m = MinHash(num_perm=num_perm, seed=1, hashfunc=int)
        for value in values:
            m.update(value)
        out[i] = m.hashvalues
    return out


def per_paragraph(hashed: list[list[int]], num_perm: int) -> np.ndarray:
    out = np.empty((len(hashed), num_perm), dtype=np.uint32)
    for i, values in enumerate(hashed):
        m = MinHash(num_perm=num_perm, seed=1, hashfunc=int)
        m.update_batch(values)
        out[i] = m.hashvalues
    return out


def timed(fn: Callable[[], np.ndarray], repeat: int) -> tuple[float, np.ndarray]:
    result = fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--paragraphs", type=int, default=5000)
    parser.add_argument("--num-perm", type=int, default=128)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    texts = load(args.paragraphs)
    # The per-shingle methods get the shingle hashes precomputed (not timed),
    # so only the MinHash work is compared.
    hashed = [[h & 0xFFFFFFFF for h in shingle_hash(t, 4)] for t in texts]
    t_loop, sig_loop = timed(lambda: per_shingle(hashed, args.num_perm), args.repeat)
    t_batch, sig_batch = timed(lambda: per_paragraph(hashed, args.num_perm), args.repeat)
    t_vec, sig_vec = timed(lambda: signatures(shingle_hashes(texts, 4), args.num_perm), args.repeat)
    if not (np.array_equal(sig_loop, sig_vec) and np.array_equal(sig_batch, sig_vec)):
        print("signatures differ: benchmark invalid", file=sys.stderr)
        return 1
    shingles = sum(len(h) for h in hashed)
    print(f"{len(texts)} paragraphs, {shingles} shingles, {args.num_perm} permutations; "
          f"median of {args.repeat}; signatures identical\n")
    print("| method | seconds | paragraphs/s | speed-up vs update() |")
    print("|---|---:|---:|---:|")
    for name, seconds in (("datasketch update() per shingle", t_loop),
                          ("datasketch update_batch() per paragraph", t_batch),
                          ("xcclean signatures() (shingling included)", t_vec)):
        print(f"| {name} | {seconds:.3f} | {len(texts) / seconds:,.0f} | {t_loop / seconds:.1f}x |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
