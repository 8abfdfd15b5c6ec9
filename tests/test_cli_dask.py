"""``xcclean clean --scheduler``, run as a user would: every promise of a local run.

Each case runs the same command twice, locally (``--workers 1``) and on Dask
(``--scheduler local:2``, or a cluster started with the ``dask`` command),
from the same starting state, and compares everything a user sees: the
output tree byte for byte, the report byte for byte, the ``xcclean:``
messages in order, the summary (all but its wall-time row) and the exit
status. Progress lines are left out (whether one appears depends on timing).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_cli_across import A, B, C, D
from tests.test_cli_corpus import expected, files, one_line_errors, page, run, start
from xcclean.corpus.output import TEMP_SUFFIX

pytest.importorskip("distributed")


def summary_rows(stderr: bytes) -> list[str]:
    """The summary table, but its wall time (which differs run to run)."""
    text = stderr.decode()
    assert "xcclean summary\n" in text, text
    table = text.split("xcclean summary\n", 1)[1].splitlines()
    return [row for row in table if not row.strip().startswith("wall time")]


def both(tmp_path: Path, *args: str | Path, prepare=None, stdin: bytes | None = None) -> dict[str, dict]:
    """``xcclean clean ARGS`` locally and on ``local:2``, each run in its own folder (``{out}``,
    ``{report}``, ``{index}`` in ARGS are there); ``prepare(folder)`` sets up each folder first."""
    runs = {}
    tmp_path.mkdir(exist_ok=True)
    for engine, extra in (("local", ["--workers", "1"]), ("dask", ["--scheduler", "local:2"])):
        folder = tmp_path / engine
        folder.mkdir()
        if prepare:
            prepare(folder)
        names = {"{out}": "out", "{report}": "r.jsonl", "{index}": "index.npz"}  # relative: messages alike
        argv = [names.get(str(a), a) for a in args]
        proc = run("clean", *argv, *extra, stdin=stdin, cwd=folder)
        runs[engine] = {"proc": proc, "folder": folder}
    return runs


def assert_same(runs: dict[str, dict], summary: bool = True) -> None:
    local, dask = runs["local"], runs["dask"]
    assert dask["proc"].returncode == local["proc"].returncode, dask["proc"].stderr
    assert one_line_errors(dask["proc"].stderr) == one_line_errors(local["proc"].stderr)
    assert files(dask["folder"]) == files(local["folder"])  # outputs, report and index, byte for byte
    assert dask["proc"].stdout == local["proc"].stdout
    if summary:
        assert summary_rows(dask["proc"].stderr) == summary_rows(local["proc"].stderr)


@pytest.fixture(scope="module")
def bad_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bad inputs of the local CLI tests, in a nested tree with one file name in two folders."""
    src = tmp_path_factory.mktemp("bad") / "in"
    for rel, text in (("good.txt", page(6)), ("kept.txt", page(7)), ("2021/07/a.txt", page(1)),
                      ("2021/08/a.txt", page(2)), ("2021/08/deeper/b.txt", page(3))):
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        (src / rel).write_text(text, encoding="utf-8")
    (src / "empty.txt").write_bytes(b"")
    (src / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (src / "gone.txt").symlink_to(src.parent / "nowhere.txt")
    gbk = "许昌市召开全市重点项目建设推进会议,市长出席会议并讲话。\n\n魏都区召开安全稳定工作会议,区委书记出席会议并讲话。"
    (src / "2021/gb18030.txt").write_bytes(gbk.encode("gb18030"))
    (src / "2021/big5.txt").write_bytes("臺灣報紙報導,市長出席會議並講話。".encode("big5"))
    (src / "2021/utf16.txt").write_bytes("\ufeff许昌日报".encode("utf-16-le"))
    (src / "2021/badbytes.txt").write_bytes(page(4).encode("utf-8").replace("。".encode(), b"\xff", 1))
    (src / "recs.jsonl").write_text("\n".join([
        json.dumps({"id": 1, "text": page(8)}, ensure_ascii=False), "{not json", json.dumps({"id": 3}),
        json.dumps({"id": 4, "text": None}), "[1, 2]", json.dumps({"id": 6, "text": page(9)}, ensure_ascii=False),
    ]) + "\n", encoding="utf-8")
    (src / "2021/wrong.jsonl").write_text(json.dumps({"body": "x"}) + "\n", encoding="utf-8")
    return src


def test_bad_inputs_nested_tree_and_encodings_as_locally(bad_tree, tmp_path):
    def prepare(folder: Path) -> None:
        (folder / "out" / "kept.txt").mkdir(parents=True)  # a folder where an output file should go

    runs = both(tmp_path, bad_tree, "-o", "{out}", "--glob", "*.txt", "--glob", "*.jsonl", "--report", "{report}",
                prepare=prepare)
    assert_same(runs)
    local = runs["local"]
    assert local["proc"].returncode == 1
    errors = one_line_errors(local["proc"].stderr)
    assert f"xcclean: {bad_tree}/image.txt: looks like a binary file, not a text page" in errors
    assert f"xcclean: {bad_tree}/recs.jsonl:5: not a JSON object" in errors
    assert any("badbytes.txt: 1 byte not utf-8 replaced by U+FFFD" in e for e in errors)
    out = local["folder"] / "out"
    assert (out / "2021/07/a.txt").read_bytes() != (out / "2021/08/a.txt").read_bytes()  # the same name, twice
    assert (out / "2021/08/deeper/b.txt").exists() and (out / "2021/gb18030.txt").exists()
    rows = summary_rows(local["proc"].stderr)
    assert any(row.split()[-1] == "1" and "pages decoded from gb18030" in row for row in rows)
    assert any(row.split()[-1] == "1" and "pages decoded from big5" in row for row in rows)


def test_resume_skips_what_exists_removes_stale_temps_and_keeps_the_report_as_locally(tmp_path):
    src = tmp_path / "in"
    for i in range(10):
        (src / f"{i % 2}" / f"p{i}.txt").parent.mkdir(parents=True, exist_ok=True)
        (src / f"{i % 2}" / f"p{i}.txt").write_text(page(i), encoding="utf-8")
    full = tmp_path / "full"
    done = run("clean", src, "-o", full / "out", "--report", full / "r.jsonl", "--workers", "1")
    assert done.returncode == 0, done.stderr
    report = (full / "r.jsonl").read_bytes().splitlines(keepends=True)
    finished = ["0/p0.txt", "1/p3.txt", "0/p4.txt"]

    def prepare(folder: Path) -> None:  # an interrupted run: three outputs, their report lines, a temp file
        for rel in finished:
            (folder / "out" / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(full / "out" / rel, folder / "out" / rel)
        kept = [line for line in report if any(json.loads(line)["path"].endswith(rel) for rel in finished)]
        (folder / "r.jsonl").write_bytes(b"".join(kept) + report[-1][:10])  # and a line cut short
        (folder / "out" / "1" / f".p5.txt.0123abcd{TEMP_SUFFIX}").write_bytes(b"half a page")

    runs = both(tmp_path / "runs", src, "-o", "{out}", "--report", "{report}", "--resume", prepare=prepare)
    assert_same(runs)
    assert runs["dask"]["proc"].returncode == 0
    assert files(runs["dask"]["folder"] / "out") == files(full / "out")
    assert sorted((runs["dask"]["folder"] / "r.jsonl").read_bytes().splitlines()) == sorted(
        line.rstrip(b"\n") for line in report)
    assert any(row.split()[:4] == ["files", "skipped", "(--resume)", "3"]
               for row in summary_rows(runs["dask"]["proc"].stderr))


def test_across_pages_index_date_field_and_one_jsonl_file_as_locally(tmp_path):
    """--across-pages --index (a second run against the first run's index) --date-field, one JSONL
    file in and one out, --title-field."""
    first = tmp_path / "first.jsonl"
    first.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in [
        {"id": 1, "date": "2021-07-02", "title": "要闻", "text": f"{A}\n\n{C}"},
        {"id": 2, "date": "2021-07-01", "title": "本地", "text": f"{A}\n\n{B}"}]), encoding="utf-8")
    second = tmp_path / "second.jsonl"
    second.write_text(json.dumps({"id": 3, "date": "2021-07-03", "title": "又", "text": f"{B}\n\n{D}"},
                                 ensure_ascii=False) + "\n", encoding="utf-8")

    def prepare(folder: Path) -> None:
        made = run("clean", first, "-o", folder / "first.out.jsonl", "--across-pages", "--index",
                   folder / "index.npz", "--date-field", "date", "--title-field", "title", "--workers", "1")
        assert made.returncode == 0, made.stderr

    runs = both(tmp_path / "runs", second, "-o", "{out}", "--across-pages", "--index", "{index}",
                "--date-field", "date", "--title-field", "title", "--report", "{report}", prepare=prepare)
    assert_same(runs)
    out = [json.loads(line) for line in (runs["dask"]["folder"] / "out").read_text(encoding="utf-8").splitlines()]
    assert [r["text"] for r in out] == [D]  # B is in the index (record 2 of the first run)


def test_standard_input_to_standard_output_as_locally(tmp_path):
    runs = both(tmp_path, "-", stdin=page(5).encode("gb18030"))
    assert_same(runs, summary=False)
    assert runs["dask"]["proc"].stdout == expected(page(5)).encode()


def test_an_unreachable_scheduler_is_one_line(tmp_path):
    (tmp_path / "p.txt").write_text(page(1), encoding="utf-8")
    for scheduler in ("local:zero", "nowhere"):
        proc = run("clean", tmp_path / "p.txt", "-o", tmp_path / "out/", "--scheduler", scheduler)
        assert proc.returncode == 1
        (error,) = one_line_errors(proc.stderr)
        assert error.startswith(f"xcclean: --scheduler: scheduler {scheduler!r}: expected ")
    assert not (tmp_path / "out").exists()


# -- a cluster started with the dask command, as a user would -----------------------------------------------------

DASK = Path(sys.executable).with_name("dask")
WAIT = 180.0  # seconds: generous, the test machine is shared


def _until(ready, what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not ready():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.05)


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[tuple[str, dict[str, subprocess.Popen[bytes]]]]:
    """``dask scheduler`` and two ``dask worker --nthreads 1`` on 127.0.0.1 (each in a session of its
    own, so that killing one kills its nanny and its worker process); all killed at the end."""
    if not DASK.exists():
        pytest.skip(f"no dask command beside {sys.executable} (pip install 'xcclean[dask]')")
    from distributed import Client

    logs = tmp_path / "logs"
    logs.mkdir()
    started: list[subprocess.Popen[bytes]] = []

    def launch(name: str, *args: str | Path) -> subprocess.Popen[bytes]:
        with open(logs / f"{name}.log", "wb") as log:
            started.append(subprocess.Popen([DASK, *map(str, args)], stdout=log, stderr=log, cwd=tmp_path,
                                            start_new_session=True))
        return started[-1]

    try:
        info = tmp_path / "scheduler.json"
        launch("scheduler", "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
               "--scheduler-file", info)
        _until(lambda: info.exists() and info.stat().st_size > 0, "the scheduler file")
        address = json.loads(info.read_text())["address"]
        assert address.startswith("tcp://127.0.0.1:")
        workers = [launch(f"worker{i}", "worker", address, "--host", "127.0.0.1", "--nthreads", "1",
                          "--no-dashboard", "--local-directory", tmp_path / f"w{i}") for i in range(2)]
        with Client(address, timeout=WAIT) as client:
            client.wait_for_workers(2, timeout=WAIT)
            pids = client.run(os.getpid)
        # each worker's address -> its dask worker command (the session its process belongs to)
        yield address, {where: next(w for w in workers if w.pid == os.getsid(pid)) for where, pid in pids.items()}
    finally:
        for proc in reversed(started):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=60)


def test_a_cluster_of_dask_commands_survives_a_worker_killed_mid_run(cluster, tmp_path):
    from distributed import Client

    address, workers = cluster
    src = tmp_path / "in"
    for i in range(240):
        (src / f"{i // 80}" / f"p{i:03d}.txt").parent.mkdir(parents=True, exist_ok=True)
        (src / f"{i // 80}" / f"p{i:03d}.txt").write_text(page(i), encoding="utf-8")
    local = run("clean", src, "-o", tmp_path / "local", "--workers", "2")
    assert local.returncode == 0, local.stderr
    out = tmp_path / "dask"
    proc = start("clean", src, "-o", out, "--scheduler", address)
    try:
        with Client(address, timeout=WAIT) as client:
            def busy() -> list[str]:  # workers running a task of the run, once some outputs are written
                written = sum(not n.endswith(TEMP_SUFFIX) for _, _, names in os.walk(out) for n in names)
                return [w for w, keys in client.processing().items() if keys] if written >= 5 else []

            _until(lambda: busy() or proc.poll() is not None, "the run to be under way")
            victim = busy()
            assert victim and proc.poll() is None, "the run ended before a worker could be killed"
            os.killpg(workers[victim[0]].pid, signal.SIGKILL)
            _, err = proc.communicate(timeout=600)
            _until(lambda: victim[0] not in client.scheduler_info()["workers"], "the scheduler to lose the worker")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err
    assert files(out) == files(tmp_path / "local")  # every page, byte for byte, and no temporary file
    assert one_line_errors(err) == []
