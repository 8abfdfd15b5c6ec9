"""Print the faults a cleaner missed and the edits it got wrong, one page at a time (a development aid).

    python benchmarks/inspect_quality.py --half tune --seed 0 --pages 30 --type split --show wrong
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.damage import Generator, load_articles  # noqa: E402
from benchmarks.quality import _Scorer, cleaners, row_of, split_rows  # noqa: E402


def _short(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width // 2] + "…" + text[-width // 2 :]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--half", choices=("tune", "test"), default="tune")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--pages", type=int, default=30)
    parser.add_argument("--type", help="only this report row (e.g. contaminated, split)")
    parser.add_argument("--show", choices=("missed", "wrong", "both"), default="both")
    parser.add_argument("--cleaner", default="xcclean")
    parser.add_argument("--clean", action="store_true", help="undamaged pages: show every change")
    args = parser.parse_args()
    clean = cleaners()[args.cleaner]
    gen = Generator(load_articles(args.half), args.seed)
    pages = gen.clean_pages(args.pages) if args.clean else gen.pages(args.pages)
    for number, page in enumerate(pages):
        result = clean(page.raw)
        s = _Scorer(page, result)
        lines = []
        if args.show in ("missed", "both"):
            for entry in s.faults:
                rows = split_rows(entry) if entry["type"] == "split" else [row_of(entry)]
                if (args.type is None or args.type in rows) and not s.hit(entry):
                    params = {k: v for k, v in entry.items() if k not in ("blocks", "truth_text", "source_text",
                                                                         "places", "truth")}
                    lines.append(f"  MISSED {rows[0]} blocks={entry['blocks']} {params}")
                    for i in entry["blocks"]:
                        lines.append(f"     raw[{i}] {'kept' if i in s.final else 'gone'}: {_short(s.raw[i])}")
                    lines.append(f"     truth: {_short(entry.get('truth_text', ''))}")
        if args.show in ("wrong", "both"):
            for ident, claimed in result.removed.items():
                if s.right_removal(ident) is None and (args.type is None or args.type == claimed):
                    lines.append(f"  WRONG removal ({claimed}) raw[{ident}]: {_short(s.raw[ident])}")
            if args.type in (None, "split"):
                for ids in result.final_ids:
                    for a, b in itertools.pairwise(ids):
                        if not s.right_join(a, b):
                            lines.append(f"  WRONG join raw[{a}]+raw[{b}]: {_short(s.raw[a], 40)} | "
                                         f"{_short(s.raw[b], 40)}")
        if lines:
            print(f"page {number}:")
            print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
