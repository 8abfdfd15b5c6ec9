"""The command line's cross-page pass: ``xcclean clean --across-pages [--index FILE] [--date-field F]``.

The pages of a run are cleaned first (in parallel), held, and then passed to
:func:`xcclean.corpus.across.across_pages` in page order -- input order, or the
JSONL ``--date-field`` (dated records first, oldest first; ties and undated
records in input order) -- with the archive index if one is given, before
anything is written. Pages of sources ``--resume`` skips take part too (they
are read and cleaned again, not written), so a resumed run removes what an
uninterrupted one does and ends with the same index.

In the index a page is named by its absolute path (``:LINE`` for a JSONL
record; standard input by its content hash) and known by the SHA-256 of its
input text: see :func:`~xcclean.corpus.across.across_pages` for what a page
indexed before is compared with.
"""

from __future__ import annotations

import hashlib
import os
import re
import zipfile
from typing import Any

from ..dedup import ParagraphIndex
from ..pipeline import Cleaned
from .across import PageKey, across_pages, body_paragraphs, remove
from .inputs import STDIO, PlanError, Record
from .output import Stop
from .parallel import Outcome, Result


def _date(record: Record, field: str | None) -> tuple[bool, str]:
    value: Any = record.json.obj.get(field) if field and record.json is not None else None
    return (value is None, "" if value is None else str(value))


def page_key(record: Record) -> PageKey:
    """How the index names and knows a page (see the module docstring)."""
    digest = hashlib.sha256((record.text or "").encode("utf-8", "surrogatepass")).hexdigest()
    if record.source.path == STDIO:
        return PageKey(f"-:{digest}", digest)
    path = os.path.abspath(record.source.path)
    return PageKey(path if record.line is None else f"{path}:{record.line}", digest)


def _stale_temps(path: str) -> list[str]:
    """The temporary files :meth:`ParagraphIndex.save` leaves beside ``path`` when killed."""
    folder, name = os.path.split(os.path.abspath(path))
    pattern = re.compile(rf"\.{re.escape(name)}\.[A-Za-z0-9_]+\.tmp")
    return [os.path.join(folder, f) for f in os.listdir(folder) if pattern.fullmatch(f)] \
        if os.path.isdir(folder) else []


def open_index(path: str | None, resume: bool = False) -> ParagraphIndex | None:
    """The archive index at ``path`` (a new one if the file does not exist yet), or None.

    With ``resume``, the temporary files of a save that was killed are deleted first.
    """
    if path is None:
        return None
    if resume:
        for temp in _stale_temps(path):
            os.unlink(temp)
    if not os.path.exists(path):
        return ParagraphIndex()
    try:
        return ParagraphIndex.load(path)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as err:
        reason = err.strerror if isinstance(err, OSError) else str(err).removeprefix(f"{path}: ")
        raise PlanError(f"{path}: cannot read the index ({reason})") from None


def save_index(index: ParagraphIndex, path: str) -> None:
    """Write the index; a failure stops the run with a message naming it (the old index stays whole)."""
    try:
        folder = os.path.dirname(path)
        if folder:
            os.makedirs(folder, exist_ok=True)
        index.save(path)
    except OSError as err:
        raise Stop(f"{path}: cannot write the index ({err.strerror}); it was not updated: the same command "
                   "with --resume adds this run's pages") from None


def deduplicate_across(results: list[Result], date_field: str | None = None,
                       index: ParagraphIndex | None = None) -> list[Result]:
    """``results`` with every page's cross-page duplicates removed (one edit each)."""
    pages = [k for k, (_, outcome) in enumerate(results) if outcome is not None and not outcome.error]
    order = sorted(pages, key=lambda k: (*_date(results[k][0], date_field), k))
    cleaned = {k: Cleaned(o.text, o.edits, o.blocks) for k in pages if (o := results[k][1]) is not None}
    keys = [page_key(results[k][0]) for k in order]
    found = across_pages([body_paragraphs(cleaned[k]) for k in order], index=index, keys=keys)
    names = [results[k][0].where for k in order]
    out = list(results)
    for k, hits in zip(order, found, strict=True):
        if hits:
            new = remove(cleaned[k], hits, names)
            out[k] = (results[k][0], Outcome(new.text, new.edits, None, new.blocks))
    return out
