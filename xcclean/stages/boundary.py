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

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from ..chars import (
    CLAUSE_BREAK_RE,
    CLOSING_FOR,
    DIGIT_RE,
    HAN,
    HAN_RE,
    NON_FINAL_WORDS,
    WIDE_LATIN_RE,
    unbalanced_closing,
    unbalanced_opening,
)
from ..lexicon import Lexicon
from ..model import Kind
from ..ngram import NgramTable, shipped_data, shipped_table
from .cuts import CLAUSE_END_START, COMMA_END, CONTINUING_START, ONE_CHARACTER_CLAUSE, PARTICLE_START, CutEvidence

_OPENERS = frozenset(CLOSING_FOR)
_CLOSERS = frozenset(CLOSING_FOR.values())
_OPENER_OF = {closer: opener for opener, closer in CLOSING_FOR.items()}
_CLAUSE_MARK = re.compile("[,，;；。!?！？]")
_FULL_STOP_INSIDE = re.compile(r"[。!?！？;；][^。]")
_COMMA = re.compile("[,，、]")
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
    def from_json(data: dict[str, Any], table: NgramTable | None = None) -> BoundaryModel:
        if tuple(data["features"]) != FEATURES or tuple(data["head_kinds"]) != HEAD_KINDS:
            raise ValueError("boundary model was trained on other features: rerun benchmarks/train_splits.py")
        weights, bias, mean, scale = (np.asarray(data[name], dtype=np.float64)
                                      for name in ("weights", "bias", "mean", "scale"))
        return BoundaryModel(weights, bias, mean, scale, table or NgramTable(**data["table"]))


@lru_cache(maxsize=1)
def shipped_model() -> BoundaryModel:
    """The model in the package, loaded once per process."""
    return BoundaryModel.from_json(shipped_data(), shipped_table())


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
    return float(bool(HAN_RE.match(char))), float(bool(DIGIT_RE.match(char) or WIDE_LATIN_RE.match(char)))


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
            float(len(head) > _PROSE_CHARS and comma_inside),
            *_one_hot(len(CLAUSE_BREAK_RE.split(head.rstrip(",，;；"))[-1])),
            float(bool(_FULL_STOP_INSIDE.search(head))), float(comma_inside),
            float(head_kind is Kind.HEADLINE), float(tail_kind is Kind.HEADLINE),
            float(continuation)]
    # Prose never puts a space between two Han characters; a title does, between its parallel
    # phrases (全过程跟踪 全要素服务): such a line is a title, not the head of a cut sentence.
    return [*row, *table.scores(head, tail), float(bool(_HAN_SPACE.search(head)))]


def as_matrix(rows: Sequence[list[float]]) -> np.ndarray:
    """Feature rows as one float64 matrix (``len(FEATURES)`` columns even when empty)."""
    return np.asarray(rows, dtype=np.float64).reshape(len(rows), len(FEATURES))
