"""The boundary model: how likely two blocks are halves of one paragraph.

A logistic regression over evidence read at the cut, trained by
``benchmarks/train_splits.py`` on the tune half of the corpus: negatives are
real paragraph boundaries (title → lede, paragraph → paragraph, lines without
a final stop), positives cuts at random positions inside real paragraphs,
some with a caption between the pieces. Its weights and a small character
n-gram table (counts of character pairs and triples inside paragraphs, and
of paragraph starts and ends) ship in ``xcclean/data/boundary.json.gz`` and
load once per process. The vetoes of :func:`~xcclean.stages.cuts.cut_evidence`
(a head that ends a sentence, a tail that opens a paragraph, …) are language
facts and stay hard: the model weighs only cuts they leave open.
"""

from __future__ import annotations

import gzip
import json
import math
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from itertools import chain
from typing import Any

import numpy as np

from ..chars import CLOSING_FOR, HAN, HAN_RE, NON_FINAL_WORDS, unbalanced_closing, unbalanced_opening
from ..lexicon import Lexicon
from ..model import Kind
from .cuts import CLAUSE_END_START, COMMA_END, CONTINUING_START, ONE_CHARACTER_CLAUSE, PARTICLE_START, CutEvidence

MODEL_FILE = "boundary.json.gz"
_OPENERS = frozenset(CLOSING_FOR)
_CLOSERS = frozenset(CLOSING_FOR.values())
_OPENER_OF = {closer: opener for opener, closer in CLOSING_FOR.items()}
_CLAUSE_MARK = re.compile("[,，;；。!?！？]")
_FULL_STOP_INSIDE = re.compile(r"[。!?！？;；][^。]")
_COMMA = re.compile("[,，、]")
_CLAUSES = re.compile("[,，;；]")
_DIGIT = re.compile(r"[0-9０-９]")
_LATIN = re.compile(r"[A-Za-zＡ-Ｚａ-ｚ]")
_HAN_SPACE = re.compile(f"[{HAN}][ \u3000]+[{HAN}]")

# Lengths in bins, not on one scale: a head of 2-40 characters may be a headline, and one much
# longer almost never ends a paragraph without a stop. Part of the model (its feature names),
# not a setting: other bins need other weights.
LENGTH_BINS = (4, 10, 20, 40, 80)
# Longer than any headline (ClassifyConfig.headline_max_chars) and with clause punctuation: prose,
# which ends with a stop; the length feature alone cannot say "long and punctuated".
_PROSE_CHARS = 40


def _bins(side: str) -> tuple[str, ...]:
    edges = (0, *LENGTH_BINS)
    return (*(f"{side} length {a + 1}-{b}" for a, b in zip(edges, LENGTH_BINS, strict=False)),
            f"{side} length over {LENGTH_BINS[-1]}")


# The evidence, by name; the model's weights follow this order.
FEATURES: tuple[str, ...] = (
    "head ends in a comma", "head ends in a one-character clause", "head leaves a quote open",
    "tail closes the quote", "tail starts with the end of a clause", "tail starts with continuing punctuation",
    "tail starts with a particle", "dictionary word spans the cut", "head ends in a non-final word",
    "a number spans the cut", "head ends in a Han character", "head ends in a digit or Latin letter",
    "head ends in a closing mark",
    "head ends by closing a quotation that holds a clause", "head ends in 》",
    "tail starts with a Han character", "tail starts with a digit or Latin letter", "tail starts with an opening mark",
    *_bins("head"), *_bins("tail"), "head is prose: over 40 characters, a comma inside",
    *_bins("head's last clause"), "head has a stop inside",
    "head has a comma inside", "head is a headline", "tail is a headline",
    "tail is a continuation",
    "n-gram: pair across the cut vs tail start", "n-gram: triple across the cut vs tail start",
    "n-gram: second tail character given the cut", "n-gram: head end character ends a paragraph",
    "n-gram: head's last two characters end a paragraph", "n-gram: the head's inner clauses end like paragraphs",
    "n-gram: tail's first character opens paragraphs", "n-gram: tail's first two characters open paragraphs",
    "head has a space between Han characters",
)


HEAD_KINDS = ("body", "headline")  # the two parts of the model, in row order
_HEADLINE_COLUMN = FEATURES.index("head is a headline")


def fold_char(char: str) -> str:
    """The n-gram table's alphabet: every digit is 0 and every Latin letter a (counts of 2023 and
    of 1998 say the same about a cut)."""
    if _DIGIT.match(char):
        return "0"
    if _LATIN.match(char):
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
        opens1 = math.log(self._at_start(t[0]) / self._p1(t[0]))
        opens2 = math.log(self._at_start(t[:2]) / self._after(t[0], t[1])) if len(t) == 2 else 0.0
        return [across, across3, second, end1, end2, self._clause_ends(head, end2), opens1, opens2]

    def _clause_ends(self, head: str, end: float) -> float:
        """How much the head's inner clauses end like paragraphs (mean log-probability): a line of
        headlines joined by commas (a digest) ends each clause like a title, prose mid-clause.
        A head without inner clauses: its own end."""
        ends = [math.log(self._ends("".join(fold_char(c) for c in clause[-2:])))
                for clause in _CLAUSES.split(head)[:-1] if clause]
        return sum(ends) / len(ends) if ends else end


@dataclass(frozen=True)
class BoundaryModel:
    """Standardised logistic regression over :data:`FEATURES`, with its n-gram table.

    Two sets of weights, one per kind of head (``HEAD_KINDS``): after a body block the question
    is whether prose stops mid-clause, after a headline whether the line was a title at all;
    the same evidence weighs differently. Row ``k`` of ``weights``, ``mean``, ``scale`` and
    ``bias`` is for head kind ``k``.
    """

    weights: np.ndarray
    bias: np.ndarray
    mean: np.ndarray
    scale: np.ndarray
    table: NgramTable

    @staticmethod
    def part(rows: np.ndarray) -> np.ndarray:
        """Which weights each row uses: 1 for a headline head, 0 for a body head."""
        return (rows[:, _HEADLINE_COLUMN] > 0.5).astype(np.intp)

    def probability(self, rows: np.ndarray) -> np.ndarray:
        """P(cut) for each row of features (one row per candidate cut)."""
        k = self.part(rows)
        z = ((rows - self.mean[k]) / self.scale[k] * self.weights[k]).sum(axis=1) + self.bias[k]
        return np.asarray(1.0 / (1.0 + np.exp(-z)))

    def strongest(self, row: np.ndarray, count: int) -> list[str]:
        """The features that pushed this cut's probability up the most: name, whether the value was
        high or low for a cut the model weighs, and the log-odds it added."""
        k = int(self.part(row[None, :])[0])
        standard = (row - self.mean[k]) / self.scale[k]
        push = standard * self.weights[k]
        order = np.argsort(-push, kind="stable")[:count]
        return [f"{FEATURES[j]}: {'high' if standard[j] > 0 else 'low'} ({push[j]:+.2f})"
                for j in order.tolist() if push[j] > 0]

    def to_json(self) -> dict[str, Any]:
        t = self.table
        return {"features": list(FEATURES), "head_kinds": list(HEAD_KINDS), "weights": self.weights.tolist(),
                "bias": self.bias.tolist(), "mean": self.mean.tolist(), "scale": self.scale.tolist(),
                "table": {"pairs": t.pairs, "triples": t.triples, "starts": t.starts, "ends": t.ends,
                          "chars": t.chars, "paragraphs": t.paragraphs, "total": t.total}}

    @staticmethod
    def from_json(data: dict[str, Any]) -> BoundaryModel:
        if tuple(data["features"]) != FEATURES or tuple(data["head_kinds"]) != HEAD_KINDS:
            raise ValueError("boundary model was trained on other features: rerun benchmarks/train_splits.py")
        weights, bias, mean, scale = (np.asarray(data[name], dtype=np.float64)
                                      for name in ("weights", "bias", "mean", "scale"))
        return BoundaryModel(weights, bias, mean, scale, NgramTable(**data["table"]))


@lru_cache(maxsize=1)
def shipped_model() -> BoundaryModel:
    """The model in the package, loaded once per process."""
    raw = (resources.files("xcclean") / "data" / MODEL_FILE).read_bytes()
    return BoundaryModel.from_json(json.loads(gzip.decompress(raw)))


def closes_quotation(text: str) -> bool:
    """Whether ``text`` ends by closing a quotation that holds a clause (…只有加快再加快,着重…研发”):
    a paragraph may end there without a full stop. A quoted term (…确定了“十四五”) does not."""
    opener = _OPENER_OF.get(text[-1])
    if opener is None:
        return False
    start = text.rfind(opener, 0, len(text) - 1)
    return start < 0 or bool(_CLAUSE_MARK.search(text, start + 1, len(text) - 1))


def _char_class(char: str) -> tuple[float, float]:
    """(Han, digit or Latin letter) for one character."""
    return float(bool(HAN_RE.match(char))), float(bool(_DIGIT.match(char) or _LATIN.match(char)))


def _one_hot(length: int) -> list[float]:
    at = bisect_left(LENGTH_BINS, length)  # np.searchsorted's "left": one scalar, no array round trip
    return [float(k == at) for k in range(len(LENGTH_BINS) + 1)]


def _evidence_row(evidence: CutEvidence, head: str, tail: str, lexicon: Lexicon) -> list[float]:
    """The rule evidence of ``cut_evidence`` as 0/1 features, with the dictionary always consulted."""
    reasons = evidence.reasons()
    word = evidence.word if evidence.word is not None else lexicon.word_across(head, tail)
    open_quote = unbalanced_opening(head)
    non_final = bool(HAN_RE.match(head[-1])) and lexicon.last_word(head) in NON_FINAL_WORDS
    return [float(COMMA_END in reasons), float(ONE_CHARACTER_CLAUSE in reasons), float(open_quote),
            float(open_quote and unbalanced_closing(tail)), float(CLAUSE_END_START in reasons),
            float(CONTINUING_START in reasons), float(PARTICLE_START in reasons),
            float(word is not None), float(non_final)]


def features(head: str, tail: str, kinds: tuple[Kind, Kind, bool], evidence: CutEvidence, lexicon: Lexicon,
             table: NgramTable) -> list[float]:
    """One row of :data:`FEATURES` for a cut between ``head`` and ``tail`` that no veto closed.

    ``kinds``: the head's kind, the tail's, and whether classify found the tail continuing the
    block before it. Not the captions between the two: OCR sets a caption between the halves of
    a cut as readily as between two paragraphs, so their number says nothing about the cut (a
    weight learned for it would only mirror how the training pages placed captions).
    """
    head, tail = head.rstrip(), tail.lstrip()
    head_kind, tail_kind, continuation = kinds
    han_end, alnum_end = _char_class(head[-1])
    han_start, alnum_start = _char_class(tail[0])
    comma_inside = bool(_COMMA.search(head, 0, len(head) - 1))
    row = _evidence_row(evidence, head, tail, lexicon)
    row += [float(head[-1].isdigit() and tail[0].isdigit()), han_end, alnum_end, float(head[-1] in _CLOSERS),
            float(closes_quotation(head)), float(head.endswith("》")), han_start, alnum_start,
            float(tail[0] in _OPENERS), *_one_hot(len(head)), *_one_hot(len(tail)),
            float(len(head) > _PROSE_CHARS and comma_inside), *_one_hot(len(_CLAUSES.split(head.rstrip(",，;；"))[-1])),
            float(bool(_FULL_STOP_INSIDE.search(head))), float(comma_inside),
            float(head_kind is Kind.HEADLINE), float(tail_kind is Kind.HEADLINE),
            float(continuation)]
    # Prose never puts a space between two Han characters; a title does, between its parallel
    # phrases (全过程跟踪 全要素服务): such a line is a title, not the head of a cut sentence.
    return [*row, *table.scores(head, tail), float(bool(_HAN_SPACE.search(head)))]


def as_matrix(rows: Sequence[list[float]]) -> np.ndarray:
    """Feature rows as one float64 matrix (``len(FEATURES)`` columns even when empty)."""
    return np.asarray(rows, dtype=np.float64).reshape(len(rows), len(FEATURES))
