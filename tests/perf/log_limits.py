"""Measure the log sheet limits: `python -m tests.perf.log_limits`.

For every log paper and for 1, 6 and 12 sessions, the longest routine
`guide check` accepts, of the kind `tests.perf.card_limits` measures (items
cycling through the shipped exercises, every third with three sets and a
note), counting the log's errors alone: the A4 card these routines keep
holds 22, fewer than an A3 log. The table in the README's "Training log sheets".
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from builder.cards import LOG_SIZES
from tests.cardguide import SHIPPED, log_front, longest

SESSIONS = (1, 6, 12)


def main_table() -> None:
    with tempfile.TemporaryDirectory() as folder:
        content = Path(folder) / "content"

        shutil.copytree(SHIPPED, content)
        print(f"{'paper':<10}" + "".join(f"{f'{count} sessions':>13}" for count in SESSIONS))
        for size in LOG_SIZES.values():
            counts = [longest(content, log_front(size.name, count), about="log sheet") for count in SESSIONS]
            print(f"{size.label:<10}" + "".join(f"{count:>13}" for count in counts))


if __name__ == "__main__":
    main_table()
