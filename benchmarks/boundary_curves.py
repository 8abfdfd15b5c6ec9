"""Reliability and precision/recall curves of the split-repair boundary model on one half of the corpus.

Rows are built exactly as ``benchmarks/train_splits.py`` builds them (pages of
four articles with paragraphs cut at random positions, and clean pages of
:mod:`benchmarks.damage` with its hard negatives), from the chosen half --
*test* for published figures -- and scored by the shipped model (its n-gram
table counts the tune half only). Writes ``boundary_reliability.png`` and
``boundary_pr.png`` to ``--out`` and prints the figures behind them, the
model's size and the time to load it in a fresh process.

    python benchmarks/boundary_curves.py --half test --out benchmarks/results
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.corpus_split import load  # noqa: E402
from benchmarks.train_splits import OUTPUT, dataset, generator_dataset, per_part  # noqa: E402
from xcclean import Config  # noqa: E402
from xcclean.lexicon import Lexicon  # noqa: E402
from xcclean.stages.boundary import BoundaryModel, shipped_model  # noqa: E402

_LOAD = ("import time; t = time.perf_counter(); from xcclean.stages.boundary import shipped_model; "
         "shipped_model(); print(time.perf_counter() - t)")


def load_seconds() -> float:
    """Seconds to import the module and load the shipped model, in a fresh process (median of 3)."""
    runs = [float(subprocess.run([sys.executable, "-c", _LOAD], check=True, capture_output=True, text=True,
                                 cwd=ROOT).stdout) for _ in range(3)]
    return sorted(runs)[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--half", choices=("tune", "test"), default="test")
    parser.add_argument("--limit", type=int, help="articles used (default all)")
    parser.add_argument("--generator-pages", type=int, default=250)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    args = parser.parse_args()
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    model = shipped_model()
    articles = load(args.half, limit=args.limit)
    lexicon = Lexicon()
    corpus = dataset(articles, model.table, 116, (0.15, 0.05), 1, lexicon)
    generated = generator_dataset(articles, model.table, 116, args.generator_pages, lexicon)
    x, y = np.vstack([corpus[0], generated[0]]), np.concatenate([corpus[1], generated[1]])
    p, part = model.probability(x), BoundaryModel.part(x)
    threshold = Config().splits.join_min_probability
    print(f"{args.half} half: {len(y)} cuts weighed, {int(y.sum())} of them real cuts; "
          f"model {OUTPUT.stat().st_size / 1e6:.2f} MB, loads in {load_seconds():.2f} s")
    for line in per_part(p, y, part, threshold):
        print(f"  {line}")
    edges = np.linspace(0, 1, 11)
    which = np.clip(np.digitize(p, edges) - 1, 0, 9)
    mids, rates, counts = [], [], []
    print("  reliability (bin: mean p, share of real cuts, rows):")
    for b in range(10):
        m = which == b
        if m.any():
            mids.append(float(p[m].mean()))
            rates.append(float(y[m].mean()))
            counts.append(int(m.sum()))
            print(f"    {edges[b]:.1f}-{edges[b + 1]:.1f}: {mids[-1]:.3f} {rates[-1]:.3f} {counts[-1]}")
    fig, ax = plt.subplots(figsize=(5, 5))
    ax.plot([0, 1], [0, 1], color="grey", linestyle=":")
    ax.plot(mids, rates, marker="o")
    for xm, yr, n in zip(mids, rates, counts, strict=True):
        ax.annotate(str(n), (xm, yr), textcoords="offset points", xytext=(4, -10), fontsize=7)
    ax.set(xlabel="predicted probability of a cut", ylabel="share that are real cuts",
           title=f"Boundary model reliability ({args.half} half)")
    args.out.mkdir(parents=True, exist_ok=True)
    fig.savefig(args.out / "boundary_reliability.png", dpi=120, bbox_inches="tight")
    order = np.argsort(-p, kind="stable")
    tp = np.cumsum(y[order])
    precision, recall = tp / np.arange(1, len(p) + 1), tp / y.sum()
    fig, ax = plt.subplots(figsize=(5, 5))
    ax.plot(recall, precision)
    at = int(np.searchsorted(-p[order], -threshold, side="right")) - 1
    ax.plot([recall[at]], [precision[at]], marker="o", color="red")
    ax.annotate(f"threshold {threshold}", (recall[at], precision[at]), textcoords="offset points", xytext=(-90, -14))
    ax.set(xlabel="recall", ylabel="precision", ylim=(0.8, 1.005),
           title=f"Boundary model precision/recall ({args.half} half)")
    fig.savefig(args.out / "boundary_pr.png", dpi=120, bbox_inches="tight")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
