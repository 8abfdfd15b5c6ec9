"""Character n-gram hashes for a batch of texts, with no Python loop per shingle.

All texts are laid end to end as one array of code points, each folded to 16
bits (``c ^ c >> 16``: the BMP, where Chinese lives, maps to itself). The
n-gram starting at every position is read as one little-endian integer over
a strided view of that array (for n <= 4 the n code points fit in 64 bits:
one pass, no arithmetic), then mixed by the MurmurHash3 64-bit finaliser.
Longer n-grams fold extra code points in with a polynomial step. A text
shorter than n contributes one shingle: itself, padded with NUL.

>>> import numpy as np
>>> flat = shingle_hashes(["许昌日报", "许昌日报社"], 4)
>>> flat.starts.tolist(), flat.sizes.tolist()
([0, 1], [1, 2])
>>> bool(flat.hashes[0] == flat.hashes[1])
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

_M1 = np.uint64(0xFF51AFD7ED558CCD)
_M2 = np.uint64(0xC4CEB9FE1A85EC53)
_BASE = np.uint64(0x100000001B3)  # FNV-64 prime, for code points beyond the fourth
_PACKED = 4  # code points that fit in one 64-bit key


def fmix64(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finaliser (a bijection that spreads the bits)."""
    h = h ^ (h >> np.uint64(33))
    h = h * _M1
    h = h ^ (h >> np.uint64(33))
    h = h * _M2
    out: np.ndarray = h ^ (h >> np.uint64(33))
    return out


@dataclass(frozen=True)
class FlatShingles:
    """Shingle hashes of many texts: text ``i`` owns ``hashes[starts[i]:starts[i]+sizes[i]]``."""

    hashes: np.ndarray  # uint64, one per n-gram position (duplicates kept)
    starts: np.ndarray  # int64
    sizes: np.ndarray  # int64, >= 1 for every text

    @property
    def owners(self) -> np.ndarray:
        """Index of the text each hash belongs to."""
        return np.repeat(np.arange(len(self.sizes)), self.sizes)


def _folded(texts: list[str], n: int) -> tuple[np.ndarray, np.ndarray]:
    """16-bit folded code points of all texts end to end (each padded to n), and their lengths."""
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    short = lengths < n
    if short.any():
        texts = [t.ljust(n, "\0") for t in texts]
        lengths = np.maximum(lengths, n)
    codes = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32)
    folded = np.zeros(len(codes) + _PACKED, dtype=np.uint16)  # zero tail: the view may read past the end
    folded[: len(codes)] = codes ^ (codes >> np.uint32(16))
    return folded, lengths


def _sampled(keys: np.ndarray, sample: int) -> np.ndarray:
    """Whether each n-gram is in the consistent 1-in-``sample`` sample: bits 32 and up of a
    multiplicative hash are a multiple of ``sample``."""
    with np.errstate(over="ignore"):
        mixed = keys * _M2
    if sample & (sample - 1):
        chosen: np.ndarray = (mixed >> np.uint64(32)) % np.uint64(sample) == 0
    else:  # a power of two: the same test is one mask
        chosen = mixed & np.uint64((sample - 1) << 32) == 0
    return chosen


def shingle_hashes(texts: list[str], n: int, sample: int = 1) -> FlatShingles:
    """Hash every character n-gram of every text (see module docstring).

    With ``sample`` > 1 only a consistent sample of about one n-gram in
    ``sample`` is kept (decided by a cheap multiplicative hash of the n-gram,
    so the same n-gram is kept or dropped in every text); ``sizes`` then
    count the kept ones, and may be 0.
    """
    if not texts:
        empty = np.zeros(0, dtype=np.int64)
        return FlatShingles(np.zeros(0, dtype=np.uint64), empty, empty)
    folded, lengths = _folded(texts, n)
    total = len(folded) - _PACKED - (n - 1)
    # Position i holds folded[i] | folded[i+1] << 16 | ... (x86/ARM are little-endian; numpy
    # allows the unaligned 2-byte stride).
    packed = np.ndarray((total,), dtype="<u8", buffer=folded.data, strides=(2,))
    if n < _PACKED:
        keys = packed & np.uint64((1 << (16 * n)) - 1)
    elif n == _PACKED:
        keys = packed  # a view: copied once, by the selection below
    else:
        keys = packed.copy()
        with np.errstate(over="ignore"):
            for j in range(_PACKED, n):
                keys = keys * _BASE + folded[j : j + total]
    # The n-1 positions at the end of each text whose n-gram runs into the next are dropped.
    ends = np.cumsum(lengths)
    cross = (ends[:, None] - np.arange(1, n)).ravel()
    cross = cross[cross < total]
    if sample > 1:
        chosen = _sampled(keys, sample)
        chosen[cross] = False
        sizes = np.add.reduceat(chosen, ends - lengths, dtype=np.int64)  # every text spans >= 1 position
        keys = keys[np.flatnonzero(chosen)]
    else:
        keep = np.ones(total, dtype=bool)
        keep[cross] = False
        keys = keys[keep]
        sizes = lengths - (n - 1)
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1])).astype(np.int64)
    with np.errstate(over="ignore"):
        hashes = fmix64(keys)
    return FlatShingles(hashes, starts, sizes.astype(np.int64))


def shingle_hash(text: str, n: int) -> list[int]:
    """The same hashes for one text, in pure Python (the reference, for tests and interop)."""
    if len(text) < n:
        text = text.ljust(n, "\0")
    mask = (1 << 64) - 1
    folded = [(ord(ch) ^ (ord(ch) >> 16)) & 0xFFFF for ch in text]
    out = []
    for i in range(len(text) - n + 1):
        gram = folded[i : i + n]
        h = sum(c << (16 * j) for j, c in enumerate(gram[:_PACKED]))
        for c in gram[_PACKED:]:
            h = (h * int(_BASE) + c) & mask
        out.append(int(fmix64(np.array([h], dtype=np.uint64))[0]))
    return out
