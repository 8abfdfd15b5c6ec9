"""The cleaning stages, one module each, in pipeline order.

normalise → segment → classify → deduplicate → repair_splits → stray_tokens
"""

from .classify import classify
from .deduplicate import deduplicate
from .normalise import normalise
from .repair_splits import reconsider, repair_splits
from .segment import segment
from .stray_tokens import remove_stray_tokens

__all__ = [
           "classify",
           "deduplicate",
           "normalise",
           "reconsider",
           "remove_stray_tokens",
           "repair_splits",
           "segment",
]
