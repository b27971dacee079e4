"""Entry point: ``python -m sync.server ...`` (see ``sync/server/cli.py``)."""

import sys

from .cli import main

sys.exit(main())
