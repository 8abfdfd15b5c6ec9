"""The audit page of ``xcclean explain PAGE --html OUT``: one row per input paragraph.

Two views of the same page: its HTML structure, parsed here (runs
everywhere), and the page as headless Chromium lays it out, read back from
the DOM (skipped with the reason where there is no Chromium). Both check
that each edited paragraph's row holds its reason and that the input and
what became of it are in the same row.
"""

from __future__ import annotations

import html
import itertools
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

import xcclean
from tests.conftest import seed_text
from xcclean.corpus.cli import main
from xcclean.corpus.html_report import explain_html
from xcclean.model import Edit
from xcclean.restore import REMOVALS
from xcclean.stages.segment import segment

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = (ROOT / "examples" / "page.txt").read_text(encoding="utf-8")
HOSTILE = "<script>alert('x')</script> & 标题"
PAGE = EXAMPLE + "\n\n" + HOSTILE
FRAGMENT_PART = {"fragment_prefix": "start", "fragment_suffix": "end", "fragment_inner": "middle"}


def paragraphs(text: str) -> list[str]:
    return [block.text for block in segment(xcclean.normalise(text))]


def tail_of(edit: Edit, paras: list[str]) -> int:
    """The input paragraph a join's tail starts with."""
    return next(i for i in edit.ids[1:] if edit.text.startswith(paras[i][:16]))


def expected_reasons(edits: tuple[Edit, ...], paras: list[str]) -> dict[int, list[str]]:
    """What the row of each edited paragraph must say, written from the edit log alone."""
    want: dict[int, list[str]] = {}
    for edit in edits:
        ev = edit.evidence
        if edit.kind in REMOVALS:
            what = f"a fragment (the {FRAGMENT_PART[edit.kind]}) of" if edit.kind in FRAGMENT_PART else "a copy of"
            for ident in edit.ids:
                want.setdefault(ident, []).extend([f"removed as {what} ¶{ev['matched']}", edit.kind, ev["rule"]])
        elif edit.kind == "split_joined":
            head = max(i for i in edit.ids if i < tail_of(edit, paras))
            want.setdefault(tail_of(edit, paras), []).extend([f"joined to the end of ¶{head}", ev["rule"],
                                                              *ev["reasons"]])
        elif edit.kind == "splice_trimmed":
            want.setdefault(edit.ids[0], []).extend([f"trimmed: the struck span repeats ¶{ev['matched']}",
                                                     ev["rule"]])
        elif edit.kind == "stray_token":
            want.setdefault(edit.ids[0], []).extend([f"token removed {ev['token']}", ev["rule"]])
        elif edit.kind == "suspect_split":
            want.setdefault(edit.ids[0], []).extend([f"it may continue in ¶{edit.ids[1]}", *ev["reasons"]])
    return want


class Rows(HTMLParser):
    """The rows of the page: id, classes, and the text of each cell; plus every tag, link and id."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict[str, object]] = []
        self.tags: list[str] = []
        self.links: list[str] = []
        self.ids: list[str] = []
        self.notes: list[int] = []
        self._cell: str | None = None
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        self.tags.append(tag)
        self.links += [v for k, v in found.items() if k in ("href", "src")]
        self.ids += [found["id"]] if "id" in found else []
        if found.get("id", "").startswith("note-"):
            self.notes.append(int(found["id"][5:]))
        classes = found.get("class", "").split()
        if tag == "tr" and "row" in classes:
            self.rows.append({"id": found["id"], "classes": set(classes), "cells": {}})
        elif self.rows and tag in ("th", "td") and self._cell is None:
            self._cell, self._depth = ("pid" if tag == "th" else classes[0]), 0
            self.rows[-1]["cells"][self._cell] = ""
        elif self._cell is not None:
            self._depth += 1

    def handle_endtag(self, tag: str) -> None:
        if self._cell is not None:
            if self._depth == 0:
                self._cell = None
            else:
                self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._cell is not None and self.rows:
            self.rows[-1]["cells"][self._cell] += data


def report(tmp_path: Path, text: str = PAGE) -> str:
    (tmp_path / "page.txt").write_text(text, encoding="utf-8")
    assert main(["explain", str(tmp_path / "page.txt"), "--html", str(tmp_path / "report.html")]) == 0
    return (tmp_path / "report.html").read_text(encoding="utf-8")


def test_one_row_per_input_paragraph_holding_its_input_and_what_became_of_it(tmp_path):
    parsed = Rows()
    parsed.feed(report(tmp_path))
    paras = paragraphs(PAGE)
    assert [row["id"] for row in parsed.rows] == [f"p-{i}" for i in range(len(paras))]
    for row, para in zip(parsed.rows, paras, strict=True):
        assert set(row["cells"]) == {"pid", "in", "out"}
        assert re.sub(r"\[\d+\]", "", row["cells"]["in"]) == para
    cleaned = xcclean.clean_and_explain(PAGE)
    rows = {int(str(row["id"])[2:]): row for row in parsed.rows}
    for block in cleaned.blocks:  # each cleaned paragraph in the row of its first input paragraph
        out = re.sub(r"\[\d+\]|⏎|¶[\d+¶]+", "", rows[block.ids[0]]["cells"]["out"])
        assert block.text in out


def test_each_edited_row_says_what_happened_and_why(tmp_path):
    parsed = Rows()
    parsed.feed(report(tmp_path))
    cleaned = xcclean.clean_and_explain(PAGE)
    want = expected_reasons(cleaned.edits, paragraphs(PAGE))
    assert {"removed as a copy of", "joined to the end of", "trimmed:", "token removed"} <= {
        phrase for reasons in want.values() for phrase in ("removed as a copy of", "joined to the end of",
                                                           "trimmed:", "token removed") if phrase in reasons[0]}
    for ident, reasons in want.items():
        row = parsed.rows[ident]
        assert "same" not in row["classes"]
        for reason in reasons:
            assert reason in row["cells"]["out"], (ident, reason)
    edited = {int(str(row["id"])[2:]) for row in parsed.rows if "same" not in row["classes"]}
    assert set(want) <= edited


def test_notes_are_numbered_in_page_order_and_links_land_on_rows(tmp_path):
    parsed = Rows()
    parsed.feed(report(tmp_path))
    assert parsed.notes == list(range(1, len(parsed.notes) + 1))
    assert len(parsed.ids) == len(set(parsed.ids))
    assert all(link.startswith("#") and link[1:] in parsed.ids for link in parsed.links)


def test_self_contained_escaped_and_readable(tmp_path):
    text = report(tmp_path)
    parsed = Rows()
    parsed.feed(text)
    assert not {"script", "link", "img", "iframe", "q"} & set(parsed.tags)
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; 标题" in text
    assert "blank lines</b>: the cleaned page has one blank line between paragraphs; the input had 3 blank lines " \
           'before <a href="#p-19">¶19</a>' in text  # the layout note in words
    assert '{"gaps"' not in text and "““" not in text
    assert 'type="checkbox" id="only-edited"' in text and "#only-edited:checked ~ table tr.same" in text


def test_a_page_with_no_edits_and_an_empty_page(tmp_path):
    parsed = Rows()
    parsed.feed(report(tmp_path, "本报讯 记者报道。"))
    assert len(parsed.rows) == 1 and parsed.rows[0]["classes"] == {"row", "same"}
    assert "no edits" in report(tmp_path, "本报讯 记者报道。")
    parsed = Rows()
    parsed.feed(report(tmp_path, "\n\n"))
    assert parsed.rows == []


# -- in a browser ------------------------------------------------------------

# Added to a copy of the page under test (the page itself has no script): where each
# row and the text inside each of its cells are laid out, the cells' rendered text,
# and which rows the filter leaves.
PROBE = """<pre id="probe"></pre><script>
const rows = [...document.querySelectorAll("tr.row")];
const box = b => [b.top, b.bottom];
const content = c => { const r = document.createRange(); r.selectNodeContents(c); return box(r.getBoundingClientRect()); };
const layout = rows.map(r => ({id: r.id, row: box(r.getBoundingClientRect()), cells: [...r.children].map(content),
  inText: r.querySelector("td.in").innerText, outText: r.querySelector("td.out").innerText}));
document.getElementById("only-edited").checked = true;
const shown = rows.filter(r => r.getClientRects().length > 0).map(r => r.id);
document.getElementById("probe").textContent = JSON.stringify({layout, shown});
</script>"""


def browser() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if found is None:
        pytest.skip("no Chromium on this machine (Debian: apt-get install chromium; .ci/run installs it where "
                    "apt-get works)")
    return found


def rendered(tmp_path: Path, width: int) -> dict[str, object]:
    """Lay the page out in headless Chromium at ``width`` px and read the probe back from the DOM."""
    probe = tmp_path / "probe.html"
    probe.write_text(report(tmp_path).replace("</body>", PROBE + "</body>"), encoding="utf-8")
    proc = subprocess.run([browser(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                           f"--window-size={width},900", "--dump-dom", probe.as_uri()],
                          capture_output=True, timeout=120, check=False)
    found = re.search(r'<pre id="probe">(.*?)</pre>', proc.stdout.decode("utf-8"), re.S)
    assert found, proc.stderr.decode(errors="replace")[-2000:]
    return json.loads(html.unescape(found.group(1)))


@pytest.mark.parametrize("width", [1400, 800])
def test_in_a_browser_input_and_output_share_each_row_and_rows_carry_their_reasons(tmp_path, width):
    probe = rendered(tmp_path, width)
    layout: list[dict[str, object]] = probe["layout"]
    paras = paragraphs(PAGE)
    assert [row["id"] for row in layout] == [f"p-{i}" for i in range(len(paras))]
    for row, below in itertools.pairwise(layout):  # rows stack without overlap
        assert row["row"][1] <= below["row"][0] + 1
    for row in layout:  # the ¶ id, the input and what became of it start on the row's first line, inside it
        (top, bottom), cells = row["row"], row["cells"]
        assert len(cells) == 3 and all(top <= cell[0] < top + 20 and cell[1] <= bottom + 1 for cell in cells), row
    cleaned = xcclean.clean_and_explain(PAGE)
    want = expected_reasons(cleaned.edits, paras)
    for ident, reasons in want.items():
        text = layout[ident]["outText"]
        assert all(reason in text for reason in reasons), (ident, reasons, text)
        assert "““" not in text
    assert HOSTILE in layout[-1]["inText"]
    shown = set(probe["shown"])
    assert {f"p-{i}" for i in want} <= shown < {row["id"] for row in layout}


def test_a_note_on_several_rows_is_anchored_once():
    from xcclean.corpus import html_report

    page = html_report._Page(["甲乙丙丁", "戊己庚辛", "甲乙丙丁戊己庚辛"])
    removal = Edit("exact_duplicate", "deduplicate", 0, (0, 1), "甲乙丙丁戊己庚辛", 0,
                   {"matched": 2, "similarity": 1.0, "rule": "first copy kept"})
    html_report._annotate(page, [removal], ())
    rows = html_report._rows(page, ())
    assert rows.count("removed</b> as a copy of") == 2 and rows.count('id="note-1"') == 1
    assert 'copies removed: <a href="#p-0">¶0</a>, <a href="#p-1">¶1</a>' in rows


@pytest.mark.parametrize("seed", ["000", "001", "002", "003", "004"])
def test_each_seed_page_has_a_row_per_paragraph_holding_its_reasons(seed):
    text = seed_text(seed)
    parsed = Rows()
    parsed.feed(explain_html(text, title=seed))
    paras = paragraphs(text)
    assert len(parsed.rows) == len(paras)
    for ident, reasons in expected_reasons(xcclean.clean_and_explain(text).edits, paras).items():
        assert all(reason in parsed.rows[ident]["cells"]["out"] for reason in reasons), (ident, reasons)
