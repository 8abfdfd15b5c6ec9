"""The corpus command line (``xcclean clean INPUT... -o OUTDIR``, ``xcclean explain``), run as a user would.

Pages are variants of ``examples/page.txt``; expected outputs are computed in
this process with ``xcclean.clean``. Subprocess runs use ``--workers 1``
unless the number of workers is the point.
"""

from __future__ import annotations

import io
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import xcclean
from xcclean.corpus.cli import main
from xcclean.corpus.output import TEMP_SUFFIX, AtomicFile, write_atomic
from xcclean.corpus.progress import Progress
from xcclean.restore import REMOVALS

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = (ROOT / "examples" / "page.txt").read_text(encoding="utf-8")
PARAGRAPHS = EXAMPLE.split("\n\n")


def page(i: int) -> str:
    """A distinct damaged page: a numbered headline and the example less one paragraph."""
    drop = 3 + i % (len(PARAGRAPHS) - 3)
    return f"第{i}期 要闻\n\n" + "\n\n".join(p for k, p in enumerate(PARAGRAPHS) if k != drop)


def expected(text: str) -> str:
    cleaned = xcclean.clean(text)
    return cleaned + "\n" if cleaned else ""


def run(*args: str | Path, stdin: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "xcclean", *map(str, args)], input=stdin, capture_output=True,
                          timeout=120, cwd=cwd)


def start(*args: str | Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "xcclean", *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


PROGRESS = re.compile(r"xcclean: \d+/\d+ pages, ")


def one_line_errors(stderr: bytes) -> list[str]:
    """The ``xcclean:`` message lines of stderr, without progress lines (whether one appears depends on timing)."""
    text = stderr.decode()
    assert "Traceback" not in text
    return [line for line in text.splitlines() if line.startswith("xcclean: ") and not PROGRESS.match(line)]


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    """12 pages in nested folders (and a file the default glob skips), with their expected outputs."""
    root = tmp_path_factory.mktemp("tree") / "pages"
    want: dict[str, bytes] = {}
    for i in range(12):
        rel = ["a", "b/c", "b"][i % 3] + f"/p{i:02d}.txt"
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(page(i), encoding="utf-8")
        want[rel] = expected(page(i)).encode()
    (root / "a" / "notes.md").write_text("不是版面。", encoding="utf-8")
    return root, want


@pytest.fixture(scope="module")
def cleaned(tree: tuple[Path, dict[str, bytes]], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path | bytes]:
    """One run over the tree with one worker and a report."""
    out = tmp_path_factory.mktemp("cleaned")
    proc = run("clean", tree[0], "-o", out / "out", "--workers", "1", "--report", out / "edits.jsonl")
    assert proc.returncode == 0, proc.stderr
    return {"out": out / "out", "report": out / "edits.jsonl", "stderr": proc.stderr}


def test_directory_tree_is_mirrored(tree, cleaned):
    assert files(cleaned["out"]) == tree[1]  # notes.md is not a *.txt page


def test_glob_selects_files_by_path_inside_the_directory(tree, tmp_path):
    proc = run("clean", tree[0], "-o", tmp_path / "out", "--glob", "b/c/*.txt", "--glob", "*.md", "--workers", "1")
    assert proc.returncode == 0, proc.stderr
    assert sorted(files(tmp_path / "out")) == ["a/notes.md", "b/c/p01.txt", "b/c/p04.txt", "b/c/p07.txt",
                                               "b/c/p10.txt"]


def test_two_workers_give_the_same_outputs_and_report(tree, cleaned, tmp_path):
    proc = run("clean", tree[0], "-o", tmp_path / "out", "--workers", "2", "--report", tmp_path / "edits.jsonl")
    assert proc.returncode == 0, proc.stderr
    assert files(tmp_path / "out") == files(cleaned["out"])
    assert (tmp_path / "edits.jsonl").read_bytes() == cleaned["report"].read_bytes()
    assert "2 workers" in proc.stderr.decode()


def test_report_tags_every_edit_with_its_page_and_summary_counts_them(tree, cleaned):
    lines = [json.loads(line) for line in cleaned["report"].read_text(encoding="utf-8").splitlines()]
    by_page: dict[str, list[str]] = {}
    for line in lines:
        by_page.setdefault(line["path"], []).append(line["kind"])
        assert set(line) == {"path", "kind", "stage", "block", "ids", "text", "offset", "evidence"}
    for rel in tree[1]:
        path = tree[0] / rel
        assert by_page[str(path)] == [e.kind for e in xcclean.clean_and_explain(page_text(path)).edits]
    summary = cleaned["stderr"].decode()
    removed = sum(kind in REMOVALS for kinds in by_page.values() for kind in kinds)
    assert _row(summary, "paragraphs removed") == str(removed) != "0"
    for label in ("pages cleaned", "exact_duplicate", "paragraphs joined", "tokens removed", "characters before",
                  "characters after", "wall time", "pages/s"):
        assert label in summary
    assert _row(summary, "pages cleaned") == "12" and _row(summary, "pages failed") == "0"
    assert _row(summary, "paragraphs joined") == str(sum(k.count("split_joined") for k in by_page.values()))


def page_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _row(summary: str, label: str) -> str:
    line = next(line for line in summary.splitlines() if line.strip().startswith(label))
    return line.strip()[len(label):].split()[0].replace(",", "")


def test_jsonl_keeps_other_fields_and_replaces_the_text_field(tmp_path):
    source = tmp_path / "in" / "news.jsonl"
    source.parent.mkdir()
    records = [{"id": i, "body": page(i), "meta": {"date": "2021-10-22", "tags": ["要闻"]}, "score": 0.5}
               for i in range(3)]
    source.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n\n", encoding="utf-8")
    proc = run("clean", source.parent, "-o", tmp_path / "out", "--glob", "*.jsonl", "--field", "body",
               "--workers", "1", "--report", tmp_path / "edits.jsonl")
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(line) for line in (tmp_path / "out" / "news.jsonl").read_text(encoding="utf-8").splitlines()]
    assert out == [r | {"body": xcclean.clean(r["body"])} for r in records]
    assert [list(r) for r in out] == [["id", "body", "meta", "score"]] * 3
    report = [json.loads(line) for line in (tmp_path / "edits.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {r["line"] for r in report} == {1, 2, 3} and {r["path"] for r in report} == {str(source)}
    proc = run("clean", source, "--field", "body", "--workers", "1")  # one JSONL file: to standard output
    assert proc.stdout == (tmp_path / "out" / "news.jsonl").read_bytes()


def test_stdin_to_stdout():
    proc = run("clean", "-", stdin=page(1).encode())
    assert proc.returncode == 0
    assert proc.stdout.decode() == expected(page(1))


def test_output_is_a_file_for_one_input_else_a_directory(tmp_path):
    src = tmp_path / "p.txt"
    src.write_text(page(2), encoding="utf-8")
    (tmp_path / "existing").mkdir()
    proc = run("clean", src, src.with_name("q.txt"), "-o", tmp_path / "many", "--workers", "1")
    assert proc.returncode == 1  # q.txt does not exist: reported, p.txt still cleaned
    assert one_line_errors(proc.stderr)[0] == f"xcclean: {src.with_name('q.txt')}: cannot read (No such file or directory)"
    assert files(tmp_path / "many") == {"p.txt": expected(page(2)).encode()}
    for out, written in ((tmp_path / "file.txt", tmp_path / "file.txt"), (f"{tmp_path}/new/", tmp_path / "new" / "p.txt"),
                         (tmp_path / "existing", tmp_path / "existing" / "p.txt")):
        assert main(["clean", str(src), "-o", str(out), "--workers", "1"]) == 0
        assert written.read_text(encoding="utf-8") == expected(page(2))


def test_refuses_to_write_onto_or_into_its_inputs(tree, tmp_path):
    before = files(tree[0])
    pages = tmp_path / "flat"
    pages.mkdir()
    for name in ("a.txt", "b.txt"):
        (pages / name).write_text(page(3), encoding="utf-8")
    for args, cwd in ((["clean", tree[0], "-o", tree[0]], None), (["clean", tree[0], "-o", tree[0] / "clean"], None),
                      (["clean", "a.txt", "b.txt", "-o", "."], pages), (["clean", "a.txt", "-o", "a.txt"], pages),
                      (["clean", "a.txt", "-o", "x.txt", "--report", "a.txt"], pages),
                      (["explain", "a.txt", "--html", "a.txt"], pages)):
        proc = run(*args, cwd=cwd)
        assert proc.returncode == 1, args
        assert "refusing to" in one_line_errors(proc.stderr)[0], proc.stderr
    assert files(tree[0]) == before
    assert sorted(os.listdir(pages)) == ["a.txt", "b.txt"]


def test_usage_errors_exit_2(tree, tmp_path):
    for args in (["clean", tree[0]], ["clean", tree[0], "-o", tmp_path, "--explain"], ["clean", "-", "x", "-o", tmp_path],
                 ["clean", "x.txt", "--resume"], ["clean", "x.txt", "--workers", "0"]):
        proc = run(*args)
        assert proc.returncode == 2, args
        assert b"usage:" in proc.stderr and b"Traceback" not in proc.stderr


def test_atomic_write_leaves_the_old_file_or_the_new_one(tmp_path, monkeypatch):
    target = tmp_path / "out.txt"
    write_atomic(str(target), b"old\n")
    assert target.stat().st_mode & 0o777 == 0o666 & ~_umask()

    def broken(self: AtomicFile, data: bytes) -> None:
        self.handle.write(data[:2])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(AtomicFile, "write", broken)
    with pytest.raises(OSError):
        write_atomic(str(target), b"new page\n")
    assert target.read_bytes() == b"old\n"
    assert os.listdir(tmp_path) == ["out.txt"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    """Enough pages (in two folders) for a run to be caught halfway."""
    root = tmp_path_factory.mktemp("many") / "pages"
    want = {}
    for i in range(320):
        rel = f"{i // 160}/p{i:03d}.txt"
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(page(i), encoding="utf-8")
        want[rel] = expected(page(i)).encode()
    return root, want


def _interrupt(proc: subprocess.Popen[bytes], out: Path, sig: signal.Signals) -> bytes:
    """Send ``sig`` once a few outputs are finished (temporary files do not count); return stderr."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if sum(not name.endswith(TEMP_SUFFIX) for _, _, names in os.walk(out) for name in names) >= 5:
            break
        time.sleep(0.005)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    return err


@pytest.mark.parametrize(("sig", "workers"), [pytest.param(signal.SIGINT, "2", id="SIGINT-2-workers"),
                                              pytest.param(signal.SIGKILL, "1", id="SIGKILL-1-worker")])
def test_interrupted_run_leaves_only_finished_outputs_and_resume_completes_it(many, tmp_path, sig, workers):
    root, want = many
    for attempt in range(5):  # on a loaded machine the signal may land only after the last page
        out = tmp_path / f"out{attempt}"
        err = _interrupt(start("clean", root, "-o", out, "--workers", workers), out, sig)
        written = files(out)
        finished = {rel: data for rel, data in written.items() if not rel.endswith(TEMP_SUFFIX)}
        assert all(want[rel] == data for rel, data in finished.items())  # no half-written page under a real name
        if 0 < len(finished) < len(want):
            break
    else:
        pytest.skip("no run was caught halfway in five tries (a loaded machine)")
    assert all(Path(rel).name.startswith(".") for rel in written.keys() - finished.keys())
    if sig == signal.SIGINT:
        assert one_line_errors(err) == [
            "xcclean: interrupted; finished outputs are kept: run again with --resume to finish"]
        assert written == finished  # temporary files removed
    proc = run("clean", root, "-o", out, "--workers", workers, "--resume")
    assert proc.returncode == 0, proc.stderr
    assert _row(proc.stderr.decode(), "files skipped (--resume)") == str(len(finished))
    assert files(out) == want


def test_a_dead_worker_stops_the_run_with_one_line(many, tmp_path):
    proc = start("clean", many[0], "-o", tmp_path / "out", "--workers", "2")
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
    if not children.parent.exists():
        proc.kill()
        pytest.skip("needs Linux /proc to find the worker processes")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (tmp_path / "out").exists():
        time.sleep(0.005)
    os.kill(int(children.read_text().split()[0]), signal.SIGKILL)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert one_line_errors(err) == ["xcclean: a worker process died (out of memory?); finished outputs are kept: "
                                    "run again with --resume to finish"]
    assert not [p for p in (tmp_path / "out").rglob("*") if p.name.endswith(TEMP_SUFFIX)]


def test_gbk_page_is_decoded_and_noted_in_the_report(tmp_path):
    (tmp_path / "in").mkdir()
    text = "\n\n".join(p for p in page(4).split("\n\n") if _gbk(p))  # the example has mojibake GBK lacks
    (tmp_path / "in" / "gbk.txt").write_bytes(text.encode("gbk"))
    (tmp_path / "in" / "utf8.txt").write_text(page(5), encoding="utf-8")
    proc = run("clean", tmp_path / "in", "-o", tmp_path / "out", "--workers", "1", "--report", tmp_path / "r.jsonl")
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "out" / "gbk.txt").read_text(encoding="utf-8") == expected(text)
    report = [json.loads(line) for line in (tmp_path / "r.jsonl").read_text(encoding="utf-8").splitlines()]
    decoded = [r for r in report if r["kind"] == "decoded"]
    assert decoded == [{"path": str(tmp_path / "in" / "gbk.txt"), "kind": "decoded", "stage": "read", "block": -1,
                        "ids": [], "text": "", "offset": 0, "evidence": {"encoding": "gb18030"}}]
    assert _row(proc.stderr.decode(), "pages decoded from gb18030") == "1"


def _gbk(text: str) -> bool:
    try:
        text.encode("gbk")
    except UnicodeEncodeError:
        return False
    return True


def test_bad_inputs_are_reported_one_line_each_and_the_rest_is_cleaned(tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "good.txt").write_text(page(6), encoding="utf-8")
    (src / "kept.txt").write_text(page(7), encoding="utf-8")
    (src / "empty.txt").write_bytes(b"")
    (src / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (src / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    (src / "recs.jsonl").write_text("\n".join([
        json.dumps({"id": 1, "text": page(8)}, ensure_ascii=False), "{not json", json.dumps({"id": 3}),
        json.dumps({"id": 4, "text": None}), "[1, 2]", json.dumps({"id": 6, "text": page(9)}, ensure_ascii=False),
    ]) + "\n", encoding="utf-8")
    (out / "kept.txt").mkdir(parents=True)  # a folder where an output file should go
    proc = run("clean", src, "-o", out, "--glob", "*.txt", "--glob", "*.jsonl", "--workers", "1",
               "--report", tmp_path / "r.jsonl")
    assert proc.returncode == 1
    assert one_line_errors(proc.stderr) == [
        f"xcclean: {src}/gone.txt: cannot read (No such file or directory)",
        f"xcclean: {src}/image.txt: looks like a binary file, not a text page",
        f"xcclean: {out}/kept.txt: cannot write (Is a directory)",
        f"xcclean: {src}/recs.jsonl:2: not JSON (Expecting property name enclosed in double quotes, column 2)",
        f"xcclean: {src}/recs.jsonl:3: no field 'text'",
        f"xcclean: {src}/recs.jsonl:4: field 'text' is null, not a string or a list of strings",
        f"xcclean: {src}/recs.jsonl:5: not a JSON object",
    ]
    assert _row(proc.stderr.decode(), "pages failed") == "7"
    assert (out / "good.txt").read_text(encoding="utf-8") == expected(page(6))
    assert (out / "empty.txt").read_bytes() == b""
    assert [json.loads(line)["id"] for line in (out / "recs.jsonl").read_text(encoding="utf-8").splitlines()] == [1, 6]
    assert sorted(p.name for p in out.iterdir()) == ["empty.txt", "good.txt", "kept.txt", "recs.jsonl"]
    failed = [json.loads(line) for line in (tmp_path / "r.jsonl").read_text(encoding="utf-8").splitlines()
              if json.loads(line)["kind"] == "failed"]
    assert [(f["path"], f.get("line")) for f in failed][-4:] == [(str(src / "recs.jsonl"), n) for n in (2, 3, 4, 5)]


def test_a_page_the_cleaner_fails_on_is_reported_and_the_run_goes_on(tmp_path, monkeypatch, capsys):
    from xcclean.pipeline import Cleaner

    explain = Cleaner.explain

    def flaky(self: Cleaner, text: str) -> xcclean.Cleaned:
        if "爆" in text:
            raise RuntimeError("a bug")
        return explain(self, text)

    monkeypatch.setattr(Cleaner, "explain", flaky)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("爆" + page(1), encoding="utf-8")
    (tmp_path / "in" / "b.txt").write_text(page(2), encoding="utf-8")
    assert main(["clean", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--workers", "1"]) == 1
    err = capsys.readouterr().err
    assert f"xcclean: {tmp_path}/in/a.txt: cleaning failed (RuntimeError: a bug)\n" in err
    assert sorted(os.listdir(tmp_path / "out")) == ["b.txt"]


def test_closed_standard_output_is_no_traceback(many):
    proc = start("clean", many[0] / "0" / "p000.txt", "--workers", "1")
    assert proc.stdout is not None
    proc.stdout.close()
    _, err = proc.communicate(timeout=60)
    assert (proc.returncode, err) == (1, b"")


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal_and_log_lines_elsewhere():
    now = [0.0]
    tty = _Tty()
    bar = Progress(100, tty, clock=lambda: now[0])
    for _ in range(50):
        now[0] += 0.25
        bar.advance()
    bar.note("xcclean: a.txt: not JSON")
    bar.close()
    text = tty.getvalue()
    assert "\r\x1b[K50/100 pages, 4.0 pages/s, ETA 0:00:12" in text
    assert "\r\x1b[Kxcclean: a.txt: not JSON\n" in text and "\n" not in text.replace("not JSON\n", "")
    log = io.StringIO()
    lines = Progress(100, log, every=5.0, clock=lambda: now[0])
    for _ in range(100):
        now[0] += 0.25
        lines.advance()
    assert log.getvalue().splitlines() == [f"xcclean: {n}/100 pages, 4.0 pages/s, ETA 0:00:{(100 - n) // 4:02d}"
                                           for n in (20, 40, 60, 80, 100)]
