"""xcclean clean --across-pages / --index / --date-field / --scheduler (subprocess)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

A = "许昌市召开全市重点项目建设推进会议,市长出席会议并讲话,要求全力以赴加快项目建设进度,确保全年目标任务圆满完成。"
B = "魏都区召开安全稳定暨疫情防控工作会议,区委书记出席会议并讲话,区长主持会议,会议传达了上级有关精神。"
C = "建安区持续推进农村人居环境整治,全区已累计改造农村户厕一万余座,村容村貌明显改善,群众满意度不断提升。"
D = "禹州市钧瓷文化旅游节开幕,来自全国各地的钧瓷爱好者齐聚神垕古镇,共同感受千年钧瓷文化的独特魅力。"
HEAD = "重点项目建设\n\n本报记者 张辉\n\n"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "xcclean", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


def pages(folder: Path, texts: dict[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")


def test_across_pages_removes_later_copies_and_reports_them(tmp_path):
    pages(tmp_path / "in", {"1.txt": HEAD + f"{A}\n\n{B}", "2.txt": HEAD + f"{C}\n\n{A[20:]}", "3.txt": HEAD + D})
    done = run("clean", "in", "-o", "out", "--across-pages", "--report", "edits.jsonl", "--workers", "2",
               cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out/1.txt").read_text(encoding="utf-8") == HEAD + f"{A}\n\n{B}\n"
    assert (tmp_path / "out/2.txt").read_text(encoding="utf-8") == HEAD + f"{C}\n"  # headline and byline stay
    edits = [json.loads(line) for line in (tmp_path / "edits.jsonl").read_text(encoding="utf-8").splitlines()]
    (cross,) = [e for e in edits if e["kind"] == "cross_page_duplicate"]
    assert cross["path"].endswith("2.txt") and cross["text"] == A[20:]
    assert cross["evidence"]["matched_page"].endswith("1.txt") and cross["evidence"]["relation"] == "suffix"
    assert "cross_page_duplicate" in done.stderr  # the summary counts it
    assert run("clean", "in", "-o", "plain", cwd=tmp_path).returncode == 0
    assert (tmp_path / "plain/2.txt").read_text(encoding="utf-8") == HEAD + f"{C}\n\n{A[20:]}\n"


def test_the_index_carries_yesterdays_pages_into_todays_run(tmp_path):
    pages(tmp_path / "day1", {"a.txt": f"{A}\n\n{B}"})
    pages(tmp_path / "day2", {"b.txt": f"{C}\n\n{B}", "c.txt": f"{A}\n\n{D}"})
    first = run("clean", "day1", "-o", "out1", "--across-pages", "--index", "archive.npz", cwd=tmp_path)
    assert first.returncode == 0 and (tmp_path / "archive.npz").exists()
    second = run("clean", "day2", "-o", "out2", "--across-pages", "--index", "archive.npz", cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    assert (tmp_path / "out2/b.txt").read_text(encoding="utf-8") == f"{C}\n"
    assert (tmp_path / "out2/c.txt").read_text(encoding="utf-8") == f"{D}\n"
    # The same pages again: they are in the archive, as themselves, so nothing changes.
    third = run("clean", "day2", "-o", "out3", "--across-pages", "--index", "archive.npz", cwd=tmp_path)
    assert third.returncode == 0
    assert (tmp_path / "out3/b.txt").read_text(encoding="utf-8") == f"{C}\n"
    assert (tmp_path / "out3/c.txt").read_text(encoding="utf-8") == f"{D}\n"


def test_date_field_decides_which_copy_is_earliest(tmp_path):
    records = [{"id": 1, "date": "2021-07-02", "text": f"{A}\n\n{C}"}, {"id": 2, "date": "2021-07-01", "text": A}]
    (tmp_path / "in.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                                       encoding="utf-8")
    done = run("clean", "in.jsonl", "-o", "out/", "--across-pages", "--date-field", "date", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    out = [json.loads(line) for line in (tmp_path / "out/in.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["text"] for r in out] == [C, A]  # the 07-02 record loses its copy of the 07-01 one
    assert [r["id"] for r in out] == [1, 2]


def test_options_that_need_across_pages_or_a_directory_are_usage_errors(tmp_path):
    pages(tmp_path / "in", {"1.txt": A})
    assert run("clean", "in", "-o", "out", "--index", "x.npz", cwd=tmp_path).returncode == 2
    bad = run("clean", "in", "-o", "out", "--across-pages", "--index", "in/1.txt", cwd=tmp_path)
    assert bad.returncode == 1 and "Traceback" not in bad.stderr


def test_scheduler_gives_the_same_pages(tmp_path):
    pytest.importorskip("distributed")
    pages(tmp_path / "in", {"1.txt": HEAD + f"{A}\n\n{B}", "2.txt": HEAD + f"{C}\n\n{A[20:]}", "3.txt": HEAD + D,
                            "notes.md": "not a page"})
    assert run("clean", "in", "-o", "local", "--across-pages", cwd=tmp_path).returncode == 0
    dask = run("clean", "in", "-o", "dask", "--across-pages", "--scheduler", "local:2", cwd=tmp_path)
    assert dask.returncode == 0, dask.stderr
    assert sorted(p.name for p in (tmp_path / "dask").iterdir()) == ["1.txt", "2.txt", "3.txt"]
    for name in ("1.txt", "2.txt", "3.txt"):
        assert (tmp_path / "dask" / name).read_text(encoding="utf-8") == (tmp_path / "local" / name).read_text(
            encoding="utf-8")
    assert re.search(r"\n *cross_page_duplicate +1\n", dask.stderr), dask.stderr
