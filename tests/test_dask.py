"""xcclean.dask on LocalClusters: the same pages, edits and files as one machine, and a worker lost mid-run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import dask.bag as db
import dask.dataframe as dd
import pandas as pd
import pytest
from distributed import Client, LocalCluster

import xcclean.corpus.partitions
from tests.snippets import PARAGRAPHS
from xcclean import Cleaner, Config
from xcclean.dask import clean_bag, clean_dataframe, clean_files, connect

EXAMPLE = (Path(__file__).resolve().parents[1] / "examples" / "page.txt").read_text(encoding="utf-8")


def make_pages(count: int) -> list[str]:
    """Damaged pages: a repeated paragraph, a split one, and every fourth page the example page."""
    pages = []
    for i in range(count):
        a, b = PARAGRAPHS[i % len(PARAGRAPHS)], PARAGRAPHS[(7 * i + 3) % len(PARAGRAPHS)]
        page = f"{a}\n\n{b[: len(b) // 2]}\n\n{b[len(b) // 2 :]}\n\n{a}"
        pages.append(page + "\n\n" + EXAMPLE if i % 4 == 0 else page)
    return pages


PAGES = make_pages(24)


@pytest.fixture(scope="module")
def expected() -> list:
    cleaner = Cleaner()
    return [cleaner.explain(page) for page in PAGES]


@pytest.fixture(scope="module")
def client():
    """Two single-threaded workers in this process (fast to start)."""
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0") as cluster, \
            Client(cluster) as client:
        yield client


def write_jsonl(path: Path, pages: list[str]) -> None:
    path.write_text("".join(json.dumps({"id": i, "text": p}, ensure_ascii=False) + "\n" for i, p in enumerate(pages)),
                    encoding="utf-8")


def read_jsonl(folder: Path) -> list[dict]:
    return [json.loads(line) for part in sorted(folder.glob("part-*.jsonl"))
            for line in part.read_text(encoding="utf-8").splitlines()]


def test_import_xcclean_does_not_import_dask():
    code = "import sys, xcclean; xcclean.Config(); print([m for m in ('dask', 'distributed', 'pandas') if m in sys.modules])"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "[]\n"


def test_bag_matches_one_machine_over_several_partitions(client, expected):
    bag = db.from_sequence(PAGES, npartitions=5)
    assert clean_bag(bag).compute() == [r.text for r in expected]
    explained = clean_bag(bag, explain=True).compute()
    assert explained == [{"text": r.text, "edits": [e.to_dict() for e in r.edits]} for r in expected]
    assert json.loads(json.dumps(explained)) == explained  # JSON-ready


def test_one_cleaner_per_worker_thread(client, monkeypatch):
    built: list[int] = []

    class Counting(Cleaner):
        def __init__(self, config: Config | None = None) -> None:
            built.append(threading.get_ident())
            super().__init__(config)

    monkeypatch.setattr(xcclean.corpus.partitions, "Cleaner", Counting)  # the workers run in this process
    config = Config().replace(max_rounds=4)  # not cached yet by an earlier test
    assert len(clean_bag(db.from_sequence(PAGES, npartitions=8), config).compute()) == len(PAGES)
    assert 1 <= len(built) <= 2 and len(set(built)) == len(built)


def test_dataframe_cleans_one_column_and_keeps_the_others(client, expected):
    frame = pd.DataFrame({"id": range(len(PAGES)), "text": PAGES, "source": [f"p{i}" for i in range(len(PAGES))]})
    frame.loc[3, "text"] = None
    cleaned = clean_dataframe(dd.from_pandas(frame, npartitions=4), edits_column="edits").compute()
    assert list(cleaned.columns) == ["id", "text", "source", "edits"]
    assert cleaned["id"].tolist() == frame["id"].tolist() and cleaned["source"].tolist() == frame["source"].tolist()
    assert pd.isna(cleaned["text"][3]) and pd.isna(cleaned["edits"][3])
    rows = [i for i in range(len(PAGES)) if i != 3]
    assert [cleaned["text"][i] for i in rows] == [expected[i].text for i in rows]
    assert [json.loads(cleaned["edits"][i]) for i in rows] == [[e.to_dict() for e in expected[i].edits] for i in rows]


def test_jsonl_files_in_order_with_other_fields(client, expected, tmp_path):
    write_jsonl(tmp_path / "a.jsonl", PAGES[:14])
    write_jsonl(tmp_path / "b.jsonl", PAGES[14:])
    summary = clean_files(str(tmp_path / "*.jsonl"), str(tmp_path / "out"), scheduler=client, blocksize=8000,
                          explain=True)
    records = read_jsonl(tmp_path / "out")
    assert [r["text"] for r in records] == [r.text for r in expected]
    assert [r["id"] for r in records] == list(range(14)) + list(range(10))
    assert [r["edits"] for r in records] == [[e.to_dict() for e in r.edits] for r in expected]
    assert summary.format == "jsonl" and summary.pages == len(PAGES) and summary.partitions > 2
    assert sorted(os.listdir(tmp_path / "out")) == [Path(p).name for p in summary.outputs]  # no temporary files
    kinds = [e.kind for r in expected for e in r.edits]
    assert summary.edits == {kind: kinds.count(kind) for kind in sorted(set(kinds))}
    with pytest.raises(FileExistsError):
        clean_files(str(tmp_path / "a.jsonl"), str(tmp_path / "out"), scheduler=client)


@pytest.mark.filterwarnings("ignore:The inplace keyword")  # inside dask's Parquet engine, with pandas 3
def test_parquet_files(client, expected, tmp_path):
    frame = pd.DataFrame({"page": range(len(PAGES)), "text": PAGES})
    dd.from_pandas(frame, npartitions=3).to_parquet(tmp_path / "in")
    summary = clean_files(str(tmp_path / "in"), str(tmp_path / "out"), scheduler=client)
    cleaned = pd.read_parquet(tmp_path / "out")
    assert cleaned["text"].tolist() == [r.text for r in expected]
    assert cleaned["page"].tolist() == list(range(len(PAGES)))
    assert summary.format == "parquet" and summary.partitions == 3


def test_bad_inputs_are_refused_before_anything_runs(client, tmp_path):
    with pytest.raises(FileNotFoundError):
        clean_files(str(tmp_path / "missing.txt"), str(tmp_path / "out"), scheduler=client)
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "b.jsonl").write_text("{}\n")
    with pytest.raises(ValueError, match="mix formats"):
        clean_files([str(tmp_path / "a.txt"), str(tmp_path / "b.jsonl")], str(tmp_path / "out"), scheduler=client)
    (tmp_path / "gbk").mkdir()
    (tmp_path / "gbk" / "page.txt").write_bytes("许昌".encode("gb18030"))
    with pytest.raises(ValueError, match="not utf-8 text"):
        clean_files(str(tmp_path / "gbk"), str(tmp_path / "out"), scheduler=client)
    for bad in ("local:0", "local:two", "127.0.0.1:8786"):
        with pytest.raises(ValueError, match="local:N"), connect(bad):
            pass


def test_text_pages_on_local_worker_processes(expected, tmp_path):
    """``scheduler="local:2"``: a LocalCluster of two worker processes, started and closed by clean_files."""
    (tmp_path / "in").mkdir()
    for i, page in enumerate(PAGES):
        (tmp_path / "in" / f"page{i:02d}.txt").write_text(page, encoding="utf-8")
    summary = clean_files(str(tmp_path / "in"), str(tmp_path / "out"), scheduler="local:2", blocksize=20_000,
                          explain=True)
    assert summary.pages == len(PAGES) and summary.partitions > 2
    for i, result in enumerate(expected):
        assert (tmp_path / "out" / f"page{i:02d}.txt").read_text(encoding="utf-8") == result.text + "\n"
        log = (tmp_path / "out" / f"page{i:02d}.txt.edits.jsonl").read_text(encoding="utf-8").splitlines()
        assert [json.loads(line) for line in log] == [e.to_dict() for e in result.edits]


def test_existing_cluster_by_address(tmp_path):
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, protocol="tcp",
                      dashboard_address=":0") as cluster:
        assert cluster.scheduler_address.startswith("tcp://")
        write_jsonl(tmp_path / "in.jsonl", PAGES[:3])
        clean_files(str(tmp_path / "in.jsonl"), str(tmp_path / "out"), scheduler=cluster.scheduler_address)
        assert [r["text"] for r in read_jsonl(tmp_path / "out")] == [Cleaner().clean(p) for p in PAGES[:3]]
        assert len(cluster.scheduler.workers) == 1  # the cluster outlives the run


def kill_a_worker_mid_run(job, written=lambda: 0, need_written: bool = False) -> tuple[dict, int]:
    """Run ``job(client)`` on two worker processes and SIGKILL one while it is busy (and, with
    ``need_written``, once ``written()`` is above 0).

    Returns what the job returned (``result["summary"]``) and ``written()`` when the worker died."""
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster, \
            Client(cluster) as client:
        client.wait_for_workers(2)
        pids = client.run(os.getpid)
        result: dict = {}
        run = threading.Thread(target=lambda: result.update(summary=job(client)))
        run.start()
        victim = None
        deadline = time.monotonic() + 60
        while victim is None and time.monotonic() < deadline:
            busy = [w for w, keys in client.processing().items() if keys]
            if busy and (written() > 0 or not need_written):
                victim = busy[0]
            time.sleep(0.005)
        assert victim is not None and run.is_alive()
        before = written()
        os.kill(pids[victim], signal.SIGKILL)
        run.join(120)
        assert pids[victim] not in client.run(os.getpid).values()
    return result, before


def test_run_survives_a_worker_killed_mid_run(tmp_path):
    pages = [PAGES[i % len(PAGES)] + "\n\n" + EXAMPLE for i in range(600)]
    write_jsonl(tmp_path / "in.jsonl", pages)
    out = tmp_path / "out"

    def parts() -> int:
        return len(list(out.glob("part-*"))) if out.exists() else 0

    result, written = kill_a_worker_mid_run(  # mid-run: some output written, the victim busy
        lambda client: clean_files(str(tmp_path / "in.jsonl"), str(out), scheduler=client, blocksize=100_000),
        written=parts, need_written=True)
    summary = result["summary"]
    assert summary.pages == len(pages) and written < summary.partitions
    assert sorted(os.listdir(out)) == [Path(p).name for p in summary.outputs]  # no temporary files left
    cleaner = Cleaner()
    assert [r["text"] for r in read_jsonl(out)] == [cleaner.clean(p) for p in pages]  # nothing lost or doubled
    assert [r["id"] for r in read_jsonl(out)] == list(range(len(pages)))


def _without_page_names(edits: list[dict]) -> list[dict]:
    return [{**e, "evidence": {k: v for k, v in e["evidence"].items() if k != "matched_page"}} for e in edits]


@pytest.mark.parametrize("sampled", [False, True], ids=["exact-anchors", "sampled-anchors"])
def test_across_pages_matches_one_machine(client, tmp_path, sampled):
    from xcclean.corpus.across import across_pages, body_paragraphs, remove

    config = Config().replace(exact_overlap_max_shingles=0) if sampled else Config()
    cleaner = Cleaner(config)
    first = [cleaner.explain(page) for page in PAGES]
    found = across_pages([body_paragraphs(r) for r in first], config)
    expected = [remove(r, hits) for r, hits in zip(first, found, strict=True)]
    assert sum(map(len, found)) > 10  # the pages repeat each other a lot
    write_jsonl(tmp_path / "a.jsonl", PAGES[:14])
    write_jsonl(tmp_path / "b.jsonl", PAGES[14:])
    summary = clean_files(str(tmp_path / "*.jsonl"), str(tmp_path / "out"), scheduler=client, blocksize=8000,
                          explain=True, across_pages=True, config=config)
    records = read_jsonl(tmp_path / "out")
    assert summary.partitions > 2
    assert [r["text"] for r in records] == [r.text for r in expected]
    assert [_without_page_names(r["edits"]) for r in records] == [
        _without_page_names([e.to_dict() for e in r.edits]) for r in expected]
    assert summary.edits["cross_page_duplicate"] == sum(map(len, found))
    for name, page in zip("abcdefghijklmnopqrstuvwx", PAGES, strict=False):
        (tmp_path / "pages").mkdir(exist_ok=True)
        (tmp_path / "pages" / f"{name}.txt").write_text(page, encoding="utf-8")
    clean_files(str(tmp_path / "pages"), str(tmp_path / "out2"), scheduler=client, blocksize=3000,
                across_pages=True, config=config)
    texts = [(tmp_path / "out2" / f"{name}.txt").read_text(encoding="utf-8") for name in "abcdefghijklmnopqrstuvwx"]
    assert texts == [r.text + "\n" for r in expected]


def test_across_pages_survives_a_worker_killed_mid_run(tmp_path):
    from xcclean.corpus.across import across_pages, body_paragraphs, remove

    pages = [PAGES[i % len(PAGES)] + "\n\n" + PARAGRAPHS[i % 7] for i in range(240)]
    write_jsonl(tmp_path / "in.jsonl", pages)
    out = tmp_path / "out"
    result, _ = kill_a_worker_mid_run(lambda client: clean_files(  # a worker busy cleaning or deduplicating
        str(tmp_path / "in.jsonl"), str(out), scheduler=client, blocksize=20_000, across_pages=True))
    cleaner = Cleaner()
    first = [cleaner.explain(page) for page in pages]
    found = across_pages([body_paragraphs(r) for r in first])
    assert result["summary"].pages == len(pages)
    assert [r["text"] for r in read_jsonl(out)] == [remove(r, h).text for r, h in zip(first, found, strict=True)]
    assert [r["id"] for r in read_jsonl(out)] == list(range(len(pages)))
