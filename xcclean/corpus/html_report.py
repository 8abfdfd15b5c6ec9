"""``xcclean explain``: what became of each paragraph of one page, as a self-contained HTML page.

The page is a table with one row per input paragraph (¶0, ¶1, … the ids the
edit log uses, after unicode and whitespace repair): the input on the left,
what became of it on the right — the cleaned paragraph it starts, or the
word *removed* / *joined* with a link to the paragraph it copies or joins —
and below that, in the same row, each edit's reason. Input and output stay
side by side however long the page is, because one row holds both. Notes
are numbered in page order; page-wide facts (blank lines, whitespace) come
first. A checkbox hides the paragraphs nothing happened to (CSS only).
No scripts, no external assets; all page text is escaped.

>>> page = explain_html("李朝锋强调,要扎实做好安全稳定工作。\\n\\n李朝锋强调,要扎实做好安全稳定工作。")
>>> page.count('<tr class="row'), "removed</b> as a copy of" in page
(2, True)
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from ..config import Config
from ..model import Block, Edit
from ..restore import REMOVALS
from ..stages.normalise import normalise
from ..stages.segment import segment

_CSS = """
body { font: 15px/1.7 "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif;
       margin: 1.5em; color: #222; }
h1 { font-size: 1.3em; margin: 0 0 .3em; }
.legend span { display: inline-block; padding: 0 .5em; margin: 0 .6em .3em 0; border-left: 4px solid #bbb; }
.page-notes { margin: .3em 0 .8em; padding-left: 1.4em; }
#only-edited { margin-right: .4em; }
label[for=only-edited] { cursor: pointer; font-weight: bold; }
#only-edited:checked ~ table tr.same:not(:target) { display: none; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; margin-top: .6em; }
col.pid { width: 3.2em; }
thead th { position: sticky; top: 0; background: #f4f4f4; text-align: left; padding: .3em .5em;
           border-bottom: 2px solid #ccc; z-index: 1; }
tr.row > * { vertical-align: top; padding: .35em .5em; border-bottom: 1px solid #eee; }
tr.row { scroll-margin-top: 3em; }
tr.row:target > * { background: #fff6cc; }
th.pid { font-weight: normal; color: #888; font-size: .8em; text-align: right; }
th.pid a { color: inherit; text-decoration: none; }
td.in, .out-text { white-space: pre-wrap; overflow-wrap: anywhere; }
td.in { border-left: 4px solid transparent; }
tr.removed td.in { background: #fde2e2; color: #7a2a2a; text-decoration: line-through; border-left-color: #d33; }
tr.removed td.in sup { text-decoration: none; display: inline-block; }
tr.joined td.in { background: #e8f0fd; border-left-color: #36c; }
tr.suspect td.in { border-left-color: #999; border-left-style: dashed; }
tr.same td.out { color: #777; }
.out-ids { color: #888; font-size: .75em; margin-right: .4em; }
.why { margin: .2em 0 0; font-size: .88em; color: #333; padding-left: .5em; border-left: 4px solid #bbb; }
.why.removed { border-left-color: #d33; } .why.joined, .why.head { border-left-color: #36c; }
.why.trimmed { border-left-color: #f08c00; } .why.token { border-left-color: #e0c000; }
.why.unicode { border-left-color: #2b8a3e; } .why.suspect { border-left-style: dashed; }
.why.source { border-left-color: #888; color: #555; }
.why .n { color: #777; margin-right: .3em; }
.why .status { font-weight: bold; }
code { font-size: .9em; color: #555; }
.txt { background: #f1f3f5; padding: 0 .2em; border-radius: 2px; }
mark { padding: 0 .1em; }
mark.trimmed { background: #ffd8a8; text-decoration: line-through; }
mark.token { background: #fff08a; text-decoration: line-through; }
mark.unicode { background: #d3f9d8; }
mark.suspect { background: none; border-bottom: 2px dotted #999; }
.cut { color: #36c; font-weight: bold; }
sup { font-size: .7em; color: #555; }
sup a { color: inherit; text-decoration: none; }
"""

_LEGEND = (("removed", "#d33", "removed: a copy or a fragment of another paragraph"),
           ("joined", "#36c", "joined to the paragraph before it (⏎ marks the join)"),
           ("trimmed", "#f08c00", "span trimmed"), ("token", "#e0c000", "stray token removed"),
           ("unicode", "#2b8a3e", "unicode fixed"), ("suspect", "#999", "note only: nothing changed"))

_FRAGMENT_PART = {"fragment_prefix": "start", "fragment_suffix": "end", "fragment_inner": "middle"}


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _txt(text: Any, limit: int = 60) -> str:
    """Quoted page text: a shaded span rather than ``<q>``, whose added quotes double the page's own “”."""
    return f'<span class="txt">{_e(_clip(str(text), limit))}</span>'


def _link(ident: Any) -> str:
    return f'<a href="#p-{_e(ident)}">¶{_e(ident)}</a>'


def _links(ids: Iterable[Any]) -> str:
    return ", ".join(map(_link, ids))


@dataclass(eq=False)
class _Note:
    """One reason shown in a row: ``cls`` colours it, ``status`` (html) says what happened, ``reason`` why.

    ``number`` is given once every note is placed, in page order; ``home`` is the first row that shows it.
    """

    cls: str
    status: str
    reason: str
    number: int = 0
    home: int = -1


@dataclass
class _Row:
    """One input paragraph: its highlights (start, end, class, note), notes and references to it."""

    text: str
    marks: list[tuple[int, int, str, _Note]] = field(default_factory=list)
    notes: list[_Note] = field(default_factory=list)
    refs: dict[str, list[tuple[int, _Note | None]]] = field(default_factory=dict)  # what other rows did with it
    cls: set[str] = field(default_factory=set)

    def free(self, start: int, end: int) -> bool:
        return all(start >= e or end <= b for b, e, _, _ in self.marks)

    def mark(self, needle: str, cls: str, note: _Note, near: int = 0) -> bool:
        """Highlight the free occurrence of ``needle`` nearest ``near``; False if there is none."""
        starts, at = [], self.text.find(needle) if needle else -1
        while at >= 0:
            if self.free(at, at + len(needle)):
                starts.append(at)
            at = self.text.find(needle, at + 1)
        if not starts:
            return False
        start = min(starts, key=lambda s: abs(s - near))
        self.marks.append((start, start + len(needle), cls, note))
        return True


class _Page:
    """The rows of one page, the notes placed on them, the joins and the page-wide notes."""

    def __init__(self, paras: Sequence[str]) -> None:
        self.rows = [_Row(text) for text in paras]
        self.cuts: list[tuple[str, str, _Note]] = []  # joins: end of head, start of tail, note
        self.page_notes: list[str] = []  # html

    def row(self, ident: Any) -> _Row | None:
        return self.rows[ident] if isinstance(ident, int) and 0 <= ident < len(self.rows) else None

    def attach(self, ids: Iterable[int], note: _Note) -> None:
        """Show ``note`` in the rows ``ids``, coloured by its class."""
        for ident in ids:
            row = self.row(ident)
            if row is not None:
                row.notes.append(note)
                row.cls.add(note.cls)

    def refer(self, ident: Any, what: str, others: Iterable[int], cls: str = "source",
              note: _Note | None = None) -> None:
        """Tell row ``ident`` what the edit of rows ``others`` did with it (``what``: "copies removed", …)."""
        row = self.row(ident)
        if row is not None:
            row.refs.setdefault(what, []).extend((other, note) for other in others)
            row.cls.add(cls)

    def highlight(self, ids: Sequence[int], needle: str, note: _Note, near: int = 0) -> None:
        """Mark ``needle`` in the first of ``ids`` that holds it and show the note there."""
        for ident in ids:
            row = self.row(ident)
            if row is not None and row.mark(needle, note.cls, note, near):
                self.attach([ident], note)
                return
        self.attach(ids[:1], note)

    def number(self) -> None:
        """Number the notes in page order: by row, and in a row by where their highlights start."""
        count = 0
        for ident, row in enumerate(self.rows):
            starts = {id(note): start for start, _, _, note in sorted(row.marks, key=lambda m: -m[0])}
            row.notes.sort(key=lambda note: starts.get(id(note), len(row.text)))
            for note in row.notes:
                if not note.number:
                    count += 1
                    note.number, note.home = count, ident


def _removal(page: _Page, edit: Edit) -> None:
    """A removed copy or fragment: said in its rows, with a link to the kept paragraph, which lists it back."""
    ev = edit.evidence
    matched = ev.get("matched")
    part = _FRAGMENT_PART.get(edit.kind)
    what = f"a fragment (the {part}) of" if part else "a copy of"
    source = _link(matched) if matched is not None else _e(ev.get('matched_page', 'another page'))
    reason = f"<code>{_e(edit.kind)}</code>, similarity {_e(ev.get('similarity'))}; {_e(ev.get('rule'))}"
    if ev.get("glued_on"):
        reason += f"; glued-on text {_txt(ev['glued_on'])}"
    page.attach(edit.ids, _Note("removed", f"<b>removed</b> as {what} {source}", reason))
    page.refer(matched, "fragments removed" if part else "copies removed", edit.ids)


def _tail_of(page: _Page, edit: Edit) -> int:
    """The input paragraph the joined tail starts with (``edit.text`` begins with its text)."""
    for ident in edit.ids[1:]:
        row = page.row(ident)
        if row is not None and row.text and edit.text.startswith(row.text[:16]):
            return ident
    return edit.ids[-1]


def _join(page: _Page, edit: Edit) -> None:
    """A join: said in the tail's row; the head's row shows the joined paragraph with ⏎ at the cut."""
    ev = edit.evidence
    tail = _tail_of(page, edit)
    head = [i for i in edit.ids if i != tail]
    reasons = "; ".join(map(str, ev.get("reasons", ())))
    cut = f"{_txt(ev.get('head_end', ''))}⏎{_txt(ev.get('tail_start', ''))}"
    note = _Note("joined", f"<b>joined</b> to the end of {_links(head[-1:])}",
                 f"at {cut}: {_e(ev.get('rule'))}" + (f"; {_e(reasons)}" if reasons else ""))
    page.attach([tail], note)
    page.cuts.append((str(ev.get("head_end", "")), str(ev.get("tail_start", "")), note))
    if head:
        page.refer(head[-1], "joined to it at the ⏎", [tail], "head", note)


def _trim(page: _Page, edit: Edit) -> None:
    """A trimmed splice: the span struck through in its row, which links to the paragraph it repeats."""
    ev = edit.evidence
    note = _Note("trimmed", f"<b>trimmed</b>: the struck span repeats {_link(ev.get('matched'))}",
                 f"<code>splice_trimmed</code>, similarity {_e(ev.get('similarity'))}; {_e(ev.get('rule'))}")
    page.highlight(edit.ids, edit.text.strip(), note)
    page.refer(ev.get("matched"), "its repeat trimmed in", edit.ids)


def _token(page: _Page, edit: Edit) -> None:
    """A stray token (struck through) or a suspect one (underlined, kept), nearest the logged offset."""
    ev = edit.evidence
    removed = edit.kind == "stray_token"
    status = f"<b>token removed</b> {_txt(ev.get('token'))}" if removed else \
        f"<b>token kept</b> {_txt(ev.get('token'))} (note only)"
    note = _Note("token" if removed else "suspect", status,
                 f"<code>{_e(edit.kind)}</code>: {_e(ev.get('rule'))}, Zipf {_e(ev.get('zipf'))}")
    page.highlight(edit.ids, str(ev.get("token")), note, edit.offset)


def _unicode(page: _Page, edit: Edit, after: str) -> None:
    """Mark the characters ftfy changed in the row holding ``after`` (the line as the input column shows it)."""
    steps = ", ".join(str(step[0]) for step in edit.evidence.get("ftfy_steps", ()))
    note = _Note("unicode", "<b>unicode fixed</b>",
                 f"input line {edit.block + 1} was {_txt(edit.text, 80)} ({_e(steps)})")
    after = after.strip()
    for ident, row in enumerate(page.rows):
        at = row.text.find(after) if after else -1
        if at < 0:
            continue
        for tag, _, _, start, end in SequenceMatcher(None, edit.text, after, autojunk=False).get_opcodes():
            if tag != "equal" and end > start and row.free(at + start, at + end):
                row.marks.append((at + start, at + end, "unicode", note))
        page.attach([ident], note)
        return
    page.page_notes.append(f"<b>unicode fixed</b>: {note.reason}")


def _other_note(page: _Page, edit: Edit) -> None:
    """A note that changed nothing (``suspect_split`` and kinds added later), on its first paragraph."""
    ev = edit.evidence
    reasons = "; ".join(map(str, ev.get("reasons", ()))) or _readable(ev)
    if edit.kind == "suspect_split" and len(edit.ids) > 1:
        status = f"<b>kept</b>: it may continue in {_links(edit.ids[1:])}; not joined"
    else:
        status = "<b>kept</b> (note only)"
    page.attach(edit.ids[:1], _Note("suspect", status, f"<code>{_e(edit.kind)}</code>: {_e(reasons)}"))


def _readable(evidence: Any) -> str:
    """Evidence as ``key value`` pairs, not JSON."""
    return "; ".join(f"{key} {value}" for key, value in dict(evidence).items())


def _layout_note(edit: Edit, blocks: Sequence[Block]) -> str:
    """The ``layout`` note in words: which paragraphs had other than one blank line before them."""
    gaps = list(edit.evidence.get("gaps", ()))
    odd = [f"{_e(gap)} blank line{'s' * (gap != 1)} before {_links(block.ids[:1])}"
           for k, (block, gap) in enumerate(zip(blocks, gaps, strict=True)) if k and gap != 1]
    return ("<b>blank lines</b>: the cleaned page has one blank line between paragraphs; the input had "
            + ", ".join(odd) + " (<code>layout</code>; <code>restore()</code> puts them back)")


def _page_note(edit: Edit, blocks: Sequence[Block]) -> str:
    """A page-wide note (no paragraph ids) in words."""
    if edit.kind == "layout":
        return _layout_note(edit, blocks)
    if edit.kind == "not_chinese":
        return (f"<b>not Chinese</b> (Chinese share {_e(edit.evidence.get('chinese_share'))}): "
                f"{_e(edit.evidence.get('rule'))}")
    return f"<b>{_e(edit.kind)}</b>: {_e(_readable(edit.evidence))}"


_Handler = Callable[[_Page, Edit], None]
_HANDLERS: dict[str, _Handler] = {
    **{kind: _removal for kind in REMOVALS},
    "split_joined": _join,
    "splice_trimmed": _trim,
    "stray_token": _token,
    "suspect_token": _token,
}


def _annotate(page: _Page, edits: Sequence[Edit], blocks: Sequence[Block]) -> None:
    """Place every edit on its rows, or among the page-wide notes."""
    tidied = {e.block: str(e.evidence["after"]) for e in edits if e.kind == "whitespace_normalised"}
    spaces = sum(e.kind == "whitespace_normalised" for e in edits)
    for edit in edits:
        handler = _HANDLERS.get(edit.kind)
        if handler is not None:
            handler(page, edit)
        elif edit.kind == "unicode_fixed":
            _unicode(page, edit, tidied.get(edit.block, str(edit.evidence.get("after", ""))))
        elif edit.kind == "whitespace_normalised":
            continue
        elif edit.ids:
            _other_note(page, edit)
        else:
            page.page_notes.append(_page_note(edit, blocks))
    if spaces:
        page.page_notes.append(f"<b>whitespace</b> tidied on {spaces} line{'s' * (spaces != 1)} (not highlighted)")
    page.number()


def _sup(note: _Note) -> str:
    return f'<sup><a href="#note-{note.number}">[{note.number}]</a></sup>'


def _render_input(row: _Row) -> str:
    """The input paragraph with its highlights, each note's number after its last highlight."""
    out, pos = [], 0
    marks = sorted(row.marks, key=lambda m: (m[0], m[1]))
    last = {id(note): k for k, (_, _, _, note) in enumerate(marks)}
    for k, (start, end, cls, note) in enumerate(marks):
        out.append(_e(row.text[pos:start]))
        out.append(f'<mark class="{cls}">{_e(row.text[start:end])}</mark>')
        out.append(_sup(note) if last[id(note)] == k else "")
        pos = end
    out.append(_e(row.text[pos:]))
    return "".join(out)


def _render_output(block: Block, cuts: Sequence[tuple[str, str, _Note]]) -> str:
    """A cleaned paragraph with ⏎ where joined halves meet."""
    text, marks = block.text, []
    for head_end, tail_start, note in cuts:
        at = text.find(head_end + tail_start) if head_end and tail_start else -1
        if at >= 0:
            marks.append((at + len(head_end), note.number))
    out, pos = [], 0
    for at, number in sorted(marks):
        out.append(_e(text[pos:at]) + f'<span class="cut">⏎</span><sup><a href="#note-{number}">[{number}]</a></sup>')
        pos = at
    out.append(_e(text[pos:]))
    ids = f'<span class="out-ids">{_e("+".join(f"¶{i}" for i in block.ids))}</span>' if len(block.ids) > 1 else ""
    return f'<div class="out-text">{ids}{"".join(out)}</div>'


def _render_note(note: _Note, anchor: bool) -> str:
    """One reason line; ``anchor`` gives it the id the note numbers link to (in its first row only)."""
    where = f' id="note-{note.number}"' if anchor else ""
    return (f'<p class="why {note.cls}"{where}><span class="n">[{note.number}]</span>'
            f'<span class="status">{note.status}</span> — {note.reason}</p>')


def _render_notes(ident: int, row: _Row) -> str:
    """The row's reasons, then what other rows' edits did with it."""
    out = [_render_note(note, note.home == ident) for note in row.notes]
    refs = [f"{_e(what)}: " + ", ".join(_link(i) + (_sup(note) if note else "") for i, note in sorted(
        set(others), key=lambda item: item[0])) for what, others in row.refs.items()]
    if refs:
        out.append(f'<p class="why source">{"; ".join(refs)}</p>')
    return "".join(out)


def _render_row(ident: int, row: _Row, outputs: Sequence[Block], cuts: Sequence[tuple[str, str, _Note]]) -> str:
    cls = " ".join(sorted(row.cls)) or "same"
    right = "".join(_render_output(block, cuts) for block in outputs) + _render_notes(ident, row)
    return (f'<tr class="row {cls}" id="p-{ident}"><th class="pid" scope="row"><a href="#p-{ident}">¶{ident}</a></th>'
            f'<td class="in">{_render_input(row)}</td><td class="out">{right}</td></tr>')


def _rows(page: _Page, blocks: Sequence[Block]) -> str:
    """Every row, each cleaned block in the row of its first input paragraph."""
    starts: dict[int, list[Block]] = {}
    for block in blocks:
        starts.setdefault(min(block.ids, default=0), []).append(block)
    return "\n".join(_render_row(i, row, starts.get(i, []), page.cuts) for i, row in enumerate(page.rows))


def _counts(edits: Sequence[Edit]) -> str:
    """``kind count`` for each edit kind, in the order of first appearance."""
    kinds: dict[str, int] = {}
    for edit in edits:
        kinds[edit.kind] = kinds.get(edit.kind, 0) + 1
    return ", ".join(f"{k} {v}" for k, v in kinds.items()) or "no edits"


def explain_html(text: str, title: str = "page", encoding: str = "utf-8", config: Config | None = None) -> str:
    """Clean ``text`` and return the explain page (a complete HTML document)."""
    from ..pipeline import cleaner_for

    config = config or Config()
    cleaned = cleaner_for(config).explain(text)
    page = _Page([block.text for block in segment(normalise(text, config.normalise)[0])])
    _annotate(page, cleaned.edits, cleaned.blocks)
    legend = "".join(f'<span style="border-left-color:{colour}">{_e(label)}</span>' for _, colour, label in _LEGEND)
    page_notes = "".join(f"<li>{note}</li>" for note in page.page_notes)
    edited = sum(bool(row.cls) for row in page.rows)
    return f"""<!DOCTYPE html>
<html lang="zh-Hans"><head><meta charset="utf-8">
<title>xcclean explain: {_e(title)}</title>
<style>{_CSS}</style></head>
<body>
<h1>xcclean explain: {_e(title)}</h1>
<p>Input {len(page.rows)} paragraphs ({_e(encoding)}), cleaned {len(cleaned.blocks)}; {edited} paragraphs with an
edit or a note. Edits: {_e(_counts(cleaned.edits))}.</p>
<p class="legend">{legend}</p>
<ul class="page-notes">{page_notes}</ul>
<input type="checkbox" id="only-edited"><label for="only-edited">Show only the paragraphs with an edit or a note</label>
<table>
<colgroup><col class="pid"><col><col></colgroup>
<thead><tr><th></th><th>Input paragraph</th><th>What became of it</th></tr></thead>
<tbody>
{_rows(page, cleaned.blocks)}
</tbody>
</table>
</body></html>
"""
