"""Stage 3: say what each block is. Every later stage reads these kinds.

Rules, in order (first match wins):

* several lines, mostly list markers → ``list``; other multi-line blocks
  (masthead, signature) → ``other``; they are never joined or removed.
* ``(上接第一版)`` / ``(下转第二版)`` → ``jump``.
* ends in a photo credit (``… 摄``, ``摄影``, ``供图``, ``(资料图片)``) → ``caption``.
* ``本报记者 …``, ``本报评论员``, ``通讯员 …``, ``… 文/图`` or a short source in
  brackets such as ``(魏宣)`` → ``byline``. ``本报讯(记者 …)…`` opens a *body*.
* set off by ``caption_min_gap`` blank lines and short → ``caption``.
* starts with a dash under a headline or deck, unfinished → ``deck``.
* no sentence-final punctuation, no full stop inside, and short
  (``headline_max_chars``; only ``subheading_max_chars`` if it has a comma
  inside), or long with no comma or full stop at all → ``headline``.
* anything else → ``body``.

The second look at short unterminated blocks -- the head of a cut
paragraph, or its continuation -- is split evidence: it lives in
``repair_splits.reconsider``.
"""

from __future__ import annotations

import re

from ..chars import ends_sentence
from ..config import ClassifyConfig
from ..model import Block, Document, Kind

_LIST_ITEM = re.compile(r"^\s*([-*•·]\s|\d+[.、)）]\s*|[(（]\d+[)）]|[①-⑳])")
_JUMP = re.compile(r"^[(（]\s*(上接|下转|接|转)第?[一二三四五六七八九十\d]{1,3}版\s*[)）]$")
_PHOTO_CREDIT = re.compile(r"(摄|摄影|供图|资料图片)\s*[)）]?$")  # (资料图片): a file photo
_BYLINE = re.compile(
    r"^(本报(特约|见习)?记者|本报(特约)?评论员|本报通讯员|记者|通讯员|实习生|特约记者)([\s\u4e00-\u9fff]|$)"
    r"|(文/图|图/文|文·图)$"
)
_SOURCE_CREDIT = re.compile(r"^[(（][^()（）,，。]{1,12}[)）]$")
_INNER_STOP = re.compile(r"[,，。;；!?！？]")
# A full stop inside a line: prose, never a headline (headlines may exclaim:
# 【2016 我们来了！】世界各国多种形式喜迎2016年).
_INNER_SENTENCE_END = re.compile(r"。[^。]")


def _base_kind(block: Block, previous: Kind | None, first: bool, config: ClassifyConfig) -> Kind:
    text = block.text
    if "\n" in text:
        lines = text.split("\n")
        listed = sum(bool(_LIST_ITEM.match(line)) for line in lines)
        return Kind.LIST if listed * 2 >= len(lines) else Kind.OTHER
    if _JUMP.match(text):
        return Kind.JUMP
    if _LIST_ITEM.match(text) and not ends_sentence(text) and len(text) <= config.headline_max_chars:
        return Kind.LIST
    if _PHOTO_CREDIT.search(text):
        return Kind.CAPTION
    if len(text) <= config.byline_max_chars and not ends_sentence(text) and (
        _BYLINE.search(text) or _SOURCE_CREDIT.match(text)
    ):
        return Kind.BYLINE
    if not first and block.gap >= config.caption_min_gap and len(text) <= config.caption_max_chars:
        return Kind.CAPTION
    if (text.startswith("—") and previous in (Kind.HEADLINE, Kind.DECK) and not ends_sentence(text)
            and len(text) <= config.deck_max_chars):
        return Kind.DECK
    has_stop = bool(_INNER_STOP.search(text))
    if not ends_sentence(text) and not _INNER_SENTENCE_END.search(text) and (
        len(text) <= (config.subheading_max_chars if has_stop else config.headline_max_chars)
        or not has_stop
    ):
        return Kind.HEADLINE
    return Kind.BODY


def classify(doc: Document, config: ClassifyConfig) -> Document:
    """Set the kind of every block (see the module docstring)."""
    blocks: list[Block] = []
    previous: Kind | None = None
    for i, block in enumerate(doc):
        kind = _base_kind(block, previous, i == 0, config)
        blocks.append(block.with_kind(kind))
        previous = kind
    return tuple(blocks)
