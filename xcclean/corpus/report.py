"""The edits report (``--report``, JSON lines) and the summary table of a run.

Every report line is an :class:`~xcclean.model.Edit` as ``Edit.to_dict()``
gives it, preceded by ``path`` (and ``line`` for a JSONL record). Two kinds
exist only here: ``decoded`` (a page that was not UTF-8; evidence
``encoding``) and ``failed`` (evidence ``error``).
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..model import Edit
from ..restore import REMOVALS
from .inputs import Record

_REMOVALS = sorted(REMOVALS)


def _tagged(record: Record, edit: Edit) -> dict[str, Any]:
    tag: dict[str, Any] = {"path": record.source.path}
    if record.line is not None:
        tag["line"] = record.line
    return tag | edit.to_dict()


def page_lines(record: Record, edits: tuple[Edit, ...]) -> Iterator[str]:
    """The report lines of one cleaned page."""
    if record.encoding != "utf-8":
        yield json.dumps(_tagged(record, Edit("decoded", "read", -1, (), "", 0, {"encoding": record.encoding})),
                         ensure_ascii=False)
    for edit in edits:
        yield json.dumps(_tagged(record, edit), ensure_ascii=False)


def failure_line(record: Record, message: str) -> str:
    """The report line of a page that could not be read or cleaned."""
    return json.dumps(_tagged(record, Edit("failed", "read", -1, (), "", 0, {"error": message})), ensure_ascii=False)


@dataclass
class Summary:
    """Counts over a run, printed as a table at the end."""

    pages: int = 0
    failed: int = 0
    skipped: int = 0
    chars_before: int = 0
    chars_after: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    encodings: Counter[str] = field(default_factory=Counter)
    started: float = field(default_factory=time.monotonic)

    def add(self, record: Record, text: str, edits: tuple[Edit, ...]) -> None:
        self.pages += 1
        self.chars_before += len(record.text or "")
        self.chars_after += len(text)
        self.kinds.update(edit.kind for edit in edits)
        if record.encoding != "utf-8":
            self.encodings[record.encoding] += 1

    def table(self, workers: int) -> str:
        """The summary, one aligned row per figure."""
        wall = time.monotonic() - self.started
        rate = self.pages / wall if wall > 0 else 0.0
        share = f"({self.chars_after / self.chars_before:.1%} of before)" if self.chars_before else ""
        kinds = self.kinds
        rows: list[tuple[str, str, str]] = [
            ("pages cleaned", f"{self.pages:,}", ""),
            ("pages failed", f"{self.failed:,}", ""),
            ("files skipped (--resume)", f"{self.skipped:,}", ""),
            ("paragraphs removed", f"{sum(kinds[k] for k in _REMOVALS):,}", ""),
            *((f"  {kind}", f"{kinds[kind]:,}", "") for kind in _REMOVALS),
            ("spans trimmed", f"{kinds['splice_trimmed']:,}", "splice_trimmed"),
            ("paragraphs joined", f"{kinds['split_joined']:,}", "split_joined"),
            ("tokens removed", f"{kinds['stray_token']:,}", "stray_token"),
            ("lines with unicode fixed", f"{kinds['unicode_fixed']:,}", "unicode_fixed"),
            *((f"pages decoded from {enc}", f"{n:,}", "") for enc, n in sorted(self.encodings.items())),
            ("characters before", f"{self.chars_before:,}", ""),
            ("characters after", f"{self.chars_after:,}", share),
            ("wall time", f"{wall:.1f} s", f"{rate:.1f} pages/s, {workers} worker{'s' * (workers != 1)}"),
        ]
        left = max(len(label) for label, _, _ in rows)
        right = max(len(value) for _, value, _ in rows)
        return "\n".join(f"  {label:<{left}}  {value:>{right}}  {extra}".rstrip() for label, value, extra in rows)
