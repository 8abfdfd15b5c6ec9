"""JSONL records: which fields hold the page, reading a line, writing it back.

A record's page is its ``--field`` -- a string, or a list of paragraph
strings joined by blank lines -- with its ``--title-field`` first as a
headline. Written back, only those fields' values change: the new values
are spliced into the line as it was read, so every other byte stays (a
number such as ``1e400`` keeps its text, key order and spacing stay). Bytes
that are not UTF-8 are carried through ``surrogateescape``: outside the
rewritten fields they are written back as they were.

>>> fields = Fields("paragraphs", title="title")
>>> line = parse(b'{"id": 1e400, "title": "\\xe6\\xa0\\x87\\xe9\\xa2\\x98", "paragraphs": ["a", "b"]}\\n', fields)
>>> line.page, line.headed, line.as_list
('标题\\n\\na\\n\\nb', True, True)
>>> rewrite(line, "b", "新标题").decode()
'{"id": 1e400, "title": "新标题", "paragraphs": ["b"]}\\n'
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from .decoding import lenient_utf8, replace_lone_surrogates

_WHITESPACE = re.compile(r"[ \t\n\r]*")  # what JSON allows between tokens
_DECODER = json.JSONDecoder()
PARAGRAPH_BREAK = "\n\n"
_BREAKS = re.compile(r"\n{2,}")


@dataclass(frozen=True)
class Fields:
    """The JSONL fields of a page: ``text`` (``--field``) and the optional headline ``title`` (``--title-field``)."""

    text: str = "text"
    title: str | None = None


TEXT = Fields()  # the default: the page in "text", no headline


class LineError(ValueError):
    """A line that holds no page; ``shape`` (field name -> kind) when it is an object lacking the page's fields."""

    def __init__(self, message: str, shape: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.shape = shape


@dataclass(frozen=True)
class Line:
    """A parsed record: the line as read (``surrogateescape``), its line end, the object, its page.

    ``spans`` say where the values of the rewritten fields sit in ``text``;
    ``headed``: the page starts with the title as its own paragraph (¶0);
    ``as_list``: the text field is a list of paragraphs; ``has_title``: the
    object has the title field (a record without one proves nothing about
    ``--title-field``, see :func:`xcclean.corpus.inputs.records`);
    ``replaced``: lone surrogates of the page replaced by U+FFFD (offset, code point).
    """

    text: str
    end: str
    obj: dict[str, Any]
    page: str
    spans: dict[str, tuple[int, int]]
    fields: Fields
    as_list: bool
    headed: bool
    has_title: bool
    replaced: tuple[tuple[int, str], ...] = ()


def parse(raw: bytes, fields: Fields, first: bool = False) -> Line | None:
    """The record on one line (``first``: the file's first, which may start with a BOM); None for a blank line.

    Raises :class:`LineError` with the reason a line holds no page.
    """
    text, end = _split_end(raw.decode("utf-8", "surrogateescape"))
    if first and text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        return None
    if lenient_utf8(raw) is None:
        raise LineError("not UTF-8")
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as err:
        raise LineError(f"not JSON ({err.msg}, column {err.colno})") from None
    if not isinstance(obj, dict):
        raise LineError("not a JSON object")
    page, as_list = _body(obj, fields.text)
    title = _title(obj, fields.title)
    headed = title is not None and _visible(title)
    if title is not None and headed:
        page = _one_paragraph(title) + (PARAGRAPH_BREAK + page if page else "")
    page, replaced = replace_lone_surrogates(page)
    return Line(text, end, obj, page, value_spans(text), fields, as_list, headed,
                fields.title is not None and fields.title in obj, replaced)


def _split_end(line: str) -> tuple[str, str]:
    for end in ("\r\n", "\n"):
        if line.endswith(end):
            return line[: -len(end)], end
    return line, ""


def _body(obj: dict[str, Any], field: str) -> tuple[str, bool]:
    """The text field's page and whether it was a list of paragraphs."""
    if field not in obj:
        raise LineError(f"no field {field!r}", shape(obj))
    value = obj[field]
    if isinstance(value, str):
        return value, False
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return PARAGRAPH_BREAK.join(value), True
    raise LineError(f"field {field!r} is {kind(value)}, not a string or a list of strings", shape(obj))


def _title(obj: dict[str, Any], field: str | None) -> str | None:
    """The headline, if ``--title-field`` is given and the record has it (null counts as none)."""
    value = obj.get(field) if field is not None else None
    if value is not None and not isinstance(value, str):
        raise LineError(f"field {field!r} (--title-field) is {kind(value)}, not a string", shape(obj))
    return value


def _visible(text: str) -> bool:
    """Whether ``text`` holds a character that is neither space nor format (a headline to put first)."""
    return any(not unicodedata.category(c).startswith(("Z", "C")) for c in text)


def _one_paragraph(title: str) -> str:
    """The title as one paragraph: blank lines inside it would make it several."""
    return re.sub(r"\n\s*\n", "\n", title.strip())


def kind(value: Any) -> str:
    """What a JSON value is, in words (for messages)."""
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, str):
        return "a string"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, dict):
        return "an object"
    if value and all(isinstance(item, str) for item in value):
        return "a list of strings"
    return "a list"


def shape(obj: dict[str, Any]) -> dict[str, str]:
    """Each field of an object and what it holds: what a wrong ``--field`` message lists."""
    return {name: kind(value) for name, value in obj.items()}


def value_spans(text: str) -> dict[str, tuple[int, int]]:
    """Where the value of each top-level key sits in ``text``, a JSON object ``json.loads`` accepted.

    A key given twice keeps its last span, the value ``json.loads`` keeps.

    >>> value_spans('{"a": 1e400, "b" : [1, 2]}')
    {'a': (6, 11), 'b': (19, 25)}
    """
    spans: dict[str, tuple[int, int]] = {}
    at = _skip(text, _skip(text, 0) + 1)  # past "{"
    while text[at] != "}":
        key, at = _DECODER.raw_decode(text, at)
        start = _skip(text, _skip(text, at) + 1)  # past ":"
        _, end = _DECODER.raw_decode(text, start)
        spans[key] = (start, end)
        at = _skip(text, end)
        if text[at] == ",":
            at = _skip(text, at + 1)
    return spans


def _skip(text: str, at: int) -> int:
    match = _WHITESPACE.match(text, at)
    assert match is not None  # the pattern matches the empty string
    return match.end()


def rewrite(line: Line, body: str, title: str | None = None) -> bytes:
    """The line as read with the text field's value replaced by ``body`` (and the title's by ``title``
    when given), in UTF-8.

    ``body`` is the cleaned page without its headline; a list field gets its
    paragraphs back as a list (none for an empty page).
    """
    # a caption keeps the blank lines that set it off (model.render): more than one break is one
    values: dict[str, Any] = {line.fields.text: (_BREAKS.split(body) if body else []) if line.as_list else body}
    if title is not None and line.fields.title is not None:
        values[line.fields.title] = title
    text = line.text
    for start, end, value in sorted(((*line.spans[name], value) for name, value in values.items()), reverse=True):
        text = text[:start] + json.dumps(value, ensure_ascii=False) + text[end:]
    return (text + (line.end or "\n")).encode("utf-8", "surrogateescape")
