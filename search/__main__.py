"""Entry point for `python -m search`."""

import sys

from search.cli import main

sys.exit(main())
