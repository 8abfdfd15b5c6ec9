"""Fault injection: every case of issue 18, as a user pre-cleaning an archive would meet it.

Each test reproduces one fault (a rerun, a recurring text, a kill at a chosen
point, a full disk, bad bytes, text that must not change) and checks what it
leaves behind, the table of ``docs/cli.md`` ("What a fault leaves behind").
Kills are injected at a fixed point of the run (a patched call in a child
process that sends itself the signal), never timed from outside; a full disk
is an ``OSError(ENOSPC)`` raised at the write call.
"""

from __future__ import annotations

import builtins
import errno
import json
import os
import random
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

import xcclean
from tests.test_cli_corpus import PROGRESS, page
from xcclean.corpus.across import across_pages, across_parts
from xcclean.corpus.cli import main

A = "许昌市召开全市重点项目建设推进会议,市长出席会议并讲话,要求全力以赴加快项目建设进度,确保全年目标任务圆满完成。"
B = "魏都区召开安全稳定暨疫情防控工作会议,区委书记出席会议并讲话,区长主持会议,会议传达了上级有关精神。"
C = "建安区持续推进农村人居环境整治,全区已累计改造农村户厕一万余座,村容村貌明显改善,群众满意度不断提升。"
D = "禹州市钧瓷文化旅游节开幕,来自全国各地的钧瓷爱好者齐聚神垕古镇,共同感受千年钧瓷文化的独特魅力。"


# -- 2. a text recurring on N pages: the same rule for every N -------------------------------------------------


POOL = "".join(sorted(set(A + B + C + D) - set(",。")))


def unique_paragraph(rng: random.Random) -> str:
    """A paragraph no other shares four characters in a row with (random characters of the pool)."""
    return "".join(rng.choices(POOL, k=60)) + "。"


def _recurring(n: int, misreads: bool) -> list[list[str]]:
    """``n`` pages, each with a paragraph of its own and a copy of ``A`` (with one misread after the first)."""
    rng = random.Random(n)
    pages = []
    for i in range(n):
        copy = A
        if misreads and i:
            at = rng.randrange(len(A))
            copy = A[:at] + "囗" + A[at + 1 :]
        pages.append([unique_paragraph(rng), copy])
    return pages


@pytest.mark.parametrize("misreads", [False, True], ids=["exact", "misread"])
@pytest.mark.parametrize("n", [16, 17, 40, 60])
def test_a_text_on_n_pages_loses_every_later_copy_for_any_n(n, misreads):
    # Before: 16 pages lost 15 of 15 later copies, 17 pages 0 of 16, 60 pages 0 of 59 (exact copies).
    found = across_pages(_recurring(n, misreads))
    assert [sorted(f) for f in found] == [[]] + [[1]] * (n - 1)
    assert {m.page for f in found[1:] for m in f.values()} == {0}  # every copy goes for the first page's


def test_the_split_engine_dask_runs_has_no_cliff_either():
    pages = _recurring(40, misreads=False)
    whole = across_parts([pages])[0]
    assert sum(1 in f for f in whole) == 39
    assert across_parts([pages[:7], pages[7:25], pages[25:]], buckets=3)[0] == whole


# -- 7. text that must not change ---------------------------------------------------------------------------------


def test_a_plain_text_page_keeps_html_entities_as_written(tmp_path):
    # Before: ftfy unescaped them, and &lt;script&gt; became a live <script>.
    page = tmp_path / "page.txt"
    page.write_text(f"{A}\n\n代码示例 &lt;script&gt;alert(1)&lt;/script&gt; &amp; 说明。", encoding="utf-8")
    assert main(["clean", str(page), "-o", str(tmp_path / "out.txt")]) == 0
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; 说明。" in (tmp_path / "out.txt").read_text(encoding="utf-8")


def test_emoji_zwj_sequences_stay_whole(tmp_path):
    # Before: the zero-width joiners were removed, splitting 👨‍👩‍👧‍👦 into four people.
    emoji = "👨\u200d👩\u200d👧\u200d👦 ❤️\u200d🔥 👩🏽\u200d⚕️ 🏳️\u200d🌈"
    page = tmp_path / "page.txt"
    page.write_text(f"{A}\n\n市民留言:{emoji}", encoding="utf-8")
    assert main(["clean", str(page), "-o", str(tmp_path / "out.txt")]) == 0
    assert (tmp_path / "out.txt").read_text(encoding="utf-8") == f"{A}\n\n市民留言:{emoji}\n"
    assert xcclean.clean("图片说明\u200b\u200d 正文") == "图片说明 正文"  # a joiner between no emoji still goes


# -- helpers: pages, child processes with a fault injected, a disk that fills up ---------------------------------


def pages_tree(folder: Path, count: int = 12) -> Path:
    """``count`` damaged pages under ``folder``; pages 4 and 9 reprint a paragraph of pages 1 and 2."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        text = page(i)
        if i in (4, 9):
            text += f"\n\n{[A, B][i == 9]}"
        if i in (1, 2):
            text += f"\n\n{[A, B][i == 2]}"
        (folder / f"p{i:02d}.txt").write_text(text, encoding="utf-8")
    return folder


def child(fault: str, *args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``xcclean`` in a child process, with ``fault`` (Python code: a patch) applied first."""
    code = ("import os, signal, sys\nfrom xcclean.corpus.cli import main\n" + textwrap.dedent(fault)
            + f"\nsys.exit(main({[str(a) for a in args]!r}))\n")
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, timeout=300)


def kill_at_commit(n: int, after: bool, sig: str = "SIGKILL") -> str:
    """A fault: the process gets ``sig`` at its ``n``-th output renamed into place (just before or after)."""
    return f"""
    from xcclean.corpus import output
    real, seen = output.AtomicFile.commit, [0]
    def commit(self):
        seen[0] += 1
        if seen[0] == {n} and not {after}:
            os.kill(os.getpid(), signal.{sig})
        real(self)
        if seen[0] == {n} and {after}:
            os.kill(os.getpid(), signal.{sig})
    output.AtomicFile.commit = commit
    """


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def messages(stderr: str) -> list[str]:
    assert "Traceback" not in stderr
    return [line for line in stderr.splitlines() if line.startswith("xcclean: ") and not PROGRESS.match(line)]


def row(stderr: str, label: str) -> str:
    line = next(line for line in stderr.splitlines() if line.strip().startswith(label))
    return line.strip()[len(label):].split()[0].replace(",", "")


class FullDisk:
    """A disk of ``room`` bytes holding ``folder``: writes to files under it fail with ENOSPC once it
    is full (the part that fits is written first). Patched at the write calls: ``os.write`` and the
    file objects of ``open`` and ``os.fdopen``."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, folder: Path, room: int) -> None:
        if not Path("/proc/self/fd").is_dir():
            pytest.skip("needs Linux /proc/self/fd to tell which file a descriptor writes")
        self.folder, self.room = str(folder.resolve()), room
        real_write, real_open, real_fdopen = os.write, builtins.open, os.fdopen
        disk = self

        class Handle:
            def __init__(self, inner: Any) -> None:
                self._inner = inner

            def write(self, data: Any) -> int:
                size = len(data.encode("utf-8") if isinstance(data, str) else data)
                disk.take(size, lambda n: self._inner.write(data[:n]) and None)
                return int(self._inner.write(data))

            def writelines(self, lines: Any) -> None:
                for line in lines:
                    self.write(line)

            def __enter__(self) -> Handle:
                return self

            def __exit__(self, *exc: object) -> None:
                self._inner.close()

            def __iter__(self) -> Any:
                return iter(self._inner)

            def __getattr__(self, name: str) -> Any:
                return getattr(self._inner, name)

        def write(fd: int, data: Any) -> int:
            if disk.holds(os.readlink(f"/proc/self/fd/{fd}")):
                disk.take(len(data), lambda n: real_write(fd, data[:n]) and None)
            return real_write(fd, data)

        def opened(path: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
            handle = real_open(path, mode, *args, **kwargs)
            return Handle(handle) if set(mode) & set("wax") and isinstance(path, str | Path) \
                and disk.holds(str(path)) else handle

        def fdopened(fd: int, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
            where = os.readlink(f"/proc/self/fd/{fd}")
            handle = real_fdopen(fd, mode, *args, **kwargs)
            return Handle(handle) if set(mode) & set("wax") and disk.holds(where) else handle

        monkeypatch.setattr(os, "write", write)
        monkeypatch.setattr(builtins, "open", opened)
        monkeypatch.setattr(os, "fdopen", fdopened)

    def holds(self, path: str) -> bool:
        return os.path.abspath(path).startswith(self.folder + os.sep)

    def take(self, size: int, write_part: Any) -> None:
        """Use ``size`` bytes of the room, or write what fits and raise ENOSPC."""
        if size <= self.room:
            self.room -= size
            return
        if self.room:
            write_part(self.room)
        self.room = 0
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def index_state(path: Path) -> dict[str, Any]:
    """What an index file holds (every array, and the pages table), for comparing two runs' indexes."""
    import numpy as np

    with np.load(path, allow_pickle=False) as data:
        return {name: data[name].tolist() for name in data.files if name != "meta"}


# -- 1. rerunning a finished --across-pages --index command ------------------------------------------------------


def test_rerunning_a_finished_indexed_run_changes_nothing(tmp_path):
    # Before: every body paragraph matched its own indexed copy: 3-11 % of the text was left.
    pages_tree(tmp_path / "in")
    command = ["clean", "in", "-o", "out", "--across-pages", "--index", "archive.npz", "--workers", "1",
               "--report", "edits.jsonl"]
    first = child("", *command, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    outputs, index, report = files(tmp_path / "out"), (tmp_path / "archive.npz").read_bytes(), \
        (tmp_path / "edits.jsonl").read_bytes()
    again = child("", *command, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert files(tmp_path / "out") == outputs
    assert (tmp_path / "archive.npz").read_bytes() == index  # nothing new: not rewritten
    assert (tmp_path / "edits.jsonl").read_bytes() == report
    assert row(again.stderr, "cross_page_duplicate") == row(first.stderr, "cross_page_duplicate") != "0"


def test_the_index_names_the_page_and_paragraph_repeated_and_a_changed_page_replaces_itself(tmp_path):
    (tmp_path / "day1").mkdir()
    (tmp_path / "day2").mkdir()
    (tmp_path / "day1" / "a.txt").write_text(f"{C}\n\n{A}", encoding="utf-8")
    (tmp_path / "day2" / "b.txt").write_text(f"{D}\n\n{A}", encoding="utf-8")
    for day in ("day1", "day2"):
        done = child("", "clean", day, "-o", f"out-{day}", "--across-pages", "--index", "archive.npz",
                     "--report", f"{day}.jsonl", "--workers", "1", cwd=tmp_path)
        assert done.returncode == 0, done.stderr
    (cross,) = [json.loads(line) for line in (tmp_path / "day2.jsonl").read_text(encoding="utf-8").splitlines()]
    assert cross["kind"] == "cross_page_duplicate" and cross["text"] == A
    assert cross["evidence"]["matched_page"] == str(tmp_path / "day1" / "a.txt")  # not just "index"
    assert cross["evidence"]["matched_paragraph"] == 1 and cross["evidence"]["matched_index_id"] == 1
    # day1/a.txt re-OCR'd: the new version does not match its own old copy, and replaces it.
    (tmp_path / "day1" / "a.txt").write_text(f"{A}\n\n{B}", encoding="utf-8")
    done = child("", "clean", "day1", "-o", "out-day1", "--across-pages", "--index", "archive.npz",
                 "--workers", "1", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out-day1" / "a.txt").read_text(encoding="utf-8") == f"{A}\n\n{B}\n"
    held = index_state(tmp_path / "archive.npz")
    pages = json.loads(bytes(held["pages"]).decode())
    assert [p["id"] for p in pages] == [str(tmp_path / "day1" / "a.txt"), str(tmp_path / "day2" / "b.txt")]
    live = [t for t, gone in zip(bytes(held["texts"]).decode().split("\n"), held["retired"], strict=True) if not gone]
    assert live == [D, A, B]  # day2's D, day1's new A and B; the old C and A retired


# -- 3. the edit log survives any stop ---------------------------------------------------------------------------


@pytest.mark.parametrize("after", [False, True], ids=["killed-before-a-rename", "killed-after-a-rename"])
def test_a_killed_run_resumed_has_every_report_line_once(tmp_path, after):
    # Before: the last pages' report lines were lost in a buffer (8-18 lines), and --resume reopened
    # the report with "w" (62 lines became 12).
    pages_tree(tmp_path / "in")
    command = ["clean", "in", "-o", "out", "--workers", "1", "--report", "edits.jsonl"]
    reference = child("", "clean", "in", "-o", "ref", "--workers", "1", "--report", "ref.jsonl", cwd=tmp_path)
    assert reference.returncode == 0, reference.stderr
    killed = child(kill_at_commit(5, after), *command, cwd=tmp_path)
    assert killed.returncode == -9
    assert len([name for name in files(tmp_path / "out") if not name.startswith(".")]) == 4 + after
    resumed = child("", *command, "--resume", cwd=tmp_path)
    assert resumed.returncode == 0, resumed.stderr
    assert row(resumed.stderr, "files skipped (--resume)") == str(4 + after)
    assert files(tmp_path / "out") == files(tmp_path / "ref")
    assert (tmp_path / "edits.jsonl").read_text(encoding="utf-8") == (tmp_path / "ref.jsonl").read_text(
        encoding="utf-8")


# -- 4. killed while writing the index, or its outputs, then --resume -------------------------------------------


KILL_IN_INDEX_SAVE = """
from xcclean import dedup
def savez(out, **arrays):
    out.write(b"PK\\x03\\x04 half an index")
    out.flush()
    os.kill(os.getpid(), signal.SIGKILL)
dedup.np.savez = savez
"""


@pytest.mark.parametrize("fault", [KILL_IN_INDEX_SAVE, kill_at_commit(6, after=True)],
                         ids=["killed-saving-the-index", "killed-writing-outputs"])
def test_a_resumed_indexed_run_ends_with_the_outputs_and_index_of_an_uninterrupted_one(tmp_path, fault):
    # Before: pages written before the kill never reached the index (5,671-5,711 of 5,713 paragraphs),
    # one output kept a cross-page duplicate, and a .archive.npz.*.tmp was left.
    pages_tree(tmp_path / "in")
    command = ["clean", "in", "-o", "out", "--across-pages", "--index", "archive.npz", "--workers", "1"]
    reference = child("", "clean", "in", "-o", "ref", "--across-pages", "--index", "ref.npz", "--workers", "1",
                      cwd=tmp_path)
    assert reference.returncode == 0, reference.stderr
    assert child(fault, *command, cwd=tmp_path).returncode == -9
    resumed = child("", *command, "--resume", cwd=tmp_path)
    assert resumed.returncode == 0, resumed.stderr
    assert files(tmp_path / "out") == files(tmp_path / "ref")
    assert index_state(tmp_path / "archive.npz") == index_state(tmp_path / "ref.npz")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["archive.npz", "in", "out", "ref", "ref.npz"]


# -- 5. bytes: every byte decoded or named ----------------------------------------------------------------------

TRADITIONAL = ("臺北市政府今日召開記者會,說明明年度預算編列情形,市長表示將持續推動重大建設,提升市民生活品質。\n\n"
               "記者在現場看到,許多民眾前往參觀,對於新開幕的圖書館讚不絕口。")


def report_lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_a_big5_page_is_read_as_big5_and_the_choice_logged(tmp_path):
    # Before: read as GB18030 and written as mojibake, exit 0, no word anywhere.
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "big5.txt").write_bytes(TRADITIONAL.encode("big5"))
    assert main(["clean", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--workers", "1",
                 "--report", str(tmp_path / "r.jsonl")]) == 0
    assert (tmp_path / "out" / "big5.txt").read_text(encoding="utf-8") == xcclean.clean(TRADITIONAL) + "\n"
    (decoded,) = [r for r in report_lines(tmp_path / "r.jsonl") if r["kind"] == "decoded"]
    assert decoded["evidence"]["encoding"] == "big5"
    scores = decoded["evidence"]["candidates"]
    assert set(scores) == {"gb18030", "big5"} and scores["big5"] > scores["gb18030"]


def test_utf8_with_bad_bytes_is_decoded_each_bad_byte_replaced_and_logged(tmp_path, capsys):
    # Before: one bad byte (or a page cut mid-character) and the whole page was refused.
    good = f"{A}\n\n{B}".encode()
    data = good[:30] + b"\xff" + good[30:] + "完成".encode()[:-1]  # a stray byte, and cut inside 成
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "bad.txt").write_bytes(data)
    assert main(["clean", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--workers", "1",
                 "--report", str(tmp_path / "r.jsonl")]) == 0
    out = (tmp_path / "out" / "bad.txt").read_text(encoding="utf-8")
    assert out.count("\ufffd") == 3 and out.startswith(A[:10]) and B[:20] in out
    (decoded,) = [r for r in report_lines(tmp_path / "r.jsonl") if r["kind"] == "decoded"]
    assert decoded["evidence"] == {"encoding": "utf-8", "bad_bytes": [30, len(data) - 2, len(data) - 1]}
    err = capsys.readouterr().err
    assert f"xcclean: {tmp_path}/in/bad.txt: 3 bytes not utf-8 replaced by U+FFFD (at byte 30, {len(data) - 2}, " \
           f"{len(data) - 1})" in err


def test_utf16_without_a_bom_is_text_and_nul_bytes_are_binary_in_any_encoding(tmp_path, capsys):
    # Before: UTF-16LE without BOM was "binary", and a UTF-8 file with NUL bytes was cleaned.
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "utf16.txt").write_bytes(f"{A}\n\n{B}\n".encode("utf-16-le"))
    (tmp_path / "in" / "nul.txt").write_bytes(f"{A}\x00\x00\x00{B}".encode())
    (tmp_path / "in" / "nul16.txt").write_bytes(f"{A}\x00{B}".encode("utf-16"))  # with a BOM
    assert main(["clean", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--workers", "1"]) == 1
    assert (tmp_path / "out" / "utf16.txt").read_text(encoding="utf-8") == f"{A}\n\n{B}\n"
    assert sorted(os.listdir(tmp_path / "out")) == ["utf16.txt"]
    assert messages(capsys.readouterr().err) == [
        f"xcclean: {tmp_path}/in/{name}: looks like a binary file, not a text page" for name in ("nul.txt", "nul16.txt")]


# -- 6. crashes and unclear errors -------------------------------------------------------------------------------


def test_a_lone_surrogate_in_jsonl_is_replaced_logged_and_the_record_cleaned(tmp_path, capsys):
    # Before: "\ud800" plus --report aborted the 201-record run (internal error, UnicodeEncodeError).
    lines = [json.dumps({"id": i, "text": f"{A}\n\n{C}"}) for i in range(3)]
    lines[1] = lines[1].replace('"text": "', '"text": "\\ud800')
    (tmp_path / "in.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["clean", str(tmp_path / "in.jsonl"), "-o", f"{tmp_path}/out/", "--workers", "1",
                 "--report", str(tmp_path / "r.jsonl")]) == 0
    out = [json.loads(line) for line in (tmp_path / "out" / "in.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["text"] for r in out] == [f"{A}\n\n{C}", f"\ufffd{A}\n\n{C}", f"{A}\n\n{C}"]
    (decoded,) = [r for r in report_lines(tmp_path / "r.jsonl") if r["kind"] == "decoded"]
    assert decoded["line"] == 2 and decoded["evidence"] == {"encoding": "utf-8", "replaced": [[0, "U+D800"]]}
    assert f"xcclean: {tmp_path}/in.jsonl:2: 1 lone surrogate replaced by U+FFFD (at character 0)" in \
        capsys.readouterr().err


def test_a_full_disk_under_the_report_stops_the_run_naming_it(tmp_path, monkeypatch, capsys):
    # Before: "[Errno 28] No space left on device" without the file's name, no summary, a cut last line.
    pages_tree(tmp_path / "in")
    report = tmp_path / "small" / "edits.jsonl"
    report.parent.mkdir()
    FullDisk(monkeypatch, report.parent, room=20_000)
    code = main(["clean", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--workers", "1", "--report", str(report)])
    err = capsys.readouterr().err
    assert code == 1
    (message,) = messages(err)
    assert message.startswith(f"xcclean: {report}: cannot write (No space left on device); stopped")
    written = sorted(os.listdir(tmp_path / "out"))
    assert 0 < len(written) < 12 and row(err, "pages cleaned") == str(len(written))
    text = report.read_text(encoding="utf-8")
    assert text.endswith("\n") and {Path(r["path"]).name for r in report_lines(report)} == set(written)


def test_a_full_disk_under_the_index_stops_the_run_naming_it(tmp_path, monkeypatch, capsys):
    pages_tree(tmp_path / "in")
    index = tmp_path / "small" / "archive.npz"
    index.parent.mkdir()
    FullDisk(monkeypatch, index.parent, room=10_000)
    code = main(["clean", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--workers", "1", "--across-pages",
                 "--index", str(index)])
    err = capsys.readouterr().err
    assert code == 1
    (message,) = messages(err)
    assert message.startswith(f"xcclean: {index}: cannot write the index (No space left on device)")
    assert row(err, "pages cleaned") == "12" and len(os.listdir(tmp_path / "out")) == 12
    assert os.listdir(index.parent) == []  # no index, no temporary file


def test_a_full_disk_under_a_jsonl_output_leaves_nothing_and_counts_nothing_written(tmp_path, monkeypatch, capsys):
    # Before: a 100 KB temporary file was left and the summary said "48 pages cleaned".
    (tmp_path / "in.jsonl").write_text("".join(json.dumps({"id": i, "text": page(i)}, ensure_ascii=False) + "\n"
                                               for i in range(20)), encoding="utf-8")
    FullDisk(monkeypatch, tmp_path / "out", room=30_000)
    (tmp_path / "out").mkdir()
    code = main(["clean", str(tmp_path / "in.jsonl"), "-o", str(tmp_path / "out/"), "--workers", "1"])
    err = capsys.readouterr().err
    assert code == 1
    assert messages(err)[0].startswith(f"xcclean: {tmp_path}/out/in.jsonl: cannot write (No space left on device)")
    assert os.listdir(tmp_path / "out") == []
    assert row(err, "pages cleaned") == "0" and int(row(err, "pages failed")) > 0


def test_sigterm_stops_like_ctrl_c(tmp_path):
    # Before: exit -15, no message, temporary files left.
    pages_tree(tmp_path / "in")
    done = child(kill_at_commit(3, after=False, sig="SIGTERM"), "clean", "in", "-o", "out", "--workers", "1",
                 cwd=tmp_path)
    assert done.returncode == 143
    assert messages(done.stderr) == ["xcclean: terminated; finished outputs are kept: run again with --resume to finish"]
    assert sorted(files(tmp_path / "out")) == ["p00.txt", "p01.txt"]  # whole outputs only, no temporary file


def test_a_report_into_a_missing_folder_is_created(tmp_path):
    pages_tree(tmp_path / "in", 2)
    assert main(["clean", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--workers", "1",
                 "--report", str(tmp_path / "logs" / "2021" / "edits.jsonl")]) == 0
    assert report_lines(tmp_path / "logs" / "2021" / "edits.jsonl")


def test_an_unwritable_html_folder_is_named_not_the_temporary_file(tmp_path, monkeypatch, capsys):
    # Mocked: this test may run as root, for whom no folder is read-only.
    (tmp_path / "page.txt").write_text(A, encoding="utf-8")
    real_open = os.open

    def refused(path: str, *args: Any) -> int:
        if str(path).startswith(str(tmp_path / "ro")):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), path)
        return real_open(path, *args)

    monkeypatch.setattr(os, "open", refused)
    html = tmp_path / "ro" / "page.html"
    assert main(["explain", str(tmp_path / "page.txt"), "--html", str(html)]) == 1
    assert messages(capsys.readouterr().err) == [f"xcclean: {html}: cannot write (Permission denied)"]


# -- 7. JSONL fields other than the text pass through byte for byte ------------------------------------------------


def test_jsonl_fields_other_than_the_text_are_written_back_as_read(tmp_path):
    # Before: 1e400 came back as Infinity (strict JSON readers reject it), and every field was re-serialised.
    line = ('{ "id":1e400, "score": 1.0, "when" :"2021-10-22", "tag": "\\u8981\\u95fb", '
            '"text": "' + A + '\\n\\n' + A + '",  "meta": {"n": [1, 2.50, true, null]} }')
    (tmp_path / "in.jsonl").write_bytes((line + "\r\n").encode())
    assert main(["clean", str(tmp_path / "in.jsonl"), "-o", str(tmp_path / "out.jsonl"), "--workers", "1"]) == 0
    want = line.replace(f'"{A}\\n\\n{A}"', f'"{A}"') + "\r\n"  # the repeated paragraph goes; nothing else moves
    assert (tmp_path / "out.jsonl").read_bytes() == want.encode()
