"""Across pages: remove body paragraphs that repeat a paragraph of an earlier page.

Reprints, continuations and OCR'd duplicates of whole pages repeat paragraphs
across an archive. After each page is cleaned on its own, a body paragraph
is removed when it repeats -- exactly, with misreads, as a truncated or
contaminated copy (:data:`xcclean.dedup.RELATIONS`) -- a *kept* paragraph of
an earlier page, or a paragraph already in a :class:`~xcclean.dedup.ParagraphIndex`
(the archive of earlier runs). The earliest page's copy stays; a later copy
that is *more* complete (an earlier page held a fragment) stays too: nothing
unique is lost. Headlines, bylines, captions and the like are never compared.

The work splits into steps that parallel runners (``xcclean.dask``) run
apart with the same result: candidate pairs (:func:`candidate_pairs`),
verification (:func:`verify_pairs`), then one ordered pass
(:func:`decide`).

>>> pages = [["许昌市召开全市重点项目建设推进会议,市长出席会议并讲话,要求全力以赴加快项目建设进度。"],
...          ["市长出席会议并讲话,要求全力以赴加快项目建设", "魏都区召开安全稳定暨疫情防控工作会议。"]]
>>> [[(k, m.relation, m.page) for k, m in found.items()] for found in across_pages(pages)]
[[], [(0, 'inner', 0)]]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..chars import compare_key
from ..config import Config, EngineConfig
from ..dedup import NewPage, ParagraphIndex, no_cyclic_gc
from ..engine.align import relate_each
from ..engine.candidates import Bands, anchors, containment_candidates, count_pairs, join_anchors, split_by_key
from ..engine.resolve import STRENGTH
from ..model import BlockKind, Edit, render
from ..pipeline import Cleaned

STAGE = "across_pages"
EDIT_KIND = "cross_page_duplicate"


@dataclass(frozen=True)
class CrossMatch:
    """The earlier paragraph a removed one repeats: ``page`` and ``paragraph`` (its position among
    that page's paragraphs). For a paragraph of the archive index ``page = -1``, ``archive_page`` is
    the id of its page in the index (None for a paragraph indexed without one, whose ``paragraph``
    is then its id in the index) and ``archive_id`` its id there."""

    page: int
    paragraph: int
    relation: str
    score: float
    text: str
    archive_page: str | None = None
    archive_id: int | None = None


class Local:
    """Runs every step at once, in this process: the single-machine engine.

    A parallel engine (``xcclean.dask``) offers the same methods, with
    ``call`` returning a handle to a result computed elsewhere, ``item`` a
    handle to one item of a handle's result, ``share`` a handle to a value
    every worker gets once, and ``results`` fetching a list of handles.
    """

    def call(self, fn: Callable[..., Any], *args: Any) -> Any:
        return fn(*args)

    def item(self, handle: Any, key: Any) -> Any:
        return handle[key]

    def share(self, value: Any) -> Any:
        return value

    def results(self, handles: list[Any]) -> list[Any]:
        return handles


@dataclass(frozen=True)
class _Keyed:
    """One part's paragraphs: compare keys, numbered from ``first``; their pages and positions."""

    first: int
    keys: list[str]
    page_of: np.ndarray  # global page index of each paragraph
    position: np.ndarray  # position among its page's paragraphs
    pages: int


def _keyed(part: Sequence[Sequence[str]]) -> _Keyed:
    """A part's paragraphs numbered as if it came first (see :func:`_placed`)."""
    keys = [compare_key(p) for page in part for p in page]
    sizes = np.fromiter(map(len, part), dtype=np.int64, count=len(part))
    page_of = np.repeat(np.arange(len(part)), sizes)
    position = np.arange(len(keys)) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    return _Keyed(0, keys, page_of, position, len(part))


def _stats(part: _Keyed) -> tuple[int, int, int]:
    """Pages, paragraphs and characters of a part."""
    return part.pages, len(part.keys), sum(map(len, part.keys))


def _placed(part: _Keyed, first: int, first_page: int) -> _Keyed:
    """The part numbered from paragraph ``first`` and page ``first_page``."""
    return _Keyed(first, part.keys, part.page_of + first_page, part.position, part.pages)


def _sketch(part: _Keyed, config: EngineConfig, sample: int, buckets: int) -> tuple[list[np.ndarray], np.ndarray]:
    """A part's anchors split into key ranges, and its anchors per paragraph."""
    table = anchors(part.keys, config, sample, part.first)
    return [table.packed[where] for where in split_by_key(table.keys, buckets)], table.sizes


def _by_part(ids: np.ndarray, firsts: np.ndarray, values: np.ndarray) -> list[np.ndarray]:
    """``values`` grouped by the part of ``ids`` (``firsts``: each part's first id)."""
    part = np.searchsorted(firsts, ids, side="right") - 1
    order = np.argsort(part, kind="stable")
    return np.split(values[order], np.searchsorted(part[order], np.arange(1, len(firsts))))


def _join(parts: list[np.ndarray], config: EngineConfig, firsts: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
    """One key range of every part joined: pair codes by the part of their lower id, boilerplate owners."""
    codes, boilerplate = join_anchors(parts, config)
    return _by_part(codes >> 32, firsts, codes), boilerplate


def _count(codes: list[np.ndarray], sizes: np.ndarray, config: EngineConfig, sample: int) -> np.ndarray:
    """Candidate pairs ``lo << 32 | hi`` from the pair codes of one part's lower ids."""
    found = containment_candidates(*count_pairs(codes), sizes, config, sample, False)
    out: np.ndarray = (found.left << 32) | found.right
    return out


def _banded(anchored: np.ndarray, usable: np.ndarray, config: EngineConfig, sample: int) -> np.ndarray:
    """Which paragraphs are also banded on MinHash, as :func:`~xcclean.engine.candidates.find_candidates`
    decides: those whose anchors are mostly boilerplate (a text on more than ``max_shingle_df`` pages
    has no usable anchor left: banded, its copies still meet the first one) and, when sampled, short ones."""
    mask: np.ndarray = usable * 2 < anchored
    if sample > 1:
        mask |= usable < config.lsh_max_anchors
    return mask


def _bands(part: _Keyed, banded: np.ndarray, config: EngineConfig, buckets: int) -> list[Bands]:
    """Band keys of a part's banded paragraphs (see :func:`_banded`), split into key ranges."""
    local = banded[part.first : part.first + len(part.keys)]
    bands = Bands.of(part.keys, np.flatnonzero(local), config).renumbered(part.first)
    return [bands.part(where) for where in split_by_key(bands.keys, buckets)]


@dataclass(frozen=True)
class _Found:
    """Verified relations, column by column (cheap to ship from a worker): the later paragraph
    ``j`` repeats the earlier ``i``; where each stands, and the earlier one's text."""

    i: np.ndarray
    j: np.ndarray
    kind: list[str]
    similarity: np.ndarray
    page_i: np.ndarray
    position_i: np.ndarray
    page_j: np.ndarray
    position_j: np.ndarray
    text_i: list[str]


def _verify(earlier: _Keyed, later: _Keyed, pairs: np.ndarray, config: EngineConfig) -> _Found:
    """Verified relations of candidate pairs (codes) between two parts, pages told apart."""
    with no_cyclic_gc():
        return _verified(earlier, later, pairs, config)


def _verified(earlier: _Keyed, later: _Keyed, pairs: np.ndarray, config: EngineConfig) -> _Found:
    left, right = (pairs >> 32) - earlier.first, (pairs & 0xFFFFFFFF) - later.first
    other = earlier.page_of[left] != later.page_of[right]
    lefts, rights = left[other].tolist(), right[other].tolist()
    verdicts = relate_each([earlier.keys[i] for i in lefts], [later.keys[j] for j in rights], config)
    rows = [(i, j, rel) for i, j, rel in zip(lefts, rights, verdicts, strict=True)
            if rel is not None and rel.dup in (None, 1)]  # the later one repeats the earlier
    i = np.array([r[0] for r in rows], dtype=np.int64)
    j = np.array([r[1] for r in rows], dtype=np.int64)
    return _Found(i + earlier.first, j + later.first, [r[2].kind for r in rows],
                  np.array([round(r[2].similarity, 4) for r in rows]), earlier.page_of[i], earlier.position[i],
                  later.page_of[j], later.position[j], [earlier.keys[k] for k in i.tolist()])


def decide(relations: Iterable[tuple[int, int, str, float]], archived: set[int]) -> dict[int, int]:
    """``{later: its row in relations}``: in page order, a paragraph goes for a relation
    ``(earlier, later, kind, similarity)`` to an earlier paragraph that is kept (``archived``
    ones -- already matched in the archive -- go regardless)."""
    earlier: dict[int, list[tuple[int, int, str, float]]] = {}
    for row, (i, j, kind, similarity) in enumerate(relations):
        earlier.setdefault(j, []).append((row, i, kind, similarity))
    removed: dict[int, int] = {}
    for j in sorted(earlier):
        if j in archived:
            continue
        found = [f for f in earlier[j] if f[1] not in removed and f[1] not in archived]
        if found:
            removed[j] = min(found, key=lambda f: (STRENGTH[f[2]], -f[3], f[1]))[0]
    return removed


_EMPTY = np.zeros(0, dtype=np.int64)


def across_parts(parts: list[Any], config: Config | None = None, engine: Any = None, buckets: int = 1,
                 archived: set[int] | None = None) -> tuple[list[dict[int, CrossMatch]], list[int]]:
    """The cross-page removals of pages split into ``parts`` (handles to lists of pages, in page order).

    Returns, for every page, ``{paragraph position: what it repeats}``, and
    the global ids of the paragraphs kept. Steps, each a call on ``engine``
    (:class:`Local` by default): anchors per part, split into ``buckets`` key
    ranges; one self-join per key range; pair counts per part; MinHash bands
    of short paragraphs, likewise; verification in even chunks of candidate
    pairs (each with the two parts it reaches); then one
    ordered pass here over the verified relations (a few per duplicate).
    Any split gives the same answer. ``archived``: paragraph ids already
    removed for repeating the archive.
    """
    with no_cyclic_gc():
        return _across_parts(parts, (config or Config()).engine, engine or Local(), buckets, archived or set())


def _across_parts(parts: list[Any], config: EngineConfig, engine: Any, buckets: int,
                  archived: set[int]) -> tuple[list[dict[int, CrossMatch]], list[int]]:
    """The cross-page verdicts of ``parts``: anchors and bands give candidate pairs
    (:func:`_candidate_codes`), each pair of parts verifies its share (:func:`_verified_parts`),
    one resolver decides (:func:`_collect`)."""
    local = [engine.call(_keyed, part) for part in parts]
    stats = engine.results([engine.call(_stats, part) for part in local])
    pages = np.cumsum([0] + [s[0] for s in stats])
    firsts = np.cumsum([0] + [s[1] for s in stats])
    starts = firsts[:-1]
    sample = 1 if sum(s[2] for s in stats) <= config.exact_overlap_max_shingles else config.anchor_sample
    keyed = [engine.call(_placed, part, int(firsts[p]), int(pages[p])) for p, part in enumerate(local)]
    codes = _candidate_codes(keyed, config, engine, buckets, starts, int(firsts[-1]), sample)
    found = _verified_parts(keyed, codes, starts, config, engine)
    return _collect(found, int(pages[-1]), int(firsts[-1]), archived)


def _candidate_codes(keyed: list[Any], config: EngineConfig, engine: Any, buckets: int, starts: np.ndarray,
                     total: int, sample: int) -> np.ndarray:
    """Candidate pairs as ``(i << 32) | j`` codes: shared anchors joined key range by key range,
    then MinHash bands for the paragraphs whose anchors are mostly boilerplate."""
    sketches = [engine.call(_sketch, k, config, sample, buckets) for k in keyed]
    ranges = [engine.item(s, 0) for s in sketches]
    joins = [engine.call(_join, [engine.item(r, b) for r in ranges], config, starts) for b in range(buckets)]
    anchored = np.concatenate([_EMPTY, *engine.results([engine.item(s, 1) for s in sketches])])
    boilerplate = np.concatenate([_EMPTY, *engine.results([engine.item(j, 1) for j in joins])])
    sizes = anchored - np.bincount(boilerplate, minlength=total)
    by_part = [engine.item(j, 0) for j in joins]
    shared_sizes = engine.share(sizes)
    codes = np.concatenate([_EMPTY, *engine.results(
        [engine.call(_count, [engine.item(j, p) for j in by_part], shared_sizes, config, sample)
         for p in range(len(keyed))])])
    banded_mask = _banded(anchored, sizes, config, sample)
    if not banded_mask.any():
        return codes
    shared_mask = engine.share(banded_mask)
    banded = [engine.call(_bands, k, shared_mask, config, buckets) for k in keyed]
    band_codes = engine.results([engine.call(Bands.join, [engine.item(b, bucket) for b in banded],
                                             config.max_shingle_df) for bucket in range(buckets)])
    lo, hi, _ = count_pairs([_EMPTY, *band_codes])
    return np.union1d(codes, (lo << 32) | hi)


def _verified_parts(keyed: list[Any], codes: np.ndarray, starts: np.ndarray, config: EngineConfig,
                    engine: Any) -> list[_Found]:
    """The candidate pairs aligned, one task per pair of parts and even chunk of pairs."""
    tasks = []
    chunk = max(1, -(-len(codes) // (4 * len(keyed))))  # tasks of even size: the first parts hold most sources
    for p, mine in enumerate(_by_part(codes >> 32, starts, codes)):
        for q, theirs in enumerate(_by_part(mine & 0xFFFFFFFF, starts, mine)):
            for at in range(0, len(theirs), chunk):
                tasks.append(engine.call(_verify, keyed[p], keyed[q], theirs[at : at + chunk], config))
    found: list[_Found] = engine.results(tasks)
    return found


def _collect(found: list[_Found], pages: int, total: int, archived: set[int]
             ) -> tuple[list[dict[int, CrossMatch]], list[int]]:
    """The verified relations resolved: per page, its paragraphs that go and what each repeats; and
    the paragraphs that stay."""
    ii = np.concatenate([_EMPTY, *(f.i for f in found)]).tolist()
    jj = np.concatenate([_EMPTY, *(f.j for f in found)]).tolist()
    kinds = [k for f in found for k in f.kind]
    similarity = np.concatenate([np.zeros(0), *(f.similarity for f in found)]).tolist()
    columns = [np.concatenate([_EMPTY, *(getattr(f, name) for f in found)]).tolist()
               for name in ("page_i", "position_i", "page_j", "position_j")]
    texts = [t for f in found for t in f.text_i]
    out: list[dict[int, CrossMatch]] = [{} for _ in range(pages)]
    removed = decide(zip(ii, jj, kinds, similarity, strict=True), archived)
    for row in removed.values():
        page_i, position_i, page_j, position_j = (c[row] for c in columns)
        out[page_j][position_j] = CrossMatch(page_i, position_i, kinds[row], similarity[row], texts[row])
    gone = set(removed) | archived
    return out, [j for j in range(total) if j not in gone]


@dataclass(frozen=True)
class PageKey:
    """A page of a run as the archive index knows pages: its ``id`` and the hash of its input text."""

    id: str
    content_hash: str


def _limits(index: ParagraphIndex, keys: Sequence[PageKey]) -> tuple[list[int], list[bool]]:
    """For each page, the ids of the index it may match are below the first value; the second says
    whether the index holds it already, unchanged (same id, same content hash).

    Such a page -- a run done again -- is compared with what was indexed before it, as the first
    time; a new or changed page with the whole index. Neither meets its own earlier copy: the
    pages of the run are left out of the query (:func:`across_pages`).
    """
    below, known = [], []
    for key in keys:
        page = index.page(key.id)
        same = page is not None and page.content_hash == key.content_hash
        below.append(page.first if page is not None and same else len(index))
        known.append(same)
    return below, known


def _archived(index: ParagraphIndex, keyed: _Keyed, below: list[int], skip: list[str]) -> dict[int, CrossMatch]:
    """The paragraphs of the run that repeat an archived one, with what they repeat."""
    per_paragraph = [below[page] for page in keyed.page_of.tolist()]
    archived: dict[int, CrossMatch] = {}
    for j, matches in enumerate(index.query(keyed.keys, per_paragraph, skip)):
        copies = [m for m in matches if m.query_is_copy]
        if copies:
            best = min(copies, key=lambda m: (STRENGTH[m.relation], -m.score, m.id))
            page, paragraph = index.origin(best.id)
            archived[j] = CrossMatch(-1, paragraph, best.relation, best.score, index.text(best.id), page, best.id)
    return archived


def across_pages(pages: Sequence[Sequence[str]], config: Config | None = None,
                 index: ParagraphIndex | None = None,
                 keys: Sequence[PageKey] | None = None) -> list[dict[int, CrossMatch]]:
    """For each page, ``{paragraph position: what it repeats}`` for the paragraphs to remove.

    ``pages`` hold each page's body paragraphs, in page order (earliest
    first). With an ``index``, paragraphs repeating archived ones go too,
    and the kept paragraphs of these pages are added to it (save it after).
    ``keys`` name the pages for the index: a page it holds already with the
    same content hash is compared with what was indexed before it and not
    added again, so running the same pages again changes nothing; a page
    whose content changed replaces its earlier version. Without ``keys``
    the pages are anonymous and always added.
    """
    config = config or (index.config if index is not None else Config())
    keyed = _keyed(pages)
    archived: dict[int, CrossMatch] = {}
    known = [False] * len(pages)
    if index is not None and len(index) and keyed.keys:
        below = [len(index)] * len(pages)
        if keys is not None:
            below, known = _limits(index, keys)
        archived = _archived(index, keyed, below, [k.id for k in keys or ()])
    out, kept = across_parts([pages], config, archived=set(archived))
    for j, match in archived.items():
        out[int(keyed.page_of[j])][int(keyed.position[j])] = match
    if index is not None:
        _add(index, keyed, kept, keys, known)
    return out


def _add(index: ParagraphIndex, keyed: _Keyed, kept: list[int], keys: Sequence[PageKey] | None,
         known: list[bool]) -> None:
    """Index the kept paragraphs of the run's pages, each under its page (pages already known are not)."""
    if keys is None:
        index.add(keyed.keys[j] for j in kept)
        return
    by_page: list[list[int]] = [[] for _ in keys]
    for j in kept:
        by_page[int(keyed.page_of[j])].append(j)
    index.add_pages(NewPage(key.id, key.content_hash, [keyed.keys[j] for j in mine],
                            [int(keyed.position[j]) for j in mine])
                    for key, mine, same in zip(keys, by_page, known, strict=True) if not same)


def body_paragraphs(cleaned: Cleaned) -> list[str]:
    """The paragraphs of a cleaned page that take part: its body blocks, in order."""
    return [block.text for block in cleaned.blocks if block.kind is BlockKind.BODY]


def _page_name(match: CrossMatch, names: Sequence[str] | None) -> int | str:
    """The matched page in the evidence: its name (or number) in the run, its id in the archive index,
    or ``index`` for an archived paragraph of no page."""
    if match.page < 0:
        return match.archive_page or "index"
    return match.page if names is None else names[match.page]


def remove(cleaned: Cleaned, found: dict[int, CrossMatch], names: Sequence[str] | None = None) -> Cleaned:
    """``cleaned`` without the body paragraphs in ``found`` (positions as in :func:`body_paragraphs`).

    One ``cross_page_duplicate`` edit per removal, last block first (so each
    index is where the block stood when it went), after the page's own
    edits; ``restore()`` still rebuilds the input. ``names``: page names
    (paths) for the evidence.
    """
    if not found:
        return cleaned
    body = [b for b, block in enumerate(cleaned.blocks) if block.kind is BlockKind.BODY]
    edits = []
    for k in sorted(found, reverse=True):
        block = cleaned.blocks[body[k]]
        m = found[k]
        evidence = {"relation": m.relation, "similarity": m.score, "matched_text": m.text,
                    "matched_page": _page_name(m, names), "matched_paragraph": m.paragraph,
                    "rule": "repeats a kept paragraph of an earlier page"}
        if m.archive_id is not None:
            evidence["matched_index_id"] = m.archive_id
        edits.append(Edit(EDIT_KIND, STAGE, body[k], block.ids, block.text, 0, evidence))
    gone = {body[k] for k in found}
    blocks = tuple(block for b, block in enumerate(cleaned.blocks) if b not in gone)
    return Cleaned(render(blocks), (*cleaned.edits, *edits), blocks)
