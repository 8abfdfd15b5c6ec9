"""An archive index at scale: ``ParagraphIndex`` holding millions of paragraphs, asked about a batch.

    python benchmarks/index_speed.py                                   # 1M and 10M indexed, 100k asked
    python benchmarks/index_speed.py --sizes 1000000 --base /tmp/base  # against another checkout

What a cross-run archive (``xcclean clean --across-pages --index FILE``) does
with it: index the paragraphs seen so far a batch at a time (``--batch``), save
the index and load it again, then ask about the next ``--query`` paragraphs.
The corpus is ``benchmarks/dup_corpus.py``'s ``dup`` corpus of size + query
paragraphs, built inside each child (not timed, not stored): 30 % damaged
copies, each after its source, so the queried paragraphs hold copies of
indexed ones. Each size (and each checkout, ``--base``) runs in its own child
process; its peak RSS includes the generated texts.

Reported: the time of the adds (all, the first and the last batch: a batch
costs about the same however large the index already is), of ``save`` and
``load`` and the file's size, of the query (best and median of ``--rounds``,
interleaved nothing: one process), and the recall of the query: the share of
queried copies of an indexed paragraph whose matches name that paragraph.
Writes ``benchmarks/results/index_speed.md`` (``--output``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"


def child(root: str, size: int, batch: int, query: int, rounds: int, seed: int, out: Path) -> None:
    """One size, one checkout (``root``): the measurements, as JSON in ``out``."""
    sys.path.insert(0, root)
    sys.path.insert(1, str(ROOT))
    from benchmarks.dup_corpus import build
    from xcclean.dedup import ParagraphIndex

    corpus = build(size + query, seed)
    texts, asked = corpus.texts[:size], corpus.texts[size:]
    truth = {copy - size: source for copy, (source, _) in corpus.truth.items() if copy >= size and source < size}
    ParagraphIndex().query(asked[:100])  # not timed: lazy imports
    index, adds = ParagraphIndex(), []
    for start in range(0, size, batch):
        began = time.perf_counter()
        index.add(texts[start : start + batch])
        adds.append(time.perf_counter() - began)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "index.npz"
        began = time.perf_counter()
        index.save(path)
        saved = time.perf_counter() - began
        megabytes = path.stat().st_size / 2**20
        del index
        began = time.perf_counter()
        index = ParagraphIndex.load(path)
        loaded = time.perf_counter() - began
    times, found = [], []
    for _ in range(rounds):
        began = time.perf_counter()
        found = index.query(asked)
        times.append(time.perf_counter() - began)
    hits = sum(any(m.id == source for m in found[q]) for q, source in truth.items())
    out.write_text(json.dumps({
        "adds": adds, "save": saved, "load": loaded, "file_mib": megabytes, "query": times,
        "recall": hits / max(1, len(truth)), "copies": len(truth),
        "matched": sum(bool(m) for m in found), "load_avg": os.getloadavg()[0]}))


def measure(root: str, size: int, args: argparse.Namespace) -> dict[str, Any]:
    """One child run: its measurements and peak RSS (MiB)."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as tmp:
        out = Path(tmp.name)
    command = [sys.executable, __file__, "--child", root, str(size), str(args.batch), str(args.query),
               str(args.rounds), str(args.seed), str(out)]
    proc = subprocess.Popen(command)
    _, status, usage = os.wait4(proc.pid, 0)
    if status:
        raise RuntimeError(f"the child for {size:,} paragraphs ({root}) failed")
    result: dict[str, Any] = json.loads(out.read_text())
    out.unlink()
    return {**result, "rss_mib": usage.ru_maxrss / 1024}


def row(label: str, size: int, r: dict[str, Any]) -> str:
    adds = r["adds"]
    return (f"| {label} | {size:,} | {len(adds)} | {sum(adds):.1f} | {adds[0]:.2f} | {adds[-1]:.2f} | "
            f"{r['save']:.1f} | {r['load']:.1f} | {r['file_mib']:,.0f} | {min(r['query']):.2f} | "
            f"{statistics.median(r['query']):.2f} | {r['recall']:.3f} | {r['rss_mib']:,.0f} | {r['load_avg']:.1f} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000000,10000000", help="paragraphs indexed")
    parser.add_argument("--batch", type=int, default=1_000_000, help="paragraphs a call to add()")
    parser.add_argument("--query", type=int, default=100_000, help="paragraphs asked about in one query()")
    parser.add_argument("--rounds", type=int, default=3, help="queries (best and median reported)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--base", help="another checkout's root, measured the same way after this one")
    parser.add_argument("--output", type=Path, default=RESULTS / "index_speed.md")
    parser.add_argument("--child", nargs=7, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        root, *numbers, out = args.child
        size, batch, query, rounds, seed = map(int, numbers)
        child(root, size, batch, query, rounds, seed, Path(out))
        return 0
    checkouts = [("this checkout", str(ROOT))] + ([("base", args.base)] if args.base else [])
    lines = ["| code | indexed | adds | add s | first add s | last add s | save s | load s | file MiB | "
             "query best s | query median s | query recall | peak RSS MiB | load |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for size in (int(s) for s in args.sizes.split(",")):
        for label, root in checkouts:
            lines.append(row(label, size, measure(root, size, args)))
            print(lines[-1], flush=True)
    command = " ".join(["python", "benchmarks/index_speed.py", *sys.argv[1:]])
    report = "\n".join([f"# ParagraphIndex at scale (`{command}`)", "", *lines, ""])
    args.output.write_text(report, encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
