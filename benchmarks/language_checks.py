"""Facts about Chinese news text that two deduplication rules rest on, counted on a corpus half.

Neither figure scores the cleaner: each asks how often a piece of evidence
points the right way in clean text, so a rule's reason can be checked
against text it was not written on (run it with ``--half test``).

* ``places``: a paragraph against a copy of it put two or more paragraphs
  away in its article (``deduplicate._Page.flow``). How often does its own
  place share ``ratio`` times more of its Han bigrams with the paragraphs
  right before and after it than the copy's place does, and how often the
  other way round? The rest tie.
* ``openings``: one to three Han characters or digits cut from the start of
  a paragraph (a truncated OCR copy) against as many characters of another
  paragraph glued in front of it (OCR junk), weighed by
  ``align._junk_in_front``'s comparison of the two starts: how many cut
  copies it takes for the complete paragraph (the rule's risk) and how many
  glued copies it finds. The old rule (the shorter's own opening against a
  fixed ``e**junk_min_opening``) is counted beside it.
* ``joins``: a tail of 20 or more characters of one paragraph put after
  another paragraph, whole or cut at any point (a splice), weighed by
  ``deduplicate._join_breaks``: how often each piece of evidence would trim
  the tail where it was put (right) or where it was written (wrong).

    python benchmarks/language_checks.py --half tune
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.corpus_split import load  # noqa: E402
from xcclean import Config  # noqa: E402
from xcclean.chars import HAN_RE, ends_sentence  # noqa: E402
from xcclean.lexicon import Lexicon  # noqa: E402
from xcclean.stages.deduplicate import _affinity, _after_sentence, _bigrams  # noqa: E402

_GLUE = re.compile(r"[\u4e00-\u9fff0-9]+")


def _share(text: str, beside: list[str]) -> float:
    """The cleaner's own measure (:meth:`~xcclean.stages.deduplicate._Page.flow`): the share of
    ``text``'s Han bigrams found in ``beside``."""
    return _affinity(text, set().union(*(_bigrams(p) for p in beside)))


def places(articles: list[dict[str, Any]], ratio: float, seed: int) -> tuple[int, int, int]:
    """(own place fits better, the copy's place fits better, tie) over one draw per article."""
    rng = random.Random(seed)
    own = copy = tie = 0
    for article in articles:
        paragraphs = [p for p in article["paragraphs"] if len(p) >= 20]
        if len(paragraphs) < 6:
            continue
        s = rng.randrange(1, len(paragraphs) - 1)
        others = paragraphs[:s] + paragraphs[s + 1 :]
        # where the copy may stand among the others: between others[p - 1] and others[p]
        choices = [p for p in range(1, len(others) + 1) if abs(p - s) >= 2]
        if not choices or not _bigrams(paragraphs[s]):
            continue
        p = rng.choice(choices)
        at_home = _share(paragraphs[s], others[s - 1 : s + 1])
        away = _share(paragraphs[s], others[p - 1 : p + 1])
        if at_home > 0 and at_home >= away * ratio:
            own += 1
        elif away > 0 and away >= at_home * ratio:
            copy += 1
        else:
            tie += 1
    return own, copy, tie


def openings(articles: list[dict[str, Any]], limit: float, seed: int, sample: int
             ) -> dict[str, tuple[int, int, int, int]]:
    """Per rule: cut copies taken for the complete paragraph, of how many; glued copies found, of
    how many."""
    rng = random.Random(seed)
    language = Lexicon()
    paragraphs = [p for a in articles for p in a["paragraphs"] if len(p) >= 20 and ends_sentence(p)]
    rng.shuffle(paragraphs)
    cut: list[tuple[float, float]] = []
    glued: list[tuple[float, float]] = []
    for paragraph in paragraphs[:sample]:
        k = rng.randint(1, 3)
        if _GLUE.fullmatch(paragraph[:k]):
            cut.append((language.opening(paragraph[k:]), language.opening(paragraph)))
        other = rng.choice(paragraphs)
        at = rng.randrange(0, len(other) - k)
        junk = other[at : at + k]
        if _GLUE.fullmatch(junk):
            glued.append((language.opening(paragraph), language.opening(junk + paragraph)))
    rules: dict[str, Callable[[float, float], bool]] = {
        "compared with the longer's start (now)": lambda short, long_: short - long_ >= limit,
        "the shorter's own start (before)": lambda short, _long: short >= limit}
    return {name: (sum(rule(*c) for c in cut), len(cut), sum(rule(*g) for g in glued), len(glued))
            for name, rule in rules.items()}


def joins(articles: list[dict[str, Any]], seed: int, draws: int) -> dict[str, tuple[int, int]]:
    """Per piece of evidence: (points to where the tail was put, points to where it was written)."""
    rng = random.Random(seed)
    language = Lexicon()
    paragraphs = [p for a in articles for p in a["paragraphs"] if len(p) >= 30]
    out = {"a word across the join": [0, 0], "else a finished sentence, the tail not opening": [0, 0],
           "else a finished sentence, without the opening check": [0, 0]}
    for _ in range(draws):
        donor, other = rng.choice(paragraphs), rng.choice(paragraphs)
        at = len(donor) - rng.randint(20, max(20, int(0.9 * len(donor))))
        if at < 2:
            continue
        tail = donor[at:]
        head = other if rng.random() < 0.5 else other[: rng.randint(max(8, len(other) // 5), int(0.9 * len(other)))]
        put = head + tail
        there = language.word_across(donor[:at], tail) is not None
        here = language.word_across(head, tail) is not None
        if there != here:
            out["a word across the join"][here] += 1
            continue
        if there:
            continue
        # the finished-sentence rule, trimming the put paragraph (right) or the donor (wrong)
        right = _after_sentence(put, len(head)) and bool(HAN_RE.match(donor, at - 1))
        wrong = _after_sentence(donor, at) and bool(HAN_RE.match(put, len(head) - 1))
        out["else a finished sentence, without the opening check"][0] += right
        out["else a finished sentence, without the opening check"][1] += wrong
        if language.opening(tail) <= 0:
            out["else a finished sentence, the tail not opening"][0] += right
            out["else a finished sentence, the tail not opening"][1] += wrong
    return {name: (right, wrong) for name, (right, wrong) in out.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--half", choices=("tune", "test"), default="tune")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sample", type=int, default=4000, help="paragraphs drawn for the openings check")
    parser.add_argument("--draws", type=int, default=5000, help="splices drawn for the joins check")
    args = parser.parse_args()
    config = Config()
    articles = load(args.half)
    ratio = config.dedup.affinity_ratio
    own, copy, tie = places(articles, ratio, args.seed)
    print(f"places ({args.half} half, ratio {ratio}): own place fits better {own}, the copy's place {copy}, "
          f"tie {tie}")
    for name, (taken, cuts, found, glues) in openings(articles, config.engine.junk_min_opening, args.seed,
                                                      args.sample).items():
        print(f"openings, {name}: cut copies taken for the complete paragraph {taken} of {cuts}, "
              f"glued copies found {found} of {glues}")
    for name, (right, wrong) in joins(articles, args.seed, args.draws).items():
        print(f"joins ({args.draws} splices), {name}: trims where the tail was put {right}, "
              f"where it was written {wrong}")


if __name__ == "__main__":
    main()
