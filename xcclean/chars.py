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
# Closing marks that may follow a terminal mark: ``…说。”`` is still complete.
CLOSING_MARKS = "”’」』)）】》\"'"

CLOSING_FOR = {"“": "”", "‘": "’", "「": "」", "『": "』", "(": ")", "（": "）", "【": "】", "《": "》"}


# A run of Latin letters and digits, with the joiners codes and URLs use.
LATIN_LETTER_RE = re.compile("[A-Za-z]")
LATIN_TOKEN_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-—_/:@'’+#&]*")


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
