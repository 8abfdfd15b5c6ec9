"""Every code block of README.md and docs/*.md runs as written.

Each fenced block is one test, named ``FILE:LINE``. By the block's language:

* ``python``: run on its own (a fresh namespace) in a sandbox folder, below;
  a block that starts with ``>>>`` is a doctest and its outputs are compared.
* ``sh``, ``bash``: each command (one line, or lines joined by a trailing
  ``\\``; ``#`` comments ignored) runs in order in one sandbox folder with
  ``xcclean`` and ``python`` on the PATH, and must exit 0. A command that
  runs neither fails the test until its block is marked.
* ``json``: each line must be a JSON object.
* no language: text — page excerpts, diagrams, sample output — not run.

The sandbox is a fresh folder holding what the examples name: ``examples/``
(a copy of this repository's), ``page.txt`` (the example page), ``pages/``
(``2021/a.txt``, ``2021/b.txt``, ``2022/c.txt``: variants of it) and
``news.jsonl`` (three records with ``id``, ``date``, ``title``, ``text``,
``content`` and ``paragraphs``).

A block that cannot run here is marked by an HTML comment on the line just
before its fence (invisible in rendered markdown):

* ``<!-- docs-test: skip: REASON -->`` — not run; skipped with REASON (it
  installs packages, starts a Dask cluster, needs ../shared, an S3 bucket,
  Chromium, or runs a long benchmark);
* ``<!-- docs-test: skip-lines TEXT: REASON -->`` — a shell block whose
  commands containing TEXT are not run (the others are);
* ``<!-- docs-test: edits-of PATH -->`` — a json block whose every line is an
  edit of the page PATH, exactly as ``Edit.to_dict()`` gives it.
"""

from __future__ import annotations

import doctest
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

import xcclean

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
MARKER = re.compile(r"<!-- docs-test: (skip-lines|edits-of|skip) ?(.*?) -->")
FENCE = re.compile(r"^(`{3,})\s*(\S*)\s*$")
SHELL, TEXT = {"sh", "bash", "shell"}, {"", "text"}
RUNS = re.compile(r"^(\.venv/bin/)?(xcclean|python3?)\b")


@dataclass(frozen=True)
class CodeBlock:
    path: Path
    line: int  # 1-based line of the opening fence
    lang: str
    code: str
    marker: tuple[str, str] | None  # (what, argument) from the comment just before the fence

    @property
    def name(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def code_blocks(path: Path) -> list[CodeBlock]:
    """The fenced blocks of one markdown file, with the marker before each."""
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks, i = [], 0
    while i < len(lines):
        opened = FENCE.match(lines[i])
        if not opened:
            i += 1
            continue
        end = next(j for j in range(i + 1, len(lines)) if lines[j].startswith(opened.group(1)))
        before = next((lines[j] for j in range(i - 1, -1, -1) if lines[j].strip()), "")
        found = MARKER.fullmatch(before.strip())
        blocks.append(CodeBlock(path, i + 1, opened.group(2).lower(), "\n".join(lines[i + 1:end]) + "\n",
                                (found.group(1), found.group(2)) if found else None))
        i = end + 1
    return blocks


BLOCKS = [block for path in DOCS for block in code_blocks(path)]


@pytest.fixture
def sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with the files the examples name (see the module docstring), as the working directory."""
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    page = (ROOT / "examples" / "page.txt").read_text(encoding="utf-8")
    paragraphs = page.split("\n\n")
    (tmp_path / "page.txt").write_text(page, encoding="utf-8")
    variants = {"2021/a.txt": page, "2021/b.txt": "\n\n".join(paragraphs[3:]), "2022/c.txt": "\n\n".join(paragraphs[:20])}
    for name, text in variants.items():
        (tmp_path / "pages" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "pages" / name).write_text(text, encoding="utf-8")
    with open(tmp_path / "news.jsonl", "w", encoding="utf-8") as out:
        for k, text in enumerate(variants.values()):
            record = {"id": k, "date": f"2021-10-2{k}", "title": text.split("\n\n")[2], "text": text,
                      "content": text, "paragraphs": text.split("\n\n")}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run_python(block: CodeBlock) -> None:
    if block.code.lstrip().startswith(">>>"):
        test = doctest.DocTestParser().get_doctest(block.code, {}, block.name, str(block.path), block.line)
        report: list[str] = []
        runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
        runner.run(test, out=report.append)
        assert runner.failures == 0, "".join(report)
        return
    exec(compile(block.code, block.name, "exec"), {"__name__": "__docs__"})


def commands(code: str) -> list[str]:
    """The shell commands of a block: lines joined at a trailing backslash, comments and blanks left out."""
    out: list[str] = []
    for line in code.replace("\\\n", " ").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            out.append(line.strip())
    return out


def run_shell(block: CodeBlock, folder: Path) -> None:
    skip_text, reason = block.marker[1].split(":", 1) if block.marker and block.marker[0] == "skip-lines" \
        else ("\0", "")
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    ran = 0
    for command in commands(block.code):
        if skip_text.strip() in command:
            continue
        assert RUNS.match(command), (f"{block.name}: `{command}` runs neither xcclean nor python: "
                                     "mark the block (see tests/test_docs.py)")
        proc = subprocess.run(["bash", "-c", command], cwd=folder, env=env, capture_output=True, timeout=300,
                              check=False)
        assert proc.returncode == 0, f"{block.name}: `{command}` exited {proc.returncode}:\n{proc.stderr.decode()}"
        ran += 1
    assert ran, f"{block.name}: no command ran ({reason.strip()})"


def edits_of(path: str) -> list[dict[str, object]]:
    page = (ROOT / path).read_text(encoding="utf-8")
    return [json.loads(json.dumps(edit.to_dict())) for edit in xcclean.clean_and_explain(page).edits]


def check_json(block: CodeBlock) -> None:
    lines = [json.loads(line) for line in block.code.splitlines() if line.strip()]
    assert lines and all(isinstance(line, dict) for line in lines)
    if block.marker and block.marker[0] == "edits-of":
        real = edits_of(block.marker[1])
        for line in lines:
            assert line in real, f"{block.name}: not an edit of {block.marker[1]}: {line}"


@pytest.mark.parametrize("block", BLOCKS, ids=[block.name for block in BLOCKS])
def test_code_block_runs_as_written(block: CodeBlock, sandbox: Path) -> None:
    if block.marker and block.marker[0] == "skip":
        pytest.skip(block.marker[1].removeprefix(":").strip())
    if block.lang == "python":
        run_python(block)
    elif block.lang in SHELL:
        run_shell(block, sandbox)
    elif block.lang == "json":
        check_json(block)
    else:
        assert block.lang in TEXT, f"{block.name}: a block in {block.lang!r}: say python, sh, json, or none for text"


def test_markers_are_well_formed() -> None:
    """A misspelt marker would silently run (or not skip) its block."""
    for path in DOCS:
        for k, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.lstrip().startswith("<!--") and "docs-test" in line:
                found = MARKER.fullmatch(line.strip())
                assert found, f"{path.name}:{k}: not a docs-test marker: {line}"
                assert found.group(1) == "edits-of" or ":" in found.group(2), f"{path.name}:{k}: no reason given"


def kinds_in_table(path: Path, heading: str) -> set[str]:
    """The edit kinds named in the last column of the first table under ``heading``."""
    text = path.read_text(encoding="utf-8")
    table = re.search(rf"^#+ {re.escape(heading)}\n+(?:[^|\n].*\n+)*((?:\|.*\n)+)", text, re.M)
    assert table, f"no table under {heading!r} in {path.name}"
    column = -1 if path.name == "README.md" else 0
    cells = [row.strip("|").split("|")[column] for row in table.group(1).splitlines()[2:]]
    return {kind for cell in cells for kind in re.findall(r"`([a-z_]+)`", cell) if not kind.startswith("_")}


def test_the_kind_tables_name_every_edit_kind() -> None:
    documented = kinds_in_table(ROOT / "docs" / "edit-log.md", "Every kind")
    readme = kinds_in_table(ROOT / "README.md", "What it repairs")
    readme |= {f"fragment{suffix}" for suffix in ("_prefix", "_suffix", "_inner") if "fragment_prefix" in readme}
    assert readme == documented
    pages = [(ROOT / "examples" / "page.txt").read_text(encoding="utf-8"), "XUCHANG DAILY", "标题\n\n\n\n正文。",
             "会议要求各单位认真落实 xqzt 相关工作部署,确保取得实效。", "社长：方焯\u3000\t"]
    seen = {edit.kind for page in pages for edit in xcclean.clean_and_explain(page).edits}
    assert seen <= documented and {"not_chinese", "suspect_token", "layout", "whitespace_normalised"} <= seen


def summary_labels(table: str) -> list[str]:
    """The row labels of a summary table (the text before the figures), ``xcclean summary`` line left out."""
    return [re.split(r"\s{2,}", line.strip())[0] for line in table.splitlines()[1:] if line.strip()]


def test_the_sample_summary_has_the_rows_a_run_prints(sandbox: Path) -> None:
    """The sample summary in the docs is a long benchmark's: its figures are not checked, its rows are."""
    samples = [block for block in BLOCKS if block.lang in TEXT and block.code.startswith("xcclean summary\n")]
    assert samples
    proc = subprocess.run([sys.executable, "-m", "xcclean", "clean", "pages", "-o", "clean", "--workers", "1"],
                          cwd=sandbox, capture_output=True, timeout=300, check=True)
    printed = summary_labels(proc.stderr.decode().split("xcclean summary", 1)[1])
    for block in samples:
        assert summary_labels(block.code) == printed, block.name
