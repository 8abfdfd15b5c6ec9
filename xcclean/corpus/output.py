"""Writing a run's results: atomic output files, JSONL lines, the report.

An output file is written under a temporary name in its own folder
(``.NAME.<random>.xcclean-tmp``) and renamed into place only when complete,
so an interrupted run never leaves a half-written file under a real name.
A page's report lines are written and flushed *before* its output is
renamed into place: whatever stops the run, every output on disk has its
report lines, and ``--resume`` (which keeps the lines of the outputs it
skips and drops the others, see :class:`ReportFile`) never loses or repeats
one. A full disk stops the run (:class:`Stop`) after what was written.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import secrets
from collections.abc import Collection, Iterable
from typing import BinaryIO, TextIO

from ..model import render
from .inputs import Record, Source
from .jsonl import rewrite
from .parallel import Outcome
from .progress import Progress
from .report import Summary, decoded_edit, explain_table, failure_line, page_lines

TEMP_SUFFIX = ".xcclean-tmp"
_pending: set[str] = set()  # temporary files not yet renamed into place or removed
# A write that fails with one of these fails for every later write too: the run stops.
DISK_FULL = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


class Stop(Exception):
    """Writing cannot go on (a full disk, a report that cannot be written): the run stops cleanly,
    with the summary of what was written."""


def _folder_for(path: str) -> str:
    folder = os.path.dirname(path)
    if folder:
        os.makedirs(folder, exist_ok=True)
    return folder


class AtomicFile:
    """A file that appears at ``path`` on :meth:`commit`, whole, or not at all.

    An error opening it names ``path``, not the temporary file.
    """

    def __init__(self, path: str) -> None:
        folder = _folder_for(path)
        self.path = path
        self.temp = os.path.join(folder, f".{os.path.basename(path)}.{secrets.token_hex(4)}{TEMP_SUFFIX}")
        _pending.add(self.temp)  # before it exists, so that remove_pending never misses it
        try:
            # mode 0o666 lets the umask decide, as for any new file
            fd = os.open(self.temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except OSError as err:
            _pending.discard(self.temp)
            raise OSError(err.errno, err.strerror, path) from None
        self.handle: BinaryIO = os.fdopen(fd, "wb")

    def write(self, data: bytes) -> None:
        self.handle.write(data)

    def commit(self) -> None:
        self.handle.close()
        os.replace(self.temp, self.path)
        _pending.discard(self.temp)

    def discard(self) -> None:
        """Remove the temporary file (its buffered bytes are dropped: a full disk cannot keep it)."""
        with contextlib.suppress(OSError):
            self.handle.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.temp)
        _pending.discard(self.temp)


def remove_pending() -> None:
    """Delete the temporary files of outputs not yet complete (after an interruption)."""
    for temp in list(_pending):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        _pending.discard(temp)


def write_atomic(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (nothing there if it fails)."""
    out = AtomicFile(path)
    try:
        out.write(data)
        out.commit()
    except BaseException:
        out.discard()
        raise


def remove_stale_temps(folder: str) -> int:
    """Delete the temporary files a killed run left under ``folder``; return how many."""
    removed = 0
    for here, _, files in os.walk(folder):
        for name in files:
            if name.startswith(".") and name.endswith(TEMP_SUFFIX):
                os.unlink(os.path.join(here, name))
                removed += 1
    return removed


def page_bytes(text: str) -> bytes:
    """A cleaned page as written: UTF-8, ending in a newline (an empty page stays empty)."""
    return (text + "\n").encode("utf-8") if text else b""


def jsonl_bytes(record: Record, outcome: Outcome) -> bytes:
    """A cleaned JSONL record: its line as read, with the page's fields rewritten. With a headline
    (``--title-field``), the blocks made from input paragraph 0 go back to the title field."""
    line = record.json
    assert line is not None
    if not line.headed:
        return rewrite(line, outcome.text)
    title = tuple(block for block in outcome.blocks if 0 in block.ids)
    body = tuple(block for block in outcome.blocks if 0 not in block.ids)
    return rewrite(line, render(body), render(title))


class ReportFile:
    """The ``--report`` file, written a page at a time: each page's lines are written and flushed
    before its output is renamed into place.

    ``keep``: with ``--resume``, the input paths whose lines an existing
    report keeps (the sources skipped, whose outputs exist); every other line
    is dropped -- its page is cleaned again and written again -- as is a
    last line cut short. Without ``keep`` the file starts empty. A write that
    fails cuts the file back to its last complete line.
    """

    def __init__(self, path: str, keep: Collection[str] | None = None) -> None:
        self.path = path
        _folder_for(path)
        if keep is not None and os.path.exists(path):
            write_atomic(path, _kept_lines(path, keep))
            flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT
        else:
            flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_TRUNC
        try:  # O_APPEND: after a rollback (ftruncate) the next line goes at the new end
            self.fd = os.open(path, flags, 0o666)
        except OSError as err:
            raise OSError(err.errno, err.strerror, path) from None
        self.size = os.fstat(self.fd).st_size

    def write(self, lines: Iterable[str]) -> None:
        """Append ``lines`` (each gets a newline), all on disk when this returns; OSError names the file."""
        data = memoryview("".join(line + "\n" for line in lines).encode("utf-8"))
        try:
            while data:
                data = data[os.write(self.fd, data):]
        except OSError as err:
            self.rollback(self.size)
            raise OSError(err.errno, err.strerror, self.path) from None
        self.size = os.fstat(self.fd).st_size

    def rollback(self, size: int) -> None:
        """Cut the file back to ``size`` bytes (a mark taken from :attr:`size`)."""
        with contextlib.suppress(OSError):
            os.ftruncate(self.fd, size)
            self.size = size

    def close(self) -> None:
        os.close(self.fd)


def _kept_lines(path: str, keep: Collection[str]) -> bytes:
    """The complete lines of an existing report whose ``path`` is in ``keep``."""
    kept = []
    with open(path, "rb") as handle:
        for raw in handle:
            try:
                found = json.loads(raw) if raw.endswith(b"\n") else None
            except ValueError:
                found = None
            if isinstance(found, dict) and found.get("path") in keep:
                kept.append(raw)
    return b"".join(kept)


class Writer:
    """The one place in the parent process every page's result goes through, in input order.

    For each page: its output (a file, a JSONL line, or standard output),
    its report lines (flushed before the output is renamed into place), its
    ``--explain`` lines, the summary counts and the progress. A JSONL
    output is committed after its source's last record; its pages count in
    the summary only then. Failures are one line on stderr (through
    ``progress``) and a ``failed`` report line; a full disk raises
    :class:`Stop`. Sources marked ``skip`` (read for the cross-page pass
    only) are not written.
    """

    def __init__(self, summary: Summary, progress: Progress, stdout: BinaryIO, report: ReportFile | None = None,
                 explain: TextIO | None = None, explain_json: bool = False) -> None:
        self.summary, self.progress, self.stdout, self.report = summary, progress, stdout, report
        self.explain, self.explain_json = explain, explain_json
        self.jsonl: AtomicFile | None = None  # the JSONL output being written
        self.held = Summary()  # the counts of the JSONL output being written
        self.mark = 0  # the report's size when that output was started
        self.broken: Source | None = None  # a JSONL source whose output could not be written

    def add(self, record: Record, outcome: Outcome | None) -> None:
        """Write one record's cleaned text, then account for it (or for its failure)."""
        source = record.source
        if source.skip:
            return
        page = record.error is not None or outcome is not None  # not a blank JSONL line
        if page:
            self.progress.advance()
        if source is self.broken:
            self.summary.failed += page
            return
        error = record.error
        if outcome is not None and outcome.error:
            error = f"{record.where}: {outcome.error}"
        if source.jsonl:
            self._jsonl(record, outcome if not error else None, error)
        elif error:
            self.fail(record, error)
        elif outcome is not None:
            self._page(record, outcome)

    def fail(self, record: Record, message: str, counts: Summary | None = None) -> None:
        (counts or self.summary).failed += 1
        self.progress.note(f"xcclean: {message}")
        self._report([failure_line(record, message)])

    def _report(self, lines: Iterable[str]) -> None:
        if self.report is None:
            return
        try:
            self.report.write(lines)
        except OSError as err:
            raise Stop(f"{err.filename}: cannot write ({err.strerror})") from None

    def _cannot_write(self, record: Record, path: str, err: OSError, counts: Summary | None = None) -> None:
        message = f"{path}: cannot write ({err.strerror})"
        if err.errno in DISK_FULL:
            raise Stop(message) from None
        self.fail(record, message, counts)

    def _accounted(self, record: Record, outcome: Outcome, counts: Summary) -> None:
        """Count a page, write its report and ``--explain`` lines (after its output, before its commit)."""
        self._report(page_lines(record, outcome.edits))
        counts.add(record, outcome.text, outcome.edits)
        warning = record.decoding.warning()
        if warning:
            self.progress.note(f"xcclean: {record.where}: {warning}")
        if self.explain:
            self._explain(record, outcome)

    def _explain(self, record: Record, outcome: Outcome) -> None:
        assert self.explain is not None
        edits = outcome.edits if record.decoding.plain else (decoded_edit(record.decoding), *outcome.edits)
        if self.explain_json:  # the page's edits as Edit.to_dict(), untagged
            self.explain.writelines(json.dumps(e.to_dict(), ensure_ascii=False) + "\n" for e in edits)
        else:
            self.explain.write(explain_table(edits))

    def _page(self, record: Record, outcome: Outcome) -> None:
        """A text page: standard output, or an atomic file committed after its report lines."""
        output = record.source.output
        if output is None:
            self.stdout.write(page_bytes(outcome.text))
            self._accounted(record, outcome, self.summary)
            return
        try:
            out = AtomicFile(output)
            out.write(page_bytes(outcome.text))
        except OSError as err:
            self._cannot_write(record, output, err)
            return
        mark = self.report.size if self.report else 0
        counts = Summary()
        try:
            self._accounted(record, outcome, counts)
            out.commit()
        except OSError as err:
            out.discard()
            if self.report:
                self.report.rollback(mark)
            self._cannot_write(record, output, err)
            return
        except BaseException:
            out.discard()
            raise
        self.summary.absorb(counts)

    def _jsonl(self, record: Record, outcome: Outcome | None, error: str | None) -> None:
        """A JSONL record: a line of its file's output (committed after the last record), or its failure."""
        source = record.source
        if record.line is None:  # the file could not be read through: no output, so --resume retries it
            self.abandon()
            self.fail(record, error or f"{source.path}: not read")
            return
        try:
            if self.jsonl is None and source.output is not None:
                self.jsonl = AtomicFile(source.output)
                self.mark = self.report.size if self.report else 0
            counts = self.held if self.jsonl is not None else self.summary
            if error:
                self.fail(record, error, counts)
            elif outcome is not None:
                (self.stdout if self.jsonl is None else self.jsonl).write(jsonl_bytes(record, outcome))
                self._accounted(record, outcome, counts)
            if record.last and self.jsonl is not None:
                self.jsonl.commit()
                self.jsonl = None
                self.summary.absorb(self.held)
                self.held = Summary()
        except BrokenPipeError:
            raise  # standard output was closed: the run stops
        except OSError as err:
            self.abandon()
            self.broken = source
            self._cannot_write(record, source.output or "standard output", err)

    def abandon(self) -> None:
        """Give up the JSONL output being written: its temporary file goes, its report lines are cut
        off, and its pages count as failed (a stop, an interruption, a file not read through)."""
        if self.jsonl is not None:
            self.jsonl.discard()
            self.jsonl = None
            if self.report:
                self.report.rollback(self.mark)
        self.summary.failed += self.held.pages + self.held.failed
        self.held = Summary()
