"""Stage 3: say what each block is. Every later stage reads these kinds.

Rules, in order (first match wins):

* several lines, mostly list markers → ``list``; other multi-line blocks
  (masthead, signature) → ``other``; they are never joined or removed.
* ``(上接第一版)`` / ``(下转第二版)`` → ``jump``.
* ends in a photo credit (``… 摄``, ``摄影``, ``供图``) → ``caption``.
* ``本报记者 …``, ``本报评论员``, ``通讯员 …``, ``… 文/图`` or a short source in
  brackets such as ``(魏宣)`` → ``byline``. ``本报讯(记者 …)…`` opens a *body*.
* set off by ``caption_min_gap`` blank lines and short → ``caption``.
* starts with a dash under a headline or deck, unfinished → ``deck``.
* no sentence-final punctuation, no full stop inside, and short
  (``headline_max_chars``; only ``subheading_max_chars`` if it has a comma
  inside), or long with no comma or full stop at all → ``headline``.
* anything else → ``body``.

Then a second look at short unterminated blocks: one followed by body text
that it visibly leaves unfinished (it ends in a comma or leaves a quote
open), or that continues it word-wise while the block reads like prose (a
comma inside, or too long for a headline), is the head of a cut paragraph → ``body``; one
whose predecessor is body or deck and that continues it word-wise (了兴水梦
after ……而且实现) is that block's continuation.
"""

from __future__ import annotations

import re

from ..config import Config
from ..lexicon import Lexicon
from ..model import Block, Document, Kind
from .cuts import cut_evidence, ends_sentence, opens_paragraph, past_captions

_LIST_LINE = re.compile(r"^\s*([-*•·]\s|\d+[.、)）]\s*|[(（]\d+[)）]|[①-⑳])")
_JUMP = re.compile(r"^[(（]\s*(上接|下转|接|转)第?[一二三四五六七八九十\d]{1,3}版\s*[)）]$")
_PHOTO_CREDIT = re.compile(r"(摄|摄影|供图)\s*[)）]?$")
_BYLINE = re.compile(
    r"^(本报(特约|见习)?记者|本报(特约)?评论员|本报通讯员|记者|通讯员|实习生|特约记者)([\s\u4e00-\u9fff]|$)"
    r"|(文/图|图/文|文·图)$"
)
_SOURCE_CREDIT = re.compile(r"^[(（][^()（）,，。]{1,12}[)）]$")
_INNER_STOP = re.compile(r"[,，。;；!?！？]")
_PROSE_STOP = re.compile(r"[,，;；、:：。!?！？]")
# A full stop inside a line: prose, never a headline (headlines may exclaim:
# 【2016 我们来了！】世界各国多种形式喜迎2016年).
_INNER_SENTENCE_END = re.compile(r"。[^。]")


def _base_kind(block: Block, previous: Kind | None, first: bool, config: Config) -> Kind:
    text = block.text
    if "\n" in text:
        lines = text.split("\n")
        listed = sum(bool(_LIST_LINE.match(line)) for line in lines)
        return Kind.LIST if listed * 2 >= len(lines) else Kind.OTHER
    if _JUMP.match(text):
        return Kind.JUMP
    if _LIST_LINE.match(text) and not ends_sentence(text, config) and len(text) <= config.headline_max_chars:
        return Kind.LIST
    if _PHOTO_CREDIT.search(text):
        return Kind.CAPTION
    if len(text) <= config.byline_max_chars and not ends_sentence(text, config) and (
        _BYLINE.search(text) or _SOURCE_CREDIT.match(text)
    ):
        return Kind.BYLINE
    if not first and block.gap >= config.caption_min_gap and len(text) <= config.caption_max_chars:
        return Kind.CAPTION
    if (text.startswith("—") and previous in (Kind.HEADLINE, Kind.DECK) and not ends_sentence(text, config)
            and len(text) <= 2 * config.headline_max_chars):
        return Kind.DECK
    has_stop = bool(_INNER_STOP.search(text))
    if not ends_sentence(text, config) and not _INNER_SENTENCE_END.search(text) and (
        len(text) <= (config.subheading_max_chars if has_stop else config.headline_max_chars)
        or not has_stop
    ):
        return Kind.HEADLINE
    return Kind.BODY


def classify(doc: Document, config: Config, lexicon: Lexicon) -> Document:
    """Set the kind of every block (see the module docstring)."""
    blocks: list[Block] = []
    previous: Kind | None = None
    for i, block in enumerate(doc):
        kind = _base_kind(block, previous, i == 0, config)
        blocks.append(block.with_kind(kind))
        previous = kind
    return reconsider(tuple(blocks), config, lexicon)


def reconsider(doc: Document, config: Config, lexicon: Lexicon) -> Document:
    """The second look at short unterminated blocks, given their current neighbours.

    The pipeline runs it again after removing copies: a line that stood
    before a copy may now stand before its own continuation. It only ever
    turns a headline into body or marks a continuation, so it can be rerun.
    """
    blocks = list(doc)
    # Heads of cut paragraphs, last first so that chains of short pieces resolve.
    for i in range(len(blocks) - 1, -1, -1):
        block = blocks[i]
        if block.kind is not Kind.HEADLINE or "\n" in block.text:
            continue
        found = past_captions(blocks, i, 1, config)
        after = found[0] if found else None
        if after is None or blocks[after].kind is not Kind.BODY:
            continue
        evidence = cut_evidence(block.text, blocks[after].text, config, lexicon)
        # A word across the cut proves little after a real headline (撸起袖子加油干
        # 风雨无阻向前行 + 当好… makes 行当): it counts only for a line that reads
        # like prose, with punctuation inside, or is too long for a headline.
        prose = bool(_PROSE_STOP.search(block.text)) or len(block.text) > config.headline_max_chars \
            or opens_paragraph(block.text)  # 新华社耶路撒冷1月22日电(记者支林飞)不 / 久前…
        if evidence.head_cut or (evidence.joint and prose):
            blocks[i] = block.with_kind(Kind.BODY)
    # Tails that continue the body or deck before them word-wise.
    for i, block in enumerate(blocks):
        if block.kind not in (Kind.HEADLINE, Kind.DECK) or "\n" in block.text:
            continue
        found = past_captions(blocks, i, -1, config)
        before = found[0] if found else None
        if block.continuation:
            continue
        if before is not None and blocks[before].kind in (Kind.BODY, Kind.DECK) \
                and "\n" not in blocks[before].text:
            head = blocks[before].text
            evidence = cut_evidence(head, block.text, config, lexicon)
            # A visibly cut head (…并作工作报告,强) skips the dictionary in cut_evidence:
            # the word across the cut (强调) is what shows this line continues it.
            worded = bool(evidence.head_cut) and lexicon.word_across(head, block.text) is not None
            if evidence.veto is None and (evidence.joint or worded):
                blocks[i] = block.with_kind(blocks[before].kind, continuation=True)
    return tuple(blocks)
