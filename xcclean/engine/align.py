"""Decide, pair by pair, how two paragraphs repeat each other.

Candidate search only says two paragraphs share shingles; this module says
what the sharing is, with alignments as evidence, the same whichever of the
two comes first on the page:

``exact``        the same text.
``near_copy``    the same text but for OCR noise (misread glyphs, a dropped
                 or doubled glyph or mark: :mod:`xcclean.engine.noise`).
``prefix`` / ``suffix`` / ``inner``
                 one paragraph is a copy of the start / end / a middle span of
                 the other (a truncated OCR fragment): it goes.
``contaminated`` one paragraph is a whole copy of the other with text glued on
                 front or back (an OCR spill): it goes.
``splice``       one paragraph's tail repeats the tail of the other while its
                 head is its own: only the repeated span is redundant.

When one paragraph lies inside the other, named rules decide which is the
damaged copy (:func:`judge_containment`): the extra text of the longer is a
lead-in that quotes (他强调, / 值得注意的是, : editorial, both stay) or the
shorter is a title cited in a line of titles (…他人?,李克强…, or a line with
no full stop: both stay), a
few characters stand in front of a shorter paragraph that opens the way
paragraphs open (OCR junk: the longer goes), the
shorter stops, without a stop, inside a word the longer goes on with (a
truncated copy: the shorter goes), text of the page found elsewhere (a
spill: the longer goes; none leads into a line under twenty characters with
a comma), the shorter is cut mid-sentence (a fragment: the
shorter goes), the extra is a few glued characters around a complete
paragraph (the longer goes), or the shorter is whole sentences of the
longer, verbatim (an OCR copy: it goes; with a word added it is an editor's
echo and stays).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Literal

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.distance import Indel, Levenshtein

from ..chars import CLAUSE_COMMAS, LEAD_IN_RE, NON_INITIAL, SPECKS, ends_sentence, starts_sentence, title_line
from ..config import EngineConfig
from .noise import Language, Noise, Refusal, broken_words, ocr_noise

# ``elsewhere(text, exclude)``: the paragraphs of the page (or corpus) other than ``exclude`` that hold
# ``text``. Without one, nothing counts as found elsewhere.
Elsewhere = Callable[[str, tuple[str, ...]], list[str]]

__all__ = ["Elsewhere", "Language", "Relation", "char_sets", "coverage", "judge_containment", "locate",
           "may_carry_junk", "may_contain", "relate", "relate_each", "relate_pairs", "share_chars"]


@dataclass(frozen=True)
class Relation:
    """How paragraph ``dup`` repeats paragraph ``other`` (indices 0/1 of the pair).

    ``dup`` is None for exact and near copies (which copy goes is decided by
    the caller) and for a splice that both end in. ``dup_span`` is the part of
    ``dup`` that repeats ``other_span`` of the other paragraph; ``junk`` the
    characters of ``dup`` outside it (glued-on text). ``rule`` names the rule
    that decided.
    """

    kind: str
    dup: int | None
    similarity: float
    dup_span: tuple[int, int]
    other_span: tuple[int, int]
    junk: int = 0
    rule: str = ""


def coverage(x: str, y: str, n: int) -> list[bool]:
    """For each character of ``x``, whether an n-gram around it also occurs in ``y``."""
    if len(x) < n or len(y) < n:
        return [False] * len(x)
    grams = {y[i : i + n] for i in range(len(y) - n + 1)}
    covered = [False] * len(x)
    for i in range(len(x) - n + 1):
        if x[i : i + n] in grams:
            covered[i : i + n] = [True] * n
    return covered


def _refine(short: str, long_: str, start: int, end: int, slack: int) -> tuple[int, int]:
    """The exact span of ``long_`` that ``short`` aligns with, near ``[start, end)``: the window
    widened by ``slack`` each side, less the characters only ``long_`` has at its two ends
    (:func:`_closest_edges`)."""
    lo, hi = max(0, start - slack), min(len(long_), end + slack)
    ops = [op for op in Levenshtein.opcodes(short, long_[lo:hi])]
    first, last = 0, len(ops)
    while first < last and ops[first].tag == "insert":
        first += 1
    while last > first and ops[last - 1].tag == "insert":
        last -= 1
    if first == last:
        return start, end
    return _closest_edges(short, long_, lo + ops[first].dest_start, lo + ops[last - 1].dest_end, slack)


def _closest_edges(short: str, long_: str, start: int, end: int, slack: int) -> tuple[int, int]:
    """``[start, end)`` with each edge moved by up to ``slack`` to where ``short`` differs least
    from the span (of equal ones, the nearest to where the alignment put it). Where OCR misread a
    copy's last glyphs (…中国是世在近经国 for …中国是世界上经济增长最快), alignments of equal cost
    put the edge anywhere among them, and one that runs on into the paragraph (增长最快) reads the
    misreads as a word inserted."""
    def nearest(around: int, lo: int, hi: int) -> list[int]:
        return sorted(range(max(lo, around - slack), min(hi, around + slack) + 1), key=lambda at: abs(at - around))

    best, first, last = Levenshtein.distance(short, long_[start:end]), start, end
    for e in nearest(end, start + 1, len(long_)):
        if (d := Levenshtein.distance(short, long_[start:e])) < best:
            best, last = d, e
    for s in nearest(start, 0, last - 1):
        if (d := Levenshtein.distance(short, long_[s:last])) < best:
            best, first = d, s
    return first, last


def locate(short: str, long_: str, config: EngineConfig) -> tuple[int, int] | None:
    """Where the whole of ``short`` stands in ``long_`` (verbatim, or with OCR noise), if anywhere."""
    at = long_.find(short)
    if at >= 0:
        return at, at + len(short)
    found = fuzz.partial_ratio_alignment(short, long_, score_cutoff=config.fragment_min_similarity * 100)
    if found is None:
        return None
    slack = config.max_indel_marks + 2
    return _refine(short, long_, found.dest_start, found.dest_end, slack)


def _position(span: tuple[int, int], length: int) -> str:
    starts, ends = span[0] == 0, span[1] >= length
    return "copy" if starts and ends else "prefix" if starts else "suffix" if ends else "inner"


def _edge_indel(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` differ by a character at either end that only one has: text
    glued on (a direction to judge), not a misread in the middle."""
    for op in Levenshtein.editops(a, b):
        if op.tag == "insert" and op.dest_pos in (0, len(b) - 1):
            return True
        if op.tag == "delete" and op.src_pos in (0, len(a) - 1):
            return True
    return False


def _whole_copy(a: str, b: str, config: EngineConfig, language: Language | None) -> Relation | None:
    """A near copy: the two align end to end with nothing but OCR noise between them."""
    if abs(len(a) - len(b)) > config.max_indel_marks + 1 or min(len(a), len(b)) < config.min_copy_chars:
        return None
    if len(a) != len(b) and _edge_indel(a, b):
        return None  # an extra character at an edge: glued on, judged as containment
    noise = ocr_noise(a, b, config, language)
    if isinstance(noise, Refusal) or noise.unexplained_similarity < config.near_copy_min_similarity:
        return None
    return Relation("near_copy", None, noise.similarity, (0, len(a)), (0, len(b)), rule="misreads only")


# -- which of two nested paragraphs is the damaged copy -------------------------------------
def _spill_source(block: str, part: str, context: str, front: bool, lines: AbstractSet[str], after_stop: bool,
                  opens_better: bool) -> bool:
    """Whether ``block``, which holds ``part``, is where it spilled from rather than a copy (or a
    piece of a copy) of the same paragraph. ``context`` is the paragraph's own text next to the
    glued part in the longer copy (after it for front glue, before it for back glue):

    * text next to ``part`` in ``block`` that agrees with ``context`` (as far as the block goes):
      another copy of this paragraph, or a piece of one OCR cut off (…魏都区 / 区委书记…);
    * other text there: the paragraph the line spilled from;
    * a block that opens with ``part`` and goes on, for glue in front, where the longer opens as
      paragraphs open far better than the shorter (``opens_better``): a paragraph that opens as the
      longer does (本报讯(记 + 者 付家宝)5月14日… against 本报讯(记者魏东雅…: a dateline formula),
      not the block above, whose last line a crop reaching up takes;
    * nothing there: a spill source goes on past the spilled line on its other side (the
      neighbour's first line, then the rest of it); a block that is ``part`` and nothing more is
      the other piece of a copy cut in two (…用严 / 厉的执法…), unless it is one of the page's
      ``lines`` (a byline, a caption: never a piece of a paragraph), which OCR glued on whole
      (本报记者 冯子建 before the paragraph under it), or the longer joins it ``after_stop`` (a
      finished sentence, then the next): two whole paragraphs of the page read as one block,
      where a cut copy's pieces would meet mid-sentence;
    * except that glue behind a copy that stops mid-sentence, which itself finishes that sentence
      (…共同应对 | 国际社会面临的挑战。), is the longer's own last line: a block that opens with it
      and goes on took it in front as a spill (a crop reaching up into the paragraph above), since a
      spill is cut where a line ends and a paragraph's last line is the one that ends with its stop.
    """
    at = block.find(part)
    while at >= 0:
        end = at + len(part)
        if front and at == 0 and end < len(block) and opens_better:
            # the block opens as the longer does and goes on: two paragraphs that open alike
            # (本报讯(记 + 者 付家宝)… and 本报讯(记者魏东雅…), not the block above's last line
            at = block.find(part, at + 1)
            continue
        if front:
            around, beyond = block[end : end + len(context)], block[:at]
            agrees = context.startswith(around)
        else:
            around, beyond = block[max(0, at - len(context)) : at], block[end:]
            agrees = context.endswith(around)
        if not agrees or (not around and (beyond or block in lines or after_stop)
                          and not _took_the_last_line(part, beyond, front, after_stop)):
            return True
        at = block.find(part, at + 1)
    return False


def _spilled(front: str, back: str, short: str, long_: str, span: tuple[int, int], elsewhere: Elsewhere | None,
             config: EngineConfig, lines: AbstractSet[str], language: Language | None = None) -> bool:
    """Every part of the longer's extra text long enough to tell stands in another block of the
    page that does not go on as the longer does: an OCR spill from a neighbouring block (a crop
    that took in another column's line), verbatim or read again with its own misreads
    (:func:`_spill_found`). Parts shorter than ``min_spill_chars`` recur anywhere by
    chance; text found only in other copies of the same paragraph is that paragraph's own; in the
    shorter copy itself only its edge line counts (:func:`_edge_line`). Nothing is a spill in front
    of a short line that the longer leads into with a comma (:func:`_led_into`), nor in front of a
    shorter cut from inside a paragraph (:func:`_opens_inside`)."""
    if elsewhere is None or _led_into(short, front, config) or _opens_inside(short, front):
        return False
    k = config.spill_context_chars
    # the join follows a finished sentence: the glued part's in front, the paragraph's behind
    checks = [(front, long_[span[0] : span[0] + k], True, ends_sentence(front)),
              (back, long_[max(0, span[1] - k) : span[1]], False, ends_sentence(long_[: span[1]]))]
    checks = [c for c in checks if len(c[0]) >= config.min_spill_chars]
    return bool(checks) and all(_spill_found(short, long_, part, context, is_front, after_stop, elsewhere, config,
                                             lines, language)
                                for part, context, is_front, after_stop in checks)


def _spill_found(short: str, long_: str, part: str, context: str, front: bool, after_stop: bool,
                 elsewhere: Elsewhere, config: EngineConfig, lines: AbstractSet[str], language: Language | None
                 ) -> bool:
    """Whether one glued part of the longer spilled from another block (see :func:`_spilled`):
    verbatim, or, where no block holds it verbatim, read again with its own misreads
    (:func:`_misread_spill`)."""
    holders = elsewhere(part, (long_,))
    if holders:
        # the longer opens far better than the shorter (junk_min_opening, as _junk_in_front weighs
        # it the other way round): its text in front is its own opening, which others may share
        opens_better = front and language is not None \
            and language.opening(long_) - language.opening(short) >= config.junk_min_opening
        return any(_edge_line(short, part, front, config) if block == short
                   else _spill_source(block, part, context, front, lines, after_stop, opens_better)
                   for block in holders)
    return _misread_spill(short, long_, part, front, after_stop, elsewhere, config, lines, language)


def _misread_edge_line(short: str, part: str, front: bool, config: EngineConfig, language: Language) -> bool:
    """:func:`_edge_line` up to OCR noise: the shorter's own edge line (its last in front, its first
    behind), or a run of ``min_fragment_chars`` from anywhere in it, read again with misreads."""
    found = _stands_in(part, short, config, language) if len(part) <= len(short) else None
    if found is None:
        return False
    start, end = found[0]
    return len(part) >= config.min_fragment_chars or (end == len(short) if front else start == 0)


def _misread_spill(short: str, long_: str, part: str, front: bool, after_stop: bool, elsewhere: Elsewhere,
                   config: EngineConfig, lines: AbstractSet[str], language: Language | None) -> bool:
    """A glued part that OCR read again with its own misreads, so that no block holds it verbatim:
    a block holds the whole of it up to OCR noise, as a fragment stands in its paragraph
    (:func:`_stands_in`; the blocks looked at are those that hold a piece of it of
    ``min_spill_chars``), and is the part's source: it does not hold the shorter's opening and
    close (another copy of the paragraph, which holds the part for that reason, does), and goes on
    past the part, unless it is one of the page's ``lines`` or the longer joins it ``after_stop``
    (as :func:`_spill_source` reads a block that is the part and nothing more). Or the shorter
    itself is the source, as :func:`_edge_line` reads it (:func:`_misread_edge_line`)."""
    if language is None:
        return False
    if _misread_edge_line(short, part, front, config, language):
        return True
    k = config.min_spill_chars
    ends = (short[: 2 * k], short[-2 * k :])
    for block in _piece_holders(part, elsewhere, (long_, short), k):
        found = _stands_in(part, block, config, language) if len(part) <= len(block) else None
        if found is None or any(end in block for end in ends):
            continue
        start, end = found[0]
        if end - start < len(block) or block in lines or after_stop:
            return True
    return False


def _led_into(short: str, front: str, config: EngineConfig) -> bool:
    """The shorter is a line under ``min_fragment_chars`` that the longer leads into with a comma
    (会议经过表决, + 通过了这三个审查结果报告。): a clause of the longer's own sentence may lead into
    it, as well as glue. Short lines (等参加会见。, 会议还研究了其他事项。) close a writer's sentences
    as often as they stand alone, and the glue OCR puts in front of a paragraph ends wherever a line
    or crop ended, seldom at a comma: the text in front shows no spill. From
    ``min_fragment_chars`` on, a copy names its paragraph whatever leads into it."""
    return len(short) < config.min_fragment_chars and front[-1:] in CLAUSE_COMMAS


def _opens_inside(short: str, front: str) -> bool:
    """The shorter, with text in front of it, opens with a mark no paragraph opens with (a comma, a
    closing bracket: :data:`~xcclean.chars.NON_INITIAL`): it was cut from inside a paragraph, so the
    text in front is that paragraph's own, not a spill glued onto a whole one (本报讯(记者付家宝 in
    front of )3月2日上午,…, where another paragraph of the page opens with the same dateline)."""
    return bool(front) and short[:1] in NON_INITIAL


def _took_the_last_line(part: str, beyond: str, front: bool, after_stop: bool) -> bool:
    """The block goes on past ``part``, which is glue behind a copy that stops mid-sentence and
    finishes that sentence: the longer's own last line, which the block took in front (see
    :func:`_spill_source`)."""
    return bool(beyond) and not front and not after_stop and ends_sentence(part)


def _edge_line(short: str, part: str, front: bool, config: EngineConfig) -> bool:
    """The shorter copy itself as the source of the longer's glued text: a re-read crop that reached
    into it took its edge line (its last line glued in front, its first behind), or the whole of
    it (the paragraph read twice into one block: 丁薛祥、…参加会见。丁薛祥、…参加会见。), or a run of
    ``min_fragment_chars`` or more from anywhere in it (日联合国第一个维和特派团成立以来,已有100多万 in
    front of 自1948年5月29日联合国第一个维和特派团成立以来,已有100多万维和人员…): a paragraph does
    not open by repeating a score of its own characters, and names and formulae that recur are
    shorter. A shorter phrase from its middle says nothing (政府采购 opens one copy and recurs in its
    own 《关于优化政府采购…》)."""
    if len(short) < len(part):
        return False
    if len(part) >= config.min_fragment_chars and part in short:
        return True
    return short.endswith(part) if front else short.startswith(part)


_OPENING_QUOTES = ("“", "‘", "「", "『")
_CLOSING_QUOTES = ("”", "’", "」", "』")
_LOUD_ENDS = ("?", "!", "？", "！")  # marks that end a question or an exclamation


def _quoted(front: str, back: str) -> bool:
    """The shorter stands after words that quote or restate (他强调, / 值得注意的是,), or inside
    quotation marks: the longer quotes it, as writers do; both stay."""
    # startswith/endswith, not ``back[:1] in "”’」』"``: an empty side is in every string, and a
    # fragment that starts inside a quotation and runs to the paragraph's end was taken for quoted
    return bool(LEAD_IN_RE.search(front)) or (front.endswith(_OPENING_QUOTES) and back.startswith(_CLOSING_QUOTES))


def _listed(short: str, long_: str, front: str, back: str) -> bool:
    """The shorter is one whole item of a list the longer runs on with commas, where the longer is
    a line of titles: the comma comes straight after a question or exclamation mark (…到处欺侮恫吓
    他人?,李克强同…: prose never writes a comma after ? or !, which end a sentence), or the line
    reads as titles run together (:func:`~xcclean.chars.title_line`) and another item follows
    (the head of a paragraph OCR cut in two reads so too, and a copy cut at its last comma is its
    cut tail: 精神;…,刘保新指出,…联系广 / 刘保新指出,…联系广). A title cited in a line of titles
    (a 导读 box, related titles), not a cut copy: both stay."""
    item = back[:1] in ",，" and (not front or front[-1] in ",，")
    return item and (short.endswith(_LOUD_ENDS) or (bool(back) and title_line(long_)))


def _specks(front: str, back: str) -> bool:
    """The longer's extra text is nothing but glyphs no Chinese text is written with
    (:data:`~xcclean.chars.SPECKS`: ■, |, _, *: dirt or a rule line that OCR read as marks). It is
    no text of the paragraph, whatever it stands next to (■ before a paragraph does not make the
    paragraph a cut fragment). Punctuation, digits, letters and Han characters are text, and are
    judged by the other rules."""
    extra = front + back
    return bool(extra.strip()) and all(ch in SPECKS or ch.isspace() for ch in extra)


def _junk_in_front(front: str, back: str, short: str, long_: str, config: EngineConfig,
                   language: Language | None) -> bool:
    """A few letters or digits (fewer than ``min_spill_chars``) in front of a whole copy of a
    complete paragraph (nothing behind; the rest as long as the shorter: verbatim, or misread
    glyph for glyph) that opens the way paragraphs open far more than the longer does
    (``junk_min_opening``): OCR junk glued on from a neighbouring line (报记 of 本报记者 before
    至此，…) makes a start no paragraph has, while a copy that lost a paragraph's first characters
    starts mid-word where the paragraph opened well (报道，… of 据报道，…). Which of the two starts
    opens a paragraph, the model compares; neither alone says. A whole copy:
    where two paragraphs of one length only align (马杜罗在习近平陪同下… / 科罗马在习近平陪同下…, two
    names), the longer's first characters are no glue. Too short to look up as a spill; needs the
    language model: a page only. Not longer text: a paragraph whose own opening reads worse than
    a copy cut after it (肃立、整理着装、佩戴 | 红领巾……) would lose it (stop 41, property tests)."""
    return language is not None and not back and 0 < len(front) < config.min_spill_chars \
        and len(long_) == len(front) + len(short) and front.isalnum() and ends_sentence(short) \
        and language.opening(short) - language.opening(long_) >= config.junk_min_opening


def _junk_before_misread_copy(front: str, back: str, short: str, long_: str, span: tuple[int, int],
                              config: EngineConfig, language: Language | None) -> bool:
    """Text in front of a misread copy of a complete paragraph (nothing behind; a line at most,
    ``misread_junk_max_chars``, not ending in a comma), where two readings agree: the shorter
    opens the way paragraphs open far more than the longer (``junk_min_opening``, as
    :func:`_junk_in_front`), and the longer's copy of it is the worse reading (its misreads break
    words the shorter keeps whole: :func:`~xcclean.engine.noise.broken_words`). A paragraph and a
    copy cut out of it read alike (OCR read both from one print), so a cut copy reads no better
    than the paragraph: the misreads say which reading is the copy, and the text in front of it
    junk read with it (因，长期以来区因匹 + 本报杭州1月12日电… read again with misreads, tune
    seed 7; a headline's line misread, 级会议和“创议致长”部长级会议致贺信 + 第七届…, seed 4).
    Either alone says nothing: a paragraph may open worse than a copy cut after its first
    words (肃立、整理着装、佩戴 | 红领巾……), and a misread copy may be the one that lost its opening."""
    part = long_[span[0] : span[1]]
    if language is None or back or not 0 < len(front) <= config.misread_junk_max_chars or part == short \
            or front[-1] in CLAUSE_COMMAS or not ends_sentence(short) or len(short) < config.min_copy_chars:
        return False
    if language.opening(short) - language.opening(long_) < config.junk_min_opening:
        return False
    mine, theirs = broken_words(short, part, Levenshtein.opcodes(short, part), language, config)
    return mine < theirs


def _spill_before_opening(front: str, back: str, short: str, long_: str, config: EngineConfig,
                          language: Language | None, elsewhere: Elsewhere | None) -> bool:
    """Text in front of a complete paragraph (nothing behind) that another block of the page holds,
    read with its own misreads, where the shorter opens as paragraphs open far more than the
    longer does (``junk_min_opening``, as :func:`_junk_in_front` weighs it): a crop that reached up
    into the block above took in that block's last line (the end of the paragraph before, a
    headline), misreads and all, so :func:`_spilled`'s look-up of the whole text misses it, and
    the paragraph after it opens as it opened (本报讯… after 社会各界踊跃捐赠, 联合国秘书长… after
    …将助长仅怖分子的士气,。). A truncated copy starts inside its paragraph, where the complete one
    opened as paragraphs open. Holds: the whole glued text stands in the block up to OCR noise, as a
    fragment stands in its paragraph (:func:`_holds`; the blocks looked at are those that hold a
    piece of it of ``min_spill_chars``), and the block does not hold the shorter's opening too
    (another copy of the longer holds its own text). Not text ending in a comma: that leads into
    the shorter as a clause of its own sentence (肃立…隔着屏幕, + 一个个着装整齐的学子,…: the
    paragraph, beside copies of its first and last clauses; the property tests), as :func:`_glued`
    has it. A writer's lead-in before a paragraph whose
    head OCR cut off (需要指出的是, + 当地时间9日上午,正 of the head's block) is held by no block
    whole. Needs the dictionary and the page: a page only."""
    if language is None or elsewhere is None or back or len(front) < config.min_spill_chars \
            or front[-1] in CLAUSE_COMMAS or not ends_sentence(short) \
            or language.opening(short) - language.opening(long_) < config.junk_min_opening:
        return False
    k = config.min_spill_chars
    opening = short[: 2 * k]
    return any(opening not in block and _holds(block, front, config, language)
               for block in _piece_holders(front, elsewhere, (long_, short), k))


def _piece_holders(text: str, elsewhere: Elsewhere, exclude: tuple[str, ...], k: int) -> list[str]:
    """The blocks (other than ``exclude``) that hold one of ``text``'s consecutive ``k``-character
    pieces, in a fixed order: where text read again with misreads may stand whole up to OCR noise."""
    return sorted({block for i in range(0, len(text) - k + 1, k) for block in elsewhere(text[i : i + k], exclude)})


def _holds(block: str, text: str, config: EngineConfig, language: Language) -> bool:
    """Whether ``text`` stands whole in ``block``, up to OCR noise, as a fragment stands in its
    paragraph (:func:`_stands_in`)."""
    return len(text) <= len(block) and _stands_in(text, block, config, language) is not None


def _stands_in(short: str, long_: str, config: EngineConfig, language: Language | None
               ) -> tuple[tuple[int, int], Noise] | None:
    """Where the whole of ``short`` stands in ``long_`` (:func:`locate`) and how they differ there,
    where that is OCR noise at ``fragment_min_similarity`` (:func:`~xcclean.engine.noise.ocr_noise`)."""
    span = locate(short, long_, config)
    if span is None:
        return None
    noise = ocr_noise(short, long_[span[0] : span[1]], config, language)
    if isinstance(noise, Refusal) or noise.unexplained_similarity < config.fragment_min_similarity:
        return None
    return span, noise


def _cut(short: str, long_: str, span: tuple[int, int]) -> bool:
    """The shorter starts or ends mid-sentence inside the longer: a truncated OCR fragment
    (推进,早日建成达产… starts after 加快; …中小学校创 ends mid-word)."""
    return not starts_sentence(long_, span[0]) or not ends_sentence(short)


def _inside_word(text: str, at: int, language: Language) -> bool:
    """Whether the cut before ``text[at]`` falls inside a dictionary word: a window of two or three
    characters across it is one word (the dictionary's words have two characters or more, so a
    window it covers whole is one word), and the text around it, segmented, keeps both glyphs at
    the cut inside words (…高铁建 | 国务院… reads 建 / 国务院: 建国 is a word only out of context)."""
    lo = max(0, at - 3)
    around = language.in_words(text[lo : at + 3])
    if at - 1 - lo not in around or at - lo not in around:
        return False
    for a, b in ((at - 1, at + 1), (at - 2, at + 1), (at - 1, at + 2)):
        if a >= 0 and b <= len(text) and len(language.in_words(text[a:b])) == b - a:
            return True
    return False


def _cut_in_word(short: str, long_: str, span: tuple[int, int], language: Language | None) -> bool:
    """The shorter stops inside a word of the longer, without a stop (仪式,欢 | 迎科特迪瓦…): OCR
    truncates a copy at any glyph, while text spilled or glued after a paragraph follows its final
    stop, so a word running across the join makes the shorter the cut copy, whatever else on the
    page the longer's extra text is also found in. Only the end: a paragraph's start carries no
    mark, and glue cut anywhere makes a word with its first glyph by chance (…第五次外长 |
    江苏百姓…: 长江)."""
    if language is None or span[1] >= len(long_) or ends_sentence(short):
        return False
    return _inside_word(long_, span[1], language)


def _glued(front: str, back: str, short: str, config: EngineConfig) -> bool:
    """A few characters glued around a complete paragraph: at most ``contamination_max_chars``,
    in front not ending in a comma (a clause of the paragraph's own would lead into it), behind
    not a finished sentence (a sentence of its own would be the longer's text)."""
    return (0 < len(front) + len(back) <= config.contamination_max_chars and ends_sentence(short)
            and front[-1:] not in CLAUSE_COMMAS and not (back and ends_sentence(back)))


def judge_containment(index: int, short: str, long_: str, span: tuple[int, int], similarity: float,
                      config: EngineConfig, language: Language | None = None, elsewhere: Elsewhere | None = None,
                      lines: AbstractSet[str] = frozenset()) -> Relation | None:
    """Which of two nested paragraphs goes, when ``short`` (index ``index`` of the pair) stands
    whole inside ``long_`` at ``span``; None when both stay (editorial). Rules in order: quotation,
    specks, junk in front, cut inside a word, spill, cut fragment, glued characters, verbatim whole
    sentences (see module)."""
    front, back = long_[: span[0]], long_[span[1] :]
    other = 1 - index
    whole = (0, len(short))
    if _quoted(front, back) or _listed(short, long_, front, back):
        return None
    if _specks(front, back) and len(short) >= config.min_copy_chars:
        return Relation("contaminated", other, similarity, span, whole, len(front) + len(back),
                        "specks read as marks glued on")
    if _junk_in_front(front, back, short, long_, config, language) and len(short) >= config.min_copy_chars:
        return Relation("contaminated", other, similarity, span, whole, len(front),
                        "a few characters glued in front of a paragraph's opening")
    if _junk_before_misread_copy(front, back, short, long_, span, config, language):
        return Relation("contaminated", other, similarity, span, whole, len(front),
                        "junk in front of a misread copy of a paragraph's opening")
    if _spill_before_opening(front, back, short, long_, config, language, elsewhere):
        return Relation("contaminated", other, similarity, span, whole, len(front),
                        "a paragraph's opening after a line found elsewhere on the page")
    if _cut_in_word(short, long_, span, language):
        if not _long_enough(short, long_, span, config, elsewhere) \
                or _better_reading(short, long_, span, config, language):
            return None
        return Relation(_position(span, len(long_)), index, similarity, whole, span,
                        rule="cut inside a word: a truncated copy")
    if _spilled(front, back, short, long_, span, elsewhere, config, lines, language):
        return Relation("contaminated", other, similarity, span, whole, len(front) + len(back),
                        "the glued-on text is found elsewhere on the page")
    if _cut(short, long_, span):
        if not _long_enough(short, long_, span, config, elsewhere) \
                or _better_reading(short, long_, span, config, language):
            return None
        return Relation(_position(span, len(long_)), index, similarity, whole, span,
                        rule="cut mid-sentence: a truncated copy")
    if _glued(front, back, short, config) and len(short) >= config.min_copy_chars:
        return Relation("contaminated", other, similarity, span, whole, len(front) + len(back),
                        f"{len(front) + len(back)} characters glued around a complete paragraph")
    if not _long_enough(short, long_, span, config, elsewhere):
        return None
    if isinstance(ocr_noise(short, long_[span[0] : span[1]], config, language, strict=True), Refusal):
        return None  # whole sentences repeated with a word added: an editor's echo
    return Relation(_position(span, len(long_)), index, similarity, whole, span,
                    rule="whole sentences repeated verbatim")


def _better_reading(short: str, long_: str, span: tuple[int, int], config: EngineConfig,
                    language: Language | None) -> bool:
    """Whether the longer has only a few characters more (fewer than ``min_spill_chars``) and the
    shorter reads whole words where the longer breaks them (:func:`broken_words`). Then the longer
    may be the shorter's text misread with a few characters glued on (号开 before a misread copy)
    as well as the paragraph the shorter lost its first or last characters from; which, the two
    readings do not say, and removing the shorter would keep the misreads either way: both stay.
    More extra text than that is part of a paragraph the shorter was cut from, however either is
    read. Needs the dictionary: a page only."""
    part = long_[span[0] : span[1]]
    if language is None or part == short or len(long_) - len(part) >= config.min_spill_chars:
        return False
    mine, theirs = broken_words(short, part, Levenshtein.opcodes(short, part), language, config)
    return mine < theirs


def _long_enough(short: str, long_: str, span: tuple[int, int], config: EngineConfig,
                 elsewhere: Elsewhere | None) -> bool:
    """A fragment goes from ``min_fragment_chars`` up; down to ``min_unique_fragment_chars`` when
    it stands verbatim in ``long_`` and its text occurs nowhere else (a name or formula of a few
    characters recurs across a page; a cut piece of one paragraph occurs only in that paragraph,
    and in other copies of it: a block that is a piece of ``long_`` or holds the whole of it holds
    the shorter for that reason alone).
    Verbatim: a short line that differs from the span it matches occurs nowhere by construction,
    and one character apart is how a parallel line differs (王毅、何立峰参加上述活动。 against
    …王毅、何立峰等参加上述活动。)."""
    if len(short) >= config.min_fragment_chars:
        return True
    if elsewhere is None or len(short) < config.min_unique_fragment_chars or long_[span[0] : span[1]] != short:
        return False
    return all(holder in long_ or long_ in holder for holder in elsewhere(short, (short, long_)))


def _contained(a: str, b: str, config: EngineConfig, language: Language | None, elsewhere: Elsewhere | None,
               lines: AbstractSet[str]) -> Relation | Literal[False] | None:
    """The relation of two nested paragraphs, None when both stay, False when neither is inside the other."""
    index, short, long_ = (0, a, b) if len(a) <= len(b) else (1, b, a)
    if len(short) < config.min_unique_fragment_chars:
        return False
    found = _stands_in(short, long_, config, language)
    if found is None:
        return False
    span, noise = found
    if span == (0, len(long_)):
        return Relation("near_copy", None, noise.similarity, (0, len(a)), (0, len(b)), rule="misreads only")
    return judge_containment(index, short, long_, span, noise.similarity, config, language, elsewhere, lines)


# -- splices ---------------------------------------------------------------------------------
def _runs(covered: list[bool], bridge: int) -> list[tuple[int, int]]:
    """Covered stretches, bridging uncovered gaps of up to ``bridge`` characters (misreads)."""
    runs: list[tuple[int, int]] = []
    start = None
    gap = 0
    for i, c in enumerate(covered + [False] * (bridge + 1)):
        if c:
            if start is None:
                start = i
            gap = 0
        elif start is not None:
            gap += 1
            if gap > bridge:
                runs.append((start, i - gap + 1))
                start, gap = None, 0
    return runs


_Splice = tuple[tuple[int, int], tuple[int, int], float]


def _splice(x: str, y: str, covered: list[bool], config: EngineConfig) -> _Splice | None:
    """A long tail of ``x`` that repeats the tail of ``y``, the head of ``x`` its own.

    Only tails: two paragraphs opening with the same long phrase (习近平总书记在
    中央政治局专题民主生活会上…) are common editorial formulae. A span repeated
    from the *middle* of ``y`` is not a splice either: a list of names is.
    The head's own characters, past any opening it shares with ``y``, must be
    more than a few: ``x`` that opens as ``y`` opens and ends as ``y`` ends
    with a few words between (煤炭大省山西以改革促转型, + 记者了解到 + the rest)
    is ``y`` with words put in, an editor's echo, not two paragraphs joined.
    """
    shared = next((i for i, (p, q) in enumerate(zip(x, y, strict=False)) if p != q), min(len(x), len(y)))
    for start, end in _runs(covered, config.splice_bridge_chars):
        # The tail must reach the end; the head must be more than a few glued characters.
        if end < len(x) - 1 or start - shared <= config.contamination_max_chars \
                or end - start < config.splice_min_chars:
            continue
        found = fuzz.partial_ratio_alignment(x[start:end], y, score_cutoff=config.fragment_min_similarity * 100)
        if found is None or found.dest_end < len(y) - 1:
            continue
        span = _refine(x[start:end], y, found.dest_start, found.dest_end, config.max_indel_marks + 2)
        noise = ocr_noise(x[start:end], y[span[0] : span[1]], config)
        if isinstance(noise, Noise) and noise.similarity >= config.fragment_min_similarity:
            return (start, end), span, noise.similarity
    return None


def _splice_relation(a: str, b: str, config: EngineConfig) -> Relation | None:
    n = config.shingle_size
    fa, fb = _splice(a, b, coverage(a, b, n), config), _splice(b, a, coverage(b, a, n), config)
    if fa and fb:  # both end in the shared span: the caller decides whose it is
        return Relation("splice", None, min(fa[2], fb[2]), fa[0], fb[0], rule="both end in the same span")
    if fa:
        return Relation("splice", 0, fa[2], fa[0], fa[1], rule="a tail repeated after a head of its own")
    if fb:
        return Relation("splice", 1, fb[2], fb[0], fb[1], rule="a tail repeated after a head of its own")
    return None


def relate(a: str, b: str, config: EngineConfig, *, splices: bool = True, language: Language | None = None,
           elsewhere: Elsewhere | None = None, lines: AbstractSet[str] = frozenset()) -> Relation | None:
    """How ``a`` and ``b`` (compare keys, in either order) repeat each other.

    ``splices``: also look for spliced tails (a page; not a corpus).
    ``language``: a dictionary and a character n-gram model (a
    :class:`~xcclean.lexicon.Lexicon`), for misreads of two characters or
    more and cuts inside a word. ``elsewhere``: where else the page's text stands (spills,
    unique short fragments); without it those rules do not apply. ``lines``:
    the compare keys of the page's bylines, captions and jump notes, lines
    that are never a piece of a paragraph.

    >>> c = EngineConfig()
    >>> relate("该项目负责人贺浩亮说,要实现高质量发展,必须加快推进,早日建成达产,他们深感重任在肩,时不我待。",
    ...        "推进,早日建成达产,他们深感重任在肩,时不我待。", c).kind
    'suffix'
    >>> quote = "刘中锋说,“我们当用最刚性的要求提升教育的温度。”"
    >>> r = relate("取得了成就。" + quote, quote, c)
    >>> r.kind, r.dup, r.junk
    ('contaminated', 0, 6)
    >>> relate("通水7年来,已累计为我市供水10.15亿立方米,受益人口达227万。",
    ...        "——通水7年来,该工程已累计为我市供水10.15亿立方米,受益人口达227万;", c) is None
    True
    """
    if a == b:
        return Relation("exact", None, 1.0, (0, len(a)), (0, len(b)), rule="the same text") \
            if len(a) >= config.min_copy_chars else None
    whole = _whole_copy(a, b, config, language)
    if whole is not None:
        return whole
    nested = _contained(a, b, config, language, elsewhere, lines)
    if nested is not False:
        return nested
    return _splice_relation(a, b, config) if splices else None


# -- many pairs at once (the corpus) ------------------------------------------------------------
_SET_BITS = 256  # bits of a character set: a paragraph's ~50 distinct characters fill a fifth
_SET_CHUNK = 8192  # texts at a time
_POPCOUNT = np.array([bin(v).count("1") for v in range(256)], dtype=np.int64)


def char_sets(texts: Sequence[str]) -> np.ndarray:
    """Each text's characters as a 256-bit set (a one-hash Bloom filter), shape ``(len(texts), 32)``,
    uint8: a character present sets its bit, so a bit set in one text and not in another stands
    for at least one character the other lacks."""
    out = np.empty((len(texts), _SET_BITS // 8), dtype=np.uint8)
    for first in range(0, len(texts), _SET_CHUNK):  # a chunk's arrays stay in cache
        chunk = texts[first : first + _SET_CHUNK]
        lengths = np.fromiter(map(len, chunk), dtype=np.int64, count=len(chunk))
        codes = np.frombuffer("".join(chunk).encode("utf-32-le"), dtype=np.uint32)
        with np.errstate(over="ignore"):
            bit = (codes * np.uint32(0x9E3779B1)) >> np.uint32(24)  # Fibonacci hashing: the top 8 bits
        present = np.zeros((len(chunk), _SET_BITS), dtype=bool)
        present.reshape(-1)[np.repeat(np.arange(0, len(chunk) * _SET_BITS, _SET_BITS), lengths) + bit] = True
        out[first : first + len(chunk)] = np.packbits(present, axis=1)
    return out


def share_chars(sets: np.ndarray, lengths: np.ndarray, left: np.ndarray, right: np.ndarray, config: EngineConfig
                ) -> np.ndarray:
    """For pairs of texts ``(left[k], right[k])``: False where the shorter holds more distinct characters
    the longer lacks than it may misread, so that the common-subsequence bound
    (:func:`_common_bound`) must fail too. ``sets``: :func:`char_sets` of the texts, ``lengths``
    theirs.

    Sound, never stricter than that bound: each bit of the shorter's set missing from the longer's
    stands for a different character of the shorter that no alignment can match. Tens of
    nanoseconds a pair, where the bound costs a microsecond or two: where boilerplate clauses pair
    texts by chance, most candidate pairs end here.
    """
    swap = lengths[left] > lengths[right]
    short, long_ = np.where(swap, right, left), np.where(swap, left, right)
    missing = sets[short] & ~sets[long_]
    count = _POPCOUNT[missing].sum(axis=1)
    size = lengths[short]
    ok: np.ndarray = count <= np.maximum(1, config.max_misread_share * size)
    return ok


def _common_bound(a: Sequence[str], b: Sequence[str], config: EngineConfig, workers: int) -> np.ndarray:
    """For pairs ``(a[k], b[k])``: whether the shorter keeps all but its OCR noise in common with the
    longer (longest common subsequence, bit-parallel in bulk: rapidfuzz ``cpdist``, microseconds a
    pair). Every relation needs it: a copy differs by at most ``max_misread_share`` of its length, a
    fragment lies whole inside the other."""
    from rapidfuzz.process import cpdist

    la = np.fromiter(map(len, a), dtype=np.int64, count=len(a))
    lb = np.fromiter(map(len, b), dtype=np.int64, count=len(b))
    short = np.minimum(la, lb)
    common = (la + lb - cpdist(a, b, scorer=Indel.distance, dtype=np.int64, workers=workers)) // 2
    ok: np.ndarray = common >= short - np.maximum(1, config.max_misread_share * short)
    return ok


def _aligns(a: Sequence[str], b: Sequence[str], config: EngineConfig, workers: int) -> np.ndarray:
    """For pairs ``(a[k], b[k])``: whether the shorter aligns with a span of the longer with the
    fragment similarity (rapidfuzz ``partial_ratio`` in bulk)."""
    from rapidfuzz.process import cpdist

    score = cpdist(a, b, scorer=fuzz.partial_ratio, score_cutoff=config.fragment_min_similarity * 100,
                   workers=workers)
    found: np.ndarray = score != 0
    return found


def _far(a: Sequence[str], b: Sequence[str], config: EngineConfig) -> np.ndarray:
    """Pairs whose lengths differ by more than OCR noise: one can only lie within the other."""
    la = np.fromiter(map(len, a), dtype=np.int64, count=len(a))
    lb = np.fromiter(map(len, b), dtype=np.int64, count=len(b))
    far: np.ndarray = np.abs(la - lb) > config.max_indel_marks + 1
    return far


def _length_gap_aligns(a: Sequence[str], b: Sequence[str], config: EngineConfig, workers: int) -> np.ndarray:
    """For pairs ``(a[k], b[k])``: whether the pair passes the alignment bound. Where the lengths
    differ by more than noise (:func:`_far`) the shorter must align with a span of the longer with
    the fragment similarity (:func:`_aligns`); other pairs pass."""
    ok = np.ones(len(a), dtype=bool)
    far = np.flatnonzero(_far(a, b, config))
    if len(far):
        ok[far] = _aligns([a[k] for k in far.tolist()], [b[k] for k in far.tolist()], config, workers)
    return ok


def may_contain(a: Sequence[str], b: Sequence[str], config: EngineConfig, workers: int = 1) -> np.ndarray:
    """For pairs ``(a[k], b[k])``: False where neither can lie within the other, nor be its near copy.

    Bit-parallel bounds in bulk (rapidfuzz ``cpdist``, microseconds a pair,
    on ``workers`` threads), before any character-level alignment: the
    shorter must keep all but its OCR noise in common with the longer
    (:func:`_common_bound`), and where the two differ in length by more than
    noise, it must align with the fragment similarity.
    """
    if not len(a):
        return np.ones(0, dtype=bool)
    ok = _common_bound(a, b, config, workers)
    kept = np.flatnonzero(ok)
    ok[kept] = _length_gap_aligns([a[k] for k in kept.tolist()], [b[k] for k in kept.tolist()], config, workers)
    result: np.ndarray = ok
    return result


def _quick(x: str, y: str, config: EngineConfig) -> Relation | Literal[False] | None:
    """The answer for one pair where it is cheap (equal, equal-length misreads, verbatim nesting); False
    where the pair needs the full alignment."""
    if x == y:
        return relate(x, y, config)
    if len(x) == len(y) and len(x) >= config.min_copy_chars:
        noise = ocr_noise(x, y, config)
        if isinstance(noise, Noise) and noise.similarity >= config.near_copy_min_similarity:
            return Relation("near_copy", None, noise.similarity, (0, len(x)), (0, len(y)), rule="misreads only")
    index, short, long_ = (0, x, y) if len(x) <= len(y) else (1, y, x)
    at = long_.find(short) if len(short) < len(long_) else -1
    if at < 0 or len(short) < config.min_unique_fragment_chars:
        return False
    return judge_containment(index, short, long_, (at, at + len(short)), 1.0, config)


def relate_pairs(a: Sequence[str], b: Sequence[str], config: EngineConfig, workers: int = 1
                 ) -> list[Relation | Literal[False] | None]:
    """``relate(a[k], b[k], splices=False)`` for many pairs, where it is cheap.

    Pairs that fail the bulk common-subsequence bound (:func:`_common_bound`,
    which every copy, near copy and fragment passes) are None at once, before
    any work a pair in Python: where chance overlap is everywhere (formulae,
    boilerplate clauses) most candidate pairs end there. Of the rest, exact
    copies, equal-length near copies and verbatim nesting are answered
    inline, and pairs that cannot contain one another by the alignment bound
    of :func:`may_contain`. ``False`` marks a pair that needs the full
    alignment: the caller runs :func:`relate` on it when the answer matters.
    ``workers``: threads for the bulk bounds (the answers do not depend on it).
    """
    out: list[Relation | Literal[False] | None] = [None] * len(a)
    if not len(a):
        return out
    unsure = []
    for k in np.flatnonzero(_common_bound(a, b, config, workers)).tolist():
        out[k] = verdict = _quick(a[k], b[k], config)
        if verdict is False:
            unsure.append(k)
    aligned = _length_gap_aligns([a[k] for k in unsure], [b[k] for k in unsure], config, workers)
    for k, ok in zip(unsure, aligned.tolist(), strict=True):
        if not ok:
            out[k] = None
    return out


def relate_each(a: Sequence[str], b: Sequence[str], config: EngineConfig) -> list[Relation | None]:
    """:func:`relate_pairs` with every pair answered: the ones it leaves are aligned here."""
    verdicts = relate_pairs(a, b, config)
    return [relate(x, y, config, splices=False) if verdict is False else verdict
            for x, y, verdict in zip(a, b, verdicts, strict=True)]


def may_carry_junk(a: str, b: str, config: EngineConfig) -> bool:
    """Whether one of ``a`` and ``b`` could be the other with a few characters glued on
    (``contamination_max_chars``), read with OCR's own noise: a doubled glyph or an added mark
    (up to ``max_indel_marks`` + 1, as :func:`_far` allows a near copy) makes the copy that much
    longer besides its glue."""
    short = a if len(a) <= len(b) else b
    most = config.contamination_max_chars + config.max_indel_marks + 1
    return 0 < abs(len(b) - len(a)) <= most and len(short) >= config.min_copy_chars and ends_sentence(short)
