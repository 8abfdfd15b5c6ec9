"""Vectorised MinHash signatures and LSH banding, compatible with datasketch.

Signatures use datasketch's default ``affine32`` scheme bit for bit: the
32-bit input hash is pre-mixed with the MurmurHash3 finaliser, then
permutation ``k`` is ``a_k * h + b_k`` in uint32 arithmetic, with ``a, b``
drawn exactly as ``datasketch.MinHash(num_perm, seed)`` draws them. So a
signature row equals ``datasketch.MinHash(num_perm, seed, hashfunc=h32)``
updated with the same shingles (see :func:`to_lean_minhash`), while the work
is one numpy pass per permutation over the flat array of all shingles with
``np.minimum.reduceat`` -- no Python loop per shingle or per text.
"""

from __future__ import annotations

import itertools
from functools import lru_cache
from typing import Any

import numpy as np

from .shingles import FlatShingles

_FMIX32 = (16, 0x85EBCA6B, 13, 0xC2B2AE35, 16)


def fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finaliser (datasketch's pre-mix for affine32)."""
    s1, m1, s2, m2, s3 = _FMIX32
    h = h ^ (h >> np.uint32(s1))
    h = h * np.uint32(m1)
    h = h ^ (h >> np.uint32(s2))
    h = h * np.uint32(m2)
    out: np.ndarray = h ^ (h >> np.uint32(s3))
    return out


@lru_cache(maxsize=8)
def permutations(num_perm: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """The ``(a, b)`` parameters datasketch's affine32 MinHash uses."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def hash32(shingle_hashes: np.ndarray) -> np.ndarray:
    """The 32-bit value fed to MinHash: the low half of the 64-bit shingle hash."""
    out: np.ndarray = (shingle_hashes & np.uint64(0xFFFFFFFF)).astype(np.uint32)
    return out


# Shingles hashed a block at a time by :func:`signature_columns`: a block's temporary (1 MB of
# uint32) stays in cache through all permutations, where one pass per permutation over every
# shingle streamed the whole array through memory three times each (twice the time).
_BLOCK = 1 << 18


def signature_columns(flat: FlatShingles, num_perm: int = 128, seed: int = 1) -> np.ndarray:
    """MinHash signatures, one row per permutation: shape ``(num_perm, texts)``, dtype uint32
    (:func:`signatures` transposed)."""
    a, b = permutations(num_perm, seed)
    n = len(flat.sizes)
    out = np.empty((num_perm, n), dtype=np.uint32)
    if n == 0:
        return out
    hv = fmix32(hash32(flat.hashes))
    buffer = np.empty(min(len(hv), _BLOCK), dtype=np.uint32)
    ends = flat.starts + flat.sizes
    # Blocks of whole texts, about _BLOCK shingles each (a longer text is a block of its own).
    cuts = np.unique(np.append(np.searchsorted(flat.starts, np.arange(0, len(hv), _BLOCK)), n)).tolist()
    with np.errstate(over="ignore"):
        for lo, hi in itertools.pairwise(cuts):
            first, last = int(flat.starts[lo]), int(ends[hi - 1])
            block, starts = hv[first:last], flat.starts[lo:hi] - first
            tmp = buffer[: last - first] if last - first <= len(buffer) else np.empty(last - first, dtype=np.uint32)
            for k in range(num_perm):
                np.multiply(block, a[k], out=tmp)
                np.add(tmp, b[k], out=tmp)
                np.minimum.reduceat(tmp, starts, out=out[k, lo:hi])
    return out


def signatures(flat: FlatShingles, num_perm: int = 128, seed: int = 1) -> np.ndarray:
    """MinHash signatures, shape ``(texts, num_perm)``, dtype uint32."""
    return np.ascontiguousarray(signature_columns(flat, num_perm, seed).T)


def _band_keys_of_columns(columns: np.ndarray, bands: int) -> np.ndarray:
    """:func:`band_keys` of signatures held as :func:`signature_columns` rows, shape ``(bands, texts)``."""
    num_perm, n = columns.shape
    rows = num_perm // bands
    mult = np.uint64(0x9E3779B97F4A7C15)
    keys = np.zeros((bands, n), dtype=np.uint64)
    by_band = columns.reshape(bands, rows, n)
    with np.errstate(over="ignore"):
        for r in range(rows):
            keys *= mult
            keys += by_band[:, r, :]
        keys ^= (np.arange(bands, dtype=np.uint64) * np.uint64(0xD6E8FEB86659FD93))[:, None]
    return keys


def band_keys(sigs: np.ndarray, bands: int) -> np.ndarray:
    """One 64-bit key per (text, band); equal keys mean an equal band."""
    return np.ascontiguousarray(_band_keys_of_columns(np.ascontiguousarray(sigs.T), bands).T)


def band_keys_of(flat: FlatShingles, num_perm: int, bands: int) -> np.ndarray:
    """``band_keys(signatures(flat, num_perm), bands)``, without the transposed copies."""
    return np.ascontiguousarray(_band_keys_of_columns(signature_columns(flat, num_perm), bands).T)


def to_lean_minhash(signature: np.ndarray, seed: int = 1) -> Any:
    """A ``datasketch.LeanMinHash`` holding one signature row (for interop)."""
    from datasketch import LeanMinHash, MinHash

    num_perm = len(signature)
    mh = MinHash(num_perm=num_perm, seed=seed, hashvalues=signature,
                 permutations=permutations(num_perm, seed), scheme="affine32")
    return LeanMinHash(mh)
