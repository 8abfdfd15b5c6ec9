"""Whether two aligned texts differ only the way OCR makes copies differ.

OCR misreads one glyph at a time (``已`` for ``己``), now and then drops or
doubles a glyph or a mark, splits a glyph in two (``文`` read as ``支-``). It
does not change figures, replace a word by another word, or insert a word:
those are how an editor writes a second, different paragraph. It may drop a
figure, which leaves its unit orphaned where no editor would (今年4月 /
今年月): with a language model at hand that is a dropped glyph. Each
difference in the alignment is weighed by a named rule; the first rule that
refuses says why the two are not copies (:class:`Refusal`), otherwise the
differences are counted (:class:`Noise`).

>>> from xcclean.config import EngineConfig
>>> c = EngineConfig()
>>> ocr_noise("我市共接收安置移民4208户16454人。", "我市共接收安置移民4208户16454人。", c).similarity
1.0
>>> ocr_noise("检查组听取了吉林省人民政府的汇报。", "检查组听取了吉林省人民政府的江报。", c).substituted
1
>>> ocr_noise("全市共排查隐患1298处,整改率95.1%。", "全市共排查隐患1288处,整改率94.4%。", c).rule
'figures differ'
>>> ocr_noise("通水7年来,已累计为我市供水。", "通水7年来,该工程已累计为我市供水。", c).rule
'a word inserted'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Protocol

from rapidfuzz.distance import Levenshtein, Opcode, Opcodes

from ..chars import HAN_RE
from ..config import EngineConfig


class Language(Protocol):
    """What the engine reads about the language (:class:`~xcclean.lexicon.Lexicon` gives both)."""

    def in_words(self, text: str) -> AbstractSet[int]:
        """Positions of ``text`` that fall inside a dictionary word."""

    def log_likelihood(self, text: str, start: int, end: int) -> float:
        """Log-probability of ``text[start:end]`` in context (a character n-gram model)."""

    def opening(self, text: str) -> float:
        """How much more often paragraphs open with ``text``'s first characters than running text reads them."""


@dataclass(frozen=True)
class Noise:
    """The differences of two texts that OCR could have made: substituted characters,
    inserted or dropped ones, the normalised Levenshtein similarity, and the share of the longer
    text that differs where the dictionary shows a misread (a word broken on one side only, a
    doubled glyph: :func:`_shown_chars`)."""

    substituted: int
    indels: int
    similarity: float
    shown_share: float = 0.0
    rule: None = None  # a Noise is no refusal (lets callers test ``.rule`` on either)

    @property
    def unexplained_similarity(self) -> float:
        """The similarity with the differences that show a misread counted as equal: how alike the
        two read where OCR's hand is not seen. The page's similarity limits apply to it."""
        return min(1.0, self.similarity + self.shown_share)


@dataclass(frozen=True)
class Refusal:
    """The two texts differ as edited text does: ``rule`` names the difference."""

    rule: str


_NUMERALS = frozenset("一二三四五六七八九十百千万亿零〇两")
# Marks that end a line of verse or a clause (full- and half-width; the empty string never matches).
_CLAUSE_MARKS = frozenset("，。！？；：、,.!?;:")
# Particles that close a line of classical verse (诗经's 兮 矣 也 哉 乎 只 止 思 之).
_LINE_PARTICLES = frozenset("兮矣也哉乎只止思之")
_CLAUSE_SPLIT = re.compile(f"[{re.escape(''.join(sorted(_CLAUSE_MARKS)))}]")


def _is_digit(char: str) -> bool:
    """An Arabic digit or a Chinese numeral: 第二十四号 and 第二十三号 are two decrees."""
    return "0" <= char <= "9" or char in _NUMERALS


def _figures_differ(x: str, y: str) -> bool:
    """A difference that changes a figure: a digit put for another digit, or a digit added or
    dropped. A digit opposite a character that is no digit is a misread, not another figure: a
    report that differs states another figure (1298 for 1288, 第二十三号 for 第二十四号), it does not
    put a word where a figure stood (1O for 10, 两 read as 雨). Read as :func:`_difference` reads
    a run: the characters opposite each other from its start, then the longer side's rest, added
    or dropped; so a numeral read for a glyph beside a lost mark (应运而兴。 read 应运而六) is a
    misread, and a digit in the rest (1298 / 12980) changes the figure."""
    if not any(map(_is_digit, x + y)):
        return False
    common = min(len(x), len(y))
    rest = x[common:] + y[common:]
    return any(_is_digit(a) and _is_digit(b) for a, b in zip(x, y, strict=False)) or any(map(_is_digit, rest))


def _dropped_figure(op: Opcode, x: str, y: str, sides: _Sides | None, config: EngineConfig) -> bool:
    """Digits on one side only whose absence leaves the other side at least
    ``config.dropped_figure_min_nats`` less likely there (the digits and the two characters after
    them, against those two characters after the gap): OCR dropped a figure and left its unit
    orphaned (到今年4月。 / 到今年月。). Another figure an editor wrote reads as language."""
    left, right = x[op.src_start : op.src_end], y[op.dest_start : op.dest_end]
    if sides is None or (left and right) or not all(map(_is_digit, left + right)):
        return False
    gain = run_gain(x, y, op, sides.language)
    return (gain if left else -gain) >= config.dropped_figure_min_nats


def _misread_numeral(op: Opcode, x: str, y: str, sides: _Sides | None, config: EngineConfig) -> bool:
    """Chinese numerals put for one another where one reading is at least
    ``config.misread_numeral_min_nats`` less likely than the other (the run and the two characters
    after it): OCR read a glyph of like shape, leaving what the language hardly writes (近二名 for
    近千名 12.7 nats, 三干多 for 三千多 10.3, 一带二路 26.7), while a report that states another figure
    reads as language too (三中全会 / 六中全会 3.9, 两国 / 三国 1.8, 五成 / 三成 1.3). Arabic digits are
    one symbol to the model (1298 / 1288: 0) and stay distinct."""
    left, right = x[op.src_start : op.src_end], y[op.dest_start : op.dest_end]
    if sides is None or op.tag != "replace" or len(left) != len(right) \
            or not any(char in _NUMERALS for char in left + right) or any("0" <= c <= "9" for c in left + right):
        return False
    return abs(run_gain(x, y, op, sides.language)) >= config.misread_numeral_min_nats


def _percent_speck(op: Opcode, x: str, y: str) -> bool:
    """Arabic digits on one side only, right after a percent sign: no figure is written there
    (a number is not set right after ``%``: of the corpus's 4,258 percent signs one is, in a range
    that lost its dash), while OCR reads the sign's small circles as one more digit (66.8%6, 4.2%6:
    a tenth of the percent signs on the rendered tune pages). A misread, not another figure."""
    left, right = x[op.src_start : op.src_end], y[op.dest_start : op.dest_end]
    if left:
        extra, before = left, x[op.src_start - 1 : op.src_start]
    else:
        extra, before = right, y[op.dest_start - 1 : op.dest_start]
    return not (left and right) and before in ("%", "％") and all("0" <= ch <= "9" for ch in extra)


def run_gain(x: str, y: str, op: Opcode, language: Language) -> float:
    """How many nats likelier the character n-gram model reads ``x`` than ``y`` at one difference of
    their alignment: each side's run and the two characters after it, in context."""
    return language.log_likelihood(x, op.src_start, op.src_end + 2) \
        - language.log_likelihood(y, op.dest_start, op.dest_end + 2)


# The mood a sentence-final mark gives its sentence: OCR confuses marks of like shape (，、．。),
# not a statement with an exclamation or a question.
_MOOD = {"。": "statement", "！": "exclamation", "!": "exclamation", "？": "question", "?": "question"}


def _mood_changed(x: str, y: str) -> bool:
    """A sentence-final mark put for one of another mood (…的祝贺。 / …的祝贺！): the writer's choice,
    as two reports of one event end differently; a misread keeps the mark's shape."""
    return x in _MOOD and y in _MOOD and _MOOD[x] != _MOOD[y]


class _Sides:
    """Which characters of the two texts stand inside dictionary words (computed once a pair)."""

    def __init__(self, x: str, y: str, language: Language) -> None:
        self.x, self.y, self.language = x, y, language
        self.in_x, self.in_y = language.in_words(x), language.in_words(y)

    def whole_word(self, op: Opcode, intact_left: bool) -> bool:
        """Whether the substituted run on the intact side is one dictionary word by itself: a word put
        for a word (a name for a name: 汪洋 / 韩正, 普京 / 邦戈; 会议 / 快评), which the dictionary
        shows as "broken" on the other side only because it lacks the new word. A misread hits glyphs
        whatever the word boundaries: its run lies inside a longer word (全力以赴 / 全力巳赵)."""
        run = self.x[op.src_start : op.src_end] if intact_left else self.y[op.dest_start : op.dest_end]
        return len(self.language.in_words(run)) == len(run)

    def broken_on_one_side(self, op: Opcode) -> bool:
        """Whether the substituted run breaks a word on one side and not on the other."""
        left, right = self.broken(op)
        return left != right

    def broken(self, op: Opcode) -> tuple[bool, bool]:
        """Whether, on each side, a Han character of the substituted run stands in no word."""
        left = any(i not in self.in_x and HAN_RE.match(self.x[i]) for i in range(op.src_start, op.src_end))
        right = any(i not in self.in_y and HAN_RE.match(self.y[i]) for i in range(op.dest_start, op.dest_end))
        return left, right

    def glyph_shown(self, text: str, at: int, width: int, longer_left: bool) -> bool:
        """Whether Han characters on one side only (``text[at:at + width]``) show a misread: they
        double a neighbour (OCR read a glyph twice: 要要加快), or stand inside a word there that
        the other side breaks by lacking them (讲话 / 话). One between whole words (我的父亲 /
        我父亲, 何立峰等参加 / 何立峰参加) is what an editor adds or leaves out as readily as OCR."""
        extra = text[at : at + width]
        if extra in text[at - 1 : at] + text[at + width : at + width + 1]:
            return True
        words = self.in_x if longer_left else self.in_y
        return any(i in words for i in range(at, at + width))

    def garbled(self, op: Opcode, left: bool, right: bool, config: EngineConfig) -> bool:
        """Whether the run is a misread by the language model (:func:`garbled_side`) whose garbled
        side also breaks a word."""
        side = garbled_side(self.x, self.y, op, self.language, config)
        return side is not None and (left if side == 0 else right)


def garbled_side(x: str, y: str, op: Opcode, language: Language, config: EngineConfig) -> int | None:
    """Which side of an equal-length substituted run (0: ``x``, 1: ``y``) is a string the language
    hardly writes where the other reads as it does: each of its characters, and the one after the
    run, ``garbled_min_drop`` nats less likely than the other side's, for runs up to
    ``max_garbled_run``. None: neither. OCR puts a glyph for a glyph whatever the language
    (美国 / 到飞, 等陪同 / 陪的员); an editor who puts a word or a name for another writes language
    (出席 / 参加, 张庆黎 / 王家瑞), so both sides stay about as likely."""
    width = op.src_end - op.src_start
    if width != op.dest_end - op.dest_start or not 0 < width <= config.max_garbled_run:
        return None
    # the character after the run is read too: a misread breaks the way out of the run as well
    ll_x = language.log_likelihood(x, op.src_start, op.src_end + 1)
    ll_y = language.log_likelihood(y, op.dest_start, op.dest_end + 1)
    if abs(ll_x - ll_y) < config.garbled_min_drop * (width + 1):
        return None
    return 0 if ll_x < ll_y else 1


def broken_words(a: str, b: str, runs: Opcodes, language: Language, config: EngineConfig) -> tuple[int, int]:
    """For each text, how many of the characters where the two differ show a misread: they stand
    outside dictionary words there while the other reading keeps its words whole (a misread glyph,
    a dropped or doubled one, leaves a word broken: 推迸 / 推进, 话 / 讲话). A difference broken on
    both sides or on neither (要 / 并, two one-glyph words) shows nothing either way: counted, it would
    charge the clean reading once for each misread copy it is compared with. ``runs``: the
    alignment's opcodes.

    Characters on one side only (:func:`_one_side_shown`) show a misread on the short side where a
    character beside the gap stands outside words there and inside one on the long side (讲 dropped
    from 讲话 leaves 话), and on the long side where a glyph doubles its neighbour (推进进改革). A
    glyph that does neither shows nothing: OCR doubles glyphs and drops them but does not add one
    from nowhere, so it is a one-glyph word the other side lost (贷款上。 / 贷款。); and a speck
    read as a mark beside two one-glyph words (而-在 / 而在) leaves them as they were. A comma
    between two Han characters is told by the language model (:func:`_comma_shown`): Tesseract
    drops commas where clauses meet (the real-OCR tune pages: 96 single commas lost against the
    typeset text, none added) while the generator adds them anywhere, and the words around the gap
    tell neither apart. A colon or semicolon keeps the older test, the short side's characters
    beside the gap outside words: no evidence either way.
    """
    words_a, words_b = language.in_words(a), language.in_words(b)
    shown_a = shown_b = 0
    for run in runs:
        if run.tag == "equal":
            continue
        if run.tag in ("delete", "insert"):
            x, y = _one_side_shown(a, b, run, (words_a, words_b), language, config)
        else:
            x = _outside_words(a, words_a, range(run.src_start, run.src_end))
            y = _outside_words(b, words_b, range(run.dest_start, run.dest_end))
        if x and not y:
            shown_a += x
        elif y and not x:
            shown_b += y
    return shown_a, shown_b


def _outside_words(text: str, words: AbstractSet[int], positions: Iterable[int]) -> int:
    """How many of ``positions`` hold a Han character outside the dictionary words of ``text``."""
    return sum(0 <= i < len(text) and i not in words and bool(HAN_RE.match(text[i])) for i in positions)


def _mark_alone(long_: str, extra: tuple[int, int], marks: str) -> bool:
    """The long side's extra text is one of ``marks`` between two Han characters."""
    at = extra[0]
    return (extra[1] - at == 1 and long_[at] in marks and at > 0
            and bool(HAN_RE.match(long_[at - 1])) and bool(HAN_RE.match(long_[at + 1 : at + 2])))


def _one_side_shown(a: str, b: str, run: Opcode, words: tuple[AbstractSet[int], AbstractSet[int]],
                    language: Language, config: EngineConfig) -> tuple[int, int]:
    """Misread characters shown in ``a`` and in ``b`` by a run on one side only (an ``insert`` or
    ``delete`` opcode; see :func:`broken_words`)."""
    if run.tag == "delete":  # ``a`` has the extra text
        long_, short, extra, gap = a, b, (run.src_start, run.src_end), run.dest_start
        long_words, short_words = words
    else:
        long_, short, extra, gap = b, a, (run.dest_start, run.dest_end), run.src_start
        short_words, long_words = words
    if _mark_alone(long_, extra, ",，、"):
        # the language model reads the side with the comma ``loss`` nats less likely
        loss = run_gain(a, b, run, language) * (-1 if run.tag == "delete" else 1)
        shown = _comma_shown(loss, config)
    elif _mark_alone(long_, extra, ":：;；"):
        shown = 0, _outside_words(short, short_words, (gap - 1, gap))
    else:
        shown = _glyph_shown(long_, long_words, extra, short, short_words, gap)
    return shown if run.tag == "delete" else (shown[1], shown[0])


def _comma_shown(loss: float, config: EngineConfig) -> tuple[int, int]:
    """Misread characters shown on the side with a comma and on the side without it, where the
    language model reads the side with it ``loss`` nats less likely (see
    ``EngineConfig.inserted_mark_min_nats``): a comma where the language hardly writes one
    (改革、开放, 改革开,放) is a speck read as a mark, on the side that has it; elsewhere it stands
    where clauses meet, and the side without it lost it (邀请,他都 / 邀请他都)."""
    return (1, 0) if loss >= config.inserted_mark_min_nats else (0, 1)


def _glyph_shown(long_: str, long_words: AbstractSet[int], extra: tuple[int, int], short: str,
                 short_words: AbstractSet[int], gap: int) -> tuple[int, int]:
    """Misread characters shown on the long and the short side of ``long_[extra[0]:extra[1]]``, which
    ``short`` lacks at ``gap``: glyphs that double a neighbour on the long side, glyphs beside the
    gap that stand outside words on the short side and inside one on the long side."""
    doubled = [i for i in range(*extra) if _outside_words(long_, long_words, (i,))
               and ((i > 0 and long_[i - 1] == long_[i]) or long_[i + 1 : i + 2] == long_[i])]
    # the characters beside the gap, each with its place on the long side
    beside = ((gap - 1, extra[0] - 1), (gap, extra[1]))
    orphaned = sum(_outside_words(short, short_words, (i,)) and 0 <= j < len(long_) and j in long_words
                   for i, j in beside)
    return len(doubled), orphaned


def _substitution(op: Opcode, run: int, config: EngineConfig, sides: _Sides | None) -> tuple[str | None, bool]:
    """Why a substituted run is no misread (None: it is one), and whether it shows a misread.

    A misread leaves a broken word on one side and a whole word on the other
    (推进 / 推迸, 认罪认罚 / 认罪审审). Without a dictionary, a run longer than
    ``max_misread_run`` is a word put for a word (劳动法 / 电力法); with one, a run
    up to ``max_broken_misread_run`` is a misread if it breaks words on one side
    only and is no whole word by itself on the other (:meth:`_Sides.whole_word`:
    汪洋 / 韩正 is a name put for a name, the dictionary only lacks 韩正), and a
    longer run that leaves whole words on both sides is a word choice (朝鲜 /
    越南 style substitutions in parallel formulae). One glyph for
    one glyph with whole words on both sides (大力 / 大通) shows nothing either
    way: most neighbouring characters make some dictionary word, so a random
    misread often does too. It counts as a difference but not as a shown
    misread, and the totals decide (a short text needs a shown misread:
    ``min_unevidenced_chars``, the stanzas of a song). A run the dictionary
    alone would call a word put for a word is still a misread where the
    language model finds the side that breaks a word garbled (:func:`garbled_side`): a
    misread can land on a whole word, or on two neighbouring glyphs.
    """
    if sides is None:
        return ("a word replaced" if run > config.max_misread_run else None), False
    left, right = sides.broken(op)
    if not left and not right:
        refusal = "a word chosen" if run > config.max_misread_run else None
    elif run > config.max_misread_run and (run > config.max_broken_misread_run or left == right
                                           or sides.whole_word(op, intact_left=right)):
        refusal = "a word replaced"
    else:
        return None, left != right
    if refusal is not None and sides.garbled(op, left, right, config):
        return None, True
    return refusal, False


def _weighed(refusal: str, sides: _Sides | None, strict: bool, tally: _Tally) -> bool:
    """Count a run that reads as a word put for a word, to be weighed against the misreads shown
    (:func:`_reworded`), instead of refusing at once. Only where a dictionary shows misreads at all
    (``sides``), and not in a verbatim excerpt (``strict``), which must match word for word."""
    if sides is None or strict:
        return False
    tally.worded += 1
    tally.word_reason = tally.word_reason or refusal
    return True


def _word_inserted(extra: str, context: str, at: int, strict: bool) -> bool:
    """Characters on one side only (``context[at:at + len(extra)]``) that make a word: two Han
    characters or more (该工程), or one that doubles neither neighbour where ``strict`` (an
    excerpt must be verbatim; an editor adds 也). Dropped or doubled marks (、 ” -) and a single
    glyph are what OCR loses or repeats."""
    han = sum(1 for ch in extra if HAN_RE.match(ch))
    if han >= 2:
        return True
    if han == 1 and strict:
        neighbours = context[at - 1 : at] + context[at + len(extra) : at + len(extra) + 1]
        return extra.strip() not in neighbours
    return False


def ocr_noise(x: str, y: str, config: EngineConfig, language: Language | None = None, *,
              strict: bool = False) -> Noise | Refusal:
    """How ``x`` and ``y`` (aligned end to end) differ, if OCR alone could explain it.

    Rules, in order, for each difference: a figure changed (``figures
    differ``); a full stop put for an exclamation or question mark (``a
    sentence's mood changed``); a substituted run that is no misread (``a word replaced``,
    ``a word chosen``: see :func:`_substitution`); characters on one side
    only that make a word (``a word inserted``) or a run of marks longer
    than ``max_indel_marks`` (``marks inserted``); then the totals: at most
    ``max_misread_share`` of the longer text differs, and at most
    ``max_han_indel_share`` of it is Han characters dropped or added (``too
    many differences``; where two or more differences show a misread, the
    shown ones count under ``max_shown_misread_share`` instead:
    :func:`_shown_chars`); a short text (under ``min_unevidenced_chars``)
    whose substitutions and dropped or added glyphs show no broken word is
    not shown to be a copy (``no misread shown``); in verse, substitutions,
    at least ``min_line_end_variations``, that all end a clause on both
    sides are stanzas varying their last words (``lines vary at their ends``).
    ``strict`` (a verbatim excerpt of whole sentences): no
    Han character may be added or dropped at all, except a doubled one.
    """
    sides = _Sides(x, y, language) if language is not None else None
    tally = _Tally()
    for op in _differences(x, y):
        refusal = _difference(op, x, y, config, sides, strict, tally)
        if refusal is not None:
            return Refusal(refusal)
    if _reworded(tally, config):
        return Refusal(tally.word_reason)
    longest = max(len(x), len(y), 1)
    differing = tally.substituted + tally.indels
    shown = _shown_chars(x, y, tally, config)
    # Glyphs dropped or doubled where the dictionary shows it count against the Han indel share no
    # more than shown misreads count against the misread share (see _shown_chars).
    han_indels = tally.han_indels - (tally.shown_han_indels if shown else 0)
    if differing - shown > max(1, config.max_misread_share * longest) \
            or differing > max(1, config.max_misread_share * longest, config.max_shown_misread_share * longest) \
            or han_indels > max(1, config.max_han_indel_share * longest):
        return Refusal("too many differences")
    if sides is not None and (tally.substituted or tally.han_indels) and not tally.shown \
            and longest < config.min_unevidenced_chars:
        return Refusal("no misread shown")
    if tally.runs >= config.min_line_end_variations and tally.line_ends == tally.runs \
            and _verse(x, config) and _verse(y, config):
        return Refusal("lines vary at their ends")
    return Noise(tally.substituted, tally.indels, float(Levenshtein.normalized_similarity(x, y)), shown / longest)


def _reworded(tally: _Tally, config: EngineConfig) -> bool:
    """Whether the runs that read as a word put for a word are the editor's: unless the other
    differences show OCR at work, at least ``misreads_per_word`` shown misreads (a word broken on
    one side only, a garbled run, a doubled glyph) for each of them. An editor's variant changes a
    word or two and leaves the rest verbatim (…等参加会见。/ …等参加会谈。, 汪洋 / 韩正): nothing else
    in it breaks a word. OCR misreads glyphs wherever they fall, and now and then the glyphs it
    puts make words (侯老的魄力 read 侯病毒魄力); they come among misreads that break words."""
    return tally.worded > 0 and tally.shown < config.misreads_per_word * tally.worded


def _shown_chars(x: str, y: str, tally: _Tally, config: EngineConfig) -> int:
    """The differing characters that do not count against ``max_misread_share``: those of the
    differences where the dictionary shows a misread (a word broken on one side only, a doubled
    glyph), where two or more differences show one. OCR slips glyph by glyph
    at random places; one run alone past the limit is a name put for a name in a short line, which
    the dictionary (it lacks most names) reads as broken (王家瑞 / 王正伟 出席欢迎仪式。). In verse a
    broken word shows nothing: the dictionary is of modern prose, and a line of four characters
    (诗经's 无食我麦 / 无食我黍) is seldom one of its words, whoever varied it."""
    if tally.shown < 2 or (_verse(x, config) and _verse(y, config)):
        return 0
    return tally.shown_chars


def _line_end(text: str, at: int) -> bool:
    """Whether ``text[:at]`` ends a line of verse: a clause mark follows, or a line-final particle
    and then a mark. Classical verse closes its lines with a particle (爰采唐矣? / 爰采麦矣?,
    胡瞻尔庭有县鹑兮? / …县特兮?), and the word a stanza varies stands right before it."""
    if text[at : at + 1] in _LINE_PARTICLES:
        at += 1
    return text[at : at + 1] in _CLAUSE_MARKS


def _verse(text: str, config: EngineConfig) -> bool:
    """No clause of ``text`` is longer than ``verse_line_max_chars``: lines of verse."""
    return max(map(len, _CLAUSE_SPLIT.split(text))) <= config.verse_line_max_chars


def _differences(x: str, y: str) -> list[Opcode]:
    """The differences of the alignment, each run of neighbouring edits as one: rapidfuzz writes
    委 -> 政府 as an insertion beside an equal-length replacement, and the two together are one
    word put for another, not a misread beside a dropped glyph."""
    merged: list[Opcode] = []
    for op in Levenshtein.opcodes(x, y):
        if op.tag == "equal":
            continue
        if merged and merged[-1].src_end == op.src_start and merged[-1].dest_end == op.dest_start:
            last = merged.pop()
            op = Opcode("replace", last.src_start, op.src_end, last.dest_start, op.dest_end)
        merged.append(op)
    return merged


@dataclass
class _Tally:
    """The differences counted so far: substituted characters, characters on one side only (of
    them Han), and substitutions that showed a misread (a word broken on one side only)."""

    substituted: int = 0
    indels: int = 0
    han_indels: int = 0
    shown: int = 0
    shown_chars: int = 0  # the characters of the differences that showed a misread
    shown_han_indels: int = 0  # of ``han_indels``, those that showed a misread
    worded: int = 0  # runs that read as a word put for a word (weighed against ``shown``)
    word_reason: str = ""  # the first such run's rule
    runs: int = 0  # substituted runs with a Han character
    line_ends: int = 0  # of them, those right before a clause mark on both sides


def _difference(op: Opcode, x: str, y: str, config: EngineConfig, sides: _Sides | None, strict: bool,
                tally: _Tally) -> str | None:
    """Weigh one difference of the alignment (see :func:`ocr_noise`): why it is no OCR noise, or
    None after counting it in ``tally``."""
    left, right = x[op.src_start : op.src_end], y[op.dest_start : op.dest_end]
    if _figures_differ(left, right) and not _dropped_figure(op, x, y, sides, config) \
            and not _percent_speck(op, x, y) and not _misread_numeral(op, x, y, sides, config):
        return "figures differ"
    if _mood_changed(left, right):
        return "a sentence's mood changed"
    common = min(len(left), len(right))
    if common:
        refusal, shows = _substitution(op, common, config, sides)
        if refusal is not None and not _weighed(refusal, sides, strict, tally):
            return refusal
        tally.shown += shows
        if shows and sides is not None and sides.broken_on_one_side(op):
            tally.shown_chars += common  # the dictionary's evidence, not the language model's guess
    if op.tag == "replace" and len(left) == len(right):
        tally.substituted += len(left)
        if HAN_RE.search(left):  # a mark put for a mark (。 / ,) varies no word
            tally.runs += 1
            tally.line_ends += _line_end(x, op.src_end) and _line_end(y, op.dest_end)
        return None
    # Unequal replace, insert or delete: the common part substituted, the rest on one side only;
    # a Han character left over from a replacement is a longer word put for a shorter one.
    extra, context, at = (left[common:], x, op.src_start + common) if len(left) > len(right) \
        else (right[common:], y, op.dest_start + common)
    if common and any(HAN_RE.match(ch) for ch in extra) and not _weighed("a word replaced", sides, strict, tally):
        return "a word replaced"
    if _word_inserted(extra, context, at, strict):
        return "a word inserted"
    marks = len(extra) - sum(1 for ch in extra if HAN_RE.match(ch))
    if marks > config.max_indel_marks:
        return "marks inserted"
    tally.substituted += common
    tally.indels += len(extra)
    tally.han_indels += len(extra) - marks
    if sides is not None and len(extra) > marks \
            and sides.glyph_shown(context, at, len(extra), longer_left=len(left) > len(right)):
        tally.shown += 1
        tally.shown_chars += len(extra)
        tally.shown_han_indels += len(extra) - marks
    return None
