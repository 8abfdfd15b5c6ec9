"""The document model every stage passes along, and the edit record.

A page is a tuple of :class:`Block` (paragraphs as separated by blank lines).
Stages never mutate a block: they return a new tuple plus the :class:`Edit`
records that turn the old tuple into the new one, applied in order.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any


class BlockKind(str, Enum):
    """What a block is on the printed page; decided once, in ``classify``.

    (An :class:`Edit` has a kind too: a reason code string, listed in
    ``docs/edit-log.md``.)

    >>> BlockKind("caption") is BlockKind.CAPTION
    True
    """

    BODY = "body"
    HEADLINE = "headline"
    DECK = "deck"  # sub-headline: ——记… under a headline
    BYLINE = "byline"  # 本报记者 …, 本报评论员, (魏宣)
    CAPTION = "caption"  # photo caption or photo credit
    LIST = "list"  # a block of list lines (- …, 1. …)
    JUMP = "jump"  # page-jump note: (上接第一版), (下转第二版)
    OTHER = "other"  # multi-line furniture: masthead, signature blocks


Kind = BlockKind  # the former name, still used inside xcclean


@dataclass(frozen=True)
class Block:
    """One paragraph of the page.

    ``ids`` are the positions (0-based) of the input paragraphs this block is
    made of: one for an untouched block, several after a split is repaired.
    ``gap`` is the number of blank lines that preceded it in the input.
    """

    text: str
    ids: tuple[int, ...]
    gap: int = 1
    kind: BlockKind = BlockKind.BODY
    continuation: bool = False  # classified as the continuation of the block before
    # deduplicate trimmed a spliced span off this block's end: its unfinished end is explained by
    # that damage, not by a cut (split repair reads this, never the edit log)
    end_trimmed: bool = False

    def with_text(self, text: str) -> Block:
        return replace(self, text=text)

    def with_kind(self, kind: BlockKind, continuation: bool = False) -> Block:
        # Direct construction: dataclasses.replace is slow on the hot path.
        return Block(self.text, self.ids, self.gap, kind, continuation, self.end_trimmed)


Document = tuple[Block, ...]

NOTES = frozenset({"suspect_split", "suspect_token", "not_chinese", "layout"})
"""Edit kinds that change no character of the page: the ``suspect_*`` notes, ``not_chinese``, and
``layout``, the input's blank lines between paragraphs, which the cleaned page always sets to one
(``restore`` puts them back). ``Cleaned.changes()`` leaves them out."""


@dataclass(frozen=True)
class Edit:
    """One change, with what it removed and why.

    ``kind`` is a stable reason code (see ``docs/edit-log.md``); ``block`` is
    the index of the block in the document *as it was when the edit was
    applied*, so applying edits in order (or undoing them in reverse) is exact
    (for the ``normalise`` stage, which runs before there are blocks, it is
    the input line number; for page-wide notes, -1).
    ``ids`` name the input paragraphs touched, for people. ``text`` is the exact
    text removed (or, for a join, the tail that was appended), ``offset`` the
    character offset inside the block where it was removed or joined.
    ``evidence`` holds JSON-serialisable facts: the matched paragraph and its
    text, similarity or containment scores, the rule that fired.
    """

    kind: str
    stage: str
    block: int
    ids: tuple[int, ...]
    text: str = ""
    offset: int = 0
    evidence: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (for JSONL reports)."""
        return {
            "kind": self.kind,
            "stage": self.stage,
            "block": self.block,
            "ids": list(self.ids),
            "text": self.text,
            "offset": self.offset,
            "evidence": dict(self.evidence),
        }


def _joined(doc: Document, blank_lines: Callable[[Block], int]) -> str:
    """The blocks' texts, each after the given number of blank lines (none before the first)."""
    return "".join(("\n" * (blank_lines(block) + 1) if i else "") + block.text for i, block in enumerate(doc))


def render(doc: Document) -> str:
    """The cleaned page: blocks separated by one blank line, a caption by the blank lines that set
    it off in the input (classify knows a caption by them: a cleaned page read again must show
    the same caption, or the text around it could be joined through it).
    """
    return _joined(doc, lambda block: max(block.gap, 1) if block.kind is Kind.CAPTION else 1)


def render_with_gaps(doc: Document) -> str:
    """The page with each block's original blank-line gap (used by restore)."""
    return _joined(doc, lambda block: block.gap)


class PageText:
    """The compare keys of a page's blocks end to end, a newline between two (a compare key holds
    no whitespace), so that one ``str.find`` over the page tells where any text stands."""

    def __init__(self, keys: Sequence[str]) -> None:
        self.keys = list(keys)
        self.text = "\n".join(self.keys)
        self.starts = list(itertools.accumulate((len(k) + 1 for k in self.keys[:-1]), initial=0))

    def block_at(self, at: int) -> int:
        """The block whose key holds position ``at`` of :attr:`text`."""
        return bisect.bisect_right(self.starts, at) - 1

    def block_end(self, block: int) -> int:
        """Where block ``block``'s key ends in :attr:`text`."""
        return self.starts[block] + len(self.keys[block])
