"""The tune/test split of ``../shared/corpus/news.jsonl``, fixed by the SHA-1 of each article's id.

An article is *tune* when the first hex digit of ``sha1(id)`` is 0-7 (4,587
articles) and *test* when it is 8-f (4,454). Rules, thresholds, dictionaries
and trained tables are developed on *tune* only; every published figure
comes from *test*. The file is sorted by that hash, so *test* is its last
4,454 lines; the split is recomputed from the id all the same, so it holds
for any copy or slice of the corpus.

>>> half_of("pfr-19980120-09-004") in ("tune", "test")
True
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "news.jsonl"

Half = Literal["tune", "test"]
HALVES: tuple[Half, ...] = ("tune", "test")


def half_of(article_id: str) -> Half:
    """Which half an article belongs to."""
    return "tune" if hashlib.sha1(article_id.encode("utf-8")).hexdigest()[0] in "01234567" else "test"


def articles(half: Half | None, path: Path = CORPUS, limit: int | None = None) -> Iterator[dict[str, Any]]:
    """The articles of one half (``None``: both), in file order, at most ``limit``."""
    if half is not None and half not in HALVES:
        raise ValueError(f"half must be one of {HALVES}, not {half!r}")
    count = 0
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            article = json.loads(line)
            if half is None or half_of(article["id"]) == half:
                yield article
                count += 1
                if limit is not None and count >= limit:
                    return


def load(half: Half | None, path: Path = CORPUS, limit: int | None = None) -> list[dict[str, Any]]:
    """:func:`articles` as a list."""
    return list(articles(half, path, limit))
