"""Scores of xcclean and the MinHash paragraph filter on the real-OCR pages of :mod:`benchmarks.ocr_pages`.

Everything is measured with :mod:`benchmarks.quality`'s own functions
(``evaluate``, ``score``, ``lost_characters``), on the same pages in the same
run: recall and precision per fault type, error reduction and lost
characters on the damaged pages; removals and joins on the undamaged ones
(each a mistake); and recall per parameter bucket (copy before/after the
source, fragment lines and length, glued characters, head lines, caption),
so the table shows where a cleaner stops.

    python benchmarks/ocr_score.py --half test            # the cached seed-0 set (built when missing)
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.damage import Page  # noqa: E402
from benchmarks.ocr_pages import Params, pages_of_records  # noqa: E402
from benchmarks.quality import (  # noqa: E402
    AS_WRITTEN_NOTE,
    Result,
    blocks_of,
    evaluate,
    lost_characters,
    lost_in,
    run_minhash,
    run_xcclean,
    score,
)

OCR_TYPES = ("exact", "near_copy", "prefix", "suffix", "inner", "contaminated", "split")  # quality.row_of's rows
Cleaner = Callable[[str], Result]


def _span(value: int | None, edges: tuple[int, ...]) -> str:
    """The bucket of ``value`` between ascending ``edges``: ``1``, ``2-3``, ``4+`` for edges (1, 2, 4)."""
    if value is None:
        return "?"
    for low, high in itertools.pairwise(edges):
        if low <= value < high:
            return str(low) if high == low + 1 else f"{low}-{high - 1}"
    return f"{edges[-1]}+"


# (row label, fault types, bucket of an entry): the parameters the pages draw
BUCKETS: list[tuple[str, tuple[str, ...], Callable[[dict[str, Any]], str]]] = [
    ("copy: position, distance", ("exact", "near_copy"),
     lambda e: f"{e['position']}, {_span(e['distance'], (1, 2))}"),
    ("fragment: shape", ("fragment",), lambda e: e["shape"]),
    ("fragment: lines", ("fragment",), lambda e: _span(e["lines"], (1, 2, 4))),
    ("fragment: characters", ("fragment",), lambda e: _span(e["chars"], (1, 12, 20, 40))),
    ("fragment: position", ("fragment",), lambda e: e["position"]),
    ("spill: side, position", ("contaminated",), lambda e: f"{e['side']}, {e['position']}"),
    ("spill: glued characters", ("contaminated",), lambda e: _span(e["glued_chars"], (1, 5, 9, 13))),
    ("split: head lines", ("split",), lambda e: _span(e["head_lines"], (1, 2))),
    ("split: tail lines", ("split",), lambda e: _span(e["tail_lines"], (1, 2))),
    ("split: caption between", ("split",), lambda e: "caption" if e["caption"] else "no caption"),
]


def pages_of(records: list[dict[str, Any]], params: Params) -> tuple[list[Page], list[Page]]:
    """(damaged, undamaged) pages of cache records, each with its articles as typeset."""
    pages = pages_of_records(records, params)
    damaged = [p for p, r in zip(pages, records, strict=True) if not r["undamaged"]]
    undamaged = [p for p, r in zip(pages, records, strict=True) if r["undamaged"]]
    return damaged, undamaged


def bucket_recall(pages: list[Page], results: list[Result]) -> dict[tuple[str, str], list[int]]:
    """[repaired, faults] per (row, bucket), by :func:`quality.score` on a page holding only that bucket's entries.

    Only recall is read from such a partial page: a claim on an entry left
    out would count as wrong there.
    """
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for page, result in zip(pages, results, strict=True):
        for row, types, bucket_of in BUCKETS:
            groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for entry in page.manifest:
                if entry["type"] in types:
                    groups[bucket_of(entry)].append(entry)
            for bucket, entries in groups.items():
                tally: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
                score(Page(page.raw, page.truth, entries), result, tally)
                for kind in types:
                    counts[(row, bucket)][0] += tally[kind][0]
                    counts[(row, bucket)][1] += tally[kind][1]
    return dict(counts)


def undamaged_errors(pages: list[Page], clean: Cleaner) -> dict[str, int]:
    """What a cleaner did to pages with nothing to repair: every removal, trim, join and token drop is wrong."""
    out = {"pages changed": 0, "removals": 0, "joins": 0, "trims": 0, "tokens": 0, "lost characters": 0}
    for page in pages:
        result = clean(page.raw)
        joins = sum(len(ids) - 1 for ids in result.final_ids)
        tokens = sum(len(t) for t in result.tokens.values())
        out["removals"] += len(result.removed)
        out["joins"] += joins
        out["trims"] += len(result.trimmed)
        out["tokens"] += tokens
        out["pages changed"] += bool(result.removed or result.trimmed or joins or tokens)
        out["lost characters"] += lost_characters(page.raw, result.text, page.truth)
    return out


def missing_characters(pages: list[Page], results: list[Result]) -> int:
    """Truth characters found nowhere in the output that the raw page had: content lost, whatever the order.

    ``quality.lost_characters`` looks up six-character windows of the truth,
    so a block whose every window holds a misread in the output counts whole;
    this measure aligns each truth block with its best match in the output
    (``quality.lost_in``) and counts the characters that alignment misses.
    """
    missing = 0
    for page, result in zip(pages, results, strict=True):
        truth = blocks_of(page.truth)
        missing += max(0, lost_in(truth, result.text) - lost_in(truth, page.raw))
    return missing


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.3f}" if b else "—"


def report(records: list[dict[str, Any]], command: str, params: Params) -> str:
    """The markdown report: per-type table, page figures, undamaged pages, recall per bucket."""
    import xcclean

    damaged, undamaged = pages_of(records, params)
    cleaners: dict[str, Cleaner] = {"xcclean": run_xcclean(xcclean.Cleaner()), "minhash lsh": run_minhash}
    names = list(cleaners)
    rep = evaluate(damaged, cleaners)
    lines = [f"# Real-OCR pages: {len(damaged)} damaged + {len(undamaged)} undamaged", "",
             f"Command: `{command}`", "",
             "Recall = faults repaired / faults made; precision = right edits / edits of that type, "
             "(n) = edits claimed (a wrong claim counts under the type the cleaner claimed).", "",
             "| fault type | faults | " + " | ".join(f"{n} recall | {n} precision" for n in names) + " |",
             "|---|---:|" + "---:|---:|" * len(names)]
    for kind in OCR_TYPES:
        cells = []
        for name in names:
            hit, total, right, claims = rep[name]["tally"].get(kind, [0, 0, 0, 0])
            cells += [_ratio(hit, total), f"{_ratio(right, claims)} ({claims})"]
        faults = rep[names[0]]["tally"].get(kind, [0, 0, 0, 0])[1]
        lines.append(f"| {kind} | {faults} | " + " | ".join(cells) + " |")
    results = {name: [clean(p.raw) for p in damaged] for name, clean in cleaners.items()}
    missing = {name: missing_characters(damaged, results[name]) for name in names}
    lines += ["", "| cleaner | error reduction | lost characters | missing characters | as written: lost beyond "
              "the truth reading | as written: kept beyond it | seconds |", "|---|---:|---:|---:|---:|---:|---:|"]
    lines += [f"| {n} | {rep[n]['er']:.3f} | {rep[n]['lost']} | {missing[n]} | {rep[n]['lost_written']} | "
              f"{rep[n]['kept_written']} | {rep[n]['seconds']:.2f} |" for n in names]
    lines += ["", "Lost characters: `quality.lost_characters` (truth characters in the raw page whose "
              "six-character windows the output holds nowhere); missing characters: truth blocks' characters "
              "that the block's best match in the output misses (`quality.lost_in`), less those already missing "
              "from the raw page. " + AS_WRITTEN_NOTE]
    lines += undamaged_table(undamaged, cleaners) + bucket_table(damaged, results)
    return "\n".join(lines) + "\n"


def undamaged_table(pages: list[Page], cleaners: dict[str, Cleaner]) -> list[str]:
    errors = {name: undamaged_errors(pages, clean) for name, clean in cleaners.items()}
    keys = list(next(iter(errors.values())))
    lines = ["", f"Undamaged OCR pages ({len(pages)}): the engine's own noise, nothing to repair.", "",
             "| cleaner | " + " | ".join(keys) + " |", "|---|" + "---:|" * len(keys)]
    return lines + [f"| {name} | " + " | ".join(str(e[k]) for k in keys) + " |" for name, e in errors.items()]


def bucket_table(pages: list[Page], results: dict[str, list[Result]]) -> list[str]:
    counts = {name: bucket_recall(pages, out) for name, out in results.items()}
    names = list(results)
    lines = ["", "Recall per parameter bucket (see benchmarks/README.md for the parameters).", "",
             "| parameter | bucket | faults | " + " | ".join(f"{n} recall" for n in names) + " |",
             "|---|---|---:|" + "---:|" * len(names)]
    first = counts[names[0]]
    for row, _, _ in BUCKETS:
        for bucket in sorted(b for r, b in first if r == row):
            faults = first[(row, bucket)][1]
            cells = [_ratio(*counts[n].get((row, bucket), [0, 0])) for n in names]
            lines.append(f"| {row} | {bucket} | {faults} | " + " | ".join(cells) + " |")
    return lines


def main(argv: list[str] | None = None) -> int:
    from benchmarks.ocr_pages import DEFAULT_PAGES, DEFAULT_UNDAMAGED, OcrUnavailable, build_records

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--half", choices=("tune", "test"), default="test")
    parser.add_argument("--pages", type=int, default=DEFAULT_PAGES)
    parser.add_argument("--undamaged", type=int, default=DEFAULT_UNDAMAGED)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--output", type=Path, default=None, help="also write the report to this file")
    args = parser.parse_args(argv)
    try:
        records = build_records(args.half, args.seed, args.pages, args.undamaged, Params(), args.workers,
                                progress=True)
    except OcrUnavailable as error:
        print(f"ocr_score: {error}", file=sys.stderr)
        return 2
    text = report(records, "python benchmarks/ocr_score.py " + " ".join(sys.argv[1:] if argv is None else argv),
                  Params())
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
