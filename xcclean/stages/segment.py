"""Stage 2: cut the normalised text into blocks at blank lines.

Lines with no blank line between them stay one block (a list, a masthead, a
signature); each block remembers how many blank lines preceded it, which is
how a photo caption set off by extra blank lines is recognised later.
"""

from __future__ import annotations

from ..model import Block, Document


def segment(text: str) -> Document:
    """Split ``text`` into blocks.

    >>> [(b.text, b.gap) for b in segment("标题\\n\\n正文。\\n\\n\\n图片说明")]
    [('标题', 0), ('正文。', 1), ('图片说明', 2)]
    """
    blocks: list[Block] = []
    lines: list[str] = []
    gap = 0
    blank = 0
    for line in text.split("\n"):
        if line.strip():
            if not lines:
                gap = blank
            lines.append(line)
            blank = 0
            continue
        if lines:
            blocks.append(Block("\n".join(lines), (len(blocks),), gap))
            lines = []
        blank += 1
    if lines:
        blocks.append(Block("\n".join(lines), (len(blocks),), gap))
    return tuple(blocks)
