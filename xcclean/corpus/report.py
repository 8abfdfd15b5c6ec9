"""The edits report (``--report``, JSON lines), ``--explain``'s table and the summary table of a run.

Every report line is an :class:`~xcclean.model.Edit` as ``Edit.to_dict()``
gives it, preceded by ``path`` (and ``line`` for a JSONL record). Two kinds
exist only here: ``decoded`` (a page that was not plain UTF-8: its encoding,
the bytes or lone surrogates replaced by U+FFFD, the encodings weighed; see
:class:`~xcclean.corpus.decoding.Decoding`) and ``failed`` (evidence ``error``).
"""

from __future__ import annotations

import json
import time
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..model import Edit
from ..restore import REMOVALS
from .decoding import Decoding
from .inputs import Record

_REMOVALS = sorted(REMOVALS)


def _tagged(record: Record, edit: Edit) -> dict[str, Any]:
    tag: dict[str, Any] = {"path": record.source.path}
    if record.line is not None:
        tag["line"] = record.line
    return tag | edit.to_dict()


def decoded_edit(decoding: Decoding) -> Edit:
    """The ``decoded`` note of a page that was not plain UTF-8."""
    return Edit("decoded", "read", -1, (), "", 0, decoding.evidence())


def page_lines(record: Record, edits: tuple[Edit, ...]) -> Iterator[str]:
    """The report lines of one cleaned page (its ``decoded`` note first)."""
    if not record.decoding.plain:
        yield json.dumps(_tagged(record, decoded_edit(record.decoding)), ensure_ascii=False)
    for edit in edits:
        yield json.dumps(_tagged(record, edit), ensure_ascii=False)


def failure_line(record: Record, message: str) -> str:
    """The report line of a page that could not be read or cleaned."""
    return json.dumps(_tagged(record, Edit("failed", "read", -1, (), "", 0, {"error": message})), ensure_ascii=False)


def _width(text: str) -> int:
    """Columns ``text`` takes on a terminal (wide and fullwidth characters take two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _fit(text: str, width: int) -> str:
    """``text`` on one line, cut to ``width`` columns (with …) and padded to them."""
    text = text.replace("\n", "⏎")
    if _width(text) > width:
        while _width(text) > width - 1:
            text = text[:-1]
        text += "…"
    return text + " " * (width - _width(text))


def _where(edit: Edit) -> str:
    """The ¶ column: input paragraphs, or the input line of a normalise edit."""
    if edit.stage == "normalise":
        return f"line {edit.evidence.get('line', edit.block)}"
    return "¶" + "+".join(map(str, edit.ids)) if edit.ids else ""


def _cross_page(ev: dict[str, Any]) -> str:
    return f"repeats {ev.get('matched_page')} ¶{ev.get('matched_paragraph')} ({ev.get('relation')})"


def _copy(ev: dict[str, Any]) -> str:
    return f"copy of ¶{ev.get('matched')}: {ev.get('rule', '')}"


def _joined(ev: dict[str, Any]) -> str:
    reasons = "; ".join(map(str, ev.get("reasons") or ()))
    return f"{ev.get('rule', '')}: {reasons}" if reasons else str(ev.get("rule", ""))


def _not_joined(ev: dict[str, Any]) -> str:
    return "not joined: " + "; ".join(map(str, ev.get("reasons") or ()))


def _token(ev: dict[str, Any]) -> str:
    return f"{ev.get('rule', '')} (zipf {ev.get('zipf')})"


def _ftfy(ev: dict[str, Any]) -> str:
    return "ftfy: " + ", ".join(str(step[-1]) for step in ev.get("ftfy_steps") or ())


def _layout(ev: dict[str, Any]) -> str:
    gaps = ev.get("gaps") or []
    return "kept blank lines: " + ", ".join(f"{g} before block {b}" for b, g in enumerate(gaps) if b and g != 1)


def _decoded(ev: dict[str, Any]) -> str:
    found = {k: v for k, v in ev.items() if k != "encoding"}
    return f"read as {ev.get('encoding')}" + (f" {json.dumps(found, ensure_ascii=False)}" if found else "")


# The rule column of each edit kind (any other kind: its evidence's ``rule``).
_WHY = {**dict.fromkeys(REMOVALS, _copy), "cross_page_duplicate": _cross_page, "splice_trimmed": _copy,
        "split_joined": _joined, "suspect_split": _not_joined, "stray_token": _token, "suspect_token": _token,
        "unicode_fixed": _ftfy, "layout": _layout, "decoded": _decoded}


def _why(edit: Edit) -> str:
    """The rule column: why the edit was made, in a few words."""
    ev = dict(edit.evidence)
    how = _WHY.get(edit.kind)
    return how(ev) if how is not None else str(ev.get("rule", ""))


def explain_table(edits: Sequence[Edit]) -> str:
    """``--explain``'s table: one row per edit (kind, ¶ids, rule, a snippet of the text it touched);
    the whitespace tidying of many lines is one row."""
    tidied = [e for e in edits if e.kind == "whitespace_normalised"]
    rows = [(e.kind, _where(e), _why(e), e.text) for e in edits if e.kind != "whitespace_normalised"]
    if tidied:
        lines = ", ".join(str(e.evidence.get("line", e.block)) for e in tidied)
        rows.append(("whitespace_normalised", f"{len(tidied)} lines", "spaces tidied", f"lines {lines}"))
    if not rows:
        return "no edits\n"
    kind = max(_width(r[0]) for r in rows)
    where = max(4, *(_width(r[1]) for r in rows))
    out = [f"{_fit('kind', kind)}  {_fit('¶', where)}  {_fit('rule', 56)}  text"]
    out += [f"{_fit(k, kind)}  {_fit(w, where)}  {_fit(why, 56)}  {_fit(text, 26)}" for k, w, why, text in rows]
    return "\n".join(line.rstrip() for line in out) + "\n"


def _chars(text: str) -> int:
    """Characters of a page, line breaks not counted (so a page that only gains a final newline,
    or is re-laid out, counts the same)."""
    return len(text) - text.count("\n") - text.count("\r")


@dataclass
class Summary:
    """Counts over a run, printed as a table at the end."""

    pages: int = 0
    failed: int = 0
    skipped: int = 0
    chars_before: int = 0
    chars_after: int = 0
    replaced: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    encodings: Counter[str] = field(default_factory=Counter)
    started: float = field(default_factory=time.monotonic)

    def add(self, record: Record, text: str, edits: tuple[Edit, ...]) -> None:
        """Count a page written (characters without line breaks, see :func:`_chars`)."""
        self.pages += 1
        self.chars_before += _chars(record.text or "")
        self.chars_after += _chars(text)
        self.kinds.update(edit.kind for edit in edits)
        decoding = record.decoding
        self.replaced += len(decoding.bad_bytes) + len(decoding.replaced)
        if decoding.encoding != "utf-8":
            self.encodings[decoding.encoding] += 1

    def absorb(self, other: Summary) -> None:
        """Add the counts of ``other`` (a JSONL file's pages, counted once its output is in place)."""
        self.pages += other.pages
        self.failed += other.failed
        self.chars_before += other.chars_before
        self.chars_after += other.chars_after
        self.replaced += other.replaced
        self.kinds.update(other.kinds)
        self.encodings.update(other.encodings)

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
            *([("bad bytes replaced", f"{self.replaced:,}", "U+FFFD, each in the report")] if self.replaced else []),
            ("characters before", f"{self.chars_before:,}", "line breaks not counted"),
            ("characters after", f"{self.chars_after:,}", share),
            ("wall time", f"{wall:.1f} s", f"{rate:.1f} pages/s, {workers} worker{'s' * (workers != 1)}"),
        ]
        left = max(len(label) for label, _, _ in rows)
        right = max(len(value) for _, value, _ in rows)
        return "\n".join(f"  {label:<{left}}  {value:>{right}}  {extra}".rstrip() for label, value, extra in rows)
