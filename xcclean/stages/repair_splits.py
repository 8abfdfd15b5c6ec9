"""Stage 5: rejoin paragraphs that OCR cut in two (or more) at a blank line.

A body or headline block that does not end a sentence is joined, with no
separator, to the next body block (or a headline-like middle piece) --
skipping up to ``SplitsConfig.max_captions_between`` captions, which then
follow the rejoined paragraph. Vetoes that are facts of the language stay
hard (``cuts.cut_evidence``: terminal punctuation, a trailing dash, a tail
that opens a paragraph, a title and the lede quoting it); every cut they
leave open is weighed by the boundary model (``stages/boundary.py``), a
calibrated logistic regression learned from real paragraph boundaries, and
joined when its probability reaches ``SplitsConfig.join_min_probability``.
Bylines, captions, lists and jump notes are never glued to body text; a
block that ``classify`` found to be a continuation joins its predecessor. A
body block that does not end a sentence but is not joined to the block after
it is logged as ``suspect_split`` with its probability; nothing is logged
for the last block of a page.

The pipeline runs this stage twice: continuations before deduplication (a
copy split in two must be whole to be compared with the paragraph it
copies), the model's joins after it (a truncated copy ends mid-sentence like
the head of a cut: glued to its neighbour it could not be removed). The
first pass leaves alone any block that repeats another: deduplication
judges copies first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from typing import Any

from ..chars import NON_INITIAL, compare_key, ends_sentence
from ..config import EngineConfig, SplitsConfig
from ..engine.align import Relation, relate
from ..engine.candidates import find_candidates
from ..lexicon import Lexicon
from ..model import Block, Document, Edit, Kind, PageText
from .boundary import BoundaryModel, as_matrix, features, shipped_model
from .cuts import TAIL_OPENS, CutEvidence, cut_evidence, opens_paragraph, past_captions

STAGE = "repair_splits"
COPY = "a half repeats another block: a copy, not a cut"
TRIMMED = "deduplicate trimmed a spliced tail off the head: that explains its unfinished end"
COPIED_END = "the head's end stands in another block that goes on otherwise: a copy's cut, not a split"
SHORT_HEAD = "a head this short with no mark or particle at the cut is a title, a name or a label"
READ_ACROSS = "another block holds the head's end run on into the tail's start: the passage read without the cut"
UNSTOPPED = "most paragraphs of the page end without a stop: an unfinished end is the writer's habit"
_HEADS = (Kind.BODY, Kind.HEADLINE, Kind.DECK)
_TAILS = (Kind.BODY, Kind.HEADLINE)
_PROSE_STOP = re.compile(r"[,，;；、:：。!?！？]")


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
                self._memo[a, b] = relate(a, b, self._config, language=self._lexicon)
            relation = self._memo[a, b]
            if relation is not None and relation.kind != "splice":
                judged.update((left, right) if relation.dup is None else ((left, right)[relation.dup],))
            elif a in b or b in a:  # whole sentences of the other: maybe editorial, maybe a fragment
                judged.add(left if a in b else right)
        return judged


# Places kept a gram: a few tell whether another block goes on otherwise (the head's and the tail's
# own places aside), and boilerplate held by hundreds of blocks costs no more.
_PLACES = 4
# Look-ups answered by searching the page's text before one index of all its grams is built: a page
# asks a few dozen (the index cost a fifth of clean() on the seed pages), a page of thousands of
# unfinished lines stays linear.
_SCANS = 64


class _Ends:
    """Where a ``SplitsConfig.copied_end_chars``-gram stands among the page's blocks (as the pass
    began) and what follows it there: the first ``_PLACES`` places in page order, by a search of the
    page's text, or from ``_SCANS`` look-ups on, by one dict of every gram (the same answers)."""

    def __init__(self, blocks: Sequence[Block], config: SplitsConfig) -> None:
        self._width = config.copied_end_chars
        self._blocks = tuple(blocks)
        self._asked = 0
        self._index: dict[str, list[tuple[frozenset[int], str]]] | None = None

    @cached_property
    def _page(self) -> tuple[PageText, list[frozenset[int]]]:
        """The page's searchable text and each block's ids: read the first time a cut asks (most
        passes ask nothing)."""
        return PageText([compare_key(block.text) for block in self._blocks]), [frozenset(b.ids) for b in self._blocks]

    def _build(self) -> dict[str, list[tuple[frozenset[int], str]]]:
        found: dict[str, list[tuple[frozenset[int], str]]] = {}
        n = self._width
        page, owners = self._page
        for key, owner in zip(page.keys, owners, strict=True):
            for at in range(len(key) - n):
                places = found.setdefault(key[at : at + n], [])
                if len(places) < _PLACES:
                    places.append((owner, key[at + n]))
        return found

    def _scan(self, gram: str) -> list[tuple[frozenset[int], str]]:
        places: list[tuple[frozenset[int], str]] = []
        page, owners = self._page
        n = self._width
        at = page.text.find(gram)
        while at >= 0 and len(places) < _PLACES:
            block = page.block_at(at)
            if at + n < page.block_end(block):  # text goes on after the gram in this block
                places.append((owners[block], page.text[at + n]))
            at = page.text.find(gram, at + 1)
        return places

    def places(self, gram: str) -> list[tuple[frozenset[int], str]]:
        """The first places of ``gram`` in page order (block ids, the character after it)."""
        self._asked += 1
        if self._index is None and self._asked > _SCANS:
            self._index = self._build()
        return self._index.get(gram, []) if self._index is not None else self._scan(gram)

    def copied(self, head: Block, tail: Block) -> bool:
        """Whether ``head``'s last characters stand in a block other than these two (of the page as
        the pass began) that goes on with other text than ``tail``."""
        end, start = compare_key(head.text)[-self._width :], compare_key(tail.text)[:1]
        if len(end) < self._width or not start:
            return False
        own = set(head.ids) | set(tail.ids)
        return any(after != start and not owner <= own for owner, after in self.places(end))

    def read_across(self, head: Block, tail: Block) -> bool:
        """Whether another block (of the page as the pass began) holds ``head``'s last
        ``copied_end_chars`` characters (all of them, if fewer) run on into as many of ``tail``'s
        first ones: OCR read the same passage there without the cut."""
        n = self._width
        head_key, tail_key = compare_key(head.text), compare_key(tail.text)
        if len(tail_key) < n:
            return False
        gram = head_key[-n:] + tail_key[:n]
        page, owners = self._page
        own = set(head.ids) | set(tail.ids)
        at = page.text.find(gram)
        while at >= 0:
            if not owners[page.block_at(at)] <= own:
                return True
            at = page.text.find(gram, at + 1)
        return False


# A page's cuts are weighed again by every pass (the second look, the pass before deduplication,
# each round after it), mostly between the same two texts; the evidence and the model's row are
# functions of the texts and kinds at the cut alone, so each is computed once a page (the
# pipeline forgets them with each new page: forget_weighed_cuts).
_WEIGHED_CUTS = 4096


def forget_weighed_cuts() -> None:
    """Drop the cuts weighed so far (a new page begins)."""
    _evidence.cache_clear()
    _row.cache_clear()


@lru_cache(maxsize=_WEIGHED_CUTS)
def _evidence(head: str, tail: str, config: SplitsConfig, lexicon: Lexicon) -> CutEvidence:
    return cut_evidence(head, tail, config, lexicon)


@lru_cache(maxsize=_WEIGHED_CUTS)
def _row(head: str, tail: str, kinds: tuple[Kind, Kind, bool], evidence: CutEvidence, lexicon: Lexicon
         ) -> tuple[float, ...]:
    return tuple(features(head, tail, kinds, evidence, lexicon, shipped_model().table))


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
        evidence = _evidence(block.text, blocks[after].text, config, lexicon)
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
            evidence = _evidence(head, block.text, config, lexicon)
            # A visibly cut head (…并作工作报告,强) skips the dictionary in cut_evidence:
            # the word across the cut (强调) is what shows this line continues it.
            worded = bool(evidence.head_cut) and lexicon.word_across(head, block.text) is not None
            if evidence.veto is None and (evidence.joint or worded):
                blocks[i] = block.with_kind(blocks[before].kind, continuation=True)
    return tuple(blocks)


def weigh_cut(blocks: Sequence[Block], i: int, config: SplitsConfig, lexicon: Lexicon) -> Cut | None:
    """The cut after block ``i`` the boundary model weighs, or None.

    The head is a single-line body, headline or deck block, the tail the
    next block past up to ``max_captions_between`` captions. The model
    weighs the cut (``weighable``) when the tail is a single-line body or
    headline block and the head is not a deck (a deck joins only a
    continuation that classify found); ``cut_evidence``'s vetoes are final.
    """
    head = blocks[i]
    found = past_captions(blocks, i, 1, config)
    if head.kind not in _HEADS or "\n" in head.text or found is None:
        return None
    j, skipped = found
    tail = blocks[j]
    evidence = _evidence(head.text, tail.text, config, lexicon)
    return Cut(j, skipped, evidence, tail.kind in _TAILS and "\n" not in tail.text)


@dataclass(frozen=True)
class Cut:
    """A candidate cut: the tail's index, captions skipped, the rule evidence, and whether the
    model may weigh it (a single-line body or headline tail)."""

    tail: int
    captions: int
    evidence: CutEvidence
    weighable: bool

    def row(self, blocks: Sequence[Block], i: int, lexicon: Lexicon, model: BoundaryModel) -> list[float]:
        """The features of this cut after block ``i``, read with ``model``'s n-gram table."""
        head, tail = blocks[i], blocks[self.tail]
        return features(head.text, tail.text, (head.kind, tail.kind, tail.continuation),
                        self.evidence, lexicon, model.table)

    def shipped_row(self, blocks: Sequence[Block], i: int, lexicon: Lexicon) -> list[float]:
        """:meth:`row` for the shipped model, computed once per cut."""
        head, tail = blocks[i], blocks[self.tail]
        return list(_row(head.text, tail.text, (head.kind, tail.kind, tail.continuation), self.evidence, lexicon))


def unstopped_page(blocks: Sequence[Block], config: SplitsConfig) -> bool:
    """Whether more than ``unstopped_page_share`` of the page's body paragraphs end without a stop:
    the page is written so (posts, chat), and OCR cuts too few paragraphs to make it so.

    >>> body = [Block("今天天气不错,出去走走", (0,)), Block("明天再说吧。", (1,)), Block("大家加油", (2,))]
    >>> unstopped_page(body, SplitsConfig()), unstopped_page(body[:2], SplitsConfig())
    (True, False)
    """
    body = [block for block in blocks if block.kind is Kind.BODY]
    unfinished = sum(not ends_sentence(block.text) for block in body)
    return unfinished > config.unstopped_page_share * len(body)


def _decide(blocks: list[Block], i: int, cut: Cut, config: SplitsConfig, lexicon: Lexicon, strong_only: bool,
            ends: _Ends, unstopped: bool) -> tuple[str, dict[str, Any]]:
    """(rule, facts): the rule that joins the cut ("" for none) and what the edit records.
    ``unstopped``: the page ends most paragraphs without a stop (:func:`unstopped_page`), so
    only rule evidence joins a cut there."""
    head, tail = blocks[i], blocks[cut.tail]
    if cut.evidence.veto is not None:
        return "", {"reasons": [cut.evidence.veto]}
    if head.end_trimmed:
        return "", {"reasons": [TRIMMED]}
    if tail.continuation and tail.kind is head.kind:
        return "continuation", {"reasons": cut.evidence.reasons()}
    if strong_only or not cut.weighable or head.kind is Kind.DECK:
        return "", {"reasons": cut.evidence.reasons() or ["head does not end a sentence"]}
    if ends.read_across(head, tail):
        return "read whole elsewhere", {"reasons": [READ_ACROSS]}
    if len(head.text.strip()) < config.model_min_head_chars and not cut.evidence.marked():
        return "", {"reasons": [SHORT_HEAD]}
    if unstopped and not cut.evidence.reasons():
        return "", {"reasons": [UNSTOPPED]}
    if ends.copied(head, tail):
        return "", {"reasons": [COPIED_END]}
    model = shipped_model()
    row = as_matrix([cut.shipped_row(blocks, i, lexicon)])[0]
    p = float(model.probability(row[None, :])[0])
    facts: dict[str, Any] = {"probability": round(p, 4), "features": model.strongest(row, config.explain_features),
                             "reasons": cut.evidence.reasons()}
    if tail.kind is Kind.HEADLINE:
        # A short middle piece reads like a headline: it is one only if it does not go on
        # into the body text after it either (…责任、压 / 何长成调研企业安全生产工作 / 10月22日,…).
        onward = weigh_cut(blocks, cut.tail, config, lexicon)
        if onward is None or onward.evidence.veto is not None or blocks[onward.tail].kind is not Kind.BODY:
            return "", facts
        p_on = float(model.probability(as_matrix([onward.shipped_row(blocks, cut.tail, lexicon)]))[0])
        facts["onward_probability"] = round(p_on, 4)
        p = min(p, p_on)
    return ("boundary model" if p >= config.join_min_probability else ""), facts


def repair_splits(doc: Document, config: SplitsConfig, engine: EngineConfig, lexicon: Lexicon, *,
                  strong_only: bool = False) -> tuple[Document, list[Edit]]:
    """Join cut paragraphs; return the new document and one edit per join.

    With ``strong_only`` (the pass before deduplication) only continuations
    that classify found are joined, blocks that repeat another are left to
    deduplication, and nothing is logged as suspect: the model waits for
    deduplication, since a truncated copy glued to the paragraph after it
    can no longer be removed (on the tune half, letting the model join
    before deduplication cost 0.015 error reduction on seed 0).
    """
    blocks = list(doc)
    edits: list[Edit] = []
    copies = _Copies(blocks, engine, lexicon) if strong_only else None
    ends = _Ends(blocks, config)
    unstopped = unstopped_page(blocks, config)
    i = 0
    while i < len(blocks):
        cut = weigh_cut(blocks, i, config, lexicon)
        if cut is None or (cut.evidence.veto is not None and cut.evidence.veto != TAIL_OPENS):
            i += 1
            continue
        head, tail = blocks[i], blocks[cut.tail]
        rule, facts = _decide(blocks, i, cut, config, lexicon, strong_only, ends, unstopped)
        if rule and copies is not None and (copies.judged(head) or copies.judged(tail)):
            rule, facts["reasons"] = "", [COPY]
        if not rule:
            if not strong_only and (head.kind is Kind.BODY
                                    or facts.get("probability", 0.0) >= config.suspect_min_probability):
                edits.append(Edit("suspect_split", STAGE, i, head.ids + tail.ids, "", len(head.text), {
                    "next_text": tail.text, "next_kind": tail.kind.value, **facts}))
            i += 1
            continue
        # A head that read like a title (在天 / 伦燃气公司…) is, joined to body text, body: the
        # joined paragraph is judged with the others in the next round.
        kind = Kind.BODY if tail.kind is Kind.BODY else head.kind
        joined = replace(head, text=head.text + tail.text, ids=head.ids + tail.ids, kind=kind)
        edits.append(Edit("split_joined", STAGE, i, joined.ids, tail.text, len(head.text), {
            "rule": rule, **facts, "word": cut.evidence.word,
            "head_end": head.text[-8:], "tail_start": tail.text[:8],
            "captions_moved": cut.captions, "tail_gap": tail.gap, "tail_kind": tail.kind.value}))
        # head, captions…, tail  ->  head+tail, captions…
        blocks[i : cut.tail + 1] = [joined, *blocks[i + 1 : cut.tail]]
    return tuple(blocks), edits
