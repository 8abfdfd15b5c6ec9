"""Writing a run's results: atomic output files, JSONL lines, the report.

An output file is written under a temporary name in its own folder
(``.NAME.<random>.xcclean-tmp``) and renamed into place only when complete,
so an interrupted run never leaves a half-written file under a real name.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
from typing import BinaryIO, TextIO

from .inputs import Record, Source
from .parallel import Outcome
from .progress import Progress
from .report import Summary, failure_line, page_lines

TEMP_SUFFIX = ".xcclean-tmp"
_pending: set[str] = set()  # temporary files not yet renamed into place or removed


class AtomicFile:
    """A file that appears at ``path`` on :meth:`commit`, whole, or not at all."""

    def __init__(self, path: str) -> None:
        folder, name = os.path.split(path)
        if folder:
            os.makedirs(folder, exist_ok=True)
        self.path = path
        self.temp = os.path.join(folder, f".{name}.{secrets.token_hex(4)}{TEMP_SUFFIX}")
        _pending.add(self.temp)  # before it exists, so that remove_pending never misses it
        # mode 0o666 lets the umask decide, as for any new file
        self.handle: BinaryIO = os.fdopen(os.open(self.temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), "wb")

    def write(self, data: bytes) -> None:
        self.handle.write(data)

    def commit(self) -> None:
        self.handle.close()
        os.replace(self.temp, self.path)
        _pending.discard(self.temp)

    def discard(self) -> None:
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


class Writer:
    """The one place in the parent process every page's result goes through, in input order.

    It writes the page (a file, a JSONL line, or standard output), then its
    report (and ``--explain``) lines, the summary counts and the progress; a
    JSONL output is committed after its source's last record. Failures are
    one line on stderr (through ``progress``) and a ``failed`` report line.
    """

    def __init__(self, summary: Summary, progress: Progress, stdout: BinaryIO, report: TextIO | None = None,
                 field: str = "text", explain: TextIO | None = None) -> None:
        self.summary, self.progress, self.stdout, self.report = summary, progress, stdout, report
        self.field, self.explain = field, explain
        self.jsonl: AtomicFile | None = None  # the JSONL output being written
        self.broken: Source | None = None  # a JSONL source whose output could not be written

    def fail(self, record: Record, message: str) -> None:
        self.summary.failed += 1
        self.progress.note(f"xcclean: {message}")
        if self.report:
            self.report.write(failure_line(record, message) + "\n")

    def add(self, record: Record, outcome: Outcome | None) -> None:
        """Write one record's cleaned text, then account for it (or for its failure)."""
        source = record.source
        page = record.error is not None or outcome is not None  # not a blank JSONL line
        if page:
            self.progress.advance()
        if source is self.broken:  # its output could not be written: reported once, counted here
            self.summary.failed += page
            return
        error = record.error
        if outcome is not None and outcome.error:
            error = f"{record.where}: {outcome.error}"
        text = outcome.text if outcome is not None and not error else None
        try:
            if source.jsonl:
                self._jsonl(record, text)
            elif text is not None:
                self._page(source, text)
        except BrokenPipeError:
            raise  # standard output was closed: the run stops
        except OSError as err:
            error = f"{source.output}: cannot write ({err.strerror})"
        if error:
            self.fail(record, error)
        elif outcome is not None:
            self.summary.add(record, outcome.text, outcome.edits)
            if self.report:
                self.report.writelines(line + "\n" for line in page_lines(record, outcome.edits))
            if self.explain:  # --explain: the page's edits as Edit.to_dict(), untagged
                self.explain.writelines(json.dumps(e.to_dict(), ensure_ascii=False) + "\n" for e in outcome.edits)

    def _page(self, source: Source, text: str) -> None:
        if source.output is None:
            self.stdout.write(page_bytes(text))
        else:
            write_atomic(source.output, page_bytes(text))

    def _jsonl(self, record: Record, text: str | None) -> None:
        source = record.source
        if record.line is None:  # the file could not be read through: no output, so --resume retries it
            self._discard()
            return
        try:
            if self.jsonl is None and source.output is not None:
                self.jsonl = AtomicFile(source.output)
            if text is not None and record.obj is not None:
                line = (json.dumps(record.obj | {self.field: text}, ensure_ascii=False) + "\n").encode("utf-8")
                (self.stdout if self.jsonl is None else self.jsonl).write(line)
            if record.last and self.jsonl is not None:
                self.jsonl.commit()
                self.jsonl = None
        except OSError:
            self.broken = source
            self._discard()
            raise

    def _discard(self) -> None:
        if self.jsonl is not None:
            self.jsonl.discard()
            self.jsonl = None
