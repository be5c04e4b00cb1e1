"""`python -m builder`, the same as the `guide` command."""

import sys

from builder.cli import main

sys.exit(main())
