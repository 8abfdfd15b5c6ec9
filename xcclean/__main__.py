"""``python -m xcclean`` is the ``xcclean`` command."""

import sys

from .cli import main

sys.exit(main())
