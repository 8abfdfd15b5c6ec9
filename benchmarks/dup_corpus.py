"""A paragraph corpus with known duplicates, for the dedup speed benchmark.

Unique paragraphs are recombined from the clauses of ``../shared/corpus``
(3-6 clauses each, so any size can be built). A clause drawn a second time
has every third character replaced (no 4-gram in common with its first
use), so that a million paragraphs share no more text by chance than a
real archive would: the 384k distinct clauses would otherwise each recur a
dozen times, and chance overlap would grow faster than the corpus. Then a share of the corpus is replaced by damaged
copies of other paragraphs, each placed after its source, with the truth
recorded:

``exact``         a verbatim copy
``near_copy``     1-3 characters misread (single, non-adjacent substitutions:
                  what OCR does)
``prefix`` / ``suffix`` / ``inner``
                  a truncated copy: 30-90 % of the source, at least 20
                  characters, cut at character positions (mid-word)
``contaminated``  a whole copy with 2-8 stray characters glued on front or back

The same (size, seed, share) always gives the same corpus.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "news.jsonl"
KINDS = ("exact", "near_copy", "prefix", "suffix", "inner", "contaminated")
TRUNCATED = ("prefix", "suffix", "inner")
# Share of each kind among the damaged copies.
MIX = {"exact": 0.15, "near_copy": 0.35, "prefix": 0.12, "suffix": 0.12, "inner": 0.11, "contaminated": 0.15}
_CLAUSE = re.compile(r"[^,，。！？；]+[,，。！？；]")
_TERMINAL = "。！？；"


@dataclass(frozen=True)
class DupCorpus:
    """``texts`` and, for every damaged copy, ``truth[copy] = (source, kind)``."""

    texts: list[str]
    truth: dict[int, tuple[int, str]]


def clauses(path: Path = CORPUS) -> list[str]:
    out: list[str] = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            for paragraph in json.loads(line)["paragraphs"]:
                out.extend(c for c in _CLAUSE.findall(paragraph) if len(c) >= 4)
    return out


def _vary(clause: str, rng: random.Random, alphabet: str) -> str:
    """A clause used again, every third character replaced (so it shares no 4-gram with its
    first use): a big corpus is not one small corpus repeated."""
    chars = list(clause)
    for spot in range(rng.randrange(3), len(chars) - 1, 3):
        chars[spot] = rng.choice(alphabet)
    return "".join(chars)


def _paragraph(pool: list[str], used: set[int], rng: random.Random, alphabet: str) -> str:
    parts = []
    for _ in range(rng.randint(3, 6)):
        k = rng.randrange(len(pool))
        parts.append(_vary(pool[k], rng, alphabet) if k in used else pool[k])
        used.add(k)
    text = "".join(parts)
    return text[:-1] + "。" if text[-1] not in _TERMINAL else text


def _misread(text: str, rng: random.Random, alphabet: str) -> str:
    chars = list(text)
    count = rng.randint(1, min(3, max(1, len(text) // 20)))
    spots = sorted(rng.sample(range(1, len(text) - 1, 2), count))  # every other position: never adjacent
    for spot in spots:
        chars[spot] = rng.choice([c for c in rng.sample(alphabet, 4) if c != chars[spot]] or ["口"])
    return "".join(chars)


def _truncate(text: str, kind: str, rng: random.Random) -> str | None:
    length = max(20, int(len(text) * rng.uniform(0.3, 0.9)))
    if length >= len(text) - 4:
        return None
    if kind == "prefix":
        start = 0
    elif kind == "suffix":
        start = len(text) - length
    else:
        start = rng.randint(2, len(text) - length - 2)
    piece = text[start : start + length]
    # An OCR fragment is cut inside a sentence: a piece that ends one is whole sentences (editorial).
    if (start == 0 or text[start - 1] in _TERMINAL) and piece[-1] in _TERMINAL:
        return None
    return piece


def build(size: int, seed: int = 0, share: float = 0.3, path: Path = CORPUS) -> DupCorpus:
    """``size`` paragraphs of which ``share`` are damaged copies (see module docstring)."""
    rng = random.Random(seed)
    pool = clauses(path)
    alphabet = "".join(sorted({ch for c in pool[:5000] for ch in c if "\u4e00" <= ch <= "\u9fff"}))
    used: set[int] = set()
    texts = [_paragraph(pool, used, rng, alphabet) for _ in range(size)]
    truth: dict[int, tuple[int, str]] = {}
    kinds, weights = list(MIX), list(MIX.values())
    targets = rng.sample(range(1, size), int(size * share)) if size > 1 else []
    chosen = set(targets)
    for copy in sorted(targets):
        source = rng.randrange(copy)
        while source in chosen:  # copy an original, not a copy
            source = rng.randrange(copy)
        kind = rng.choices(kinds, weights)[0]
        text = texts[source]
        damaged: str | None = text
        if kind == "near_copy":
            damaged = _misread(text, rng, alphabet)
        elif kind in TRUNCATED:
            damaged = _truncate(text, kind, rng)
        elif kind == "contaminated":
            junk = "".join(rng.choice(alphabet) for _ in range(rng.randint(2, 8)))
            damaged = junk + text if rng.random() < 0.5 else text + junk
        if damaged is None:
            continue
        texts[copy] = damaged
        truth[copy] = (source, kind)
    return DupCorpus(texts, truth)
