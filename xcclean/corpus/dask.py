"""Cleaning on Dask: bags, dataframes and whole corpora of files, and cross-page dedup.

Needs the ``dask`` extra (``pip install 'xcclean[dask]'``); ``import xcclean``
never imports Dask. Every page is cleaned exactly as ``Cleaner.explain``
cleans it on one machine; Dask only decides where. Each worker thread builds
its Cleaner once and keeps it for every later partition. :func:`dedup_across`
(and ``clean_files(..., across_pages=True)``) runs ``xcclean.corpus.across`` as
tasks, with the same result as one machine. See ``docs/distributed.md``.

>>> import dask.bag as db
>>> page = "李朝锋强调,要扎实做好安全稳定工作。\\n\\n李朝锋强调,要扎实做好安全稳定工作。"
>>> clean_bag(db.from_sequence([page])).compute(scheduler="sync")
['李朝锋强调,要扎实做好安全稳定工作。']
>>> [e["kind"] for e in clean_bag(db.from_sequence([page]), explain=True).compute(scheduler="sync")[0]["edits"]]
['exact_duplicate']
"""

from __future__ import annotations

import logging
import operator
import os
import posixpath
import time
from collections import Counter, deque
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

import dask.bag as db
from dask.delayed import delayed
from dask.utils import parse_bytes
from distributed import Client, Future, KilledWorker, LocalCluster
from fsspec.core import get_fs_token_paths, url_to_fs
from fsspec.utils import infer_compression

from ..config import Config
from .across import CrossMatch, across_parts
from .inputs import STDIO, Source, read_source
from .jsonl import Fields
from .output import Stop
from .parallel import Result
from .partitions import (
    Done,
    PageResult,
    body_of,
    clean_frame,
    clean_jsonl,
    clean_pages,
    clean_parquet,
    clean_read,
    clean_text_pages,
    explain_jsonl,
    explain_text_pages,
    read_and_clean,
    remove_leftovers,
    without,
    write_jsonl,
    write_text_pages,
)

__all__ = ["Summary", "clean_bag", "clean_dataframe", "clean_files", "clean_sources", "connect", "dedup_across"]

_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".parquet": "parquet", ".parq": "parquet",
             ".pq": "parquet"}


def clean_bag(bag: db.Bag, config: Config | None = None, *, explain: bool = False) -> db.Bag:
    """Clean a bag of pages (str), one ``Cleaner.clean`` per page, partition by partition.

    With ``explain`` each item is ``{"text": clean text, "edits": [Edit.to_dict(), ...]}``.
    """
    result: db.Bag = bag.map_partitions(clean_pages, config if config is not None else Config(), explain)
    return result


def clean_dataframe(df: Any, column: str = "text", config: Config | None = None, *,
                    edits_column: str | None = None) -> Any:
    """Clean the pages in ``df[column]`` (a dask DataFrame), keeping every other column.

    Missing values stay missing. With ``edits_column`` each row's edit log is
    added in that column as JSON text (a list of ``Edit.to_dict()``), a plain
    string that Parquet and CSV store as is.
    """
    config = config if config is not None else Config()
    meta = clean_frame(df._meta, column, config, edits_column)
    return df.map_partitions(clean_frame, column, config, edits_column, meta=meta)


@dataclass(frozen=True)
class Summary:
    """What :func:`clean_files` did: pages cleaned, edits by kind, files written."""

    format: str
    pages: int
    partitions: int
    outputs: tuple[str, ...]
    edits: dict[str, int]
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"format": self.format, "pages": self.pages, "partitions": self.partitions,
                "outputs": list(self.outputs), "edits": dict(self.edits), "seconds": round(self.seconds, 3)}


def clean_files(inputs: str | Sequence[str], outdir: str, *, scheduler: str | Client, config: Config | None = None,
                explain: bool = False, text_field: str = "text", blocksize: int | str = "4MiB",
                encoding: str = "utf-8", storage_options: dict[str, Any] | None = None,
                across_pages: bool = False) -> Summary:
    """Clean every page in ``inputs`` on a Dask cluster and write them to ``outdir``.

    ``inputs``: paths, globs, directories or fsspec URLs, all of one format,
    told by the suffix (after any compression suffix such as ``.gz``):

    * ``.jsonl`` / ``.ndjson`` / ``.json``: one JSON object per line, the page
      in ``text_field``; written as ``part-00000.jsonl``, … in input order,
      other fields kept (``edits`` added with ``explain``);
    * ``.parquet`` / ``.parq`` / ``.pq``: the page in column ``text_field``;
      written as ``part-00000.parquet``, … (``edits`` column with ``explain``);
    * anything else: one page per text file, written under its own name with
      a final newline, as ``xcclean clean PAGE -o OUT`` writes it (and the
      edit log beside it, ``NAME.edits.jsonl``, with ``explain``).

    A partition holds about ``blocksize`` bytes of input; each output file is
    written atomically (temporary name, then rename). ``scheduler`` is a
    string for :func:`connect` or a ``distributed.Client``. ``outdir`` must be
    empty or absent; ``storage_options`` go to fsspec for the inputs and
    ``outdir`` alike. The text is cleaned as ``Cleaner(config).clean`` cleans it.

    ``across_pages`` (text pages and JSONL): also remove body paragraphs that
    repeat a kept paragraph of an earlier page, in input order, exactly as
    ``xcclean.corpus.across.across_pages`` does on one machine (see
    :func:`dedup_across`); pages are cleaned first and kept on the workers,
    then written once the cross-page pass is done.
    """
    started = time.perf_counter()
    config = config if config is not None else Config()
    options = storage_options or {}
    in_fs, paths, kind = _expand(inputs, options)
    out_fs, root = url_to_fs(outdir, **options)
    if out_fs.exists(root) and out_fs.ls(root, detail=False):
        raise FileExistsError(f"{outdir} is not empty; choose an empty or new output folder")
    size = parse_bytes(blocksize) if isinstance(blocksize, str) else blocksize
    if across_pages and kind == "parquet":
        raise ValueError("across_pages works on text pages and JSONL, not Parquet")
    tasks = _tasks(kind, in_fs, paths, out_fs, root, config, explain, text_field, size, encoding, options,
                   write=not across_pages)
    out_fs.makedirs(root, exist_ok=True)
    with _using(scheduler) as client:
        if across_pages:
            done = _write_across(client, tasks, kind, out_fs, root, config, explain, text_field)
        else:
            done = client.gather(client.compute(tasks))
    remove_leftovers(out_fs, root)
    edits: Counter[str] = Counter()
    for part in done:
        edits.update(part.edits)
    return Summary(kind, sum(part.pages for part in done), len(done),
                   tuple(path for part in done for path in part.outputs), dict(sorted(edits.items())),
                   time.perf_counter() - started)


@contextmanager
def connect(scheduler: str) -> Iterator[Client]:
    """A ``distributed.Client`` for a scheduler string (the CLI's ``--scheduler``).

    ``"tcp://host:8786"`` (any ``protocol://address``) connects to a running
    scheduler and leaves its cluster running on exit. ``"local:N"`` starts a
    ``LocalCluster`` of N worker processes with one thread each and closes it
    on exit; ``"local"`` starts one worker per CPU core.
    """
    if scheduler == "local" or scheduler.startswith("local:"):
        count = scheduler.partition(":")[2]
        if count and not (count.isdigit() and int(count) > 0):
            raise ValueError(f"scheduler {scheduler!r}: expected local:N with N a positive number of workers")
        workers = int(count) if count else os.cpu_count() or 1
        # Failures reach the user as one line each from the runner; distributed's own logs (a
        # worker's heartbeat that fails while the cluster closes, on a loaded machine) would print
        # tracebacks beside them.
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                          silence_logs=logging.CRITICAL) as cluster, Client(cluster) as client:
            yield client
    elif "://" in scheduler:
        with Client(scheduler) as client:
            yield client
    else:
        raise ValueError(f"scheduler {scheduler!r}: expected tcp://HOST:PORT (a running scheduler), local:N or local")


@contextmanager
def _using(scheduler: str | Client) -> Iterator[Client]:
    if isinstance(scheduler, Client):
        yield scheduler
    else:
        with connect(scheduler) as client:
            yield client


def _expand(inputs: str | Sequence[str], options: dict[str, Any]) -> tuple[Any, list[str], str]:
    """The filesystem, the input files (directories listed, globs expanded) and their format."""
    fs, _, found = get_fs_token_paths([inputs] if isinstance(inputs, str) else list(inputs), storage_options=options)
    paths: list[str] = []
    for path in found:
        if fs.isdir(path):
            paths += sorted(p for p in fs.find(path) if not posixpath.basename(p).startswith((".", "_")))
        elif fs.exists(path):
            paths.append(path)
        else:
            raise FileNotFoundError(f"no such input: {path}")
    if not paths:
        raise FileNotFoundError(f"no input files in {inputs}")
    kinds = {_format(path) for path in paths}
    if len(kinds) > 1:
        raise ValueError(f"inputs mix formats ({', '.join(sorted(kinds))}); clean each format on its own")
    return fs, paths, kinds.pop()


def _format(path: str) -> str:
    stem = _stem(posixpath.basename(path))
    return _SUFFIXES.get(posixpath.splitext(stem)[1].lower(), "text")


def _stem(name: str) -> str:
    """``name`` without its compression suffix (``a.jsonl.gz`` -> ``a.jsonl``)."""
    return posixpath.splitext(name)[0] if infer_compression(name) else name


def _tasks(kind: str, in_fs: Any, paths: list[str], out_fs: Any, root: str, config: Config, explain: bool,
           text_field: str, size: int, encoding: str, options: dict[str, Any], write: bool = True) -> list[Any]:
    """One delayed task per partition: read, clean, write, return a ``Done`` (or, without
    ``write``, read and clean: the partition's ``PageResult`` list)."""
    urls = [in_fs.unstrip_protocol(path) for path in paths]
    if kind == "jsonl":
        compressed = any(infer_compression(path) for path in paths)  # compressed files cannot be split
        bag = db.read_text(urls, blocksize=None if compressed else size, encoding=encoding, storage_options=options)
        if not write:
            return [delayed(explain_jsonl)(part, config, text_field, f"{root}/part-{i:05d}.jsonl")
                    for i, part in enumerate(bag.to_delayed())]
        return [delayed(clean_jsonl)(part, out_fs, f"{root}/part-{i:05d}.jsonl", config, explain, text_field)
                for i, part in enumerate(bag.to_delayed())]
    if kind == "parquet":
        import dask.dataframe as dd

        frame = dd.read_parquet(urls, storage_options=options, blocksize=size)
        if text_field not in frame.columns:
            raise ValueError(f"no column {text_field!r} in {paths[0]}; pass text_field=")
        return [delayed(clean_parquet)(part, out_fs, f"{root}/part-{i:05d}.parquet", config, explain, text_field)
                for i, part in enumerate(frame.to_delayed())]
    names = Counter(_stem(posixpath.basename(path)) for path in paths)
    if clashes := sorted(name for name, n in names.items() if n > 1):
        raise ValueError(f"several input pages are named {', '.join(clashes[:5])}; their outputs would collide")
    groups: list[list[tuple[str, str]]] = [[]]
    filled = 0
    for path, bytes_ in zip(paths, in_fs.sizes(paths), strict=True):
        if groups[-1] and filled + bytes_ > size:
            groups.append([])
            filled = 0
        groups[-1].append((path, f"{root}/{_stem(posixpath.basename(path))}"))
        filled += bytes_
    if not write:
        return [delayed(explain_text_pages)(in_fs, group, config, encoding) for group in groups]
    return [delayed(clean_text_pages)(in_fs, group, out_fs, config, explain, encoding) for group in groups]


class _Futures:
    """The engine of :func:`xcclean.corpus.across.across_parts` on a cluster: each step a task whose
    result stays on the worker that computed it (and is recomputed there if that worker dies)."""

    def __init__(self, client: Client) -> None:
        self.client = client

    def call(self, fn: Any, *args: Any) -> Any:
        return self.client.submit(fn, *args, pure=False)

    def item(self, handle: Any, key: Any) -> Any:
        return self.client.submit(operator.getitem, handle, key, pure=False)

    def share(self, value: Any) -> Any:
        return self.client.scatter(value, broadcast=True)

    def results(self, handles: list[Any]) -> list[Any]:
        out: list[Any] = self.client.gather(handles)
        return out


def dedup_across(client: Client, parts: list[Any], config: Config | None = None,
                 buckets: int | None = None) -> list[dict[int, CrossMatch]]:
    """Cross-page dedup of pages spread over a cluster: ``parts`` are futures (or delayed objects)
    of lists of pages, each page a list of body paragraphs, in page order.

    For every page, ``{paragraph position: what it repeats}`` -- the same as
    :func:`xcclean.corpus.across.across_pages` on all the pages at once. Anchors are
    computed per part and shuffled by key range into ``buckets`` joins
    (default: two per worker); pair counts, MinHash bands of short
    paragraphs and pair verification run on the workers; only candidate
    pairs (a few per duplicate) and per-paragraph anchor counts come back
    here, for one ordered pass.
    """
    if buckets is None:
        buckets = 2 * max(1, len(client.scheduler_info().get("workers", {})))
    handles = [client.compute(part) if hasattr(part, "dask") else part for part in parts]
    found, _ = across_parts(handles, config, engine=_Futures(client), buckets=buckets)
    return found


def _write_across(client: Client, tasks: list[Any], kind: str, out_fs: Any, root: str, config: Config,
                  explain: bool, text_field: str) -> list[Done]:
    """Clean every partition, run the cross-page pass over them, then write them."""
    cleaned = client.compute(tasks)
    counts: list[int] = client.gather([client.submit(len, part, pure=False) for part in cleaned])
    names: list[str] = [name for part in client.gather([client.submit(_names, part, pure=False) for part in cleaned])
                        for name in part]
    found = dedup_across(client, [client.submit(body_of, part, pure=False) for part in cleaned], config)
    starts = [sum(counts[:p]) for p in range(len(counts))]
    writes = []
    for p, part in enumerate(cleaned):
        kept = client.submit(without, part, found[starts[p] : starts[p] + counts[p]], names, pure=False)
        if kind == "jsonl":
            target = f"{root}/part-{p:05d}.jsonl"  # as _tasks names it
            writes.append(client.submit(write_jsonl, kept, out_fs, target, explain, text_field, pure=False))
        else:
            writes.append(client.submit(write_text_pages, kept, out_fs, explain, pure=False))
    done: list[Done] = client.gather(writes)
    return done


def _names(pages: list[PageResult]) -> list[str]:
    """Names of a partition's pages for the evidence: the output path (``#line`` for JSONL)."""
    seen: Counter[str] = Counter()
    out = []
    for target, record, _ in pages:
        seen[target] += 1
        out.append(f"{target}#{seen[target]}" if record is not None else target)
    return out


# Text pages per task of clean_sources (a JSONL file is one task whatever its size).
PAGES_PER_TASK = 16


def threads(client: Client) -> int:
    """Worker threads on the cluster now (at least 1)."""
    workers = client.scheduler_info().get("workers", {}).values()
    return max(1, sum(int(w.get("nthreads", 1)) for w in workers))


def clean_sources(client: Client, sources: Sequence[Source], fields: Fields, blocks: bool = False,
                  pages_per_task: int = PAGES_PER_TASK) -> Iterator[Result]:
    """The engine of ``xcclean clean --scheduler``: every page of ``sources`` with its outcome, in input order.

    Each task reads, decodes and cleans whole sources with the code of a local run
    (:func:`xcclean.corpus.partitions.read_and_clean`): up to ``pages_per_task`` text
    files, or one JSONL file. Standard input is read here and cleaned in a task. At most
    four tasks per worker thread are in flight, so memory stays bounded on any corpus; a
    task whose worker dies is run again elsewhere (the same pages, the same result). When
    the workers running one task have all died (``distributed.scheduler.allowed-failures``
    times), the run stops (:class:`~xcclean.corpus.output.Stop`).
    """
    cwd = os.getcwd()
    window = 4 * threads(client)
    pending: deque[tuple[list[Source], Future[list[Result]]]] = deque()
    for group in _source_groups(sources, pages_per_task):
        if group[0].path == STDIO:
            task = client.submit(clean_read, list(read_source(group[0], fields)), blocks, pure=False)
        else:
            task = client.submit(read_and_clean, group, fields, cwd, blocks, pure=False)
        pending.append((group, task))
        if len(pending) >= window:
            yield from _returned(*pending.popleft())
    while pending:
        yield from _returned(*pending.popleft())


def _source_groups(sources: Sequence[Source], size: int) -> Iterator[list[Source]]:
    """Consecutive sources, one task's each: up to ``size`` text files, or one JSONL file or standard input."""
    group: list[Source] = []
    for source in sources:
        alone = source.jsonl or source.path == STDIO
        if group and (alone or len(group) == size):
            yield group
            group = []
        group.append(source)
        if alone:
            yield group
            group = []
    if group:
        yield group


def _returned(group: list[Source], task: Future[list[Result]]) -> Iterator[Result]:
    """A task's pages, each record given back its own ``Source`` (the client's: the writer knows it)."""
    try:
        pages: list[Result] = task.result()
    except KilledWorker:
        raise Stop("the Dask workers that ran one task all died (out of memory?)") from None
    own = {source: source for source in group}
    for record, outcome in pages:
        yield replace(record, source=own[record.source]), outcome
