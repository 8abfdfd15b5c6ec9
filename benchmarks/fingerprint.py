"""md5 of what ``clean()`` does to a fixed set of pages: the check that a refactoring changes no output.

Hashes the cleaned text and the full edit log (JSON) of the seed pages
(``../shared/seeds``), of ``--pages`` synthetic pages from
:mod:`benchmarks.damage` (seed 0) and of the example page; prints one line
per set and a total. Run it before and after a refactoring commit: the
lines must be identical.

    python benchmarks/fingerprint.py            # 200 synthetic pages
    python benchmarks/fingerprint.py --pages 50
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.damage import Generator, load_articles  # noqa: E402

SEEDS = ROOT.parent / "shared" / "seeds"


def digest(pages: list[str]) -> str:
    import xcclean

    cleaner = xcclean.Cleaner()
    md5 = hashlib.md5()
    for page in pages:
        result = cleaner.explain(page)
        md5.update(result.text.encode("utf-8"))
        md5.update(json.dumps([e.to_dict() for e in result.edits], ensure_ascii=False, sort_keys=True).encode())
    return md5.hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=200)
    args = parser.parse_args()
    sets = {"example": [(ROOT / "examples" / "page.txt").read_text(encoding="utf-8")],
            "seeds": [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("0*.txt"))]}
    if args.pages:
        sets["synthetic"] = [p.raw for p in Generator(load_articles(), 0).pages(args.pages)]
    total = hashlib.md5()
    for name, pages in sets.items():
        value = digest(pages)
        total.update(value.encode())
        print(f"{name:10s} {len(pages):4d} pages  {value}")
    print(f"{'total':10s}             {total.hexdigest()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
