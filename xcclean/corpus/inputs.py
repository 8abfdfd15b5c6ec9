"""The inputs of a corpus run: which files, where their outputs go, their pages.

:func:`plan` turns command-line inputs into :class:`Source` records (one per
input file, with its output path) in a fixed order; :func:`records` reads
them into :class:`Record` pages, decoding text files and parsing JSONL lines
in the parent process, so workers only ever receive text to clean.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, Literal

STDIO = "-"

Layout = Literal["stdout", "file", "dir"]


class PlanError(Exception):
    """An input/output combination xcclean refuses before cleaning anything."""


@dataclass(frozen=True)
class Source:
    """One input file (or standard input) and where its cleaned version goes.

    ``output`` is None for standard output. A ``.jsonl`` file is a JSONL
    source: one page per line.
    """

    path: str
    output: str | None
    jsonl: bool


@dataclass(frozen=True)
class Record:
    """One page of a source, read in the parent process.

    ``text`` is the page to clean; it is None when there is nothing to clean
    (``error`` says why, or the JSONL line was blank). ``obj`` is the JSONL
    object whose field receives the cleaned text. ``last`` marks the final
    record of its source, when its output can be committed.
    """

    source: Source
    line: int | None = None
    text: str | None = None
    error: str | None = None
    encoding: str = "utf-8"
    obj: dict[str, Any] | None = None
    last: bool = True

    @property
    def where(self) -> str:
        """``path`` or ``path:line``, for messages and the report."""
        return self.source.path if self.line is None else f"{self.source.path}:{self.line}"


def is_jsonl(path: str) -> bool:
    return path.lower().endswith(".jsonl")


def layout(inputs: Sequence[str], output: str | None) -> Layout:
    """Where cleaned text goes: standard output, one file, or a directory tree.

    ``-o`` names a file only for a single input that is a file or ``-``, when
    it neither ends with a separator nor is an existing directory.
    """
    if output is None:
        return "stdout"
    single = len(inputs) == 1 and not os.path.isdir(inputs[0])
    if single and not output.endswith(("/", os.sep)) and not os.path.isdir(output):
        return "file"
    return "dir"


def _walk(root: str, globs: Sequence[str], problems: list[str]) -> list[str]:
    """Files under ``root`` whose path relative to it matches a glob, in path order."""
    found: list[tuple[tuple[str, ...], str]] = []

    def unlisted(err: OSError) -> None:
        problems.append(f"{err.filename}: cannot list directory ({err.strerror})")

    for folder, dirs, files in os.walk(root, onerror=unlisted):
        dirs.sort()
        for name in files:
            path = os.path.join(folder, name)
            rel = PurePath(os.path.relpath(path, root))
            if any(rel.match(pattern) for pattern in globs):
                found.append((rel.parts, path))
    return [path for _, path in sorted(found)]


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def plan(inputs: Sequence[str], output: str | None, globs: Sequence[str],
         resume: bool = False) -> tuple[list[Source], list[Source], list[str]]:
    """The sources to clean, those skipped (``resume``: output exists), and problems found.

    Inputs keep their command-line order; a directory contributes the files
    under it that match ``globs``, in path order. In a directory layout each
    output mirrors its input's path relative to the deepest folder holding
    all inputs. ``-`` (standard input) can only be the one input, with no
    output directory. Raises :class:`PlanError` where an output would
    overwrite an input or land inside an input directory.
    """
    where = layout(inputs, output)
    problems: list[str] = []
    paths: list[str] = []
    for item in inputs:
        paths += _walk(item, globs, problems) if os.path.isdir(item) else [item]
    first: dict[str, str] = {}
    for path in paths:
        first.setdefault(os.path.abspath(path), path)  # an input named twice is cleaned once
    paths = list(first.values())
    if where == "stdout":
        sources = [Source(p, None, is_jsonl(p)) for p in paths]
    elif where == "file":
        assert output is not None
        sources = [Source(p, output, is_jsonl(p)) for p in paths]
    else:
        assert output is not None
        if os.path.exists(output) and not os.path.isdir(output):
            raise PlanError(f"{output} is not a directory")
        folders = [os.path.abspath(i) if os.path.isdir(i) else os.path.dirname(os.path.abspath(i)) for i in inputs]
        base = os.path.commonpath(folders)
        sources = [Source(p, os.path.join(output, os.path.relpath(os.path.abspath(p), base)), is_jsonl(p))
                   for p in paths]
        real_out = os.path.realpath(output)
        for item in inputs:
            if os.path.isdir(item) and _inside(real_out, os.path.realpath(item)):
                raise PlanError(f"refusing to write into input directory {item}: choose an --output outside it")
    check_not_inputs([s.output for s in sources if s.output], [s.path for s in sources])
    if resume:
        skipped = [s for s in sources if s.output and os.path.exists(s.output)]
        sources = [s for s in sources if s not in skipped]
    else:
        skipped = []
    return sources, skipped, problems


def check_not_inputs(outputs: Sequence[str], inputs: Sequence[str]) -> None:
    """Raise :class:`PlanError` if any of ``outputs`` is one of the ``inputs`` files."""
    real = {os.path.realpath(path): path for path in inputs if path != STDIO}
    for out in outputs:
        if os.path.realpath(out) in real:
            raise PlanError(f"refusing to overwrite the input {real[os.path.realpath(out)]}; choose another output")


def count_pages(sources: Sequence[Source]) -> int:
    """Pages to clean: one per text file, one per line of a JSONL file (for progress only)."""
    total = 0
    for source in sources:
        if not source.jsonl or source.path == STDIO:
            total += 1
            continue
        try:
            with open(source.path, "rb") as handle:
                while chunk := handle.read(1 << 20):
                    total += chunk.count(b"\n")
        except OSError:
            total += 1
    return total


def decode(data: bytes) -> tuple[str, str]:
    """The text of a page file and its encoding; ValueError if it is not text.

    UTF-8 first; then GB18030 (a superset of GBK and GB2312) if it decodes and
    reads as Chinese: charset-normalizer guesses short GBK text wrong (cp949,
    big5); then charset-normalizer for anything else.

    >>> decode("许昌日报".encode("gbk"))
    ('许昌日报', 'gb18030')
    """
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    unicode_bom = data.startswith((b"\xff\xfe", b"\xfe\xff"))
    if b"\0" in data[:8192] and not unicode_bom:
        raise ValueError("looks like a binary file, not a text page")
    from ..chars import chinese_share

    try:
        text = data.decode("gb18030")
        if chinese_share(text) >= 0.5:
            return text, "gb18030"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ValueError("not text in any encoding xcclean recognises")
    return str(best), best.encoding


def read_bytes(path: str) -> bytes:
    """The bytes of a file, or of standard input for ``-``."""
    if path == STDIO:
        return sys.stdin.buffer.read()
    with open(path, "rb") as handle:
        return handle.read()


def _page(source: Source) -> Record:
    try:
        text, encoding = decode(read_bytes(source.path))
    except OSError as err:
        return Record(source, error=f"{source.path}: cannot read ({err.strerror})")
    except ValueError as err:
        return Record(source, error=f"{source.path}: {err}")
    return Record(source, text=text, encoding=encoding)


def _json_line(source: Source, number: int, raw: bytes, field: str, last: bool) -> Record:
    here = f"{source.path}:{number}"
    try:
        line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
    except UnicodeDecodeError:
        return Record(source, number, error=f"{here}: not UTF-8", last=last)
    if not line.strip():
        return Record(source, number, last=last)
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as err:
        return Record(source, number, error=f"{here}: not JSON ({err.msg}, column {err.colno})", last=last)
    if not isinstance(obj, dict):
        return Record(source, number, error=f"{here}: not a JSON object", last=last)
    if field not in obj:
        return Record(source, number, error=f"{here}: no field {field!r}", last=last)
    if not isinstance(obj[field], str):
        return Record(source, number, error=f"{here}: field {field!r} is not a string", last=last)
    return Record(source, number, text=obj[field], obj=obj, last=last)


def _jsonl(source: Source, field: str) -> Iterator[Record]:
    """One record per line; the last flagged ``last`` (an empty file gives one blank record)."""
    try:
        with open(source.path, "rb") as handle:
            held: tuple[int, bytes] = (1, b"")
            for number, raw in enumerate(handle, 1):
                if number > 1:
                    yield _json_line(source, *held, field, last=False)
                held = (number, raw)
            yield _json_line(source, *held, field, last=True)
    except OSError as err:
        yield Record(source, error=f"{source.path}: cannot read ({err.strerror})")


def records(sources: Sequence[Source], field: str = "text") -> Iterator[Record]:
    """Every page of every source, in order."""
    for source in sources:
        if source.jsonl and source.path != STDIO:
            yield from _jsonl(source, field)
        else:
            yield _page(source)
