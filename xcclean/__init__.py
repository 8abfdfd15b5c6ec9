"""xcclean: clean OCR'd Chinese newspaper pages, explaining every edit.

>>> import xcclean
>>> xcclean.clean("本市将加快推进重点项目,确保项目早日建\\n\\n成投产,为高质量发展提供支撑。")
'本市将加快推进重点项目,确保项目早日建成投产,为高质量发展提供支撑。'

Importing xcclean is cheap: numpy, rapidfuzz, ftfy and the dictionaries are
loaded on first use. ``dir(xcclean)`` lists the public names only.
"""

from __future__ import annotations

import warnings
from importlib import metadata
from typing import TYPE_CHECKING, Any

from .config import Config
from .model import Block, BlockKind, Edit
from .restore import restore

if TYPE_CHECKING:
    from .pipeline import Cleaned, Cleaner

try:
    __version__ = metadata.version("xcclean")
except metadata.PackageNotFoundError:  # running from a source tree
    __version__ = "0.0.0"

__all__ = [
    "Block",
    "BlockKind",
    "Cleaned",
    "Cleaner",
    "Config",
    "Edit",
    "__version__",
    "clean",
    "clean_and_explain",
    "normalise",
    "restore",
]


def clean(text: str, config: Config | None = None) -> str:
    """Clean one OCR'd page and return the clean text.

    Raises TypeError for anything but a str (decode bytes first); empty or
    blank text gives ``""``; text that is not Chinese passes through.
    """
    from .pipeline import check_text, cleaner_for

    return cleaner_for(config or Config()).clean(check_text(text))


def clean_and_explain(text: str, config: Config | None = None) -> Cleaned:
    """Clean one page and return the text with every edit (``Cleaned``).

    >>> result = clean_and_explain("本报讯 记者 principle 报道。")
    >>> result.text, [e.kind for e in result.edits]
    ('本报讯 记者报道。', ['stray_token'])
    """
    from .pipeline import check_text, cleaner_for

    return cleaner_for(config or Config()).explain(check_text(text))


def normalise(text: str, config: Config | None = None) -> str:
    """The page after the first stage alone (unicode repair, whitespace tidying): what ``restore`` rebuilds.

    The edit log does not undo this stage, so ``clean_and_explain(page).restore() == normalise(page)``.

    >>> normalise("\\n\\n社长：方焯（下载） \\r\\n\\r\\n正文\\u3000第一段。\\n")
    '社长:方焯(下载)\\n\\n正文 第一段。'
    """
    from .pipeline import check_text
    from .stages.normalise import normalise as first_stage

    return first_stage(check_text(text), (config or Config()).normalise)[0]


def __getattr__(name: str) -> Any:
    if name in ("Cleaner", "Cleaned"):
        from . import pipeline

        return getattr(pipeline, name)
    if name == "Kind":  # the former name of BlockKind
        warnings.warn("xcclean.Kind is now xcclean.BlockKind (edits have kinds too)", DeprecationWarning,
                      stacklevel=2)
        return BlockKind
    raise AttributeError(f"module 'xcclean' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The public names only (not the helpers this module imports)."""
    return sorted(__all__)
