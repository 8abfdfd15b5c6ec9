"""Cleaning many pages: in this process or in a pool of worker processes.

Pages travel in batches (``BATCH`` pages) so that inter-process traffic does
not dominate the 5-50 ms of cleaning a page. How batches are mapped over
workers is a :data:`Mapper`: the builtin ``map`` runs them here,
:class:`PoolMap` in local processes; another scheduler only has to provide
the same call. Results always come back in input order, so the output does
not depend on the number of workers.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from itertools import islice
from typing import TYPE_CHECKING

from ..config import Config
from ..model import Document, Edit
from .inputs import Record

if TYPE_CHECKING:
    from ..pipeline import Cleaner

BATCH = 8
# Loads every dictionary a page can need (jieba for the cut word, wordfreq for the token).
_WARM_UP = "本市将加快推进重点项目,确保项目早日建\n\n成投产,为高质量发展提供 principle 支撑。"


@dataclass(frozen=True)
class Outcome:
    """A cleaned page and its edits, or the error that stopped its cleaning; with
    ``clean_texts(..., blocks=True)`` also its blocks (for the cross-page pass)."""

    text: str
    edits: tuple[Edit, ...] = ()
    error: str | None = None
    blocks: Document = ()


CleanBatch = Callable[[list[str]], list[Outcome]]
Mapper = Callable[[CleanBatch, Iterable[list[str]]], Iterable[list[Outcome]]]
# A page as read, with its outcome (None: nothing to clean): what every engine gives the writer.
Result = tuple[Record, Outcome | None]


def _cleaner() -> Cleaner:
    from ..pipeline import cleaner_for  # late: it loads numpy, needless for --help or a usage error

    return cleaner_for(Config())


def clean_texts(texts: list[str], blocks: bool = False, cleaner: Cleaner | None = None) -> list[Outcome]:
    """Clean a batch of pages with ``cleaner`` (default: this process's Cleaner, built on first use)."""
    cleaner = cleaner if cleaner is not None else _cleaner()
    out: list[Outcome] = []
    for text in texts:
        try:
            result = cleaner.explain(text)
        except Exception as err:  # a failing page is reported; the corpus goes on
            out.append(Outcome("", (), f"cleaning failed ({type(err).__name__}: {err})"))
        else:
            out.append(Outcome(result.text, result.edits, None, result.blocks if blocks else ()))
    return out


def _orphaned(parent: int) -> None:
    # A killed parent leaves its pool's workers waiting forever (siblings hold the queue open).
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


def _init_worker(parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler, inherited by fork
    threading.Thread(target=_orphaned, args=(parent,), daemon=True).start()
    _cleaner()


class PoolMap:
    """A :data:`Mapper` over ``workers`` local processes, one Cleaner each.

    Where processes fork, the dictionaries are loaded here first and shared
    copy-on-write (~150 MB and ~1 s of loading per worker saved). At most
    ``4 * workers`` batches are in flight, so memory stays bounded on any
    corpus; on an interruption queued batches are cancelled.
    """

    def __init__(self, workers: int) -> None:
        self.workers = workers

    def __call__(self, fn: CleanBatch, batches: Iterable[list[str]]) -> Iterator[list[Outcome]]:
        context = None
        if "fork" in multiprocessing.get_all_start_methods():
            context = multiprocessing.get_context("fork")
            _cleaner().clean(_WARM_UP)
        pool = ProcessPoolExecutor(self.workers, context, initializer=_init_worker, initargs=(os.getpid(),))
        pending: deque[Future[list[Outcome]]] = deque()
        try:
            for batch in batches:
                pending.append(pool.submit(fn, batch))
                if len(pending) >= 4 * self.workers:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


def _batched(items: Iterable[Record], size: int) -> Iterator[list[Record]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def clean_records(records: Iterable[Record], mapper: Mapper = map, batch: int = BATCH,
                  blocks: bool = False) -> Iterator[Result]:
    """Each record with its outcome (None when it had no text), in input order (with the
    cleaned blocks when ``blocks``)."""
    sent: deque[list[Record]] = deque()

    def texts() -> Iterator[list[str]]:
        for group in _batched(records, batch):
            sent.append(group)
            yield [r.text for r in group if r.text is not None]

    for outcomes in mapper(partial(clean_texts, blocks=blocks) if blocks else clean_texts, texts()):
        done = iter(outcomes)
        for record in sent.popleft():
            yield record, (next(done) if record.text is not None else None)
