"""``python -m xcclean`` is the ``xcclean`` command."""

import sys

from .corpus.cli import main

sys.exit(main())
