"""The pipeline: normalise → segment → classify → deduplicate → repair splits
→ remove stray tokens → render, with every edit logged.

Split repair also runs once before deduplication, for strong-evidence cuts
only, so that a copy split in two is compared whole (see repair_splits).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from .chars import chinese_share, compare_key
from .config import Config, SplitsConfig
from .engine.align import Relation
from .engine.shingles import shingle_hash, shingle_hashes
from .lexicon import Lexicon
from .model import NOTES, Document, Edit, render
from .restore import restore
from .stages import classify, deduplicate, normalise, reconsider, remove_stray_tokens, repair_splits, segment
from .stages.repair_splits import forget_weighed_cuts


def _cuts_repeated_elsewhere(doc: Document, joins: list[Edit], config: SplitsConfig) -> set[int]:
    """Joined blocks (indices in ``doc``) whose text across the cut occurs in another block.

    Only such a block can have become the source of a fragment or copy that
    its halves were too short to show. ``doc`` is the document the joins
    made: a join only appends, so the block holding a join's first input
    paragraph starts with its head and the cut lies ``edit.offset``
    characters in. The windows, ``SplitsConfig.cut_window_chars`` + 1
    characters, reach one character past the cut on one side and the rest on
    the other; where that side is shorter, as far as it goes (a head 日前
    joined to ,魏都区…: the window starts at the head's start).
    """
    where = {ident: i for i, block in enumerate(doc) for ident in block.ids}
    windows: dict[int, set[int]] = {}  # hash of the text across a cut -> blocks joined there
    width = config.cut_window_chars
    for edit in joins:
        home = where.get(edit.ids[0])
        if home is None:
            continue
        text = doc[home].text
        head, tail = compare_key(text[: edit.offset]), compare_key(text[edit.offset :])
        joined = head + tail
        first, last = max(0, len(head) - width), min(len(head) - 1, len(joined) - width - 1)
        if not head or first > last:
            continue
        for start in (first, last):
            windows.setdefault(shingle_hash(joined[start : start + width + 1], width + 1)[0], set()).add(home)
    if not windows:
        return set()
    flat = shingle_hashes([compare_key(block.text) for block in doc], width + 1)
    hits = np.isin(flat.hashes, np.fromiter(windows, dtype=np.uint64, count=len(windows)))
    out: set[int] = set()
    for value, owner in zip(flat.hashes[hits].tolist(), flat.owners[hits].tolist(), strict=True):
        out |= {home for home in windows[value] if home != owner}
    return out


def classified(normalised: str, config: Config, lexicon: Lexicon) -> Document:
    """The blocks of a normalised page with their kinds: segment, classify, then the
    split stage's second look at short unterminated lines (``reconsider``)."""
    return reconsider(classify(segment(normalised), config.classify), config.splits, lexicon)


_NOT_STR = (
    "xcclean cleans text (str), not {kind}. "
    "Decode bytes first, e.g. data.decode('utf-8') or data.decode('gb18030') for GBK pages."
)


def check_text(text: Any) -> str:
    """Return ``text`` if it is a str, else raise a TypeError that says what to pass."""
    if isinstance(text, str):
        return text
    kind = "None" if text is None else type(text).__name__
    raise TypeError(_NOT_STR.format(kind=kind))


@dataclass(frozen=True)
class Cleaned:
    """A cleaned page and how it got that way.

    ``text`` is the clean page; ``edits`` every change in the order it was
    made (see ``docs/edit-log.md``); ``blocks`` the final paragraphs with
    their kinds and the input paragraphs each is made of.
    """

    text: str
    edits: tuple[Edit, ...]
    blocks: Document

    def restore(self) -> str:
        """Rebuild the normalised input from ``text`` and ``edits``."""
        return restore(self.text, self.edits)

    def changes(self) -> tuple[Edit, ...]:
        """The edits that changed the page's text: all but the notes (``xcclean.model.NOTES``)."""
        return tuple(e for e in self.edits if e.kind not in NOTES)


class Cleaner:
    """Cleans many pages with one configuration and one set of dictionaries.

    The dictionaries (jieba, wordfreq) load on first use, once per Cleaner.

    >>> cleaner = Cleaner()
    >>> cleaner.clean("李朝锋强调,要扎实做好安全稳定工作。\\n\\n李朝锋强调,要扎实做好安全稳定工作。")
    '李朝锋强调,要扎实做好安全稳定工作。'
    """

    def __init__(self, config: Config | None = None) -> None:
        self.config = config if config is not None else Config()
        self.lexicon = Lexicon()

    def clean(self, text: str) -> str:
        """The cleaned page."""
        return self.explain(text).text

    def explain(self, text: str) -> Cleaned:
        """The cleaned page with its edit log."""
        text = check_text(text)
        config, lexicon = self.config, self.lexicon
        lexicon.new_page()
        forget_weighed_cuts()
        normalised, edits = normalise(text, config.normalise)
        if not normalised.strip():
            return Cleaned("", tuple(edits), ())
        share = chinese_share(normalised)
        if share < config.min_chinese_share:
            edits.append(Edit("not_chinese", "pipeline", -1, (), "", 0, {
                "chinese_share": round(share, 3),
                "rule": "only normalised: the other stages are rules for Chinese text"}))
            return self._finish(segment(normalised), edits)
        doc = classified(normalised, config, lexicon)
        # The first pass only asks which blocks repeat another; its alignments have no page context
        # (where else a glued-on text stands), so deduplication does not reuse them.
        doc, found = repair_splits(doc, config.splits, config.engine, lexicon, strong_only=True)
        edits += found
        memo: dict[tuple[str, str], Relation | None] = {}  # this page's alignments, with its context
        doc, found = self._deduplicate_and_repair(doc, memo)
        edits += found
        doc, found = remove_stray_tokens(doc, config.tokens, lexicon)
        edits += found
        return self._finish(doc, edits)

    def _deduplicate_and_repair(self, doc: Document, memo: dict[tuple[str, str], Relation | None]
                                ) -> tuple[Document, list[Edit]]:
        """Deduplicate and repair splits until nothing changes.

        A repaired paragraph can reveal another paragraph to be a fragment of
        it, and removing copies changes the context other verdicts weigh. Each
        later round judges again the pairs already aligned on this page (kept
        in ``memo``) and aligns new candidates only around joined blocks whose
        text across the cut recurs elsewhere. It stops when a round removes
        nothing, or after ``SplitsConfig.max_rounds`` rounds.
        """
        config, lexicon = self.config, self.lexicon
        edits: list[Edit] = []
        focus: set[int] | None = None
        suspects: list[Edit] = []
        for round_ in range(config.splits.max_rounds):
            doc, removed = deduplicate(doc, config.dedup, config.engine, lexicon, focus, memo)
            if round_ and not removed:
                break  # nothing moved: the last repair already joined all it could
            if removed:
                doc = reconsider(doc, config.splits, lexicon)
            doc, joined = repair_splits(doc, config.splits, config.engine, lexicon)
            joins = [e for e in joined if e.kind == "split_joined"]
            suspects = [e for e in joined if e.kind != "split_joined"]  # the last round's notes only
            edits += removed + joins
            # Removing copies changes which paragraphs count as context, and a
            # joined paragraph can show another to be its fragment: look again at
            # the pairs already aligned and at new candidates around such joins.
            focus = _cuts_repeated_elsewhere(doc, joins, config.splits)
            if not removed and not focus:
                break
        return doc, edits + suspects

    @staticmethod
    def _finish(doc: Document, edits: list[Edit]) -> Cleaned:
        gaps = [block.gap for block in doc]
        if any(g != 1 for g in gaps[1:]):
            edits.append(Edit("layout", "render", -1, (), "", 0, {"gaps": gaps}))
        return Cleaned(render(doc), tuple(edits), doc)


@lru_cache(maxsize=8)
def cleaner_for(config: Config) -> Cleaner:
    """A shared Cleaner per configuration, so dictionaries load once per process."""
    return Cleaner(config)
