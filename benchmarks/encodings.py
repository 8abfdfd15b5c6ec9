"""GB18030 against Big5: how often ``xcclean.corpus.decoding.decode`` reads a page right.

500 articles of ``../shared/corpus/news.jsonl`` (seed 2), each in simplified
form (encoded GBK) and in a traditional form (each character mapped to its
first traditional variant, ``wordfreq.chinese.SIMPLIFIED_MAP`` inverted,
encoded Big5 where it can be), cut to 4, 8, 16, 40 characters and whole.
Prints, per length: how often the right reading scores higher than the
other of the two (where the bytes decode both ways), the score range of
whole articles read right and wrong, and how often ``decode`` returns the
original text. Run from the repository root::

    python benchmarks/encodings.py
"""

from __future__ import annotations

import collections
import json
import random
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import wordfreq.chinese  # noqa: E402

from xcclean.corpus.decoding import _common_share, decode  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "news.jsonl"
LENGTHS = (4, 8, 16, 40, None)


def main() -> int:
    traditional: dict[str, str] = {}
    for code, simple in wordfreq.chinese.SIMPLIFIED_MAP.items():
        if chr(code) != simple:
            traditional.setdefault(simple, chr(code))
    articles = [json.loads(line) for line in CORPUS.open(encoding="utf-8")]
    pairs: collections.Counter[tuple[object, str]] = collections.Counter()
    read: collections.Counter[tuple[str, bool]] = collections.Counter()
    right_scores, wrong_scores = [], []
    for article in random.Random(2).sample(articles, 500):
        text = "\n\n".join(article["paragraphs"])
        forms = ((text, "gbk", "big5"), ("".join(traditional.get(c, c) for c in text), "big5", "gb18030"))
        for size in LENGTHS:
            for form, codec, other in forms:
                snippet = form[:size]
                try:
                    data = snippet.encode(codec)
                except UnicodeEncodeError:
                    continue
                try:
                    read[(codec, decode(data)[0] == snippet)] += 1
                except ValueError:
                    read[(codec, False)] += 1
                if size is None:
                    right_scores.append(_common_share(snippet))
                try:
                    wrong = data.decode(other)
                except UnicodeDecodeError:
                    continue
                if size is None:
                    wrong_scores.append(_common_share(wrong))
                right, score = _common_share(snippet), _common_share(wrong)
                pairs[(size or "whole", "higher" if right > score else "equal" if right == score else "lower")] += 1
    for key in sorted(pairs, key=str):
        print(f"right reading scores {key[1]:<6} at {key[0]!s:>5} characters: {pairs[key]}")
    print(f"whole articles read right: share {min(right_scores):.2f}-{max(right_scores):.2f}, "
          f"median {statistics.median(right_scores):.2f}; read wrong: at most {max(wrong_scores, default=0):.2f} "
          f"({len(wrong_scores)} decode both ways)")
    for codec in ("gbk", "big5"):
        print(f"decode() right for {codec}: {read[(codec, True)]} of {read[(codec, True)] + read[(codec, False)]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
