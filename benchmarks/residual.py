"""Where the error xcclean leaves on damaged pages lies: by fault type, and how much is text kept at
another copy's place.

Error reduction (:mod:`benchmarks.quality`) is one Levenshtein distance per page between the
cleaned page and the truth. This splits what is left of it:

* per fault type, the characters of each fault the cleaner missed (the copies left standing; for
  a splice the distance of the paragraph from its truth; a stray token's length; one character
  a missed join), and of removals that repair no fault;
* ``moved``: runs of 12 or more characters the cleaned page has where the truth does not and
  that the truth has elsewhere (the alignment's deletions whose middle stands in an insertion),
  counted twice, as the distance charges them. That is text kept at another copy's place:
  exact copies two or more blocks from their source where the copy stayed (the scorer counts
  either copy of equal text as right; the distance charges the move).

The parts overlap and do not add up to the whole; they say where to look.

    python benchmarks/residual.py --half tune --seeds 0 1 --pages 200
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from rapidfuzz.distance import Levenshtein

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import xcclean  # noqa: E402
from benchmarks.damage import REMOVAL_TYPES, Generator, Page, load_articles  # noqa: E402
from benchmarks.quality import Result, _Scorer, error_reduction, fold, run_xcclean, source_block  # noqa: E402

_MOVED_MIN_CHARS = 12  # shorter runs recur by chance
_PROBE = 10  # characters from a run's middle looked for in the truth's insertions


def moved(out: str, truth: str) -> int:
    """Characters of ``out`` the alignment with ``truth`` deletes here and inserts elsewhere, twice."""
    out, truth = fold(out), fold(truth)
    ops = Levenshtein.opcodes(out, truth)
    inserted = [truth[op.dest_start : op.dest_end] for op in ops if op.tag in ("insert", "replace")]
    total = 0
    for op in ops:
        run = out[op.src_start : op.src_end]
        if op.tag in ("delete", "replace") and len(run) >= _MOVED_MIN_CHARS:
            middle = run[(len(run) - _PROBE) // 2 :][:_PROBE]
            total += 2 * len(run) * any(middle in text for text in inserted)
    return total


def missed(page: Page, result: Result) -> Counter[str]:
    """Characters of the faults the cleaner missed, by fault type (see the module docstring)."""
    s = _Scorer(page, result)
    cost: Counter[str] = Counter()
    for entry in s.faults:
        if s.hit(entry):
            continue
        kind = entry["type"]
        if kind in REMOVAL_TYPES:
            source = source_block(s.raw, entry)
            kept = [i for i in entry["blocks"] if s.kept(i)]
            if source is not None and not s.kept(source) and kept:
                kind += " (copy kept, source removed)"
                cost[kind] += Levenshtein.distance(s.raw[kept[0]], s.raw[source]) + sum(len(s.raw[i]) for i in kept[1:])
            else:
                cost[kind] += sum(len(s.raw[i]) for i in kept)
        elif kind == "splice":
            cost[kind] += Levenshtein.distance(s.text_of(entry["blocks"][0]), fold(entry["truth_text"]))
        elif kind == "stray_token":
            cost[kind] += len(entry["token"])
        else:
            cost[kind] += 1
    for ident in result.removed:
        if s.right_removal(ident) is None and not any(source_block(s.raw, e) == ident for e in s.faults):
            cost["removal repairing no fault"] += len(s.raw[ident])
    return cost


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--half", choices=("tune", "test"), default="tune")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--pages", type=int, default=200)
    args = parser.parse_args()
    articles = load_articles(args.half)
    clean = run_xcclean(xcclean.Cleaner())
    before = after = shifted = 0
    cost: Counter[str] = Counter()
    for seed in args.seeds:
        for page in Generator(articles, seed).pages(args.pages):
            result = clean(page.raw)
            b, a = error_reduction(page.raw, result.text, page.truth)
            before, after = before + b, after + a
            shifted += moved(result.text, page.truth)
            cost += missed(page, result)
    print(f"{args.half} half, seeds {args.seeds}, {args.pages} pages each: error {before} -> {after} "
          f"(error reduction {1 - after / max(before, 1):.3f})")
    print(f"  {'moved: text kept at another copy place':45s} {shifted:7d}  {shifted / max(after, 1):.3f}")
    for kind, chars in cost.most_common():
        print(f"  {kind:45s} {chars:7d}  {chars / max(after, 1):.3f}")


if __name__ == "__main__":
    main()
