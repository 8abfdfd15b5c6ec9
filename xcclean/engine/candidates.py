"""Candidate pairs of paragraphs that may repeat each other, found in bulk.

One path serves a page and a whole corpus, all vectorised, feeding the same
pair-by-pair alignment (:func:`xcclean.engine.align.relate`):

* **Anchors** (containment-aware). Each text's set of shingle hashes -- all
  of them for a page, a consistent sample of one in ``EngineConfig.anchor_sample``
  above ``EngineConfig.exact_overlap_max_shingles`` -- is
  stored as one sorted array of ``hash << 32 | text``. Joining two such arrays
  on the hash counts, for every pair of texts, the anchors they share;
  ``shared / anchors(a)`` is the directional containment of ``a`` in ``b``.
  A fragment of a paragraph has containment ~1 in it whatever its length,
  where its Jaccard similarity is at most its length ratio (what MinHash-only
  tools see), and a sample of a fragment's shingles is still a subset of
  its source's sample.
* **MinHash-LSH** (near copies of short texts). With sampling, a short text
  has few anchors and a misread or two can take them all; texts with fewer
  than ``EngineConfig.lsh_max_anchors`` anchors are also banded on MinHash
  signatures.

Hashes held by more than ``EngineConfig.max_shingle_df`` texts are boilerplate and
are skipped, and do not count in containment, so the number of pairs grows
linearly with the input. A text whose anchors are nearly all boilerplate --
one copy of a text repeated hundreds of times, a notice in every issue with
its misreads -- then has few usable anchors and is banded; a band key held
by more than ``max_shingle_df`` texts pairs its first holder with each other
one (a star, linear however common), so those copies are still found.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..config import EngineConfig
from .minhash import band_keys_of
from .shingles import fmix64, shingle_hashes
from .workers import thread_map

_OWNER_BITS = np.uint64(32)
_OWNER_MASK = np.uint64(0xFFFFFFFF)
# Texts shingled at a time: bounds the full shingle array's memory, and each chunk's anchors are
# sorted while they fit in cache (10 000 paragraphs sampled: about 2 MB), then merged.
_CHUNK = 10_000
# Anchors joined at a time by :func:`self_pairs` (8 MB).
_JOIN_ANCHORS = 1 << 20


@dataclass(frozen=True)
class Candidates:
    """Pairs ``(left[i], right[i])`` and the share of each one's anchors found in the other.

    From :func:`find_candidates` ``left < right``; from :func:`cross_pairs`
    ``left`` indexes the query texts and ``right`` the indexed ones.
    """

    left: np.ndarray
    right: np.ndarray
    left_in_right: np.ndarray
    right_in_left: np.ndarray

    def __len__(self) -> int:
        return len(self.left)


class _Packed:
    """Sorted unique ``key << 32 | text`` values (anchors, bands): their keys and their texts."""

    packed: np.ndarray  # uint64, sorted, unique

    @property
    def keys(self) -> np.ndarray:
        keys: np.ndarray = self.packed >> _OWNER_BITS
        return keys

    @property
    def owners(self) -> np.ndarray:
        owners: np.ndarray = (self.packed & _OWNER_MASK).astype(np.int64)
        return owners


@dataclass(frozen=True)
class Anchors(_Packed):
    """Sampled shingle sets of many texts: sorted unique ``hash << 32 | text``, and set sizes."""

    packed: np.ndarray  # uint64, sorted, unique
    sizes: np.ndarray  # int64, anchors per text (0 for a text too short or unlucky)

    def __len__(self) -> int:
        return len(self.sizes)


def sample_rate(texts: list[str], config: EngineConfig) -> int:
    """1 (every shingle) for a page-sized input, ``config.anchor_sample`` above the limit."""
    total = sum(map(len, texts))
    return 1 if total <= config.exact_overlap_max_shingles else config.anchor_sample


def _sorted_unique(values: np.ndarray) -> np.ndarray:
    """The distinct values, sorted (``values`` is sorted in place)."""
    values.sort()
    if len(values) > 1:
        values = values[np.concatenate(([True], values[1:] != values[:-1]))]
    return values


def _runs(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct values of a sorted array and how often each occurs."""
    if len(values) == 0:
        return values, np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.concatenate(([True], values[1:] != values[:-1])))
    return values[starts], np.diff(np.append(starts, len(values)))


def anchor_runs(texts: list[str], config: EngineConfig, sample: int, first: int = 0, workers: int = 1
                ) -> tuple[list[np.ndarray], np.ndarray]:
    """The anchors of ``texts``, numbered from ``first``: one sorted run of packed anchors per chunk of
    texts, and the anchors of each text (see module docstring). The chunks are made on up to
    ``workers`` threads."""
    if len(texts) + first > 1 << 31:
        raise ValueError("at most 2**31 texts can be indexed")

    def chunk(start: int) -> tuple[np.ndarray, np.ndarray]:
        flat = shingle_hashes(texts[start : start + _CHUNK], config.shingle_size, sample)
        base = first + start
        run = _sorted_unique((flat.hashes & ~_OWNER_MASK) | (flat.owners + base).astype(np.uint64))
        return run, np.bincount((run & _OWNER_MASK).astype(np.int64) - base, minlength=len(flat.sizes))

    done = thread_map(chunk, range(0, len(texts), _CHUNK), workers)
    return [run for run, _ in done], np.concatenate([np.zeros(0, dtype=np.int64), *(size for _, size in done)])


def anchors(texts: list[str], config: EngineConfig, sample: int, first: int = 0) -> Anchors:
    """The anchors of ``texts`` as one table, numbered from ``first`` (see module docstring)."""
    runs, sizes = anchor_runs(texts, config, sample, first)
    if not runs:
        return Anchors(np.zeros(0, dtype=np.uint64), sizes)
    packed = np.concatenate(runs)
    if len(runs) > 1:
        packed.sort(kind="stable")  # one sorted run a chunk: timsort merges them
    return Anchors(packed, sizes)


def merge(a: Anchors, b: Anchors) -> Anchors:
    """One table holding both (``b``'s texts numbered after ``a``'s)."""
    packed = np.concatenate((a.packed, b.packed))
    packed.sort(kind="stable")  # two sorted runs: timsort merges them in linear time
    return Anchors(packed, np.concatenate((a.sizes, b.sizes)))


def _expand(lo: np.ndarray, df: np.ndarray) -> np.ndarray:
    """Positions ``lo[k], lo[k]+1, ..., lo[k]+df[k]-1`` for every k, flat."""
    total = int(df.sum())
    return np.repeat(lo - (np.cumsum(df) - df), df) + np.arange(total)


def _candidates(left: np.ndarray, right: np.ndarray, shared: np.ndarray, left_sizes: np.ndarray,
                right_sizes: np.ndarray, config: EngineConfig, sample: int, splices: bool) -> Candidates:
    l_in_r = shared / np.maximum(left_sizes[left], 1)
    r_in_l = shared / np.maximum(right_sizes[right], 1)
    keep = np.maximum(l_in_r, r_in_l) >= config.candidate_min_containment
    if splices:
        keep |= shared >= max(1, (config.splice_min_chars - config.shingle_size + 1) // sample)
    return Candidates(left[keep], right[keep], l_in_r[keep], r_in_l[keep])


def _owners_at(packed: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """The texts of sorted ``key << 32 | text`` values at ``positions`` (only those read)."""
    owners: np.ndarray = (packed[positions] & _OWNER_MASK).astype(np.int64)
    return owners


def _cross_join(qkeys: np.ndarray, qowners: np.ndarray, index: np.ndarray, max_df: int
                ) -> tuple[np.ndarray, np.ndarray]:
    """Codes ``query * 2**32 + indexed`` (with repeats) of every pair sharing a key (``index``: sorted
    ``key << 32 | text``; a key held more than ``max_df`` times pairs the query with its first owner
    only, a star as in :func:`_self_join`); and per query key whether it was usable (held at most
    ``max_df``).

    Searched where the index lies, each key as the range of packed values it can take: no array
    the size of the index is made, so a query costs what its own keys touch however large the
    index has grown.
    """
    low = qkeys.astype(np.uint64) << _OWNER_BITS
    lo = np.searchsorted(index, low, side="left")
    df = np.searchsorted(index, low | _OWNER_MASK, side="right") - lo
    usable = df <= max_df
    hit = usable & (df > 0)
    positions = _expand(lo[hit], df[hit])
    codes = (np.repeat(qowners[hit], df[hit]) << 32) | _owners_at(index, positions)
    stars = (qowners[~usable] << 32) | _owners_at(index, lo[~usable])
    return np.concatenate((codes, stars)), usable


@lru_cache(maxsize=256)
def _pair_positions(size: int) -> tuple[np.ndarray, np.ndarray]:
    i, j = np.triu_indices(size, 1)
    return i, j


def _self_join(keys: np.ndarray, owners: Callable[[np.ndarray], np.ndarray], max_df: int, *,
               stars: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Codes ``lo << 32 | hi`` (with repeats) of every pair of owners sharing a key.

    ``keys`` are sorted, ``owners(positions)`` gives the owners at those
    positions (ascending within a key). Keys held more than ``max_df``
    times are skipped, or with ``stars`` pair only their first owner with
    each other one (linear however common the key); their owners are
    returned too, one per entry (to discount them from containment). Only
    entries whose key repeats are touched, so memory beyond ``keys`` stays
    proportional to the shared ones.
    """
    same = keys[1:] == keys[:-1]
    shared = np.zeros(len(keys), dtype=bool)
    shared[1:] = same
    shared[:-1] |= same
    where = np.flatnonzero(shared)
    _, runs = _runs(keys[where])
    big = np.repeat(runs > max_df, runs)
    boilerplate = owners(where[big])
    who = owners(where[~big])
    codes: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
    if stars:
        big_runs = runs[runs > max_df]
        centre = np.repeat(boilerplate[np.cumsum(big_runs) - big_runs], big_runs)
        codes.append((centre << 32 | boilerplate)[boilerplate != centre])
    runs = runs[runs <= max_df]
    starts = np.cumsum(runs) - runs
    for size in np.flatnonzero(np.bincount(runs)).tolist():  # np.unique hashes: slow on a big array
        block = who[starts[runs == size][:, None] + np.arange(size)]  # (groups, size)
        i, j = _pair_positions(size)
        codes.append(((block[:, i] << 32) | block[:, j]).ravel())
    return np.concatenate(codes), boilerplate


def _pairs(codes: np.ndarray, *, in_place: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct pairs in ``codes`` and how often each occurs (``in_place``: ``codes`` may be sorted
    where it lies, no copy)."""
    if in_place:
        codes.sort()
    else:
        codes = np.sort(codes)
    codes, counts = _runs(codes)
    return codes >> 32, codes & 0xFFFFFFFF, counts


def _merged(parts: list[np.ndarray]) -> np.ndarray:
    """The parts end to end in one new array, each dropped from ``parts`` once copied: the memory
    peak is the codes once plus one part, not twice (a million paragraphs' pairs with repeats run
    to hundreds of megabytes)."""
    out = np.empty(sum(map(len, parts)), dtype=np.int64)
    at = 0
    parts.reverse()
    while parts:
        part = parts.pop()
        out[at : at + len(part)] = part
        at += len(part)
    return out


def cross_pairs(query: Anchors, index: Anchors, config: EngineConfig, sample: int, *,
                splices: bool = False) -> Candidates:
    """Pairs (query text, indexed text) whose shared anchors make one likely within the other.

    A query's containment counts only its anchors that are not boilerplate
    in the index; an indexed text's counts all its anchors. A boilerplate
    anchor pairs the query with its first indexed holder (a star, as for
    bands): a new copy of a text indexed more than ``max_shingle_df`` times
    meets the earliest copy.
    """
    qowners = query.owners
    codes, usable = _cross_join(query.keys, qowners, index.packed, config.max_shingle_df)
    query_sizes = np.bincount(qowners[usable], minlength=len(query))
    return _candidates(*_pairs(codes), query_sizes, index.sizes, config, sample, splices)


def split_by_key(keys: np.ndarray, buckets: int) -> list[slice]:
    """Slices of a sorted array of 32-bit keys (``Anchors.keys``, ``Bands.keys``) into ``buckets``
    equal key ranges.

    A parallel runner joins bucket ``b`` of every part on its own: equal keys
    always land in the same bucket, so the pairs found are the same.
    """
    bounds = np.array([((1 << 32) // buckets) * b for b in range(1, buckets)], dtype=np.uint64)
    return [slice(a, b) for a, b in itertools.pairwise([0, *np.searchsorted(keys, bounds).tolist(), len(keys)])]


def _join_packed(parts: Sequence[np.ndarray], max_df: int, *, stars: bool) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_self_join` of sorted ``key << 32 | text`` parts (one key range of every part)."""
    if not parts:
        parts = [np.zeros(0, dtype=np.uint64)]
    # Sorted runs: timsort merges them.
    packed = np.sort(np.concatenate(parts), kind="stable") if len(parts) > 1 else parts[0]
    return _self_join(packed >> _OWNER_BITS, lambda positions: _owners_at(packed, positions), max_df, stars=stars)


def join_anchors(parts: Sequence[np.ndarray], config: EngineConfig) -> tuple[np.ndarray, np.ndarray]:
    """Pair codes ``lo << 32 | hi`` (with repeats) of texts sharing anchors across sorted ``packed``
    parts (one hash range of every part), and the owners of boilerplate anchors (one per anchor)."""
    return _join_packed(parts, config.max_shingle_df, stars=False)


def count_pairs(codes: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct pairs ``(left, right)`` among all ``codes`` arrays and how many anchors each shares."""
    return _pairs(np.concatenate(codes) if len(codes) != 1 else codes[0])


def containment_candidates(left: np.ndarray, right: np.ndarray, shared: np.ndarray, sizes: np.ndarray,
                           config: EngineConfig, sample: int, splices: bool) -> Candidates:
    """The pairs whose shared anchors make one likely within the other (``sizes``: usable anchors)."""
    return _candidates(left, right, shared, sizes, sizes, config, sample, splices)


def self_pairs(runs: Sequence[np.ndarray], sizes: np.ndarray, config: EngineConfig, sample: int, *,
               splices: bool = True, workers: int = 1) -> tuple[Candidates, np.ndarray]:
    """Pairs ``left < right`` sharing anchors (see :func:`cross_pairs`) among texts whose anchors are
    the sorted ``runs`` (:func:`anchor_runs`), and each text's usable anchor count (the base of its
    containment).

    The runs are joined key range by key range, each about ``_JOIN_ANCHORS`` anchors: every
    array of the join then stays in cache and below glibc's mmap threshold (32 MB), where one
    join of a million paragraphs' 16 M anchors spent a second of system time faulting in fresh
    pages for its temporaries. The ranges are joined on up to ``workers`` threads.
    """
    runs = runs or [np.zeros(0, dtype=np.uint64)]
    buckets = max(1, workers, sum(map(len, runs)) // _JOIN_ANCHORS)  # a range a thread at least
    ranges = [split_by_key(run >> _OWNER_BITS, buckets) for run in runs]

    def join(b: int) -> tuple[np.ndarray, np.ndarray]:
        return join_anchors([run[where[b]] for run, where in zip(runs, ranges, strict=True)], config)

    done = thread_map(join, range(buckets), workers)
    codes, boilerplate = [found for found, _ in done], [common for _, common in done]
    del done  # the codes are merged part by part, each freed once copied
    sizes = sizes - np.bincount(np.concatenate(boilerplate), minlength=len(sizes))
    pairs = _pairs(_merged(codes), in_place=True)
    return containment_candidates(*pairs, sizes, config, sample, splices), sizes


_KEY_HIGH = np.uint64(0xFFFFFFFF00000000)


@dataclass(frozen=True)
class Bands(_Packed):
    """MinHash-LSH band keys of some texts, as anchors are held: sorted unique ``key << 32 | text``.

    ``key`` is the high 32 bits of the band hash, mixed (a band hash's last
    row only reaches its low bits). Packed with its text, a band sorts as one
    uint64 (no argsort and gather, half the time); a chance collision of two
    keys only adds a candidate pair, which the alignment then rejects, as a
    colliding anchor hash does.
    """

    packed: np.ndarray  # uint64, sorted, unique

    @classmethod
    def of(cls, texts: list[str], ids: np.ndarray, config: EngineConfig, workers: int = 1) -> Bands:
        """The band keys of ``texts[i]`` for ``i`` in ``ids`` (made a chunk of texts at a time, on up
        to ``workers`` threads)."""
        if len(ids) == 0:
            return cls(np.zeros(0, dtype=np.uint64))
        chosen = [texts[i] for i in ids.tolist()]

        size = min(_CHUNK, -(-len(chosen) // workers))  # a chunk a thread at least

        def chunk(start: int) -> np.ndarray:
            # Each chunk sorted here (in cache, on a thread); timsort then merges the runs.
            flat = shingle_hashes(chosen[start : start + size], config.shingle_size)
            keys = fmix64(band_keys_of(flat, config.num_perm, config.lsh_bands))
            owners = ids[start : start + size].astype(np.uint64)[:, None]
            return _sorted_unique(((keys & _KEY_HIGH) | owners).ravel())

        runs = thread_map(chunk, range(0, len(chosen), size), workers)
        return cls(np.sort(np.concatenate(runs), kind="stable") if len(runs) > 1 else runs[0])

    @classmethod
    def from_keys(cls, keys: np.ndarray, owners: np.ndarray) -> Bands:
        """Bands from full 64-bit band keys and their texts (an index file of version 1 or 2)."""
        return cls(_sorted_unique((fmix64(keys.astype(np.uint64)) & _KEY_HIGH) | owners.astype(np.uint64)))

    def renumbered(self, first: int) -> Bands:
        return Bands(self.packed + np.uint64(first))

    def merged(self, other: Bands) -> Bands:
        return Bands(np.sort(np.concatenate((self.packed, other.packed)), kind="stable"))  # two runs

    def part(self, where: slice) -> Bands:
        return Bands(self.packed[where])

    @classmethod
    def join(cls, parts: Sequence[Bands], max_df: int) -> np.ndarray:
        """Pair codes ``lo << 32 | hi`` (with repeats) of texts sharing a band, across parts
        (one key range of every part)."""
        return _join_packed([p.packed for p in parts], max_df, stars=True)[0]

    def self_pairs(self, max_df: int) -> tuple[np.ndarray, np.ndarray]:
        """Distinct pairs ``(lo, hi)`` sharing a band."""
        lo, hi, _ = _pairs(Bands.join([self], max_df))
        return lo, hi

    def cross_pairs(self, index: Bands, max_df: int) -> tuple[np.ndarray, np.ndarray]:
        """Distinct pairs ``(query, indexed)`` sharing a band."""
        lo, hi, _ = _pairs(_cross_join(self.keys, self.owners, index.packed, max_df)[0])
        return lo, hi


def find_candidates(texts: list[str], config: EngineConfig, *, splices: bool = True, workers: int = 1
                    ) -> Candidates:
    """Candidate pairs among ``texts`` (compare keys), ``left < right``; ``workers``: threads for the
    numpy stages (the pairs do not depend on it).

    >>> c = find_candidates(["推进,早日建成达产,他们深感重任在肩。",
    ...                      "要实现高质量发展,必须加快推进,早日建成达产,他们深感重任在肩。",
    ...                      "魏都区召开安全稳定暨疫情防控工作会议"], EngineConfig())
    >>> c.left.tolist(), c.right.tolist(), c.left_in_right.round(2).tolist()
    ([0], [1], [1.0])
    """
    sample = sample_rate(texts, config)
    runs, anchored = anchor_runs(texts, config, sample, workers=workers)
    found, usable = self_pairs(runs, anchored, config, sample, splices=splices, workers=workers)
    # Banded: texts with few usable anchors (short ones, when sampled) and texts whose anchors
    # are mostly boilerplate (one copy of a text repeated more than max_shingle_df times).
    banded = (usable * 2 < anchored) | ((usable < config.lsh_max_anchors) if sample > 1 else False)
    if not banded.any():
        return found
    lo, hi = Bands.of(texts, np.flatnonzero(banded), config, workers).self_pairs(config.max_shingle_df)
    return with_band_pairs(found, lo, hi)


def with_band_pairs(found: Candidates, lo: np.ndarray, hi: np.ndarray) -> Candidates:
    """``found`` plus the band pairs ``(lo, hi)`` it lacks (their containment unknown: NaN).

    Both come sorted by pair (as :func:`_pairs` gives them), so the ones lacking are found by
    binary search.
    """
    codes, known = (lo << 32) | hi, (found.left << 32) | found.right
    at = np.minimum(np.searchsorted(known, codes), max(len(known) - 1, 0))
    extra = codes[known[at] != codes] if len(known) else codes
    if len(extra) == 0:
        return found
    nan = np.full(len(extra), np.nan)
    return Candidates(
        np.concatenate((found.left, extra >> 32)),
        np.concatenate((found.right, extra & 0xFFFFFFFF)),
        np.concatenate((found.left_in_right, nan)),
        np.concatenate((found.right_in_left, nan)),
    )
