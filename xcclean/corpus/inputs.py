"""The inputs of a corpus run: which files, where their outputs go, their pages.

:func:`plan` turns command-line inputs into :class:`Source` records (one per
input file, with its output path) in a fixed order; :func:`read_source`
reads one of them into :class:`Record` pages -- text files decoded
(:mod:`xcclean.corpus.decoding`), JSONL lines parsed
(:mod:`xcclean.corpus.jsonl`) -- and :func:`records` all of them, in order.
Reading a source needs nothing but the source (and, for a relative path,
the folder it is relative to: ``cwd``), so the same code runs in the parent
process (a local run) and in a Dask task (``--scheduler``, see
:func:`xcclean.corpus.partitions.read_and_clean`): every bad input is named,
counted and skipped the same way by both.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import PurePath
from typing import BinaryIO, Literal

from .decoding import PLAIN, Decoding, decode
from .jsonl import TEXT, Fields, Line, LineError, parse, shape

STDIO = "-"
# JSON objects read before a JSONL file whose records lack the page's fields is given up.
PROBE = 5

Layout = Literal["stdout", "file", "dir"]


class PlanError(Exception):
    """An input/output combination xcclean refuses before cleaning anything."""


@dataclass(frozen=True)
class Source:
    """One input file (or standard input) and where its cleaned version goes.

    ``output`` is None for standard output. A ``.jsonl`` file is a JSONL
    source: one page per line. ``skip``: with ``--resume``, the output exists
    already (the source is read only if the cross-page pass needs its pages).
    """

    path: str
    output: str | None
    jsonl: bool
    skip: bool = False


@dataclass(frozen=True)
class Record:
    """One page of a source, as read.

    ``text`` is the page to clean; it is None when there is nothing to clean
    (``error`` says why, or the JSONL line was blank). ``decoding`` says how
    its bytes became text; ``json`` is the parsed JSONL line the cleaned
    text goes back into. ``last`` marks the final record of its source, when
    its output can be committed.
    """

    source: Source
    line: int | None = None
    text: str | None = None
    error: str | None = None
    decoding: Decoding = PLAIN
    json: Line | None = None
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
         resume: bool = False) -> tuple[list[Source], list[str]]:
    """The sources, in order (with ``resume``, those whose output exists marked ``skip``), and problems found.

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
        sources = [replace(s, skip=True) if s.output and os.path.exists(s.output) else s for s in sources]
    return sources, problems


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


def read_bytes(path: str) -> bytes:
    """The bytes of a file, or of standard input for ``-``."""
    if path == STDIO:
        return sys.stdin.buffer.read()
    with open(path, "rb") as handle:
        return handle.read()


def _file(source: Source, cwd: str) -> str:
    """Where to open ``source``: its path, relative to ``cwd`` (messages name ``source.path`` as given)."""
    return source.path if source.path == STDIO else os.path.join(cwd, source.path)


def _page(source: Source, cwd: str) -> Record:
    try:
        text, decoding = decode(read_bytes(_file(source, cwd)))
    except OSError as err:
        return Record(source, error=f"{source.path}: cannot read ({err.strerror})")
    except ValueError as err:
        return Record(source, error=f"{source.path}: {err}")
    return Record(source, text=text, decoding=decoding)


def _json_record(source: Source, number: int, raw: bytes, fields: Fields, last: bool
                 ) -> tuple[Record, dict[str, str] | None]:
    """One line's record, and the fields of its object (what a wrong ``--field`` message lists)."""
    try:
        line = parse(raw, fields, first=number == 1)
    except LineError as err:
        return Record(source, number, error=f"{source.path}:{number}: {err}", last=last), err.shape
    if line is None:
        return Record(source, number, last=last), None
    record = Record(source, number, text=line.page, decoding=Decoding(replaced=line.replaced), json=line, last=last)
    return record, shape(line.obj)


def _json_records(source: Source, handle: BinaryIO, fields: Fields) -> Iterator[tuple[Record, dict[str, str] | None]]:
    """One record per line, the last flagged ``last`` (an empty file gives one blank record)."""
    held: tuple[int, bytes] = (1, b"")
    for number, raw in enumerate(handle, 1):
        if number > 1:
            yield _json_record(source, *held, fields, last=False)
        held = (number, raw)
    yield _json_record(source, *held, fields, last=True)


def _proves(record: Record, fields: Fields) -> bool:
    """A record that has the page's fields: the file's ``--field`` (and ``--title-field``) are right."""
    return record.json is not None and (fields.title is None or record.json.has_title)


def _wrong_fields(source: Source, fields: Fields, held: list[Record], shapes: list[dict[str, str]]) -> Record:
    """The one error of a JSONL file none of whose first records has the page's fields."""
    seen: dict[str, str] = {}
    for found in shapes:
        for name, what in found.items():
            seen.setdefault(name, what)
    listing = ", ".join(f"{name} ({what})" for name, what in seen.items())
    if any(r.json is not None for r in held):
        wanted = f"the --title-field {fields.title!r}"
    else:
        wanted = f"a field {fields.text!r} holding a string or a list of strings"
    return Record(source, error=f"{source.path}: none of its first {len(shapes)} records has {wanted}; "
                                f"their fields: {listing}; nothing written for this file")


def _probed(source: Source, parsed: Iterator[tuple[Record, dict[str, str] | None]], fields: Fields
            ) -> Iterator[Record]:
    """The records of a JSONL file -- unless none of its first :data:`PROBE` objects has the page's
    fields (a wrong ``--field``): then one error for the file, and no output."""
    held: list[Record] = []
    shapes: list[dict[str, str]] = []
    for record, found in parsed:
        if _proves(record, fields):
            yield from held
            yield record
            yield from (r for r, _ in parsed)
            return
        held.append(record)
        if found is not None:
            shapes.append(found)
        if len(shapes) == PROBE:
            yield _wrong_fields(source, fields, held, shapes)
            return
    yield from (held if not shapes else [_wrong_fields(source, fields, held, shapes)])


def _jsonl(source: Source, fields: Fields, cwd: str) -> Iterator[Record]:
    try:
        with open(_file(source, cwd), "rb") as handle:
            yield from _probed(source, _json_records(source, handle, fields), fields)
    except OSError as err:
        yield Record(source, error=f"{source.path}: cannot read ({err.strerror})")


def read_source(source: Source, fields: Fields = TEXT, cwd: str = "") -> Iterator[Record]:
    """Every page of one source, in order: a text file's one page, or a JSONL file's records.

    A relative ``source.path`` is opened relative to ``cwd`` (default: the current folder).
    """
    if source.jsonl and source.path != STDIO:
        return _jsonl(source, fields, cwd)
    return iter([_page(source, cwd)])


def records(sources: Sequence[Source], fields: Fields = TEXT, cwd: str = "") -> Iterator[Record]:
    """Every page of every source, in order (relative paths relative to ``cwd``)."""
    for source in sources:
        yield from read_source(source, fields, cwd)
