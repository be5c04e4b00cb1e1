"""Measure the card limits: `python -m tests.perf.card_limits`.

For every card size, the longest routine `guide check` accepts (items cycling
through the shipped exercises, every third with a note and three sets) is
printed in headless Chromium; the table gives its layout and how much of the
page is left below the last item, against the height of one item: the room
the layout estimate keeps in hand.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from builder.cli import main
from tests.browser import CHROMIUM, CHROMIUM_FLAGS
from tests.cardguide import write_card_guide
from tests.serving import serve

_MEASURE = """() => {
  const mm = 25.4 / 96;
  const sheet = document.querySelector('.sheet');
  const foot = document.querySelector('.sheet__foot').getBoundingClientRect().top;
  const items = [...document.querySelectorAll('.sheet__item')].map(item => item.getBoundingClientRect());
  const lowest = Math.max(...[...document.querySelectorAll('.sheet__items')].map(column => {
    const last = column.lastElementChild; return last ? last.getBoundingClientRect().bottom : 0; }));
  const average = items.reduce((sum, box) => sum + box.height, 0) / items.length;
  return {font: getComputedStyle(sheet).fontSize, columns: document.querySelectorAll('.sheet__items').length,
          left: (foot - lowest) * mm, item: average * mm};
}"""


def main_table() -> None:
    with tempfile.TemporaryDirectory() as folder:
        routines = write_card_guide(Path(folder))
        output = Path(folder) / "output"
        assert main(["build", "--content", f"{folder}/content", "--output", str(output)]) == 0
        print(f"{'size':<11} {'items':>5} {'type':>6} {'columns':>7} {'left (mm)':>9} {'item (mm)':>9}")
        with serve(output) as url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            page = browser.new_page()
            for slug, (size, count) in routines.items():
                if not slug.endswith("-longest"):
                    continue
                page.goto(f"{url}routines/{slug}/card/")
                page.emulate_media(media="print")
                found = page.evaluate(_MEASURE)
                font_pt = float(found["font"].removesuffix("px")) * 72 / 96
                columns, left, item = found["columns"], found["left"], found["item"]
                print(f"{size:<11} {count:>5} {font_pt:>5.1f}pt {columns:>7} {left:>9.1f} {item:>9.1f}")
            browser.close()


if __name__ == "__main__":
    main_table()
