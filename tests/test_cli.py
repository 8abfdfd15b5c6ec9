"""The command line, run as a user would (subprocess)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import xcclean

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "page.txt"


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "xcclean", *args], input=stdin, capture_output=True, timeout=120)


def test_clean_prints_the_cleaned_page():
    proc = run("clean", str(EXAMPLE))
    assert proc.returncode == 0
    assert proc.stdout.decode() == xcclean.clean(EXAMPLE.read_text(encoding="utf-8")) + "\n"
    assert proc.stderr == b""


def test_explain_json_writes_json_lines():
    proc = run("clean", str(EXAMPLE), "--explain=json")
    edits = [json.loads(line) for line in proc.stderr.decode().splitlines()]
    kinds = {e["kind"] for e in edits}
    assert {"exact_duplicate", "split_joined", "stray_token", "unicode_fixed"} <= kinds


def test_explain_prints_a_table_a_person_reads():
    # Issue 20: --explain alone was raw JSON lines.
    proc = run("clean", str(EXAMPLE), "--explain")
    assert proc.returncode == 0
    header, *rows = proc.stderr.decode().splitlines()
    assert header.split() == ["kind", "¶", "rule", "text"]
    edits = xcclean.clean_and_explain(EXAMPLE.read_text(encoding="utf-8")).edits
    assert len(rows) == len([e for e in edits if e.kind != "whitespace_normalised"])
    assert all(len(row) < 160 for row in rows)  # one short line each
    removal = next(row for row in rows if row.startswith("exact_duplicate") and "¶6 " in row)
    assert "copy of ¶4: first copy kept" in removal and "何区长强调" in removal
    join = next(row for row in rows if row.startswith("split_joined") and "程序" in row)
    assert "¶21+22" in join and "boundary model: dictionary word 程序 spans the cut" in join


def test_stdin_and_output_file(tmp_path):
    out = tmp_path / "out.txt"
    proc = run("clean", "-", "-o", str(out), stdin=EXAMPLE.read_bytes())
    assert proc.returncode == 0
    assert out.read_text(encoding="utf-8") == (ROOT / "examples" / "page.cleaned.txt").read_text(encoding="utf-8")


def test_never_overwrites_the_input(tmp_path):
    page = tmp_path / "page.txt"
    page.write_bytes(EXAMPLE.read_bytes())
    proc = run("clean", str(page), "-o", str(page))
    assert proc.returncode == 1
    assert b"refusing to overwrite" in proc.stderr
    assert page.read_bytes() == EXAMPLE.read_bytes()


def test_gbk_page_is_decoded(tmp_path):
    page = tmp_path / "gbk.txt"
    text = "许昌日报\n\n本市将加快推进重点项目,确保项目早日建\n\n成投产,为高质量发展提供支撑。"
    page.write_bytes(text.encode("gbk"))
    proc = run("clean", str(page))
    assert proc.returncode == 0
    assert proc.stdout.decode() == "许昌日报\n\n本市将加快推进重点项目,确保项目早日建成投产,为高质量发展提供支撑。\n"


def test_bad_inputs_give_one_line_and_no_traceback(tmp_path):
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    for args in (["clean", str(binary)], ["clean", str(tmp_path / "missing.txt")]):
        proc = run(*args)
        assert proc.returncode == 1, args
        err = proc.stderr.decode()
        assert err.startswith("xcclean: ") and err.count("\n") == 1, err
        assert "Traceback" not in err


def test_empty_file_gives_empty_output(tmp_path):
    page = tmp_path / "empty.txt"
    page.write_bytes(b"")
    proc = run("clean", str(page))
    assert proc.returncode == 0
    assert proc.stdout == b""


def test_usage_errors(tmp_path):
    proc = run()
    assert proc.returncode == 2
    assert b"usage" in proc.stderr
    proc = run("clean", str(tmp_path))  # a directory is a corpus: it needs -o
    assert proc.returncode == 2
    assert b"need -o OUTDIR" in proc.stderr
