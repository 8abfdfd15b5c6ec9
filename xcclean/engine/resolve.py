"""Which copy stays: one resolver for a page and for a corpus.

Given verified relations between texts (``(i, j, Relation)``, see
:mod:`xcclean.engine.align`), :func:`resolve` says which texts are
duplicates and of which kept text. Texts are decided from the most complete
down -- length less glued-on junk, near copies of one text counting as
equally complete -- and among equally complete ones by the caller's
preference (a page: the cleanest reading in its own article; a corpus: the
reading most copies share), then the earlier. A text goes only for a
relation to a text already kept: nothing is removed through a chain.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ..config import EngineConfig
from .align import Relation, char_sets, may_carry_junk, relate, relate_pairs, share_chars
from .workers import process_map

RELATIONS = ("exact", "near_copy", "prefix", "suffix", "inner", "contaminated")
# Preference among several relations of one text to kept ones: the closest copy explains it best.
STRENGTH = {"exact": 0, "near_copy": 1, "contaminated": 2, "prefix": 3, "suffix": 3, "inner": 4}
# ``align(i, j)``: the relation of texts ``i < j`` (for pairs :func:`resolve` aligns itself).
Align = Callable[[int, int], Relation | None]

# One row per verified relation, read from the Relation objects in a single pass (at a million
# paragraphs each pass over them costs a tenth of a second).
_ROW = np.dtype([("first", np.int64), ("second", np.int64), ("kind", np.int8), ("dup", np.int8),
                 ("similarity", np.float64), ("start", np.int64), ("end", np.int64), ("junk", np.int64)])
KIND_CODE = {kind: code for code, kind in enumerate(RELATIONS)}
_STRENGTH = np.array([STRENGTH[kind] for kind in RELATIONS])
_OPEN, _KEPT, _GONE = 0, 1, 2
# Bulk rounds stop when one settles fewer relations than this (long chains, big clusters of
# copies of copies): the rest are decided one by one.
_ROUND_MIN = 64


def _rows(relations: Sequence[tuple[int, int, Relation]]) -> np.ndarray:
    """``(i, j, relation)`` triples as :data:`_ROW` records."""
    return np.fromiter(((i, j, KIND_CODE[r.kind], -1 if r.dup is None else r.dup, r.similarity, *r.other_span, r.junk)
                        for i, j, r in relations), dtype=_ROW, count=len(relations))


@dataclass(frozen=True)
class Resolved:
    """The verdicts of :func:`resolve`: paragraph ``dup[k]`` repeats ``kept[k]`` as ``rows[k]`` says
    (a :data:`_ROW` record: relation, similarity, span in the kept paragraph, junk)."""

    dup: np.ndarray
    kept: np.ndarray
    rows: np.ndarray


def _best(src: np.ndarray, dst: np.ndarray, rid: np.ndarray, rows: np.ndarray, rank: np.ndarray
          ) -> np.ndarray:
    """Positions of the edge each ``src`` goes by: strongest relation, most similar, most complete kept one."""
    best = np.lexsort((rank[dst], -rows["similarity"][rid], _STRENGTH[rows["kind"][rid]], src))
    firsts: np.ndarray = best[np.flatnonzero(np.diff(src[best], prepend=-1))]
    return firsts


def _groups(size: int, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """For each of ``size`` texts, the smallest text it is linked to through ``(first, second)``
    pairs (connected components by label propagation with pointer jumping, all in numpy)."""
    label = np.arange(size, dtype=np.int64)
    if not len(first):
        return label
    while True:
        before = label.copy()
        low = np.minimum(label[first], label[second])
        np.minimum.at(label, first, low)
        np.minimum.at(label, second, low)
        label = label[label]
        if np.array_equal(label, before):
            return label


def decision_order(lengths: np.ndarray, junk: np.ndarray, rows: np.ndarray, prefer: np.ndarray) -> np.ndarray:
    """Every text's rank in the order texts are decided (0 first): the most complete first --
    length less junk, the best of a text's near copies standing for all of them (a doubled
    glyph does not make a copy more complete), a named copy (contaminated, a fragment) no more
    complete than the text it repeats -- then less junk, then the caller's ``prefer``."""
    equal = rows["dup"] < 0
    complete = lengths - junk
    # A text a relation names as the copy is no more complete than the text it repeats: beside its
    # glue, a contaminated copy's own misreads (a doubled glyph, an added mark) can make its aligned
    # part a character longer than the clean reading, which then went second and stayed beside it.
    named = ~equal
    dup_end = np.where(rows["dup"] == 1, rows["second"], rows["first"])[named]
    other_end = np.where(rows["dup"] == 1, rows["first"], rows["second"])[named]
    np.minimum.at(complete, dup_end, complete[other_end])
    label = _groups(len(lengths), rows["first"][equal], rows["second"][equal])
    best = np.full(len(lengths), np.iinfo(np.int64).min, dtype=np.int64)
    np.maximum.at(best, label, complete)
    order = np.lexsort((prefer, junk, -best[label]))
    rank = np.empty(len(lengths), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank


def resolve(keys: Sequence[str], relations: Sequence[tuple[int, int, Relation]],
            pending: Sequence[tuple[int, int]], config: EngineConfig, copies: np.ndarray | None = None,
            lengths: np.ndarray | None = None, prefer: np.ndarray | None = None, align: Align | None = None
            ) -> Resolved:
    """Which texts are duplicates, and of which kept text.

    ``relations`` are verified ``(i, j, relation)``, ``i < j``; ``pending``
    pairs are aligned here (``align``, by default :func:`relate`) only when one
    side is already kept, which skips most copy-to-copy pairs of a big cluster.
    ``copies``: how many times each key occurs in the input (1 if not given);
    ``lengths``: the keys' lengths (measured if not given); ``prefer``: the
    caller's order among equally complete texts, lower first (default: more
    copies, then earlier). See :func:`decision_order`. One goes only for a
    relation to a text already kept, so nothing is removed through a chain;
    of several, for the strongest relation, then the most similar, then the
    first-decided kept text.

    The decisions are taken in bulk, round by round: a text is decided once
    every text decided before it that it relates to is, unless a pair with a
    kept one is still to align. What is left when a round decides few (a big
    cluster of copies of copies) is decided one by one in order.
    """
    return resolve_rows(keys, _rows(relations), pending, config, copies, lengths, prefer, align)


def resolve_rows(keys: Sequence[str], rows: np.ndarray, pending: Sequence[tuple[int, int]] | np.ndarray,
                 config: EngineConfig, copies: np.ndarray | None = None, lengths: np.ndarray | None = None,
                 prefer: np.ndarray | None = None, align: Align | None = None) -> Resolved:
    """:func:`resolve` of relations already held as rows (:func:`verify_rows`)."""
    first, second, side = rows["first"], rows["second"], rows["dup"]
    pairs = np.asarray(pending, dtype=np.int64).reshape(-1, 2)
    # Directed edges dup -> other (both ways for equal copies and for pairs still to align),
    # each with its relation (-1: to align).
    dup_end, other_end = np.where(side == 1, second, first), np.where(side == 1, first, second)
    equal, ids = side < 0, np.arange(len(rows))
    src = np.concatenate((dup_end, second[equal], pairs[:, 0], pairs[:, 1]))
    dst = np.concatenate((other_end, first[equal], pairs[:, 1], pairs[:, 0]))
    rid = np.concatenate((ids, ids[equal], np.full(2 * len(pairs), -1)))

    junk = np.zeros(len(keys), dtype=np.int64)
    np.maximum.at(junk, dup_end[~equal], rows["junk"][~equal])
    if lengths is None:
        lengths = np.fromiter(map(len, keys), dtype=np.int64, count=len(keys))
    if prefer is None:
        repeats = np.ones(len(keys), dtype=np.int64) if copies is None else copies
        prefer = np.lexsort((np.arange(len(keys)), -repeats))
        prefer = np.argsort(prefer)
    rank = decision_order(lengths, junk, rows, prefer)
    earlier = rank[dst] < rank[src]  # only a text decided before can be kept when one is decided
    src, dst, rid = src[earlier], dst[earlier], rid[earlier]
    order = np.argsort(rank)
    return _decide(keys, rows, src, dst, rid, rank, order, config, align)


def _decide(keys: Sequence[str], rows: np.ndarray, src: np.ndarray, dst: np.ndarray, rid: np.ndarray,
            rank: np.ndarray, order: np.ndarray, config: EngineConfig, align: Align | None) -> Resolved:
    """The rounds of :func:`resolve`, in bulk, then one by one."""
    state = np.full(len(keys), _KEPT, dtype=np.int8)  # a text with no relative decided before it is kept
    state[src] = _OPEN
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    while len(src):
        other = state[dst]
        waits = (other == _OPEN) | ((other == _KEPT) & (rid < 0))
        blocked = np.zeros(len(keys), dtype=bool)
        blocked[src[waits]] = True
        ready = ~blocked[src]  # every relation to a decided text, and verified where it is kept
        go = ready & (other == _KEPT)
        heads = _best(src[go], dst[go], rid[go], rows, rank)
        parts.append((src[go][heads], dst[go][heads], rid[go][heads]))
        state[src[ready]] = _KEPT
        state[src[go]] = _GONE
        src, dst, rid = src[~ready], dst[~ready], rid[~ready]
        if np.count_nonzero(ready) < _ROUND_MIN:
            break
    one_by_one, aligned = _one_by_one(keys, rows, src, dst, rid, rank, order, state, config, align)
    parts.append(one_by_one)
    dup, kept, chosen_rows = (np.concatenate(column) for column in zip(*parts, strict=True))
    return Resolved(dup, kept, np.concatenate((rows, _rows(aligned)))[chosen_rows])


def _one_by_one(keys: Sequence[str], rows: np.ndarray, src: np.ndarray, dst: np.ndarray, rid: np.ndarray,
                rank: np.ndarray, order: np.ndarray, state: np.ndarray, config: EngineConfig, align: Align | None
                ) -> tuple[tuple[np.ndarray, np.ndarray, np.ndarray], list[tuple[int, int, Relation]]]:
    """The texts the bulk rounds left open, decided in order (aligning pending pairs as needed)."""
    def aligned_here(i: int, j: int) -> Relation | None:
        return relate(keys[i], keys[j], config, splices=False)

    align = align or aligned_here
    edges: dict[int, list[tuple[int, int]]] = {}
    for i, other, r in zip(src.tolist(), dst.tolist(), rid.tolist(), strict=True):
        edges.setdefault(i, []).append((other, r))
    states, ranks = state.tolist(), rank.tolist()
    strengths, similarities = _STRENGTH[rows["kind"]].tolist(), rows["similarity"].tolist()
    out_dup, out_kept, out_rid = [], [], []
    aligned: list[tuple[int, int, Relation]] = []
    for i in order[state[order] == _OPEN].tolist():
        chosen: tuple[tuple[int, float, int], int, int] | None = None
        for other, r in edges[i]:
            if states[other] != _KEPT:
                continue
            if r >= 0:
                key = (strengths[r], -similarities[r], ranks[other])
            else:
                pair = (other, i) if other < i else (i, other)
                found = align(*pair)
                if found is None or (found.dup is not None and pair[found.dup] != i):
                    continue
                key = (STRENGTH[found.kind], -found.similarity, ranks[other])
                r = len(rows) + len(aligned)
                aligned.append((pair[0], pair[1], found))
            if chosen is None or key < chosen[0]:
                chosen = (key, other, r)
        if chosen is None:
            states[i] = _KEPT
        else:
            states[i] = _GONE
            out_dup.append(i)
            out_kept.append(chosen[1])
            out_rid.append(chosen[2])
    columns = (np.asarray(out_dup, dtype=np.int64), np.asarray(out_kept, dtype=np.int64),
               np.asarray(out_rid, dtype=np.int64))
    return columns, aligned


def verify(keys: Sequence[str], left: list[int], right: list[int], config: EngineConfig
           ) -> tuple[list[tuple[int, int, Relation]], list[tuple[int, int]]]:
    """Candidate pairs ``(left[k], right[k])`` (the left earlier) split into verified relations and
    pairs left for :func:`resolve` to align, as :func:`relate_pairs` answers them.

    A pair where one could be the other with glued-on junk is aligned now
    (the junk sets the decision order), unless a verified relation already
    showed that paragraph's junk.
    """
    relations, pending = _first_pass(keys, left, right, config)
    junked = {(i, j)[rel.dup] for i, j, rel in relations if rel.junk and rel.dup is not None}
    now, later = _junk_pass(keys, pending, junked, config)
    relations += [(i, j, rel) for i, j, rel in _relate_all(keys, now, config) if rel is not None]
    return relations, later


def _first_pass(keys: Sequence[str], left: Sequence[int], right: Sequence[int], config: EngineConfig,
                workers: int = 1) -> tuple[list[tuple[int, int, Relation]], list[tuple[int, int]]]:
    """:func:`relate_pairs` of the pairs: the relations found, and the pairs it left to align."""
    relations, pending = [], []
    verdicts = relate_pairs([keys[i] for i in left], [keys[j] for j in right], config, workers)
    for i, j, verdict in zip(left, right, verdicts, strict=True):
        if verdict is False:
            pending.append((i, j))
        elif verdict is not None:
            relations.append((i, j, verdict))
    return relations, pending


def _junk_pass(keys: Sequence[str], pending: Sequence[tuple[int, int]], junked: set[int], config: EngineConfig
               ) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The pending pairs to align now (one could be the other with a few glued characters, unless
    a verified relation already showed that paragraph's junk) and the ones left for later."""
    now, later = [], []
    for i, j in pending:
        longer = i if len(keys[i]) > len(keys[j]) else j
        if longer not in junked and may_carry_junk(keys[i], keys[j], config):
            now.append((i, j))
        else:
            later.append((i, j))
    return now, later


def _relate_all(keys: Sequence[str], pairs: Sequence[tuple[int, int]], config: EngineConfig
                ) -> list[tuple[int, int, Relation | None]]:
    return [(i, j, relate(keys[i], keys[j], config, splices=False)) for i, j in pairs]


# -- the same in worker processes (the corpus) ---------------------------------------------------
_NO_PAIRS = np.zeros((0, 2), dtype=np.int64)


def even_parts(count: int, parts: int) -> list[slice]:
    """``parts`` consecutive slices of ``range(count)``, as equal as can be."""
    bounds = np.linspace(0, count, parts + 1).astype(np.int64).tolist()
    return [slice(a, b) for a, b in itertools.pairwise(bounds)]


def _first_part(shared: tuple[Sequence[str], np.ndarray, np.ndarray, EngineConfig, list[slice]], part: int
                ) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_first_pass` of one part of the pairs, as rows and pending pairs (compact to send back)."""
    keys, left, right, config, parts = shared
    where = parts[part]
    relations, pending = _first_pass(keys, left[where].tolist(), right[where].tolist(), config)
    return _rows(relations), np.asarray(pending, dtype=np.int64).reshape(-1, 2)


def _align_part(shared: tuple[Sequence[str], np.ndarray, EngineConfig, list[slice]], part: int) -> np.ndarray:
    """:func:`relate` of one part of the pairs, as rows (the pairs that relate)."""
    keys, pairs, config, parts = shared
    found = _relate_all(keys, pairs[parts[part]].tolist(), config)
    return _rows([(i, j, rel) for i, j, rel in found if rel is not None])


def verify_rows(keys: Sequence[str], left: np.ndarray, right: np.ndarray, config: EngineConfig, workers: int = 1
                ) -> tuple[np.ndarray, np.ndarray]:
    """:func:`verify`, the relations as rows (:func:`resolve_rows` reads them) and the pending pairs as
    an array, with the pairs split over ``workers`` processes (:func:`~xcclean.engine.workers.process_map`)
    when there are at least ``config.parallel_min_pairs`` of them. The same answer for any ``workers``:
    each pair's verdict is its own, and the parts come back in order."""
    left, right = np.asarray(left, dtype=np.int64), np.asarray(right, dtype=np.int64)
    if len(left):  # pairs that fail the character-set bound fail relate_pairs' first bound too
        lengths = np.fromiter(map(len, keys), dtype=np.int64, count=len(keys))
        kept = share_chars(char_sets(keys), lengths, left, right, config)
        left, right = left[kept], right[kept]
    n = split_count(len(left), config, workers)
    parts = even_parts(len(left), n)
    found = process_map(_first_part, (keys, left, right, config, parts), n, n)
    rows = np.concatenate([f[0] for f in found]) if found else _rows([])
    pending = np.concatenate([f[1] for f in found]) if found else _NO_PAIRS
    junked = set(np.where(rows["dup"] == 1, rows["second"], rows["first"])[(rows["junk"] > 0) & (rows["dup"] >= 0)]
                 .tolist())
    now, later = _junk_pass(keys, [(int(i), int(j)) for i, j in pending.tolist()], junked, config)
    now_pairs = np.asarray(now, dtype=np.int64).reshape(-1, 2)
    n = split_count(len(now_pairs), config, workers)
    parts = even_parts(len(now_pairs), n)
    aligned = process_map(_align_part, (keys, now_pairs, config, parts), n, n)
    return np.concatenate([rows, *aligned]), np.asarray(later, dtype=np.int64).reshape(-1, 2)


def split_count(pairs: int, config: EngineConfig, workers: int) -> int:
    """How many processes share ``pairs`` pairs: one below ``config.parallel_min_pairs`` (a fork costs
    more than aligning a few thousand pairs here), else ``workers``."""
    return max(1, workers) if pairs >= config.parallel_min_pairs else 1
