"""The command line's cross-page pass: ``xcclean clean --across-pages [--index FILE] [--date-field F]``.

The pages of a run are cleaned first (in parallel), held, and then passed to
:func:`xcclean.corpus.across.across_pages` in page order -- input order, or the
JSONL ``--date-field`` (dated records first, oldest first; ties and undated
records in input order) -- with the archive index if one is given, before
anything is written.
"""

from __future__ import annotations

import os
from typing import Any

from ..dedup import ParagraphIndex
from ..pipeline import Cleaned
from .across import across_pages, body_paragraphs, remove
from .inputs import Record
from .parallel import Outcome


def _date(record: Record, field: str | None) -> tuple[bool, str]:
    value: Any = record.obj.get(field) if field and record.obj is not None else None
    return (value is None, "" if value is None else str(value))


def open_index(path: str | None) -> ParagraphIndex | None:
    """The archive index at ``path`` (a new one if the file does not exist yet), or None."""
    if path is None:
        return None
    return ParagraphIndex.load(path) if os.path.exists(path) else ParagraphIndex()


def deduplicate_across(results: list[tuple[Record, Outcome | None]], date_field: str | None = None,
                       index: ParagraphIndex | None = None) -> list[tuple[Record, Outcome | None]]:
    """``results`` with every page's cross-page duplicates removed (one edit each)."""
    pages = [k for k, (_, outcome) in enumerate(results) if outcome is not None and not outcome.error]
    order = sorted(pages, key=lambda k: (*_date(results[k][0], date_field), k))
    cleaned = {k: Cleaned(o.text, o.edits, o.blocks) for k in pages if (o := results[k][1]) is not None}
    found = across_pages([body_paragraphs(cleaned[k]) for k in order], index=index)
    names = [results[k][0].where for k in order]
    out = list(results)
    for k, hits in zip(order, found, strict=True):
        if hits:
            new = remove(cleaned[k], hits, names)
            out[k] = (results[k][0], Outcome(new.text, new.edits, None, new.blocks))
    return out
