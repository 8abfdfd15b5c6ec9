"""The pipeline: normalise → segment → classify → deduplicate → repair splits
→ remove stray tokens → render, with every edit logged.

Split repair also runs once before deduplication, for strong-evidence cuts
only, so that a copy split in two is compared whole (see repair_splits).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .chars import chinese_share
from .config import Config
from .lexicon import Lexicon
from .model import Document, Edit, render
from .restore import restore
from .stages import classify, deduplicate, normalise, remove_stray_tokens, repair_splits, segment

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
        """The edits that changed the page (no ``suspect_*`` notes)."""
        return tuple(e for e in self.edits if not e.kind.startswith("suspect"))


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
        normalised, edits = normalise(text, config)
        if not normalised.strip():
            return Cleaned("", tuple(edits), ())
        doc = segment(normalised)
        if chinese_share(normalised) < config.min_chinese_share:
            edits.append(Edit("not_chinese", "pipeline", -1, (), "", 0, {
                "chinese_share": round(chinese_share(normalised), 3),
                "rule": "only normalised: the other stages are rules for Chinese text"}))
            return self._finish(doc, edits)
        doc = classify(doc, config, lexicon)
        doc, found = repair_splits(doc, config, lexicon, strong_only=True)
        edits += found
        doc, found = deduplicate(doc, config)
        edits += found
        doc, found = repair_splits(doc, config, lexicon)
        edits += found
        doc, found = remove_stray_tokens(doc, config, lexicon)
        edits += found
        return self._finish(doc, edits)

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
