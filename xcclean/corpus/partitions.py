"""What one Dask task does with one partition: clean its pages, write its output.

Worker-side helpers of :mod:`xcclean.dask`; nothing here imports Dask. Each
function cleans with the calling thread's own Cleaner (``cleaner_for_thread``).
Those of ``clean_files`` return what they did as a :class:`Done`;
:func:`read_and_clean`, the task of the command line's ``--scheduler``, returns
its pages to the client, which writes them as a local run does.
"""

from __future__ import annotations

import json
import re
import threading
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..config import Config
from ..pipeline import Cleaned, Cleaner
from .across import CrossMatch, body_paragraphs, remove
from .inputs import Record, Source, records
from .jsonl import Fields
from .parallel import CleanBatch, Outcome, Result, clean_records, clean_texts

_threads = threading.local()
_TEMPORARY = re.compile(r"\..+\.[0-9a-f]{32}\.tmp")


def cleaner_for_thread(config: Config) -> Cleaner:
    """This thread's Cleaner for ``config``, built on first use.

    A Cleaner keeps per-page state (its Lexicon's look-ups), so threads must
    not share one; with one thread per worker (what ``xcclean.dask.connect``
    starts) this is one Cleaner, one dictionary load, per worker.
    """
    cleaners: dict[Config, Cleaner] = _threads.__dict__.setdefault("cleaners", {})
    if config not in cleaners:
        cleaners[config] = Cleaner(config)
    return cleaners[config]


def edit_dicts(result: Cleaned) -> list[dict[str, Any]]:
    """The edit log of ``result``, JSON-ready."""
    return [edit.to_dict() for edit in result.edits]


@dataclass
class Done:
    """What a task did: pages cleaned, edits made (by kind), files written."""

    pages: int = 0
    edits: Counter[str] = field(default_factory=Counter)
    outputs: list[str] = field(default_factory=list)

    def count(self, result: Cleaned) -> None:
        self.pages += 1
        self.edits.update(edit.kind for edit in result.edits)


def clean_pages(pages: Iterable[str], config: Config, explain: bool) -> list[Any]:
    """Clean a bag partition: texts, or ``{"text", "edits"}`` dicts when ``explain``."""
    cleaner = cleaner_for_thread(config)
    if not explain:
        return [cleaner.clean(page) for page in pages]
    results = [cleaner.explain(page) for page in pages]
    return [{"text": result.text, "edits": edit_dicts(result)} for result in results]


def explain_frame(frame: Any, column: str, config: Config, edits_column: str | None) -> tuple[Any, list[Cleaned]]:
    """Clean ``frame[column]`` (a pandas DataFrame); missing values stay missing.

    With ``edits_column`` the edit log of each row is added there as JSON text.
    Returns the new frame and the results of the cleaned rows.
    """
    import pandas as pd

    cleaner = cleaner_for_thread(config)
    texts: list[Any] = []
    logs: list[str | None] = []
    results: list[Cleaned] = []
    for value in frame[column]:
        if value is None or value is pd.NA or (isinstance(value, float) and value != value):
            texts.append(value)
            logs.append(None)
            continue
        result = cleaner.explain(value)
        results.append(result)
        texts.append(result.text)
        logs.append(json.dumps(edit_dicts(result), ensure_ascii=False))
    out = frame.copy(deep=False)
    dtype = frame[column].dtype
    out[column] = pd.Series(texts, index=frame.index, dtype=dtype)
    if edits_column is not None:
        out[edits_column] = pd.Series(logs, index=frame.index, dtype=dtype)
    return out, results


def clean_frame(frame: Any, column: str, config: Config, edits_column: str | None) -> Any:
    """:func:`explain_frame` without the results (for ``map_partitions``)."""
    return explain_frame(frame, column, config, edits_column)[0]


def write_atomic(fs: Any, path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` on fsspec filesystem ``fs``, never leaving it half-written.

    The data goes to a temporary name beside ``path`` first, then ``fs.mv``
    renames it (a rename on local disks; on object stores each object is
    written whole anyway). A task run twice, after its worker died, writes
    the same bytes again.
    """
    parent, _, name = path.rpartition("/")
    temporary = f"{parent}/.{name}.{uuid.uuid4().hex}.tmp"
    with fs.open(temporary, "wb") as handle:
        handle.write(data)
    fs.mv(temporary, path)


def remove_leftovers(fs: Any, folder: str) -> None:
    """Delete the temporary files that tasks killed mid-write left in ``folder``."""
    for path in fs.ls(folder, detail=False):
        if _TEMPORARY.fullmatch(path.rpartition("/")[2]):
            fs.rm(path)


# A cleaned partition, before it is written: one entry per page, ``(where it goes, what to keep
# beside the text, the result)`` -- a target path for text pages, the record for JSONL, the row
# position for Parquet (whose frame travels as the first entry's extra).
PageResult = tuple[str, Any, Cleaned]


def explain_text_pages(fs: Any, pairs: list[tuple[str, str]], config: Config, encoding: str) -> list[PageResult]:
    """Clean one page per file; each ``(source, target)`` pair gives ``(target, None, result)``."""
    cleaner = cleaner_for_thread(config)
    out = []
    for source, target in pairs:
        with fs.open(source, "rb", compression="infer") as handle:
            data = handle.read()
        try:
            out.append((target, None, cleaner.explain(data.decode(encoding))))
        except UnicodeDecodeError as err:
            raise ValueError(f"{source}: not {encoding} text ({err.reason}); pass encoding=") from None
    return out


def write_text_pages(pages: list[PageResult], out_fs: Any, explain: bool) -> Done:
    """Write each page as ``xcclean clean PAGE -o OUT`` writes it (clean text and a newline);
    with ``explain`` its edit log beside it, ``target.edits.jsonl``."""
    done = Done()
    for target, _, result in pages:
        done.count(result)
        write_atomic(out_fs, target, (result.text + "\n").encode("utf-8"))
        done.outputs.append(target)
        if explain:
            write_atomic(out_fs, target + ".edits.jsonl", _json_lines(edit_dicts(result)))
            done.outputs.append(target + ".edits.jsonl")
    return done


def clean_text_pages(fs: Any, pairs: list[tuple[str, str]], out_fs: Any, config: Config,
                     explain: bool, encoding: str) -> Done:
    """Clean one page per file: each ``(source, target)`` pair becomes ``target``."""
    return write_text_pages(explain_text_pages(fs, pairs, config, encoding), out_fs, explain)


def explain_jsonl(lines: Iterable[str], config: Config, text_field: str, target: str) -> list[PageResult]:
    """Clean the ``text_field`` of each JSON line: ``(target, record, result)`` per record."""
    cleaner = cleaner_for_thread(config)
    out = []
    for line in lines:
        if not line.strip():
            continue
        record = json.loads(line)
        if not isinstance(record, dict) or not isinstance(record.get(text_field), str):
            raise ValueError(f"each JSON line must be an object with a string {text_field!r} field: {line[:80]!r}")
        out.append((target, record, cleaner.explain(record[text_field])))
    return out


def write_jsonl(pages: list[PageResult], out_fs: Any, target: str, explain: bool, text_field: str) -> Done:
    """Write the records, in order, to ``target``: other fields kept, ``edits`` added with ``explain``."""
    done = Done(outputs=[target])
    records = []
    for _, record, result in pages:
        done.count(result)
        record = {**record, text_field: result.text}
        if explain:
            record["edits"] = edit_dicts(result)
        records.append(record)
    write_atomic(out_fs, target, _json_lines(records))
    return done


def clean_jsonl(lines: Iterable[str], out_fs: Any, target: str, config: Config, explain: bool,
                text_field: str) -> Done:
    """Clean the ``text_field`` of each JSON line; write the records, in order, to ``target``."""
    return write_jsonl(explain_jsonl(lines, config, text_field, target), out_fs, target, explain, text_field)


def clean_parquet(frame: Any, out_fs: Any, target: str, config: Config, explain: bool, column: str) -> Done:
    """Clean ``frame[column]`` and write the frame to ``target`` as Parquet.

    With ``explain`` an ``edits`` column holds each row's edit log as JSON text.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    cleaned, results = explain_frame(frame, column, config, "edits" if explain else None)
    done = Done(outputs=[target])
    for result in results:
        done.count(result)
    sink = pa.BufferOutputStream()
    pq.write_table(pa.Table.from_pandas(cleaned), sink)
    write_atomic(out_fs, target, sink.getvalue().to_pybytes())
    return done


def body_of(pages: list[PageResult]) -> list[list[str]]:
    """Each cleaned page's body paragraphs (what the cross-page pass compares)."""
    return [body_paragraphs(result) for _, _, result in pages]


def without(pages: list[PageResult], found: list[dict[int, CrossMatch]], names: list[str]) -> list[PageResult]:
    """The pages with their cross-page duplicates removed (``found``: one dict per page)."""
    return [(target, extra, remove(result, hits, names)) for (target, extra, result), hits
            in zip(pages, found, strict=True)]


def _json_lines(items: Iterable[Any]) -> bytes:
    return "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items).encode("utf-8")


def clean_read(items: Iterable[Record], blocks: bool) -> list[Result]:
    """Clean pages already read, as a local run does (:func:`xcclean.corpus.parallel.clean_records`:
    a page the Cleaner fails on is an outcome with an error), with this thread's Cleaner."""
    cleaner = cleaner_for_thread(Config())

    def here(_: CleanBatch, batches: Iterable[list[str]]) -> Iterator[list[Outcome]]:
        return (clean_texts(batch, blocks, cleaner) for batch in batches)

    return list(clean_records(items, here, blocks=blocks))


def read_and_clean(sources: list[Source], fields: Fields, cwd: str, blocks: bool) -> list[Result]:
    """One task of ``xcclean clean --scheduler``: read whole ``sources`` with the code of a local run
    (:func:`xcclean.corpus.inputs.records`: decoding, JSONL lines, every bad input named in its
    record) and clean their pages. Relative paths are relative to ``cwd``, the client's folder."""
    return clean_read(records(sources, fields, cwd), blocks)
