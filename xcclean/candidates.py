"""Candidate pairs of paragraphs that may repeat each other, found in bulk.

Two paths, both vectorised, both feeding the same pair-by-pair alignment:

* **Shingle overlap** (containment-aware). An inverted index from shingle
  hash to the texts holding it counts, for every pair of texts sharing a
  shingle, how many they share; ``shared / size(a)`` is the directional
  containment of ``a`` in ``b``. A fragment of a paragraph has containment
  ~1 in it whatever its length, where its Jaccard similarity is at most its
  length ratio (what MinHash-only tools see). Small inputs use every
  shingle (exact counts); above ``Config.exact_overlap_max_shingles`` only
  shingles whose hash is 0 modulo ``Config.anchor_sample`` (a consistent
  sample: a fragment's sampled shingles are still a subset of its source's).
* **MinHash-LSH** (near copies), used with the sampled path, where a few
  misread characters could push a short copy's sampled containment down.

Shingles held by more than ``Config.max_shingle_df`` texts are boilerplate and
are skipped, so the number of pairs grows linearly with the input.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .config import Config
from .minhash import band_keys, signatures
from .shingles import FlatShingles, shingle_hashes


@dataclass(frozen=True)
class Candidates:
    """Pairs ``(left[i], right[i])`` with ``left < right`` and their containments."""

    left: np.ndarray
    right: np.ndarray
    left_in_right: np.ndarray  # share of left's shingles found in right
    right_in_left: np.ndarray

    def __len__(self) -> int:
        return len(self.left)


@lru_cache(maxsize=256)
def _pair_positions(size: int, star: bool) -> tuple[np.ndarray, np.ndarray]:
    """Positions of the pairs inside a group: all pairs, or each member with the first."""
    if star:
        return np.zeros(size - 1, dtype=np.int64), np.arange(1, size)
    i, j = np.triu_indices(size, 1)
    return i, j


def _clique_pairs(group_keys: np.ndarray, members: np.ndarray, max_group: int,
                  star: bool = False) -> np.ndarray:
    """All pairs of members sharing a key, as int64 codes ``lo * n + hi``.

    ``group_keys`` must be sorted. A group larger than ``max_group`` is skipped,
    or with ``star`` pairs each member with the group's first member only.
    """
    if len(group_keys) < 2:
        return np.zeros(0, dtype=np.int64)
    bounds = np.flatnonzero(np.diff(group_keys)) + 1
    starts = np.concatenate(([0], bounds))
    sizes = np.diff(np.concatenate((starts, [len(group_keys)])))
    shared = sizes >= 2
    starts, sizes = starts[shared], sizes[shared]
    if len(sizes) == 0:
        return np.zeros(0, dtype=np.int64)
    n = int(members.max()) + 1
    codes: list[np.ndarray] = []
    for size in np.unique(sizes):
        if size > max_group and not star:
            continue
        rows = starts[sizes == size][:, None] + np.arange(size)
        block = members[rows]  # (groups, size)
        i, j = _pair_positions(int(size), star=size > max_group)
        lo = np.minimum(block[:, i], block[:, j]).ravel()
        hi = np.maximum(block[:, i], block[:, j]).ravel()
        keep = lo != hi
        codes.append(lo[keep] * n + hi[keep])
    return np.concatenate(codes) if codes else np.zeros(0, dtype=np.int64)


def _unique_sets(flat: FlatShingles, sample: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct (owner, hash) pairs sorted by hash, optionally sampled, and each text's set size."""
    hashes = flat.hashes
    owners = flat.owners
    if sample > 1:
        keep = (hashes % np.uint64(sample)) == 0
        hashes, owners = hashes[keep], owners[keep]
    # Owners are ascending in the flat layout, so a stable sort by hash keeps
    # each hash's owners ascending too and equal pairs adjacent.
    order = np.argsort(hashes, kind="stable")
    hashes, owners = hashes[order], owners[order]
    first = np.ones(len(hashes), dtype=bool)
    first[1:] = (hashes[1:] != hashes[:-1]) | (owners[1:] != owners[:-1])
    hashes, owners = hashes[first], owners[first]
    sizes = np.bincount(owners, minlength=len(flat.sizes))
    return hashes, owners, sizes


def overlap_pairs(flat: FlatShingles, config: Config, sample: int = 1) -> Candidates:
    """Pairs sharing shingles, with directional containment (see module docstring)."""
    hashes, owners, sizes = _unique_sets(flat, sample)
    codes = _clique_pairs(hashes, owners, config.max_shingle_df)
    n = len(flat.sizes)
    if len(codes) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return Candidates(empty, empty, np.zeros(0), np.zeros(0))
    pair_codes, shared = np.unique(codes, return_counts=True)
    left, right = pair_codes // n, pair_codes % n
    l_in_r = shared / np.maximum(sizes[left], 1)
    r_in_l = shared / np.maximum(sizes[right], 1)
    splice_shared = max(1, (config.splice_min_chars - config.shingle_size + 1) // sample)
    keep = (np.maximum(l_in_r, r_in_l) >= config.candidate_min_containment) | (shared >= splice_shared)
    return Candidates(left[keep], right[keep], l_in_r[keep], r_in_l[keep])


def lsh_pairs(flat: FlatShingles, config: Config) -> np.ndarray:
    """Pair codes of texts that share at least one MinHash-LSH band."""
    sigs = signatures(flat, config.num_perm)
    keys = band_keys(sigs, config.lsh_bands)
    n, bands = keys.shape
    members = np.repeat(np.arange(n), bands)
    flat_keys = keys.ravel()
    order = np.argsort(flat_keys, kind="stable")
    return np.unique(_clique_pairs(flat_keys[order], members[order], config.max_shingle_df, star=True))


def find_candidates(texts: list[str], config: Config) -> Candidates:
    """Candidate pairs among ``texts`` (compare keys), both paths as configured.

    >>> c = find_candidates(["推进,早日建成达产,他们深感重任在肩。",
    ...                      "要实现高质量发展,必须加快推进,早日建成达产,他们深感重任在肩。",
    ...                      "魏都区召开安全稳定暨疫情防控工作会议"], Config())
    >>> c.left.tolist(), c.right.tolist(), c.left_in_right.round(2).tolist()
    ([0], [1], [1.0])
    """
    flat = shingle_hashes(texts, config.shingle_size)
    if len(flat.hashes) <= config.exact_overlap_max_shingles:
        return overlap_pairs(flat, config)
    sampled = overlap_pairs(flat, config, sample=config.anchor_sample)
    n = len(texts)
    extra = np.setdiff1d(lsh_pairs(flat, config), sampled.left * n + sampled.right)
    if len(extra) == 0:
        return sampled
    nan = np.full(len(extra), np.nan)
    return Candidates(
        np.concatenate((sampled.left, extra // n)),
        np.concatenate((sampled.right, extra % n)),
        np.concatenate((sampled.left_in_right, nan)),
        np.concatenate((sampled.right_in_left, nan)),
    )
