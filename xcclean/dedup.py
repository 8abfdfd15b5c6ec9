"""Corpus-scale duplicate and fragment detection: what ``clean()`` does inside a page, across an archive.

Each paragraph is compared by its compare key (whitespace removed). Exact
repeats are grouped by a hash table; the rest go through the same candidate
search (:mod:`xcclean.engine.candidates`: anchor containment, MinHash-LSH for short
texts) and the same pair-by-pair alignment (:func:`xcclean.engine.align.relate`) as
a page. So a truncated copy is found by containment, whatever its Jaccard
similarity, and a paraphrase is never called a copy.

Which copy is kept: the most complete one -- the longest text once glued-on
junk is discounted, then the one with less junk, then the one repeated most
often (of near copies, the reading most copies share), then the earliest. A
paragraph is marked a duplicate only for a verified relation to a paragraph
that is kept: no transitive chaining.

>>> clusters = near_duplicates([
...     "许昌市召开全市重点项目建设推进会议,市长出席会议并讲话,要求全力以赴加快项目建设进度。",
...     "市长出席会议并讲话,要求全力以赴加快项目建设",
...     "魏都区召开安全稳定暨疫情防控工作会议。",
... ])
>>> [(c.kept, [(d.index, d.relation) for d in c.duplicates]) for c in clusters]
[(0, [(1, 'inner')])]
"""

from __future__ import annotations

import gc
import itertools
import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import overload

import numpy as np

from .chars import compare_key
from .config import Config, EngineConfig
from .engine.align import Relation, relate_each
from .engine.candidates import Anchors, Bands, anchors, cross_pairs, find_candidates, merge
from .engine.resolve import KIND_CODE, RELATIONS, Resolved, even_parts, resolve_rows, split_count, verify_rows
from .engine.workers import process_map, worker_count

# Clusters made at a time when iterating over :class:`Clusters`.
_BATCH = 10_000


@dataclass(frozen=True, slots=True)
class Duplicate:
    """Paragraph ``index`` repeats its cluster's kept paragraph.

    ``relation`` is one of :data:`RELATIONS`; ``score`` the similarity of
    the aligned text (1.0 verbatim); ``span`` where the copy lies in the kept
    paragraph's compare key; ``junk`` characters glued on the copy.
    """

    index: int
    relation: str
    score: float
    span: tuple[int, int]
    junk: int = 0


@dataclass(frozen=True, slots=True)
class Cluster:
    """One kept paragraph and the paragraphs that repeat it (ascending index)."""

    kept: int
    duplicates: tuple[Duplicate, ...]

    @property
    def members(self) -> tuple[int, ...]:
        return (self.kept, *(d.index for d in self.duplicates))


class Clusters(Sequence[Cluster]):
    """The clusters of :func:`near_duplicates`, ordered by kept index.

    Held as arrays, one row per duplicate (a million-paragraph corpus has
    hundreds of thousands): :class:`Cluster` objects are made only when
    indexed or iterated, and :meth:`kept_of` / :meth:`keep_mask` answer
    without any.
    """

    def __init__(self, index: np.ndarray, kept: np.ndarray, relation: np.ndarray, score: np.ndarray,
                 span: np.ndarray, junk: np.ndarray, size: int) -> None:
        """One row per duplicate: its ``index``, the ``kept`` paragraph it repeats, ``relation`` (a position in
        :data:`RELATIONS`), ``score`` (the similarity; rounded to 4 places in a :class:`Duplicate`), ``span``
        (rows of start, end) and ``junk``; ``size`` texts in all."""
        order = np.lexsort((index, kept))
        self._index, self._kept, self._relation = index[order], kept[order], relation[order]
        self._score, self._span, self._junk = score[order], span[order].reshape(-1, 2), junk[order]
        starts = np.flatnonzero(np.diff(self._kept, prepend=-1)) if len(order) else np.zeros(0, dtype=np.int64)
        self._bounds = np.append(starts, len(order))
        self.size = size  # number of input texts

    def _run(self, first: int, stop: int) -> Iterator[Cluster]:
        """Clusters ``first`` to ``stop - 1``."""
        # Their rows sliced once, as plain lists (numpy slicing cluster by cluster costs
        # microseconds each); objects made a batch at a time with the cyclic collector paused,
        # which otherwise takes half the time walking them.
        bounds = self._bounds[first : stop + 1]
        lo, hi = (int(bounds[0]), int(bounds[-1])) if len(bounds) else (0, 0)
        index, relation, score, span, junk, kept = (a[lo:hi].tolist() for a in (
            self._index, self._relation, self._score, self._span, self._junk, self._kept))
        ends = (bounds - lo).tolist()
        for start in range(0, len(ends) - 1, _BATCH):
            with no_cyclic_gc():
                batch = [Cluster(kept[a], tuple(Duplicate(index[x], RELATIONS[relation[x]], round(score[x], 4),
                                                          (span[x][0], span[x][1]), junk[x]) for x in range(a, b)))
                         for a, b in itertools.pairwise(ends[start : start + _BATCH + 1])]
            yield from batch

    @overload
    def __getitem__(self, i: int) -> Cluster: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[Cluster]: ...
    def __getitem__(self, i: int | slice) -> Cluster | Sequence[Cluster]:
        ks = range(len(self))[i]  # IndexError and negative indices as for a tuple
        if isinstance(ks, int):
            return next(self._run(ks, ks + 1))
        if ks.step == 1:
            return list(self._run(ks.start, ks.stop))
        return [next(self._run(k, k + 1)) for k in ks]

    def __len__(self) -> int:
        return len(self._bounds) - 1

    def __iter__(self) -> Iterator[Cluster]:
        return self._run(0, len(self))

    def __repr__(self) -> str:
        return f"Clusters({len(self)} clusters, {len(self._index)} duplicates in {self.size} texts)"

    def duplicate_of(self) -> dict[int, tuple[int, Duplicate]]:
        """Each duplicate paragraph's index -> (kept paragraph, how it repeats it)."""
        with no_cyclic_gc():
            return {d.index: (c.kept, d) for c in self for d in c.duplicates}

    def kept_of(self) -> np.ndarray:
        """Integer array: for each text, the kept paragraph it repeats, or its own index when it is kept.

        >>> near_duplicates(["许昌市召开全市重点项目建设推进会议,市长出席会议并讲话。", "魏都区召开会议。",
        ...                  "许昌市召开全市重点项目建设推进会议,市长出席会议并讲话。"]).kept_of().tolist()
        [0, 1, 0]
        """
        out = np.arange(self.size, dtype=np.int64)
        out[self._index] = self._kept
        return out

    def keep_mask(self) -> np.ndarray:
        """Boolean array: True for every paragraph to keep."""
        mask = np.ones(self.size, dtype=bool)
        mask[self._index] = False
        return mask


@contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for a bulk pass.

    A pass allocates hundreds of thousands of small acyclic objects (tuples,
    relations), each batch of which triggers collections that walk the whole
    heap: 25-30 % of the time at 100k paragraphs. Reference counting still
    frees everything; the collector's previous state is restored after.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _config(config: Config | EngineConfig | None, threshold: float | None, num_perm: int | None) -> EngineConfig:
    config = engine_config(config)
    if threshold is not None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], not {threshold}")
        config = replace(config, near_copy_min_similarity=threshold, fragment_min_similarity=threshold)
    if num_perm is not None:
        if num_perm % config.lsh_bands:
            raise ValueError(f"num_perm ({num_perm}) must be a multiple of lsh_bands ({config.lsh_bands})")
        config = replace(config, num_perm=num_perm)
    return config


def engine_config(config: Config | EngineConfig | None) -> EngineConfig:
    """The engine settings of ``config`` (a whole Config, or its engine part; None: the defaults)."""
    if config is None:
        return EngineConfig()
    return config.engine if isinstance(config, Config) else config


def _keys(texts: Iterable[str]) -> list[str]:
    keys = []
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise TypeError(f"text {i} is {type(text).__name__}, not str")
        keys.append(compare_key(text))
    return keys


def _exact_groups(keys: list[str]) -> np.ndarray:
    """For each key, the index of its first occurrence (a hash sort, not a dict of a million strings)."""
    n = len(keys)
    hashes = np.fromiter(map(hash, keys), dtype=np.int64, count=n)
    order = np.argsort(hashes, kind="stable")
    sorted_hashes = hashes[order]
    starts = np.ones(n, dtype=bool)
    starts[1:] = sorted_hashes[1:] != sorted_hashes[:-1]
    first = order[np.maximum.accumulate(np.where(starts, np.arange(n), 0))] if n else order
    rep_of = np.empty(n, dtype=np.int64)
    rep_of[order] = first
    for i in np.flatnonzero(rep_of != np.arange(n)).tolist():
        if keys[i] != keys[rep_of[i]]:  # a hash collision: not a copy
            rep_of[i] = i
    return rep_of


def near_duplicates(texts: Iterable[str], *, config: Config | EngineConfig | None = None,
                    threshold: float | None = None, num_perm: int | None = None, workers: int | None = None
                    ) -> Clusters:
    """Group repeated paragraphs: exact and near copies, truncated and contaminated copies.

    ``threshold``: the minimum similarity of a near copy or a fragment to
    the text it repeats (``EngineConfig.near_copy_min_similarity`` and
    ``fragment_min_similarity``); ``num_perm``: MinHash permutations for the
    short-text LSH path. Everything else comes from ``config`` (a Config or
    its ``engine`` part). ``workers``: threads for the candidate search and
    processes for the alignments (default: every core, ``os.cpu_count()``);
    the clusters are the same for any number, and an input below
    ``EngineConfig.parallel_min_texts`` texts / ``parallel_min_pairs`` pairs
    stays in this process.
    """
    count = worker_count(workers)
    with no_cyclic_gc():
        return _near_duplicates(_keys(texts), _config(config, threshold, num_perm), count)


def _near_duplicates(keys: list[str], config: EngineConfig, workers: int = 1) -> Clusters:
    rep_of = _exact_groups(keys)
    reps = np.flatnonzero(rep_of == np.arange(len(keys))).tolist()
    rep_keys = [keys[r] for r in reps]
    lengths = np.fromiter(map(len, keys), dtype=np.int64, count=len(keys))
    copies = np.bincount(rep_of, minlength=len(keys))[reps] if keys else np.zeros(0, dtype=np.int64)
    left, right = _candidate_pairs(rep_keys, lengths[reps], copies, config, workers)
    rows, pending = verify_rows(rep_keys, left, right, config, workers)
    resolved = resolve_rows(rep_keys, rows, pending, config, copies, lengths[reps])
    return _clusters(lengths, np.asarray(reps, dtype=np.int64), rep_of, resolved, config)


def _candidate_pairs(keys: list[str], lengths: np.ndarray, copies: np.ndarray, config: EngineConfig,
                     workers: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Candidate pairs ``(left, right)``, ``left < right``, sorted.

    The search runs over the texts renumbered most complete first (longest,
    then most copies, then earliest: the order :func:`resolve` keeps them in),
    so that a shingle too common to pair all its holders (``max_shingle_df``)
    pairs each with the one most likely kept.
    """
    order = np.lexsort((np.arange(len(keys)), -copies, -lengths))
    threads = workers if len(keys) >= config.parallel_min_texts else 1
    cands = find_candidates([keys[i] for i in order.tolist()], config, splices=False, workers=threads)
    a, b = order[cands.left], order[cands.right]
    left, right = np.minimum(a, b), np.maximum(a, b)
    pairs = np.lexsort((right, left))
    return left[pairs], right[pairs]


def _clusters(lengths: np.ndarray, reps: np.ndarray, rep_of: np.ndarray, resolved: Resolved, config: EngineConfig
              ) -> Clusters:
    """The clusters of the representatives' verdicts (``resolved``, in representative numbering), with each
    exact twin sharing its representative's fate: removed with it by the same relation, else an exact copy of it.
    ``lengths``: of every text's compare key."""
    rows = resolved.rows
    count = len(rows)
    dup, kept = reps[resolved.dup], reps[resolved.kept]
    relation, score, junk = rows["kind"], rows["similarity"], rows["junk"]
    span = np.stack((rows["start"], rows["end"]), axis=1)
    twins = np.flatnonzero(rep_of != np.arange(len(lengths)))
    twins = twins[lengths[twins] >= config.min_copy_chars]
    of = rep_of[twins]
    row = np.full(len(lengths), -1, dtype=np.int64)
    row[dup] = np.arange(count)
    shared = row[of]  # the twin's representative's row, -1 where the representative is kept
    alone = shared < 0
    take = np.where(alone, count, shared)  # row ``count``: an exact copy of the kept representative

    def twin(column: np.ndarray, exact: object) -> np.ndarray:
        return np.concatenate([column, np.asarray([exact], dtype=column.dtype)])[take]

    twin_span = twin(span, [0, 0])
    twin_span[alone, 1] = lengths[of[alone]]
    return Clusters(index=np.concatenate([dup, twins]), kept=np.concatenate([kept, np.where(alone, of, twin(kept, 0))]),
                    relation=np.concatenate([relation, twin(relation, KIND_CODE["exact"])]),
                    score=np.concatenate([score, twin(score, 1.0)]), span=np.concatenate([span, twin_span]),
                    junk=np.concatenate([junk, twin(junk, 0)]), size=len(lengths))


def _relate_part(shared: tuple[list[str], list[str], EngineConfig, list[slice]], part: int) -> list[Relation | None]:
    a, b, config, parts = shared
    return relate_each(a[parts[part]], b[parts[part]], config)


def relate_in_parts(a: list[str], b: list[str], config: EngineConfig, workers: int) -> list[Relation | None]:
    """:func:`~xcclean.engine.align.relate_each`, the pairs split over ``workers`` processes from
    ``config.parallel_min_pairs`` pairs up (the same answers, in order)."""
    count = split_count(len(a), config, workers)
    parts = even_parts(len(a), count)
    return [rel for done in process_map(_relate_part, (a, b, config, parts), count, count) for rel in done]


@dataclass(frozen=True)
class Match:
    """An indexed paragraph related to a query text.

    ``query_is_copy``: the query repeats the indexed paragraph (exact, near
    copy, fragment of it, or a contaminated copy of it) -- what a cross-page
    dedup removes. False when the indexed paragraph is the fragment or the
    contaminated copy of the query.
    """

    id: int
    relation: str
    score: float
    query_is_copy: bool


_FORMAT = "xcclean-paragraph-index"
# 2: the pages of the paragraphs (version 1 files load, their paragraphs of no page); 3: bands packed as
# anchors are (older files load, their band keys packed on the way in)
_VERSION = 3
# EngineConfig fields the stored anchors depend on: an index only answers with them unchanged.
_SKETCH_FIELDS = ("shingle_size", "anchor_sample", "num_perm", "lsh_bands", "lsh_max_anchors")


@dataclass(frozen=True)
class IndexedPage:
    """A page whose paragraphs an index holds: ``id`` (its name), the ``content_hash`` of the text it
    was cleaned from, and ``first``, the index's size when it was added (its paragraphs' ids start
    there: ``first`` to ``first + count - 1``)."""

    id: str
    content_hash: str
    first: int
    count: int


@dataclass(frozen=True)
class NewPage:
    """A page to add with :meth:`ParagraphIndex.add_pages`: its ``id``, ``content_hash``, the
    paragraphs to index and the ``positions`` of each among the page's paragraphs (for evidence)."""

    id: str
    content_hash: str
    texts: Sequence[str]
    positions: Sequence[int]


class ParagraphIndex:
    """An incremental index of paragraphs: ``add()`` texts, ``query()`` new ones against all seen so far.

    It holds the compare keys, one sorted anchor table (sampled shingles, see
    :mod:`xcclean.engine.candidates`) and MinHash band keys of short texts. ``add``
    merges in linear time; ``save``/``load`` use one ``.npz`` file.

    Paragraphs added by :meth:`add_pages` know their page (:meth:`origin`),
    and the index knows each page's id and content hash (:meth:`page`): a
    query can leave out pages (``skip_pages``) and paragraphs indexed after a
    point (``below``), so a page cleaned again is compared only with what it
    was compared with the first time. A page added again under the same id
    replaces its earlier paragraphs, which no query finds any more.

    >>> index = ParagraphIndex()
    >>> index.add(["许昌市召开全市重点项目建设推进会议,市长出席会议并讲话,要求全力以赴加快项目建设进度。"])
    range(0, 1)
    >>> [(m.id, m.relation, m.query_is_copy) for m in index.query(["市长出席会议并讲话,要求全力以赴加快项目建设"])[0]]
    [(0, 'inner', True)]
    """

    def __init__(self, config: Config | None = None) -> None:
        self.config = config or Config()
        self._keys: list[str] = []
        self._table = Anchors(np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64))
        self._bands = Bands.of([], np.zeros(0, dtype=np.int64), self.config.engine)
        self._page_of = np.zeros(0, dtype=np.int64)  # each paragraph's page number, -1 for none
        self._position = np.zeros(0, dtype=np.int64)  # its position among its page's paragraphs
        self._retired = np.zeros(0, dtype=bool)  # replaced by a later version of its page
        self._pages: list[IndexedPage] = []
        self._page_no: dict[str, int] = {}
        self.changed = False  # something was added since it was made or loaded (a save would differ)

    def __len__(self) -> int:
        return len(self._keys)

    def text(self, id: int) -> str:
        """The compare key stored for paragraph ``id``."""
        return self._keys[id]

    def page(self, id: str) -> IndexedPage | None:
        """The indexed page named ``id``, if any."""
        number = self._page_no.get(id)
        return None if number is None else self._pages[number]

    def origin(self, id: int) -> tuple[str | None, int]:
        """Where paragraph ``id`` came from: its page's id and its position there (None and ``id``
        for a paragraph added without a page)."""
        number = int(self._page_of[id])
        return (None, id) if number < 0 else (self._pages[number].id, int(self._position[id]))

    def _sketch(self, keys: list[str], first: int) -> tuple[Anchors, Bands]:
        engine = self.config.engine
        table = anchors(keys, engine, engine.anchor_sample, first)
        sparse = np.flatnonzero(table.sizes < engine.lsh_max_anchors)
        return table, Bands.of(keys, sparse, engine).renumbered(first)

    def add(self, texts: Iterable[str]) -> range:
        """Index ``texts`` (of no page); returns their ids (consecutive, in order)."""
        keys = _keys(texts)
        return self._append(keys, np.full(len(keys), -1), np.full(len(keys), -1))

    def add_pages(self, pages: Iterable[NewPage]) -> None:
        """Index the paragraphs of several pages at once (one merge), each page recorded with its
        id and content hash; a page already indexed under its id is replaced."""
        keys: list[str] = []
        owners: list[int] = []
        positions: list[int] = []
        for page in pages:
            self.changed = True
            number = self._page_no.setdefault(page.id, len(self._pages))
            if number == len(self._pages):
                self._pages.append(IndexedPage(page.id, "", 0, 0))
            old = self._pages[number]
            self._retired[old.first : old.first + old.count] = True
            new = _keys(page.texts)
            self._pages[number] = IndexedPage(page.id, page.content_hash, len(self._keys) + len(keys), len(new))
            keys += new
            owners += [number] * len(new)
            positions += list(page.positions)
        self._append(keys, np.asarray(owners, dtype=np.int64), np.asarray(positions, dtype=np.int64))

    def _append(self, keys: list[str], page_of: np.ndarray, positions: np.ndarray) -> range:
        first = len(self._keys)
        self.changed = self.changed or bool(keys)
        table, bands = self._sketch(keys, first)
        self._table = merge(self._table, table)
        self._bands = self._bands.merged(bands)
        self._keys.extend(keys)
        self._page_of = np.concatenate((self._page_of, page_of.astype(np.int64)))
        self._position = np.concatenate((self._position, positions.astype(np.int64)))
        self._retired = np.concatenate((self._retired, np.zeros(len(keys), dtype=bool)))
        return range(first, len(self._keys))

    def query(self, texts: Iterable[str], below: Sequence[int] | None = None,
              skip_pages: Iterable[str] = (), workers: int | None = 1) -> list[list[Match]]:
        """For each text, the indexed paragraphs it repeats or that repeat it (by id).

        ``below``: for each text, the ids it may match are below this one;
        ``skip_pages``: the paragraphs of these pages are not matched.
        Replaced paragraphs (see :meth:`add_pages`) never are. ``workers``:
        processes for the alignments from ``EngineConfig.parallel_min_pairs``
        candidate pairs up (None: every core); the answer is the same.
        """
        count = worker_count(workers)
        with no_cyclic_gc():
            return self._query(_keys(texts), below, skip_pages, count)

    def _allowed(self, skip_pages: Iterable[str], ids: np.ndarray) -> np.ndarray:
        """Which of the indexed paragraphs ``ids`` a query may match."""
        allowed: np.ndarray = ~self._retired[ids]
        skipped = [self._page_no[p] for p in skip_pages if p in self._page_no]
        if skipped:
            allowed &= ~np.isin(self._page_of[ids], skipped)
        return allowed

    def _query(self, keys: list[str], below: Sequence[int] | None, skip_pages: Iterable[str], workers: int = 1
               ) -> list[list[Match]]:
        table, bands = self._sketch(keys, 0)
        engine = self.config.engine
        cands = cross_pairs(table, self._table, engine, engine.anchor_sample)
        banded = bands.cross_pairs(self._bands, engine.max_shingle_df)
        # Every pair once, ordered by (query, indexed), filtered in numpy: nothing a query does
        # walks the whole index.
        codes = np.unique(np.concatenate(((cands.left << 32) | cands.right, (banded[0] << 32) | banded[1])))
        query_of, indexed = codes >> 32, codes & 0xFFFFFFFF
        keep = self._allowed(skip_pages, indexed)
        if below is not None:
            keep &= indexed < np.asarray(below, dtype=np.int64)[query_of]
        ordered = list(zip(query_of[keep].tolist(), indexed[keep].tolist(), strict=True))
        verdicts = relate_in_parts([self._keys[i] for _, i in ordered], [keys[q] for q, _ in ordered], engine, workers)
        out: list[list[Match]] = [[] for _ in keys]
        for (q, i), rel in zip(ordered, verdicts, strict=True):  # the indexed paragraph came first
            if rel is not None:
                out[q].append(Match(i, rel.kind, round(rel.similarity, 4), rel.dup in (None, 1)))
        return out

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the index to one ``.npz`` file, atomically (temp file + rename)."""
        path = Path(path)
        blob = "\n".join(self._keys).encode("utf-8")  # compare keys hold no newline
        meta = {"format": _FORMAT, "version": _VERSION, "config": self.config.to_dict()}
        pages = json.dumps([asdict(page) for page in self._pages], ensure_ascii=False).encode("utf-8")
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                np.savez(out, meta=np.array(json.dumps(meta)), texts=np.frombuffer(blob, dtype=np.uint8),
                         count=np.array(len(self._keys)), packed=self._table.packed, sizes=self._table.sizes,
                         bands=self._bands.packed, page_of=self._page_of,
                         position=self._position, retired=self._retired,
                         pages=np.frombuffer(pages, dtype=np.uint8))
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    @classmethod
    def load(cls, path: str | os.PathLike[str], config: Config | None = None) -> ParagraphIndex:
        """Read an index written by :meth:`save`.

        The stored configuration is used; a ``config`` whose sketch settings
        (shingle size, sampling, MinHash) differ is refused, since the stored
        anchors could not be matched against.
        """
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            if meta.get("format") != _FORMAT or meta.get("version") not in (1, 2, _VERSION):
                raise ValueError(f"{path}: not an xcclean paragraph index (version {_VERSION})")
            stored = Config.from_dict(meta["config"])
            if config is not None:
                changed = [f for f in _SKETCH_FIELDS if getattr(config.engine, f) != getattr(stored.engine, f)]
                if changed:
                    raise ValueError(f"{path}: index built with other {', '.join(changed)}")
            index = cls(config or stored)
            count = int(data["count"])
            # decoded where np.load put the bytes (no copy of a 10M-paragraph archive's gigabytes)
            index._keys = str(data["texts"], "utf-8").split("\n") if count else []
            index._table = Anchors(data["packed"], data["sizes"])
            index._bands = Bands(data["bands"]) if meta["version"] >= 3 else \
                Bands.from_keys(data["band_keys"], data["band_owners"])
            if meta["version"] == 1:
                index._page_of = index._position = np.full(count, -1, dtype=np.int64)
                index._retired = np.zeros(count, dtype=bool)
            else:
                index._page_of, index._position, index._retired = data["page_of"], data["position"], data["retired"]
                index._pages = [IndexedPage(**page) for page in json.loads(data["pages"].tobytes().decode("utf-8"))]
                index._page_no = {page.id: number for number, page in enumerate(index._pages)}
        return index
