"""Evidence that a paragraph was cut in two between ``head`` and ``tail``.

Used by ``classify`` (is this short unterminated line a headline or half a
paragraph?) and by ``repair_splits`` (join or not), so both read the same
evidence. Terminal punctuation vetoes a join; the rest is recorded by name so
every join can say why it was made.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..chars import (
    CLAUSE_COMMAS,
    HAN,
    HAN_RE,
    NON_FINAL_WORDS,
    NON_INITIAL,
    NON_INITIAL_WORDS,
    SPECKS,
    ends_sentence,
    unbalanced_closing,
    unbalanced_opening,
)
from ..config import SplitsConfig
from ..lexicon import Lexicon
from ..model import Block, Kind

# A block that starts like this opens a paragraph of its own.
_OPENER = re.compile(
    r"^(本报讯|本报[(（]|本报记者|本报[^,，。\s]{2,12}?[讯电]|新华社|——|[(（](上接|下转|接|转)|[一二三四五六七八九十]+是|"
    r"[(（][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、|\d+[.、](?!\d)|"
    r"[^,，。\s]{2,16}?\d{1,2}月\d{1,2}日电(?![话视力网价影脑器子商]))"  # a dateline: 本报乌鲁木齐1月11日电
)
# A paragraph never starts with a sentence or clause of one to three
# characters (势。 恒。 精神;): that is the end of one. (肃立、整理着装…
# shows a paragraph may well open with a short item and 、.)
_PARTICLE_CHARS = frozenset("".join(NON_INITIAL_WORDS))
_CLAUSE_END = re.compile(r"^[^,，。;；、!?！？:：“”\s]{1,3}[。;；!?！？]")


# …全长大概400多米,小 / 孙她们…: no clause is one character long.
_ONE_CHARACTER_CLAUSE = re.compile(f"[,，、;；:：][{HAN}]$")

# A wire story ends with its editor's sign-off and a filing code: …(编辑:黄世雅)1140705, …(完).
_SIGN_OFF = re.compile(r"[(（](编辑|责编|责任编辑|完)[^()（）]{0,12}[)）]\s*[0-9A-Za-z]*$")

# A verb of saying and a comma, before a paragraph that is one whole line of speech.
_SAYS = re.compile(r"(说|道|问|喊|叫|答|讲|骂)[,，]$")

# The named reasons of CutEvidence (the boundary model reads them as features by name).
COMMA_END = "head ends in a comma"
ONE_CHARACTER_CLAUSE = "head ends in a one-character clause"
CLAUSE_END_START = "tail starts with the end of a clause"
CONTINUING_START = "tail starts with punctuation that continues a sentence"
PARTICLE_START = "tail starts with a particle"
TAIL_OPENS = "tail opens a paragraph of its own"
ECHOED = "tail repeats the head (a headline, then the lede quoting it)"
SPEECH = "tail is one whole line of speech after 说, (fiction sets it as a paragraph of its own)"
OPEN_QUOTE = "head leaves a quote or bracket open"
CLOSES_QUOTE = "tail closes the quote the head left open"
# Reasons that rest on a mark or a particle, which no line standing alone shows: a title never
# ends in a comma or leaves a quote open, and no line opens with 、 or 了.
MARKED = frozenset({COMMA_END, ONE_CHARACTER_CLAUSE, OPEN_QUOTE, CLOSES_QUOTE, CONTINUING_START, PARTICLE_START})


@dataclass(frozen=True)
class CutEvidence:
    """``veto`` names why no join is possible; otherwise the reasons for one.

    ``head_cut`` reasons say the head is unfinished (it ends in a comma or
    leaves a quote open); ``joint`` reasons say the tail continues this very
    head (a dictionary word spans the cut, the tail starts with a particle).
    """

    veto: str | None = None
    head_cut: tuple[str, ...] = ()
    joint: tuple[str, ...] = ()
    word: str | None = None

    def reasons(self) -> list[str]:
        return list(self.head_cut + self.joint)

    def marked(self) -> list[str]:
        """The reasons that rest on a mark or a particle (:data:`MARKED`)."""
        return [reason for reason in self.reasons() if reason in MARKED]


def past_captions(blocks: Sequence[Block], index: int, step: int, config: SplitsConfig) -> tuple[int, int] | None:
    """(the next block in direction ``step``, captions skipped to reach it).

    Up to ``SplitsConfig.max_captions_between`` captions may sit between the two
    halves of a cut paragraph; None if there are more, or no block at all.
    """
    j, skipped = index + step, 0
    while 0 <= j < len(blocks):
        if blocks[j].kind is not Kind.CAPTION:
            return j, skipped
        if skipped == config.max_captions_between:
            return None
        j += step
        skipped += 1
    return None


def opens_paragraph(text: str) -> bool:
    """Whether ``text`` starts the way only a paragraph starts (本报讯, a dateline, 一是…)."""
    return bool(_OPENER.match(text))


def _echoed(head: str, tail: str, config: SplitsConfig) -> bool:
    """Whether most of ``head``'s n-grams recur in ``tail``, or ``tail`` opens with the whole of a
    head too short to sample: the two halves of a cut paragraph never repeat each other, a title
    and the text citing it do (…钟声文章：打自由贸易之名… / …发表钟声文章,题目是《打自由贸易之名…》;
    园有桃 / 园有桃,其实之肴。)."""
    n = config.echo_gram_chars
    if len(head) < 2 * n:
        return len(head) > 1 and tail.startswith(head)
    grams = [head[i : i + n] for i in range(0, len(head) - n + 1, n)]  # side by side: a sample is enough
    return len(grams) >= 2 and sum(g in tail for g in grams) >= config.echo_min_share * len(grams)


def _ends_in_speck(head: str) -> bool:
    """No word ends in a speck; at a paragraph's end OCR reads the small round stop as one (…在高水平
    运行& / 巴尔德斯转达了…), so the sentence ended there. ``<`` is a speck too where no 《 is open:
    Chinese writes it only as the inner title mark inside one (《关于修改<…法>的决定》), and OCR reads
    a stop as it (…安徽、山东、辽于< / 这也是十八大以来…)."""
    end = head[-1]
    return end in SPECKS or (end in "<＜" and head.count("《") <= head.count("》"))


def _speech_line(head: str, tail: str) -> bool:
    """The head ends with a verb of saying and a comma and the tail is one whole quotation, nothing
    after it (…很和气的对他说, / “大哥,我有话告诉你。”), or a quotation that runs on past it, never
    closed there (…偏要对这伙人说, / “你们可以改了,从真心改起!…活在世上。”: a quotation of several
    paragraphs opens each with “ and closes only the last): fiction sets what is said as a
    paragraph of its own; a cut at exactly that glyph, leaving the quotation alone, is rare, and
    news introduces a quotation set apart with a colon."""
    tail = tail.rstrip()
    if not (_SAYS.search(head) and tail.startswith("“")):
        return False
    closing = tail.count("”")
    return closing == 0 or (tail.endswith("”") and tail.count("“") == 1 and closing == 1)


def _decimal_point(head: str, tail: str) -> bool:
    """A point between two digits is a decimal point, not a full stop (安徽共偿还欠款5. / 5亿元。):
    Chinese ends its sentences with 。, and no paragraph of the corpus ends in a digit and a point."""
    return head[-1] == "." and len(head) > 1 and head[-2].isdigit() and tail[0].isdigit()


def _veto(head: str, tail: str, open_quote: bool, config: SplitsConfig) -> str | None:
    """Why ``head`` and ``tail`` cannot be halves of one paragraph, or None."""
    if ends_sentence(head) and not _decimal_point(head, tail):
        return "head ends a sentence"
    if _ends_in_speck(head):
        return "head ends in a speck (a stop misread)"
    if (head.endswith("--") or head.rstrip("-").endswith("—")) and not (open_quote and unbalanced_closing(tail)):
        return "head ends in a dash (a list follows)"  # not inside a quote: “嘭—— / —啪”
    if _SIGN_OFF.search(head):
        return "head ends with a wire story's sign-off"
    if _speech_line(head, tail):
        return SPEECH
    if head[-1].isascii() and head[-1].isalpha() and tail[0].isascii() and tail[0].isalpha():
        return "Latin on both sides (not a Chinese cut)"
    if opens_paragraph(tail):
        # 本报讯…, ——…, 一是…: a paragraph of its own, whatever the head lacks.
        return TAIL_OPENS
    if _echoed(head, tail, config):
        return ECHOED
    return None


def _head_cut(head: str, open_quote: bool) -> list[str]:
    """Reasons read off the head alone: it stops inside a clause or a quote."""
    reasons = []
    if head[-1] in CLAUSE_COMMAS:
        reasons.append(COMMA_END)
    elif _ONE_CHARACTER_CLAUSE.search(head):
        reasons.append(ONE_CHARACTER_CLAUSE)
    if open_quote:
        reasons.append(OPEN_QUOTE)
    return reasons


def _joint(tail: str, open_quote: bool, lexicon: Lexicon) -> list[str]:
    """Reasons read off the tail's start: it goes on with a sentence begun before it."""
    reasons = []
    if open_quote and unbalanced_closing(tail):
        reasons.append(CLOSES_QUOTE)
    if _CLAUSE_END.match(tail):
        reasons.append(CLAUSE_END_START)
    start = continuing_start(tail, lexicon)
    if start is not None:
        reasons.append(start)
    return reasons


def continuing_start(text: str, lexicon: Lexicon) -> str | None:
    """Why ``text`` cannot open a sentence, or None: it starts with a mark that continues one
    (，、；：）” …) or with a particle that is a word of its own there (了, 的, 们).

    >>> continuing_start("、全国政协副主席", Lexicon()), continuing_start("全国政协副主席", Lexicon())
    ('tail starts with punctuation that continues a sentence', None)
    """
    if text[:1] in NON_INITIAL:
        return CONTINUING_START
    if text[:1] in _PARTICLE_CHARS and lexicon.first_word(text) in NON_INITIAL_WORDS:
        return PARTICLE_START
    return None


def cut_evidence(head: str, tail: str, config: SplitsConfig, lexicon: Lexicon) -> CutEvidence:
    """Weigh a cut between ``head`` and ``tail``.

    >>> lex, c = Lexicon(), SplitsConfig()
    >>> cut_evidence("截至目前,开发区有14个项目列", "入省级、市级重点项目", c, lex).word
    '列入'
    >>> cut_evidence("确保使用安全。", "何区长强调", c, lex).veto
    'head ends a sentence'
    """
    head, tail = head.rstrip(), tail.lstrip()
    if not head or not tail:
        return CutEvidence(veto="empty")
    open_quote = unbalanced_opening(head)
    veto = _veto(head, tail, open_quote, config)
    if veto is not None:
        return CutEvidence(veto=veto)
    head_cut = _head_cut(head, open_quote)
    joint = _joint(tail, open_quote, lexicon)
    word = None
    # The dictionary is the slowest test: consult it only when nothing cheaper spoke.
    if not joint and not head_cut:
        word = lexicon.word_across(head, tail)
        if word:
            joint.append(f"dictionary word {word} spans the cut")
        elif HAN_RE.match(head[-1]) and (last := lexicon.last_word(head)) in NON_FINAL_WORDS:
            head_cut.append(f"head ends in {last}, which cannot end a clause")
    return CutEvidence(None, tuple(head_cut), tuple(joint), word)
