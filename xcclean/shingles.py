"""Character n-gram hashes for a batch of texts, with no Python loop per shingle.

All texts are laid end to end as one array of code points; the hash of the
n-gram starting at every position is a polynomial over n shifted views of that
array (n numpy passes), mixed by the MurmurHash3 64-bit finaliser. A text
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

_BASE = np.uint64(0x100000001B3)  # FNV-64 prime as polynomial base
_M1 = np.uint64(0xFF51AFD7ED558CCD)
_M2 = np.uint64(0xC4CEB9FE1A85EC53)


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


def shingle_hashes(texts: list[str], n: int) -> FlatShingles:
    """Hash every character n-gram of every text (see module docstring)."""
    padded = [t if len(t) >= n else t.ljust(n, "\0") for t in texts]
    lengths = np.fromiter((len(t) for t in padded), dtype=np.int64, count=len(padded))
    sizes = lengths - (n - 1)
    if not padded:
        empty = np.zeros(0, dtype=np.int64)
        return FlatShingles(np.zeros(0, dtype=np.uint64), empty, empty)
    codes = np.frombuffer("".join(padded).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    total = len(codes) - (n - 1)
    h = np.zeros(total, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(n):
            h = h * _BASE + codes[j : j + total]
        h = fmix64(h)
    # Keep only n-grams that start and end inside one text.
    text_starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    owner = np.repeat(np.arange(len(padded)), lengths)[:total]
    keep = (np.arange(total) - text_starts[owner]) < sizes[owner]
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1])).astype(np.int64)
    return FlatShingles(h[keep], starts, sizes.astype(np.int64))


def shingle_hash(text: str, n: int) -> list[int]:
    """The same hashes for one text, in pure Python (for interop and tests)."""
    if len(text) < n:
        text = text.ljust(n, "\0")
    mask = (1 << 64) - 1
    out = []
    for i in range(len(text) - n + 1):
        h = 0
        for ch in text[i : i + n]:
            h = (h * int(_BASE) + ord(ch)) & mask
        out.append(int(fmix64(np.array([h], dtype=np.uint64))[0]))
    return out
