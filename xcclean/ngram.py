"""A character n-gram model of Chinese news text, read by split repair and by the engine.

Counts of character pairs and triples inside paragraphs, and of paragraph
starts and ends, from the tune half of the corpus (``benchmarks/train_splits.py``
writes them into ``xcclean/data/boundary.json.gz`` beside the boundary
model's weights). Split repair reads how text ends and begins
(:meth:`NgramTable.scores`); the engine reads how likely a stretch of text is
(:meth:`NgramTable.log_likelihood`): an OCR misread puts a glyph for a glyph
whatever the language, and leaves a string the language hardly writes.

>>> table = shipped_table()
>>> table.log_likelihood("全力以赴", 1, 4) > table.log_likelihood("全力巳赵", 1, 4)
True
"""

from __future__ import annotations

import gzip
import json
import math
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from itertools import chain
from typing import Any

from .chars import CLAUSE_BREAK_RE, DIGIT_RE, WIDE_LATIN_RE

DATA_FILE = "boundary.json.gz"


def fold_char(char: str) -> str:
    """The n-gram table's alphabet: every digit is 0 and every Latin letter a (counts of 2023 and
    of 1998 say the same about a cut)."""
    if DIGIT_RE.match(char):
        return "0"
    if WIDE_LATIN_RE.match(char):
        return "a"
    return char


@dataclass(frozen=True)
class NgramTable:
    """Character counts inside paragraphs (``pairs``, ``triples``) and at their edges (``starts``,
    ``ends``: one and two characters), with the number of paragraphs and of characters."""

    pairs: dict[str, int]
    triples: dict[str, int]
    starts: dict[str, int]
    ends: dict[str, int]
    chars: dict[str, int]
    paragraphs: int
    total: int

    types: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Witten-Bell smoothing: how many different characters follow a context (paragraph
        # starts: "^" + character) weighs the shorter context against it.
        types: Counter[str] = Counter(gram[:-1] for gram in chain(self.pairs, self.triples))
        types.update("^" + gram[0] for gram in self.starts if len(gram) == 2)
        types["^"] = sum(len(gram) == 1 for gram in self.starts)
        object.__setattr__(self, "types", dict(types))

    def _p1(self, c: str) -> float:
        return (self.chars.get(c, 0) + 1) / (self.total + len(self.chars) + 1)

    def _smoothed(self, seen: int, context_count: int, context_types: int, lower: float) -> float:
        # a context seen only in n-grams too rare to keep still has one kind of follower
        context_types = max(context_types, 1)
        return (seen + context_types * lower) / (context_count + context_types)

    def _after(self, context: str, c: str) -> float:
        """P(c | context) for a context of one or two characters, smoothed towards the shorter one."""
        lower = self._p1(c) if len(context) == 1 else self._after(context[1:], c)
        count = self.chars.get(context, 0) if len(context) == 1 else self.pairs.get(context, 0)
        grams = self.pairs if len(context) == 1 else self.triples
        return self._smoothed(grams.get(context + c, 0), count, self.types.get(context, 0), lower)

    def _at_start(self, text: str) -> float:
        """P(paragraph starts with ``text``'s last character | it starts with the ones before)."""
        c = text[-1]
        if len(text) == 1:
            return self._smoothed(self.starts.get(c, 0), self.paragraphs, self.types.get("^", 0), self._p1(c))
        return self._smoothed(self.starts.get(text, 0), self.starts.get(text[0], 0), self.types.get("^" + text[0], 0),
                              self._after(text[0], c))

    def _ends(self, text: str) -> float:
        """P(a paragraph ends right after ``text``) for one or two characters (the end: one more follower)."""
        if len(text) == 1:
            lower, count = self.paragraphs / max(self.total, 1), self.chars.get(text, 0)
        else:
            lower, count = self._ends(text[1:]), self.pairs.get(text, 0)
        return self._smoothed(self.ends.get(text, 0), count, self.types.get(text, 0) + 1, lower)

    def log_likelihood(self, text: str, start: int, end: int) -> float:
        """Natural log of the probability of ``text[start:end]``, each character read after the
        (up to) two before it.

        >>> shipped_table().log_likelihood("全力以赴", 2, 4) > shipped_table().log_likelihood("全力以赵", 2, 4)
        True
        """
        folded = "".join(fold_char(c) for c in text[max(0, start - 2) : end])
        total = 0.0
        for i in range(min(2, start), len(folded)):
            context = folded[max(0, i - 2) : i]
            total += math.log(self._after(context, folded[i]) if context else self._p1(folded[i]))
        return total

    def opening(self, text: str) -> float:
        """How much more often paragraphs open with ``text``'s first two characters than running text
        reads them (natural log of the ratio, each character after the one before): 据报, 至此, 0日
        (20日, digits folded) open paragraphs; 议强 (会议强调 less its first glyph) does not.

        >>> shipped_table().opening("据报道,") > shipped_table().opening("议强调,")
        True
        """
        t = "".join(fold_char(c) for c in text[:2])
        return sum(self._opens(t)) if t else 0.0

    def _opens(self, t: str) -> tuple[float, float]:
        """For a folded opening ``t`` of one or two characters: how much more often paragraphs start
        with its first character, then go on with its second, than running text reads them."""
        first = math.log(self._at_start(t[0]) / self._p1(t[0]))
        return first, (math.log(self._at_start(t[:2]) / self._after(t[0], t[1])) if len(t) == 2 else 0.0)

    def scores(self, head: str, tail: str) -> list[float]:
        """Log-likelihood ratios of the text read across the cut against as an end plus a start."""
        h = "".join(fold_char(c) for c in head[-2:])
        t = "".join(fold_char(c) for c in tail[:2])
        across = math.log(self._after(h[-1], t[0]) / self._at_start(t[0]))
        across3 = math.log(self._after(h[-2:], t[0]) / self._at_start(t[0])) if len(h) == 2 else across
        second = math.log(self._after(h[-1] + t[0], t[1]) / self._at_start(t[:2])) if len(t) == 2 else 0.0
        end1 = math.log(self._ends(h[-1]))
        end2 = math.log(self._ends(h[-2:])) if len(h) == 2 else end1
        # Some words open paragraphs (近日, 据, a name), others never do (敢于, 的): how much more
        # often the tail's opening stands at a paragraph start than in running text.
        opens1, opens2 = self._opens(t)
        return [across, across3, second, end1, end2, self._clause_ends(head, end2), opens1, opens2]

    def _clause_ends(self, head: str, end: float) -> float:
        """How much the head's inner clauses end like paragraphs (mean log-probability): a line of
        headlines joined by commas (a digest) ends each clause like a title, prose mid-clause.
        A head without inner clauses: its own end."""
        ends = [math.log(self._ends("".join(fold_char(c) for c in clause[-2:])))
                for clause in CLAUSE_BREAK_RE.split(head)[:-1] if clause]
        return sum(ends) / len(ends) if ends else end


@lru_cache(maxsize=1)
def shipped_data() -> dict[str, Any]:
    """The package's model file (the boundary model's weights and the n-gram table), read once."""
    raw = (resources.files("xcclean") / "data" / DATA_FILE).read_bytes()
    data: dict[str, Any] = json.loads(gzip.decompress(raw))
    return data


@lru_cache(maxsize=1)
def shipped_table() -> NgramTable:
    """The n-gram table in the package, built once per process."""
    return NgramTable(**shipped_data()["table"])
