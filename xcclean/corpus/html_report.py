"""``xcclean explain``: one page, input and cleaned side by side, as a self-contained HTML page.

The left column is the input cut into paragraphs (¶0, ¶1, … the ids the edit
log uses, after unicode and whitespace repair), the right column the cleaned
page. Each edit is highlighted where it applies, with its reason in a hover
title and a numbered note below: removed paragraphs with the paragraph they
copy and the similarity, trimmed spans, stray tokens, joins, unicode fixes.
Inline CSS only: no scripts, no external assets. All page text is escaped.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable
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
h1 { font-size: 1.3em; } h2 { font-size: 1.1em; margin: 0 0 .5em; }
.cols { display: grid; grid-template-columns: 1fr 1fr; gap: 2em; }
.para { white-space: pre-wrap; margin: 0 0 .8em; padding: .2em .4em; border-left: 3px solid transparent; }
.pid { color: #888; font-size: .75em; margin-right: .4em; user-select: none; }
.removed { background: #fde2e2; color: #7a2a2a; text-decoration: line-through; border-left-color: #d33; }
.removed .pid, .removed sup { text-decoration: none; display: inline-block; }
.joined { border-left-color: #36c; background: #e8f0fd; }
.note-only { border-left-color: #bbb; border-left-style: dashed; }
mark { padding: 0 .1em; }
mark.trimmed { background: #ffd8a8; text-decoration: line-through; }
mark.token { background: #fff08a; text-decoration: line-through; }
mark.unicode { background: #d3f9d8; }
mark.suspect { background: none; border-bottom: 2px dotted #999; }
.cut { color: #36c; font-weight: bold; }
sup a { color: #555; text-decoration: none; font-size: .8em; }
.legend span { display: inline-block; padding: 0 .5em; margin-right: .6em; border-left: 3px solid transparent; }
ol.notes li { margin-bottom: .4em; } .notes q { color: #555; }
"""

_LEGEND = (("removed", "paragraph removed (copy or fragment)"), ("joined", "paragraph joined to the one before"),
           ("trimmed", "trimmed span"), ("token", "stray token"), ("unicode", "unicode fixed"),
           ("suspect", "note only: nothing changed"))


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _clip(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


@dataclass
class _Para:
    """An input paragraph, its highlights (start, end, class, note) and its whole-paragraph class."""

    text: str
    marks: list[tuple[int, int, str, int]] = field(default_factory=list)
    cls: str = ""
    notes: list[int] = field(default_factory=list)

    def free(self, start: int, end: int) -> bool:
        return all(start >= e or end <= b for b, e, _, _ in self.marks)

    def mark(self, needle: str, cls: str, note: int, near: int = 0) -> bool:
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


def _sup(notes: Iterable[int]) -> str:
    return "".join(f'<sup><a href="#note-{n}">[{n}]</a></sup>' for n in notes)


class _Page:
    """Collects the notes of one page and where they apply."""

    def __init__(self, paras: list[str]) -> None:
        self.paras = [_Para(text) for text in paras]
        self.notes: list[tuple[str, str]] = []  # (title for hover, html for the note list)
        self.cuts: list[tuple[str, str, int]] = []  # joins: end of head, start of tail, note

    def note(self, title: str, body: str) -> int:
        self.notes.append((title, body))
        return len(self.notes)

    def para(self, ident: int) -> _Para | None:
        return self.paras[ident] if 0 <= ident < len(self.paras) else None

    def attach(self, ids: Iterable[int], note: int, cls: str = "") -> None:
        """Put ``note`` on the paragraphs ``ids`` (the first only unless ``cls`` marks them all)."""
        for ident in ids:
            para = self.para(ident)
            if para is not None:
                para.notes.append(note)
                para.cls = cls or para.cls or "note-only"
                if not cls:
                    return

    def highlight(self, ids: Iterable[int], needle: str, cls: str, note: int, near: int = 0) -> None:
        """Highlight ``needle`` in the first of ``ids`` that holds it, else note the first paragraph."""
        ids = list(ids)
        for ident in ids:
            para = self.para(ident)
            if para is not None and para.mark(needle, cls, note, near):
                return
        self.attach(ids[:1], note)


def _link(ident: Any) -> str:
    return f'<a href="#in-{_e(ident)}">¶{_e(ident)}</a>'


def _removal(page: _Page, edit: Edit) -> None:
    ev = edit.evidence
    title = f"{edit.kind}: copy of ¶{ev.get('matched')}, similarity {ev.get('similarity')}; {ev.get('rule')}"
    body = (f"<b>{_e(edit.kind)}</b> {', '.join(map(_link, edit.ids))} removed: copy of {_link(ev.get('matched'))}, "
            f"similarity {_e(ev.get('similarity'))}; rule: {_e(ev.get('rule'))}. "
            f"Kept paragraph: <q>{_e(_clip(str(ev.get('matched_text', ''))))}</q>")
    if ev.get("glued_on"):
        body += f" Glued-on text: <q>{_e(ev['glued_on'])}</q>"
    page.attach(edit.ids, page.note(title, body), "removed")


def _join(page: _Page, edit: Edit) -> None:
    ev = edit.evidence
    reasons = "; ".join(map(str, ev.get("reasons", ())))
    # the tail's first input paragraph: the joined text starts with it
    tail = next((i for i in edit.ids[1:] if (p := page.para(i)) and p.text
                 and edit.text.startswith(p.text[:16])), edit.ids[-1])
    head = [i for i in edit.ids if i != tail]
    title = f"split_joined: {ev.get('rule')}" + (f"; {reasons}" if reasons else "")
    body = (f"<b>split_joined</b> {_link(tail)} joined to {', '.join(map(_link, head))} "
            f"at <q>{_e(ev.get('head_end'))}|{_e(ev.get('tail_start'))}</q>: {_e(ev.get('rule'))}; {_e(reasons)}")
    note = page.note(title, body)
    page.attach([tail], note, "joined")
    page.cuts.append((str(ev.get("head_end", "")), str(ev.get("tail_start", "")), note))


def _trim(page: _Page, edit: Edit) -> None:
    ev = edit.evidence
    note = page.note(f"splice_trimmed: also in ¶{ev.get('matched')}, similarity {ev.get('similarity')}",
                     f"<b>splice_trimmed</b> <q>{_e(edit.text.strip())}</q> cut from "
                     f"{', '.join(map(_link, edit.ids))}: it repeats {_link(ev.get('matched'))} "
                     f"(similarity {_e(ev.get('similarity'))}); {_e(ev.get('rule'))}")
    page.highlight(edit.ids, edit.text.strip(), "trimmed", note)


def _token(page: _Page, edit: Edit) -> None:
    ev = edit.evidence
    removed = edit.kind == "stray_token"
    note = page.note(f"{edit.kind}: {ev.get('rule')} (Zipf {ev.get('zipf')})",
                     f"<b>{_e(edit.kind)}</b> <q>{_e(ev.get('token'))}</q> "
                     f"{'removed' if removed else 'kept'}: {_e(ev.get('rule'))}, Zipf {_e(ev.get('zipf'))}")
    page.highlight(edit.ids, str(ev.get("token")), "token" if removed else "suspect", note, edit.offset)


def _unicode(page: _Page, edit: Edit, after: str) -> None:
    """Highlight the characters ftfy changed; ``after`` is the line as the input column shows it."""
    steps = ", ".join(str(step[0]) for step in edit.evidence.get("ftfy_steps", ()))
    note = page.note(f"unicode_fixed: was {edit.text}",
                     f"<b>unicode_fixed</b> line {edit.block}: <q>{_e(edit.text)}</q> became "
                     f"<q>{_e(edit.evidence.get('after'))}</q> ({_e(steps)})")
    after = after.strip()
    for para in page.paras:
        at = para.text.find(after) if after else -1
        if at >= 0:
            changed = SequenceMatcher(None, edit.text, after, autojunk=False).get_opcodes()
            for tag, _, _, start, end in changed:
                if tag != "equal" and end > start and para.free(at + start, at + end):
                    para.marks.append((at + start, at + end, "unicode", note))
            return
    page.attach(range(len(page.paras))[:1], note)


def _annotate(page: _Page, edits: tuple[Edit, ...]) -> list[str]:
    """Attach every edit to the page; return the page-level notes (html)."""
    tidied = {e.block: str(e.evidence["after"]) for e in edits if e.kind == "whitespace_normalised"}
    page_notes: list[str] = []
    spaces = 0
    for edit in edits:
        if edit.kind in REMOVALS:
            _removal(page, edit)
        elif edit.kind == "split_joined":
            _join(page, edit)
        elif edit.kind == "splice_trimmed":
            _trim(page, edit)
        elif edit.kind in ("stray_token", "suspect_token"):
            _token(page, edit)
        elif edit.kind == "unicode_fixed":
            _unicode(page, edit, tidied.get(edit.block, str(edit.evidence.get("after", ""))))
        elif edit.kind == "whitespace_normalised":
            spaces += 1
        elif edit.ids:  # suspect_split and any later note kinds
            reasons = "; ".join(map(str, edit.evidence.get("reasons", ())))
            page.attach(edit.ids, page.note(f"{edit.kind}: {reasons}", f"<b>{_e(edit.kind)}</b> "
                                            f"{', '.join(map(_link, edit.ids))}: {_e(reasons)} (nothing changed)"))
        else:
            page_notes.append(f"<b>{_e(edit.kind)}</b> {_e(json.dumps(dict(edit.evidence), ensure_ascii=False))}")
    if spaces:
        page_notes.append(f"{spaces} line{'s' * (spaces != 1)} had whitespace tidied (not highlighted)")
    return page_notes


def _render_para(ident: int, para: _Para, notes: list[tuple[str, str]]) -> str:
    out, pos = [], 0
    marks = sorted(para.marks)
    last = {note: k for k, (_, _, _, note) in enumerate(marks)}  # the note number goes after its last mark
    for k, (start, end, cls, note) in enumerate(marks):
        out.append(_e(para.text[pos:start]))
        tip = _e(notes[note - 1][0])
        out.append(f'<mark class="{cls}" title="{tip}">{_e(para.text[start:end])}</mark>')
        out.append(_sup([note]) if last[note] == k else "")
        pos = end
    out.append(_e(para.text[pos:]))
    title = "; ".join(notes[n - 1][0] for n in para.notes)
    return (f'<p class="para {para.cls}" id="in-{ident}"' + (f' title="{_e(title)}"' if title else "") +
            f'><span class="pid">¶{ident}</span>{"".join(out)}{_sup(para.notes)}</p>')


def _render_block(block: Block, cuts: list[tuple[str, str, int]]) -> str:
    """A cleaned paragraph with ⏎ where joined halves meet (``cuts``: text either side of a cut, note)."""
    text, marks = block.text, []
    for head_end, tail_start, note in cuts:
        at = text.find(head_end + tail_start) if head_end and tail_start else -1
        if at >= 0:
            marks.append((at + len(head_end), note))
    out, pos = [], 0
    for at, note in sorted(marks):
        out.append(_e(text[pos:at]) + f'<span class="cut">⏎</span>{_sup([note])}')
        pos = at
    out.append(_e(text[pos:]))
    ids = "+".join(f"¶{i}" for i in block.ids)
    return f'<p class="para"><span class="pid">{_e(ids)}</span>{"".join(out)}</p>'


def explain_html(text: str, title: str = "page", encoding: str = "utf-8", config: Config | None = None) -> str:
    """Clean ``text`` and return the explain page (a complete HTML document)."""
    from ..pipeline import cleaner_for

    config = config or Config()
    cleaned = cleaner_for(config).explain(text)
    paras = [block.text for block in segment(normalise(text, config.normalise)[0])]
    page = _Page(paras)
    page_notes = _annotate(page, cleaned.edits)
    kinds: dict[str, int] = {}
    for edit in cleaned.edits:
        kinds[edit.kind] = kinds.get(edit.kind, 0) + 1
    counts = ", ".join(f"{k} {v}" for k, v in kinds.items()) or "no edits"
    left = "\n".join(_render_para(i, p, page.notes) for i, p in enumerate(page.paras))
    right = "\n".join(_render_block(b, page.cuts) for b in cleaned.blocks)
    legend = "".join(f'<span class="{c}">{_e(label)}</span>' if c in ("removed", "joined")
                     else f'<mark class="{c}">{_e(label)}</mark> ' for c, label in _LEGEND)
    notes = "\n".join(f'<li id="note-{n}">{body}</li>' for n, (_, body) in enumerate(page.notes, 1))
    extra = "".join(f"<li>{note}</li>" for note in page_notes)
    return f"""<!DOCTYPE html>
<html lang="zh-Hans"><head><meta charset="utf-8">
<title>xcclean explain: {_e(title)}</title>
<style>{_CSS}</style></head>
<body>
<h1>xcclean explain: {_e(title)}</h1>
<p>Input {len(paras)} paragraphs ({_e(encoding)}), cleaned {len(cleaned.blocks)}. Edits: {_e(counts)}.</p>
<p class="legend">{legend}</p>
<div class="cols">
<section><h2>Input</h2>
{left}
</section>
<section><h2>Cleaned</h2>
{right}
</section>
</div>
<h2>Notes</h2>
<ol class="notes">
{notes}
</ol>
<ul class="page-notes">{extra}</ul>
</body></html>
"""
