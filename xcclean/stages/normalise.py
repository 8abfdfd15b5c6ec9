"""Stage 1: unicode repair and whitespace normalisation (text in, text out).

ftfy fixes mojibake (UTF-8 read as Latin-1/cp1252), control characters,
ligatures and, if ``NormaliseConfig.fold_width``, fullwidth ASCII forms (``，`` → ``,``).
It is configured for Chinese: ``uncurl_quotes=False`` (its default turns “” into
"") and NFC instead of NFKC (NFKC turns ㎡ into m2 and Ⅱ into II); pages are plain
text, so HTML entities stay as written (``unescape_html=False``: ``&lt;`` is not ``<``).

ftfy only runs on lines that contain a character it could change, which is
what makes this stage cheap: a clean Chinese line never reaches it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from ..config import NormaliseConfig
from ..model import Edit

STAGE = "normalise"

# Characters ftfy can act on: C0/C1 controls and Latin-1..IPA (every mojibake of
# UTF-8 Chinese contains one), combining marks (NFC), line/paragraph
# separators, ligatures, half/fullwidth forms, lone surrogates.
# (Not the middle dot of 恒达·NAPA, nor no-break or ideographic spaces, which
# the whitespace rules handle: alone they are never mojibake.)
_FTFY_TRIGGER = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\xa1-\xb6\xb8-\u02ff\u0300-\u036f\u2028\u2029"
    "\ufb00-\ufb4f\uff00-\uffef\ud800-\udfff]"
)
_ODD_SPACE = re.compile("[\t\xa0\u1680\u2000-\u200a\u202f\u205f\u3000]")
# Zero-width characters go, but not a joiner between two emoji: it makes them one (👨‍👩‍👧).
_EMOJI = "\u2600-\u27bf\u2b00-\u2bff\ufe0f\U0001f000-\U0001faff"
_ZERO_WIDTH = re.compile(f"[\u200b\u200c\u2060\ufeff]|(?<![{_EMOJI}])\u200d|\u200d(?![{_EMOJI}])")
_SPACE_RUN = re.compile(" {2,}")
_LINE_BREAKS = str.maketrans({"\r": "\n", "\x0b": "\n", "\x0c": "\n"})
# An indented bullet line keeps its indentation (a list nested in a list).
_BULLET_LINE = re.compile(r"^ *[-*•·] ")
_UNTIDY = re.compile("[\t\xa0\u1680\u2000-\u200d\u202f\u205f\u2060\u3000\ufeff]|  | $|^ ")


@lru_cache(maxsize=4)
def _ftfy_config(fold_width: bool) -> Any:
    import ftfy

    return ftfy.TextFixerConfig(
        uncurl_quotes=False, fix_character_width=fold_width, normalization="NFC", unescape_html=False
    )


def _fix_line(line: str, config: NormaliseConfig) -> tuple[str, list[tuple[str, str]]]:
    import ftfy

    fixed, steps = ftfy.fix_and_explain(line, _ftfy_config(config.fold_width))
    return fixed, [(step.action, step.parameter) for step in steps or ()]


def _tidy_spaces(line: str) -> str:
    line = _ZERO_WIDTH.sub("", _ODD_SPACE.sub(" ", line)).rstrip()
    if _BULLET_LINE.match(line):
        indent = len(line) - len(line.lstrip(" "))
        return " " * indent + _SPACE_RUN.sub(" ", line[indent:])
    return _SPACE_RUN.sub(" ", line.lstrip(" "))


def normalise(text: str, config: NormaliseConfig) -> tuple[str, list[Edit]]:
    """Repair unicode and whitespace; return the text and what changed.

    Lines end in ``\\n``; each line loses trailing spaces and (unless it is an
    indented list line) leading ones; runs of spaces become one; blank lines at
    the start and end go. Blank lines between blocks are kept: how many there
    were tells captions apart, and the final layout is set when rendering.

    >>> normalise("许昌ＡＰＰ，“好”\\r\\n", NormaliseConfig())[0]
    '许昌APP,“好”'
    """
    edits: list[Edit] = []
    # Vertical tab and form feed break lines too (Tesseract ends every page with a form feed).
    text = text.replace("\r\n", "\n").translate(_LINE_BREAKS)
    lines = text.split("\n")
    out: list[str] = []
    for number, line in enumerate(lines):
        fixed = line
        if config.fix_unicode and _FTFY_TRIGGER.search(line):
            fixed, steps = _fix_line(line, config)
            if fixed != line:
                edits.append(_unicode_fixed(number, line, fixed, steps))
        if fixed is line and not _UNTIDY.search(line):
            out.append(line)
            continue
        # ftfy may turn a line separator into newlines: tidy each piece.
        for piece in fixed.split("\n"):
            tidy = _tidy_spaces(piece)
            if tidy != piece and tidy.strip():
                edits.append(Edit("whitespace_normalised", STAGE, number, (), piece, 0,
                                  {"line": number, "after": tidy}))
            out.append(_fix_tidied(tidy, piece, number, config, edits))
    return "\n".join(out).strip("\n"), edits


def _fix_tidied(tidy: str, piece: str, number: int, config: NormaliseConfig, edits: list[Edit]) -> str:
    """``tidy`` (``piece`` with its spaces tidied) fixed by ftfy once more where tidying changed it:
    ftfy reads some mojibake only once the spaces are tidy (Â before a tab stays; Â before a
    space, a no-break space read as Latin-1, goes), so without it normalising twice would change
    more than normalising once."""
    if tidy == piece or not config.fix_unicode or not _FTFY_TRIGGER.search(tidy):
        return tidy
    fixed, steps = _fix_line(tidy, config)
    if fixed == tidy:
        return tidy
    edits.append(_unicode_fixed(number, tidy, fixed, steps))
    return _tidy_spaces(fixed)


def _unicode_fixed(number: int, before: str, after: str, steps: list[tuple[str, str]]) -> Edit:
    """The edit of ftfy's repair of line ``number``."""
    return Edit("unicode_fixed", STAGE, number, (), before, 0,
                {"line": number, "after": after, "ftfy_steps": [list(s) for s in steps]})
