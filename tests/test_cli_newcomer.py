"""Issue 20's command line, as a new user meets it: real JSONL shapes, small things of the corpus run.

The shipped corpus (``../shared/corpus/news.jsonl``: ``title`` and a list of
``paragraphs``) is cleaned in one command; its test skips where it is absent.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

import xcclean
from tests.conftest import SHARED
from xcclean.corpus.cli import main
from xcclean.corpus.progress import Progress

A = "许昌市召开全市重点项目建设推进会议,市长出席会议并讲话,要求全力以赴加快项目建设进度,确保全年目标任务圆满完成。"
B = "魏都区召开安全稳定暨疫情防控工作会议,区委书记出席会议并讲话,区长主持会议,会议传达了上级有关精神。"
HEAD, TAIL = "本市将加快推进重点项目,确保项目早日建", "成投产,为高质量发展提供支撑。"
CORPUS = SHARED / "corpus" / "news.jsonl"


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "xcclean", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, timeout=300)


def write_jsonl(path: Path, records: list[dict[str, object]]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


def test_a_list_of_paragraphs_and_a_title_are_cleaned_together_and_written_back(tmp_path):
    records = [{"id": "a", "title": "重点项目（一）", "paragraphs": [A, HEAD, TAIL, A], "n": 1.5},
               {"id": "b", "paragraphs": [B]},  # no title: cleaned without a headline
               {"id": "c", "title": "", "paragraphs": []}]
    write_jsonl(tmp_path / "news.jsonl", records)
    raw = (tmp_path / "news.jsonl").read_text(encoding="utf-8")
    (tmp_path / "news.jsonl").write_text(raw.replace('"n": 1.5}', '"n": 1.50}'), encoding="utf-8")
    assert main(["clean", str(tmp_path / "news.jsonl"), "--field", "paragraphs", "--title-field", "title",
                 "-o", str(tmp_path / "out.jsonl"), "--workers", "1"]) == 0
    lines = (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()
    out = [json.loads(line) for line in lines]
    whole = xcclean.clean("重点项目（一）\n\n" + "\n\n".join(records[0]["paragraphs"]))  # type: ignore[arg-type]
    assert "\n\n".join([out[0]["title"], *out[0]["paragraphs"]]) == whole
    assert out[0]["title"] == "重点项目(一)"  # cleaned with the page (fullwidth folded)
    assert out[0]["paragraphs"] == [A, HEAD + TAIL]  # the copy removed, the split joined
    assert out[1]["paragraphs"] == [B] and "title" not in out[1]
    assert out[2] == {"id": "c", "title": "", "paragraphs": []}
    assert lines[0].endswith('"n": 1.50}')  # the other fields as read


def test_a_string_field_with_a_title(tmp_path):
    write_jsonl(tmp_path / "news.jsonl", [{"headline": "标题：重点项目", "body": f"{HEAD}\n\n{TAIL}"}])
    assert main(["clean", str(tmp_path / "news.jsonl"), "--field", "body", "--title-field", "headline",
                 "-o", str(tmp_path / "out.jsonl"), "--workers", "1"]) == 0
    (out,) = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert out == {"headline": "标题:重点项目", "body": HEAD + TAIL}


@pytest.mark.parametrize(("option", "wanted"), [
    (["--field", "text"], "a field 'text' holding a string or a list of strings"),
    (["--field", "paragraphs", "--title-field", "headline"], "the --title-field 'headline'"),
])
def test_a_wrong_field_stops_after_a_few_records_naming_the_fields_there_are(tmp_path, option, wanted):
    # Before: 9,041 lines of "no field 'text'" after reading everything, and an empty output file.
    records = [{"id": i, "title": "标题", "paragraphs": [A]} for i in range(8)]
    write_jsonl(tmp_path / "news.jsonl", records)
    with (tmp_path / "news.jsonl").open("a", encoding="utf-8") as handle:
        handle.write("{not json\n")  # never read: the file is given up after 5 records
    done = run("clean", "news.jsonl", *option, "-o", "out.jsonl", "--workers", "1", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"xcclean: news.jsonl: none of its first 5 records has {wanted}; their fields: id (a number), "
        "title (a string), paragraphs (a list of strings); nothing written for this file"]
    assert not (tmp_path / "out.jsonl").exists()


def test_the_shipped_corpus_is_cleaned_in_one_command(tmp_path):
    if not CORPUS.exists():
        pytest.skip(f"the shipped corpus is not at {CORPUS} (it lives in ../shared/corpus)")
    with CORPUS.open(encoding="utf-8") as handle:
        sample = [next(handle) for _ in range(100)]  # the whole corpus takes minutes: its first 100 records
    (tmp_path / "news.jsonl").write_text("".join(sample), encoding="utf-8")
    done = run("clean", "news.jsonl", "--field", "paragraphs", "--title-field", "title", "-o", "out.jsonl",
               cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    out = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    source = [json.loads(line) for line in sample]
    assert [r["id"] for r in out] == [r["id"] for r in source]
    assert all(isinstance(r["title"], str) and r["title"] for r in out)
    assert all(isinstance(r["paragraphs"], list) and all(isinstance(p, str) for p in r["paragraphs"]) for r in out)
    assert all(r["date"] == s["date"] and r["source"] == s["source"] for r, s in zip(out, source, strict=True))


def test_an_unchanged_page_keeps_all_its_characters(tmp_path):
    # Before: the trailing newline was left out of "characters after": 99.9 %.
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(f"{A}\n\n{B}\n", encoding="utf-8")
    done = run("clean", "in", "-o", "out", "--workers", "1", cwd=tmp_path)
    assert done.returncode == 0
    assert (tmp_path / "out" / "a.txt").read_text(encoding="utf-8") == f"{A}\n\n{B}\n"
    assert "(100.0% of before)" in done.stderr


def test_a_usage_error_in_clean_prints_the_clean_usage_and_help_has_no_backticks(tmp_path):
    (tmp_path / "in").mkdir()
    done = run("clean", "in", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("usage: xcclean clean ")
    assert done.stderr.splitlines()[-1] == "xcclean clean: error: several inputs or a directory need -o OUTDIR"
    for args in (["--help"], ["clean", "--help"], ["explain", "--help"]):
        shown = run(*args, cwd=tmp_path)
        assert shown.returncode == 0 and "``" not in shown.stdout and "`" not in shown.stdout


def test_the_first_eta_leaves_out_the_start_up():
    # Before: "1/3000 pages, 0.6 pages/s, ETA 1:29:20" for a job of seconds: the start-up counted as work.
    now = [0.0]
    log = io.StringIO()
    progress = Progress(3000, log, every=1.0, clock=lambda: now[0])
    now[0] = 8.0  # dictionaries and workers: 8 s before the first page
    for _ in range(3000):
        progress.advance()
        now[0] += 0.004  # then 250 pages/s: 12 s of work
    lines = log.getvalue().splitlines()
    first = lines[0]
    assert "? pages/s" not in first and "250.0 pages/s" in first
    minutes, seconds = map(int, first.rsplit("ETA ", 1)[1].split(":")[1:])
    assert minutes * 60 + seconds <= 12


def test_a_run_of_many_records_into_one_file_ends_with_the_summary_one_page_does_not(tmp_path, capsys):
    write_jsonl(tmp_path / "news.jsonl", [{"text": f"{A}\n\n{A}"}, {"text": B}])
    assert main(["clean", str(tmp_path / "news.jsonl"), "-o", str(tmp_path / "out.jsonl"), "--workers", "1"]) == 0
    err = capsys.readouterr().err
    assert "xcclean summary" in err and "exact_duplicate" in err
    (tmp_path / "page.txt").write_text(f"{A}\n\n{A}", encoding="utf-8")
    assert main(["clean", str(tmp_path / "page.txt"), "-o", str(tmp_path / "page.out.txt")]) == 0
    assert "xcclean summary" not in capsys.readouterr().err
