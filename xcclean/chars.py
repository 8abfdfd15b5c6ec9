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
