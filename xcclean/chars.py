"""Character classes shared by the stages (no third-party imports here)."""

from __future__ import annotations

import re

# CJK Unified Ideographs, extension A, compatibility ideographs, 〇.
HAN = r"\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAN_RE = re.compile(f"[{HAN}]")
_HAN_RUN_RE = re.compile(f"[{HAN}]+")

# Whitespace is ignored when two paragraphs are compared for duplication (OCR
# spacing varies); punctuation is kept: an added comma is an editorial change.
_COMPARE_DROP_RE = re.compile(r"\s+")

# Characters that make a paragraph continue rather than begin: a block that
# starts with one of them cannot be the start of a paragraph.
NON_INITIAL = set(",，、;；:：)）]】》”’。.!！?？·")  # · joins the parts of a foreign name
# The commas that run a sentence on (a text ending in one stops inside a clause).
CLAUSE_COMMAS = frozenset(",，、")
# Units a figure is written with (5月, 14日, 30%): a digit and one of these are one figure.
FIGURE_UNITS = frozenset("年月日时分秒号点岁元万亿%")
# Sentence particles that cannot start a paragraph as a word of their own.
NON_INITIAL_WORDS = frozenset({"了", "着", "们", "吗", "呢", "吧", "么", "的", "地", "得", "过", "之"})
# Prepositions, conjunctions, adverbs and modals that cannot end a clause, a headline or a label
# (…用于对 / 巴米扬地区…, …结果又 / 伤及自身…): none of the 10,962 headlines and unterminated
# lines of the clean corpus ends in one. Left out because headlines do end in them: 的, 了, 等,
# 向, 为, 将, 是, 不, 要, 能, and the quotatives 强调, 指出 (…在会上强调).
NON_FINAL_WORDS = frozenset({
    "对", "在", "从", "把", "被", "与", "及", "以及", "或", "以", "于", "给", "跟", "同", "让", "使",
    "关于", "对于", "按照", "根据", "自", "往", "沿着", "用于",
    "并", "而", "但", "但是", "或者", "并且", "因为", "所以", "如果", "虽然",
    "又", "还", "都", "就", "再", "更", "最", "很", "正在", "已经", "可以", "应当", "应该", "必须",
})

# Sentence-final marks. A paragraph that ends in one of them is complete; a
# split is never repaired after one (the prior-art notes measured 188/188
# non-joins after 。！？!?;… on the seed pages; MinerU uses the same stop set).
TERMINAL_PUNCTUATION = "。！？!?…;；:：."
# Closing marks that may follow a terminal mark: ``…说。”`` is still complete, and so is a
# stage direction ``〔众人下。〕``.
CLOSING_MARKS = "”’」』)）】》〕〉］]\"'"

# Glyphs no Chinese text is written with: OCR's reading of dirt, a rule line or a small round stop
# (。 read as &). Not what the corpus does write: ○ (the numeral zero: 一九九○年), ● and △ (bullets),
# < > (inner title marks: 修改<…法>的决定), ~ (ranges: 6~8℃), # and @ (topics, mentions), nor ℃ % + ×.
SPECKS = frozenset("&|■□◆◇▲▼▽★☆^`_*\\")

CLOSING_FOR = {"“": "”", "‘": "’", "「": "」", "『": "』", "(": ")", "（": "）", "【": "】", "《": "》",
               "〔": "〕", "〈": "〉", "［": "］"}

# A note in brackets or a dashed attribution after the full stop does not reopen the sentence:
# …行为。(许廷合 摄), …园》。——编者; nor do footnote references (…他妈的!”〔1〕, …三月一日。⑹,
# …之一。[2]: an annotated edition, an encyclopaedia) or glyphs of a private font (the Private Use
# Area: an e-book's paragraph mark), which text never reads on from.
FOOTNOTE_REF = r"(?:[〔［\[]\d{1,3}[〕］\]]|[①-⑳⑴-⒇])"  # 〔1〕, ［2］, [3], ①, ⑴
_TRAILING_NOTE = re.compile(r"(?:[(（][^()（）]{1,30}[)）]|—{1,3}\s*[^\s—]{1,4}"
                            rf"|(?:{FOOTNOTE_REF}|[\ue000-\uf8ff])+)$")

# Words that introduce what follows as said or restated by the writer: a paragraph that repeats
# another after one of them quotes it (他强调,“…”; 值得注意的是,…), it does not copy it.
LEAD_IN_RE = re.compile(
    r"(值得(注意|一提|关注|肯定)的是|需要(指出|说明|强调|注意)的是|换句话说|也就是说|总之|总的(来说|来看)|"
    r"据(悉|了解|介绍|报道)|记者(了解|获悉|注意)到?|"
    r"(说|指出|强调|表示|认为|称|提出|要求|介绍|宣布|写道|回忆))([,，:：][“‘「『]?|[“‘「『])$"
)


def ends_sentence(text: str) -> bool:
    """Whether ``text`` ends in terminal punctuation (closing quotes allowed after it).

    >>> ends_sentence("…劝阻不文明行为。(许廷合 摄)"), ends_sentence("…持之以"), ends_sentence("…满意吗? ”")
    (True, False, True)
    >>> ends_sentence("…他妈的!”〔1〕"), ends_sentence("…三月一日。⑹"), ends_sentence("…一日〔6〕")
    (True, True, False)
    """
    stripped = text.rstrip()
    while stripped and (stripped[-1] in CLOSING_MARKS or stripped[-1].isspace()):
        stripped = stripped[:-1]
    if stripped and stripped[-1] in TERMINAL_PUNCTUATION:
        return True
    note = _TRAILING_NOTE.search(text.rstrip())
    if note and note.start() > 0:
        before = text[: note.start()].rstrip().rstrip(CLOSING_MARKS)
        return bool(before) and before[-1] in TERMINAL_PUNCTUATION
    return False


def starts_sentence(text: str, at: int) -> bool:
    """Whether position ``at`` of ``text`` begins a sentence: the text starts there, or a sentence
    ends just before it (``。`` and any closing quotes)."""
    before = text[:at].rstrip(CLOSING_MARKS + " ")
    return not before or before[-1] in TERMINAL_PUNCTUATION


# A run of Latin letters and digits, with the joiners codes and URLs use.
LATIN_LETTER_RE = re.compile("[A-Za-z]")
# A digit or a Latin letter, half- or fullwidth (the n-gram table folds each to one symbol), and the
# marks that end a clause inside a sentence.
DIGIT_RE = re.compile(r"[0-9０-９]")
WIDE_LATIN_RE = re.compile(r"[A-Za-zＡ-Ｚａ-ｚ]")
CLAUSE_BREAK_RE = re.compile("[,，;；]")
LATIN_TOKEN_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-—_/:@'’+#&]*")


def title_line(text: str) -> bool:
    """Whether ``text`` reads as titles run together (谱写中朝友谊新篇，…影响深远,高科技智能化 今年
    春耕有点“潮”,…): no full stop or semicolon anywhere, nor a Latin full stop at its end. Prose
    closes its sentences with 。: of the tune half's body paragraphs of 20 characters or more, 1.5 %
    hold none, and most of those end a sentence with ！ or ？. A line of titles may end with a title
    closed by either (…,藏羚羊科考取得重要成果,…加油!), so those end nothing here. The head of a
    paragraph OCR cut in two holds no stop either: callers say which part of such a line can be a
    title.

    >>> title_line("谱写中朝友谊新篇,高科技智能化 今年春耕有点“潮”"), title_line("伍绍祖参加了活动,并举枪发令。")
    (True, False)
    >>> title_line("谱写中朝友谊新篇,高科技智能化,中国加油!"), title_line("谱写中朝友谊新篇,高科技智能化.")
    (True, False)
    """
    return not any(mark in text for mark in "。;；") and not text.rstrip().rstrip(CLOSING_MARKS).endswith(".")


def chinese_share(text: str) -> float:
    """Chinese characters among Chinese characters plus Latin tokens (a token counts once).

    >>> chinese_share("XUCHANG DAILY"), chinese_share("本报讯 记者 principle 报道。")
    (0.0, 0.875)
    """
    han = sum(map(len, _HAN_RUN_RE.findall(text)))
    latin = sum(1 for m in LATIN_TOKEN_RE.finditer(text) if LATIN_LETTER_RE.search(m.group()))
    return han / (han + latin) if han + latin else 0.0


def compare_key(text: str) -> str:
    """The form two paragraphs are compared in: whitespace removed."""
    # Most paragraphs have no whitespace at all (isprintable() is False for every
    # whitespace character but the ASCII space): skip the regex.
    if " " not in text and text.isprintable():
        return text
    return _COMPARE_DROP_RE.sub("", text)


def unbalanced_opening(text: str) -> bool:
    """True when ``text`` opens more quotes or brackets of a kind than it closes.

    >>> unbalanced_opening("我市县级“两"), unbalanced_opening("“两中心”建设")
    (True, False)
    """
    return any(text.count(opener) > text.count(closer) for opener, closer in CLOSING_FOR.items()
               if opener in text)


def unbalanced_closing(text: str) -> bool:
    """True when ``text`` closes more quotes or brackets of a kind than it opens."""
    return any(text.count(closer) > text.count(opener) for opener, closer in CLOSING_FOR.items()
               if closer in text)
