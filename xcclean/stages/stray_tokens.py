"""Stage 6: remove stray English words that OCR left inside Chinese prose.

Every Latin token in a mostly Chinese line is decided by the first rule
that applies, and the rule is logged:

1. ``TokensConfig.deny_tokens`` → removed.
2. ``TokensConfig.allow_tokens`` (App, EMS, GDP, units …) → kept.
3. a digit inside (5G, PM2.5, C919, CN41—0013), a URL or an email → kept.
4. a capital letter (NAPA, II, iPhone, Beijing) → kept: names, acronyms,
   roman numerals.
5. one or two letters glued to Chinese (i许昌, x光) → kept.
6. part of a phrase of Latin words, or quoted/bracketed (“principle”) →
   kept, logged as ``suspect_token``: a mention, not debris.
7. glued to the text on both sides (外国人不光知道panda, 唐僧阿sir) → kept,
   logged as ``suspect_token``: written into the sentence, a mention.
8. lowercase, at least ``stray_min_letters`` letters, and a real English
   word (wordfreq Zipf ≥ ``stray_min_zipf``) → removed with the spaces
   around it: ``的 principle,`` → ``的,``.
9. anything else → kept, logged as ``suspect_token``.

Lines less than ``stray_min_han_share`` Chinese are left alone (the masthead
XUCHANG DAILY, an English abstract).
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..chars import HAN_RE, LATIN_LETTER_RE, LATIN_TOKEN_RE, chinese_share
from ..config import TokensConfig
from ..lexicon import Lexicon
from ..model import Block, Document, Edit, Kind

STAGE = "stray_tokens"

_URLISH = re.compile(r"(://|@|^www\.|\.(com|cn|net|org|gov)\b)", re.IGNORECASE)
_QUOTES = "“”‘’\"'《》〈〉「」『』()（）【】[]"
_KINDS = (Kind.BODY, Kind.CAPTION, Kind.DECK, Kind.HEADLINE)


def _decide(text: str, start: int, end: int, token: str, config: TokensConfig, lexicon: Lexicon
            ) -> tuple[str, str, float | None]:
    """('remove' | 'keep' | 'suspect', rule, zipf)."""
    lower = token.lower()
    if lower in config.deny_tokens:
        return "remove", "deny list", None
    if lower in config.allow_tokens:
        return "keep", "allow list", None
    if any(c.isdigit() for c in token) or _URLISH.search(token):
        return "keep", "code, number or address", None
    if any(c.isupper() for c in token):
        return "keep", "capitalised: name, acronym or numeral", None
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    if len(token) <= 2 and (HAN_RE.match(before) or HAN_RE.match(after)):
        return "keep", "short prefix glued to Chinese", None
    left = text[:start].rstrip(" ")
    right = text[end:].lstrip(" ")
    if (left and left[-1].isascii() and left[-1].isalpha()) or (right and right[0].isascii() and right[0].isalpha()):
        return "suspect", "part of a Latin phrase", None
    if (left and left[-1] in _QUOTES) and (right and right[0] in _QUOTES):
        return "suspect", "quoted or bracketed", None
    if before != " " and after != " ":
        # OCR debris stands apart (的 principle,); a word written into the
        # sentence (外国人不光知道panda, 唐僧阿sir) is a mention.
        return "suspect", "written into the sentence, not set apart by a space", None
    zipf = lexicon.zipf(token) if len(token) >= config.stray_min_letters else 0.0
    if token.isalpha() and len(token) >= config.stray_min_letters and zipf >= config.stray_min_zipf:
        return "remove", "English word inside Chinese prose", zipf
    return "suspect", "unknown lowercase token", zipf


def _removal_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The token plus the spaces around it, keeping one space between Latin/digits."""
    s, e = start, end
    while s > 0 and text[s - 1] == " ":
        s -= 1
    while e < len(text) and text[e] == " ":
        e += 1
    left = text[s - 1] if s else ""
    right = text[e] if e < len(text) else ""
    if left.isascii() and left.isalnum() and right.isascii() and right.isalnum() and e > end:
        e -= 1
    return s, e


def _scan(block: Block, index: int, config: TokensConfig, lexicon: Lexicon) -> tuple[str, list[Edit]]:
    text = block.text
    if not LATIN_LETTER_RE.search(text):
        return text, []
    share = chinese_share(text)
    if share < config.stray_min_han_share:
        return text, []
    edits: list[Edit] = []
    removals: list[tuple[int, int, Edit]] = []
    for match in LATIN_TOKEN_RE.finditer(text):
        token = match.group().rstrip(".-—/:'’")
        start, end = match.start(), match.start() + len(token)
        if not LATIN_LETTER_RE.search(token):
            continue
        verdict, rule, zipf = _decide(text, start, end, token, config, lexicon)
        evidence = {"token": token, "rule": rule, "zipf": zipf, "chinese_share": round(share, 3)}
        if verdict == "remove":
            s, e = _removal_span(text, start, end)
            removals.append((s, e, Edit("stray_token", STAGE, index, block.ids, text[s:e], s, evidence)))
        elif verdict == "suspect":
            edits.append(Edit("suspect_token", STAGE, index, block.ids, "", start, evidence))
    # Remove right to left so each edit's offset holds when it is applied.
    for s, e, edit in sorted(removals, key=lambda r: -r[0]):
        text = text[:s] + text[e:]
        edits.append(edit)
    return text, edits


def remove_stray_tokens(doc: Document, config: TokensConfig, lexicon: Lexicon) -> tuple[Document, list[Edit]]:
    """Remove stray English words from Chinese prose (see the module docstring)."""
    blocks = list(doc)
    edits: list[Edit] = []
    for i, block in enumerate(blocks):
        if block.kind not in _KINDS:
            continue
        text, found = _scan(block, i, config, lexicon)
        edits.extend(found)
        if text != block.text:
            blocks[i] = replace(block, text=text)
    return tuple(blocks), edits
