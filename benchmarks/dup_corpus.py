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

Two harder variants, for what that corpus leaves out (chance overlap, and
copies before their source):

* ``build(size, recurrence=40, shuffle=True)``: clauses drawn from a pool
  small enough that each recurs about 40 times, never varied (a
  boilerplate-heavy archive), in random order;
* ``build_real(half)``: every real paragraph of one half of the corpus,
  with their natural formulaic overlap, plus 30 % damaged copies of the
  kinds above, in random order.
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


def _paragraph(pool: list[str], used: set[int] | None, rng: random.Random, alphabet: str) -> str:
    """3-6 clauses of ``pool``; one already in ``used`` is varied (``used`` None: never)."""
    parts = []
    for _ in range(rng.randint(3, 6)):
        k = rng.randrange(len(pool))
        if used is None:
            parts.append(pool[k])
            continue
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


def _damaged(text: str, kind: str, rng: random.Random, alphabet: str) -> str | None:
    """A damaged copy of ``text`` of one kind (see module docstring); None where a truncation cannot be made."""
    if kind == "near_copy":
        return _misread(text, rng, alphabet)
    if kind in TRUNCATED:
        return _truncate(text, kind, rng)
    if kind == "contaminated":
        junk = "".join(rng.choice(alphabet) for _ in range(rng.randint(2, 8)))
        return junk + text if rng.random() < 0.5 else text + junk
    return text


def _alphabet(pool: list[str]) -> str:
    return "".join(sorted({ch for c in pool[:5000] for ch in c if "\u4e00" <= ch <= "\u9fff"}))


def build(size: int, seed: int = 0, share: float = 0.3, path: Path = CORPUS, recurrence: float | None = None,
          shuffle: bool = False) -> DupCorpus:
    """``size`` paragraphs of which ``share`` are damaged copies (see module docstring).

    ``recurrence``: draw the clauses from a pool small enough that each recurs about this many times,
    verbatim (a boilerplate-heavy archive: chance overlap everywhere); ``shuffle``: the paragraphs in
    random order (a copy may come before its source).
    """
    rng = random.Random(seed)
    pool = clauses(path)
    alphabet = _alphabet(pool)
    used: set[int] | None = set()
    if recurrence is not None:  # 4.5 clauses a paragraph; a clause drawn again is the same clause
        pool, used = pool[: max(1, round(size * (1 - share) * 4.5 / recurrence))], None
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
        damaged = _damaged(texts[source], kind, rng, alphabet)
        if damaged is None:
            continue
        texts[copy] = damaged
        truth[copy] = (source, kind)
    corpus = DupCorpus(texts, truth)
    return shuffled(corpus, rng) if shuffle else corpus


def shuffled(corpus: DupCorpus, rng: random.Random) -> DupCorpus:
    """The same corpus in random order, its truth renumbered."""
    order = list(range(len(corpus.texts)))
    rng.shuffle(order)
    where = {old: new for new, old in enumerate(order)}
    return DupCorpus([corpus.texts[old] for old in order],
                     {where[c]: (where[s], kind) for c, (s, kind) in corpus.truth.items()})


def build_real(half: str | None = "test", seed: int = 0, share: float = 0.3, path: Path = CORPUS,
               limit: int | None = None) -> DupCorpus:
    """Every real paragraph of one half of the corpus (``None``: both; at most ``limit``), their
    natural formulaic overlap kept, plus ``share`` times as many damaged copies (the kinds and mix
    above) of paragraphs of at least 25 characters, all in random order."""
    from benchmarks.corpus_split import load

    rng = random.Random(seed)
    texts = [p for article in load(half, path) for p in article["paragraphs"]]  # type: ignore[arg-type]
    if limit is not None:
        texts = texts[:limit]
    alphabet = _alphabet(texts)
    sources = [i for i, t in enumerate(texts) if len(t) >= 25]
    kinds, weights = list(MIX), list(MIX.values())
    truth: dict[int, tuple[int, str]] = {}
    for _ in range(round(len(texts) * share)):
        damaged = None
        while damaged is None:
            source, kind = rng.choice(sources), rng.choices(kinds, weights)[0]
            damaged = _damaged(texts[source], kind, rng, alphabet)
        truth[len(texts)] = (source, kind)
        texts.append(damaged)
    return shuffled(DupCorpus(texts, truth), rng)
