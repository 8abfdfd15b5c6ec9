"""Stage 5: rejoin paragraphs that OCR cut in two (or more) at a blank line.

A body block that does not end a sentence is joined, with no separator, to
the next body block -- skipping up to ``SplitsConfig.max_captions_between``
captions, which then follow the rejoined paragraph. Evidence decides, not
length: terminal punctuation (or a trailing dash, or a colon) vetoes; a comma
or 、 at the cut, a quote left open, a dictionary word spanning the cut, or a
tail starting with a particle is strong evidence; an unfinished body block
longer than any headline or with a full stop inside, followed by body text
that does not open a paragraph (本报讯, a dateline, ——, 一是…) nor quote the
block (a title and its lede), is enough on its own -- unless the block closes
a quotation that holds a clause (a paragraph may end so, with no full stop).
Headlines, bylines, captions, lists and jump notes are never glued to body text; a block that ``classify`` found to be a
continuation joins its predecessor whatever its kind. A body block that does
not end a sentence but is not joined to the block after it (a headline
follows, or a paragraph opener) is logged as ``suspect_split``; nothing is
logged for the last block of a page.

The pipeline runs this stage twice: strong-evidence joins before
deduplication (a copy split in two must be whole to be compared with the
paragraph it copies), all joins after it (removing a copy can bring the two
halves of a paragraph together). The first pass leaves alone any block
that repeats another: deduplication judges copies first.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..chars import CLOSING_FOR, NON_INITIAL, compare_key
from ..config import EngineConfig, SplitsConfig
from ..engine.align import Relation, relate
from ..engine.candidates import find_candidates
from ..lexicon import Lexicon
from ..model import Block, Document, Edit, Kind
from .cuts import TAIL_OPENS, cut_evidence, opens_paragraph, past_captions

STAGE = "repair_splits"
# A block with a full stop inside is prose however short: it cannot be a headline.
_FULL_STOP_INSIDE = re.compile(r"。[^。]")
_OPENER_OF = {closer: opener for opener, closer in CLOSING_FOR.items()}
_CLAUSE_MARK = re.compile("[,，;；。!?！？]")
_PROSE_STOP = re.compile(r"[,，;；、:：。!?！？]")


def _closes_quotation(text: str) -> bool:
    """Whether ``text`` ends by closing a quotation that holds a clause (…只有加快再加快,着重…研发”):
    a paragraph may end there without a full stop. A quoted term (…确定了“十四五” / 时期…) does not."""
    opener = _OPENER_OF.get(text[-1])
    if opener is None:
        return False
    start = text.rfind(opener, 0, len(text) - 1)
    return start < 0 or bool(_CLAUSE_MARK.search(text, start + 1, len(text) - 1))


class _Copies:
    """Which body blocks deduplication has to judge first: copies, not halves.

    A block whose text occurs inside another body block, or that ``relate``
    finds repeating one (a copy with misreads, with junk glued on, a
    fragment), is left alone before deduplication: glued to its neighbour
    by a chance word (…违建,将9个各自封闭小 + 小区管理…: 小小) or by its junk
    (…拿到了发票。业, + the next copy) it could not be removed. Candidates
    come from one vectorised search, made the first time a join is weighed.
    """

    def __init__(self, blocks: list[Block], config: EngineConfig, lexicon: Lexicon) -> None:
        self._config, self._lexicon = config, lexicon
        # Aligned without the page's context (where else a glued text stands): never shared with
        # deduplication, whose verdicts need it.
        self._memo: dict[tuple[str, str], Relation | None] = {}
        self._body = [b for b in blocks if b.kind is Kind.BODY]
        self._judged: set[tuple[int, ...]] | None = None

    def judged(self, block: Block) -> bool:
        if self._judged is None:
            self._judged = {self._body[k].ids for k in self._find()}
        return block.ids in self._judged

    def _find(self) -> set[int]:
        keys = [compare_key(b.text) for b in self._body]
        judged: set[int] = set()
        cands = find_candidates(keys, self._config, splices=False)
        for left, right in zip(cands.left.tolist(), cands.right.tolist(), strict=True):
            a, b = keys[left], keys[right]
            if (a, b) not in self._memo:
                self._memo[a, b] = relate(a, b, self._config, words=self._lexicon.in_words)
            relation = self._memo[a, b]
            if relation is not None and relation.kind != "splice":
                judged.update((left, right) if relation.dup is None else ((left, right)[relation.dup],))
            elif a in b or b in a:  # whole sentences of the other: maybe editorial, maybe a fragment
                judged.add(left if a in b else right)
        return judged


def reconsider(doc: Document, config: SplitsConfig, lexicon: Lexicon) -> Document:
    """The second look at short unterminated blocks, given their current neighbours.

    A short unterminated line followed by body text that it visibly leaves
    unfinished (a comma, an open quote), or that continues it word-wise while
    the line reads like prose (punctuation inside, too long for a headline),
    is the head of a cut paragraph → ``body``; one whose predecessor is body
    or deck and that continues it word-wise (了兴水梦 after ……而且实现) is that
    block's continuation.

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
        prose = bool(_PROSE_STOP.search(block.text)) or len(block.text) > config.prose_min_chars \
            or opens_paragraph(block.text)  # 新华社耶路撒冷1月22日电(记者支林飞)不 / 久前…
        # No paragraph opens with a comma or a closing mark (日前 / ,魏都区召开…): whatever stands
        # before such a tail, headline-shaped or not, is the head it continues.
        continues = blocks[after].text.lstrip()[:1] in NON_INITIAL
        if evidence.head_cut or (evidence.joint and (prose or continues)):
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


def repair_splits(doc: Document, config: SplitsConfig, engine: EngineConfig, lexicon: Lexicon, *,
                  strong_only: bool = False) -> tuple[Document, list[Edit]]:
    """Join cut paragraphs; return the new document and one edit per join.

    With ``strong_only`` only cuts with strong evidence are joined and nothing
    is logged as suspect: the pipeline runs this before deduplication, so that
    a copy OCR split in two is compared whole.
    """
    blocks = list(doc)
    edits: list[Edit] = []
    copies = _Copies(blocks, engine, lexicon) if strong_only else None
    i = 0
    while i < len(blocks):
        head = blocks[i]
        found = past_captions(blocks, i, 1, config)
        if head.kind not in (Kind.BODY, Kind.DECK) or "\n" in head.text or found is None:
            i += 1
            continue
        j, skipped = found
        tail = blocks[j]
        evidence = cut_evidence(head.text, tail.text, config, lexicon)
        if evidence.veto is not None and evidence.veto != TAIL_OPENS:
            i += 1
            continue
        if evidence.veto is not None:
            rule = ""
        elif tail.continuation and tail.kind is head.kind:
            rule = "continuation"
        elif head.kind is Kind.BODY and tail.kind is Kind.BODY and "\n" not in tail.text:
            if evidence.strong:
                rule = "strong evidence"
            elif (not strong_only and not head.text.endswith("》")  # a block ending in a 《title》 is a headline
                  and not _closes_quotation(head.text)
                  and (len(head.text) > config.prose_min_chars or _FULL_STOP_INSIDE.search(head.text))):
                rule = "unfinished body paragraph followed by body text"
            else:
                rule = ""
        else:
            rule = ""
        if rule and copies is not None and (copies.judged(head) or copies.judged(tail)):
            rule = ""  # a copy: deduplication judges it first
        if not rule:
            if head.kind is Kind.BODY and not strong_only:
                edits.append(Edit("suspect_split", STAGE, i, head.ids + tail.ids, "", len(head.text), {
                    "next_text": tail.text, "next_kind": tail.kind.value,
                    "reasons": [evidence.veto] if evidence.veto else
                    evidence.reasons() or ["head does not end a sentence"]}))
            i += 1
            continue
        joined = replace(head, text=head.text + tail.text, ids=head.ids + tail.ids)
        edits.append(Edit("split_joined", STAGE, i, joined.ids, tail.text, len(head.text), {
            "rule": rule, "reasons": evidence.reasons(), "word": evidence.word,
            "head_end": head.text[-8:], "tail_start": tail.text[:8],
            "captions_moved": skipped, "tail_gap": tail.gap, "tail_kind": tail.kind.value}))
        # head, captions…, tail  ->  head+tail, captions…
        blocks[i : j + 1] = [joined, *blocks[i + 1 : j]]
    return tuple(blocks), edits
