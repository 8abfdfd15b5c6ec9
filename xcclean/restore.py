"""Rebuild the normalised input from a cleaned page and its edit log.

Every edit that changes the page is undone, last edit first: removed
paragraphs go back where they were, trimmed spans and stray tokens go back
at their offsets, joined paragraphs are split again with their captions
between them, and blank-line gaps are put back. Nothing the cleaner removed
is lost: it is all in the log.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from .model import Block, Edit, render_with_gaps

REMOVALS = frozenset({"exact_duplicate", "near_duplicate", "fragment_prefix", "fragment_suffix",
                      "fragment_inner", "contaminated_copy", "cross_page_duplicate"})


def _insert_text(blocks: list[Block], edit: Edit) -> None:
    block = blocks[edit.block]
    blocks[edit.block] = block.with_text(block.text[: edit.offset] + edit.text + block.text[edit.offset :])


def _reinsert_block(blocks: list[Block], edit: Edit) -> None:
    blocks.insert(edit.block, Block(edit.text, edit.ids, int(edit.evidence.get("gap", 1))))


def _unjoin(blocks: list[Block], edit: Edit) -> None:
    block = blocks[edit.block]
    moved = int(edit.evidence.get("captions_moved", 0))
    head = Block(block.text[: edit.offset], block.ids, block.gap)
    tail = Block(block.text[edit.offset :], (), int(edit.evidence.get("tail_gap", 1)))
    captions = blocks[edit.block + 1 : edit.block + 1 + moved]
    blocks[edit.block : edit.block + 1 + moved] = [head, *captions, tail]


_UNDO: dict[str, Callable[[list[Block], Edit], None]] = {
    "stray_token": _insert_text,
    "splice_trimmed": _insert_text,
    "split_joined": _unjoin,
    **{kind: _reinsert_block for kind in REMOVALS},
}


def restore(text: str, edits: Iterable[Edit]) -> str:
    """The normalised input, rebuilt from the cleaned ``text`` and its ``edits``.

    >>> import xcclean
    >>> page = "甲乙丙丁戊己庚辛壬癸子丑寅卯。\\n\\n甲乙丙丁戊己庚辛壬癸子丑寅卯。"
    >>> cleaned = xcclean.clean_and_explain(page)
    >>> cleaned.text
    '甲乙丙丁戊己庚辛壬癸子丑寅卯。'
    >>> restore(cleaned.text, cleaned.edits) == page
    True
    """
    # render sets blocks apart by one blank line, a caption by the blank lines it had
    blocks = [Block(part, ()) for part in re.split(r"\n{2,}", text)] if text else []
    for edit in reversed(list(edits)):
        if edit.kind == "layout":  # the page's blank-line gaps, as they were when it was rendered
            gaps: list[Any] = list(edit.evidence["gaps"])
            blocks = [Block(b.text, b.ids, int(g)) for b, g in zip(blocks, gaps, strict=True)]
            continue
        undo = _UNDO.get(edit.kind)
        if undo is not None:
            undo(blocks, edit)
    return render_with_gaps(tuple(blocks))
