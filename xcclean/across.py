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

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from .align import Relation, relate, relate_pairs
from .candidates import find_candidates
from .chars import compare_key
from .config import Config
from .dedup import STRENGTH, ParagraphIndex
from .model import Edit, Kind, render
from .pipeline import Cleaned

STAGE = "across_pages"
EDIT_KIND = "cross_page_duplicate"


@dataclass(frozen=True)
class CrossMatch:
    """The earlier paragraph a removed one repeats: ``page`` and ``paragraph`` (its position among
    that page's paragraphs), or ``page = -1`` and ``paragraph`` = its id in the archive index."""

    page: int
    paragraph: int
    relation: str
    score: float
    text: str


def _flatten(pages: Sequence[Sequence[str]]) -> tuple[list[str], np.ndarray, np.ndarray]:
    keys = [compare_key(p) for page in pages for p in page]
    sizes = np.fromiter(map(len, pages), dtype=np.int64, count=len(pages))
    page_of = np.repeat(np.arange(len(pages)), sizes)
    position = np.arange(len(keys)) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    return keys, page_of, position


def candidate_pairs(keys: list[str], page_of: np.ndarray, config: Config) -> tuple[list[int], list[int]]:
    """Candidate pairs ``(i, j)``, ``i < j``, of paragraphs on different pages."""
    cands = find_candidates(keys, config, splices=False)
    other = page_of[cands.left] != page_of[cands.right]
    return cands.left[other].tolist(), cands.right[other].tolist()


def verify_pairs(keys: Sequence[str], left: list[int], right: list[int], config: Config
                 ) -> list[tuple[int, int, Relation]]:
    """The pairs where the later paragraph repeats the earlier one, with the relation."""
    out = []
    verdicts = relate_pairs([keys[i] for i in left], [keys[j] for j in right], config)
    for i, j, verdict in zip(left, right, verdicts, strict=True):
        rel = relate(keys[i], keys[j], config, splices=False) if verdict is False else verdict
        if rel is not None and rel.dup in (None, 1):
            out.append((i, j, rel))
    return out


def decide(relations: Iterable[tuple[int, int, Relation]], archived: set[int]) -> dict[int, tuple[int, Relation]]:
    """``{later: (earlier, relation)}``: in page order, a paragraph goes for a relation to an earlier
    paragraph that is kept (``archived`` ones -- already matched in the archive -- go regardless)."""
    earlier: dict[int, list[tuple[int, Relation]]] = {}
    for i, j, rel in relations:
        earlier.setdefault(j, []).append((i, rel))
    removed: dict[int, tuple[int, Relation]] = {}
    for j in sorted(earlier):
        if j in archived:
            continue
        found = [(i, rel) for i, rel in earlier[j] if i not in removed and i not in archived]
        if found:
            removed[j] = min(found, key=lambda f: (STRENGTH[f[1].kind], -f[1].similarity, f[0]))
    return removed


def across_pages(pages: Sequence[Sequence[str]], config: Config | None = None,
                 index: ParagraphIndex | None = None) -> list[dict[int, CrossMatch]]:
    """For each page, ``{paragraph position: what it repeats}`` for the paragraphs to remove.

    ``pages`` hold each page's body paragraphs, in page order (earliest
    first). With an ``index``, paragraphs repeating archived ones go too,
    and the kept paragraphs of these pages are added to it (save it after).
    """
    config = config or (index.config if index is not None else Config())
    keys, page_of, position = _flatten(pages)
    out: list[dict[int, CrossMatch]] = [{} for _ in pages]
    archived: set[int] = set()
    if index is not None and len(index) and keys:
        for j, matches in enumerate(index.query(keys)):
            copies = [m for m in matches if m.query_is_copy]
            if copies:
                best = min(copies, key=lambda m: (STRENGTH[m.relation], -m.score, m.id))
                archived.add(j)
                out[page_of[j]][int(position[j])] = CrossMatch(-1, best.id, best.relation, best.score,
                                                               index.text(best.id))
    left, right = candidate_pairs(keys, page_of, config)
    for j, (i, rel) in decide(verify_pairs(keys, left, right, config), archived).items():
        out[page_of[j]][int(position[j])] = CrossMatch(int(page_of[i]), int(position[i]), rel.kind,
                                                       round(rel.similarity, 4), keys[i])
    if index is not None:
        index.add(k for j, k in enumerate(keys) if int(position[j]) not in out[page_of[j]])
    return out


def body_paragraphs(cleaned: Cleaned) -> list[str]:
    """The paragraphs of a cleaned page that take part: its body blocks, in order."""
    return [block.text for block in cleaned.blocks if block.kind is Kind.BODY]


def remove(cleaned: Cleaned, found: dict[int, CrossMatch], names: Sequence[str] | None = None) -> Cleaned:
    """``cleaned`` without the body paragraphs in ``found`` (positions as in :func:`body_paragraphs`).

    One ``cross_page_duplicate`` edit per removal, last block first (so each
    index is where the block stood when it went), after the page's own
    edits; ``restore()`` still rebuilds the input. ``names``: page names
    (paths) for the evidence.
    """
    if not found:
        return cleaned
    body = [b for b, block in enumerate(cleaned.blocks) if block.kind is Kind.BODY]
    edits = []
    for k in sorted(found, reverse=True):
        block = cleaned.blocks[body[k]]
        m = found[k]
        page: int | str = m.page if names is None or m.page < 0 else names[m.page]
        evidence = {"relation": m.relation, "similarity": m.score, "matched_text": m.text,
                    "matched_page": page if m.page >= 0 else "index", "matched_paragraph": m.paragraph,
                    "rule": "repeats a kept paragraph of an earlier page"}
        edits.append(Edit(EDIT_KIND, STAGE, body[k], block.ids, block.text, 0, evidence))
    gone = {body[k] for k in found}
    blocks = tuple(block for b, block in enumerate(cleaned.blocks) if b not in gone)
    return Cleaned(render(blocks), (*cleaned.edits, *edits), blocks)
