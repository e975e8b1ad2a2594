"""Build the app icons (PNG) from Torsion's SVG icons, for the web app manifest and home screens.

Run from the repository root::

    .venv/bin/python scripts/build_icons.py

Chromium (Debian's ``/usr/bin/chromium``, driven by Playwright as in the browser tests) draws each
SVG at the sizes phones ask for; the PNG files are committed next to the SVGs, so nothing is drawn
or downloaded when Torsion runs. ``icon.svg`` is the rounded icon; ``icon-maskable.svg`` fills the
whole square and keeps the drawing inside the central 80% "safe zone", so that a phone may cut it
to a circle or a rounded square.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

IMG = Path(__file__).resolve().parents[1] / "src/torsion/web/core/static/torsion/img"
#: (source SVG, output PNG, size in pixels)
ICONS = [
    ("icon.svg", "icon-192.png", 192),
    ("icon.svg", "icon-512.png", 512),
    ("icon-maskable.svg", "icon-maskable-512.png", 512),
    ("icon-maskable.svg", "apple-touch-icon.png", 180),
]


def build(chromium: str) -> list[Path]:
    from playwright.sync_api import sync_playwright

    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        for source, target, size in ICONS:
            page = browser.new_page(viewport={"width": size, "height": size}, device_scale_factor=1)
            svg = (IMG / source).read_text()
            page.set_content(
                "<!doctype html><html><body style='margin:0;background:transparent'>"
                f"<div style='width:{size}px;height:{size}px'>{svg}</div></body></html>"
            )
            page.add_style_tag(content="svg{width:100%;height:100%;display:block}")
            path = IMG / target
            page.screenshot(path=str(path), omit_background=True, clip={"x": 0, "y": 0, "width": size, "height": size})
            page.close()
            written.append(path)
        browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", default=os.environ.get("TORSION_CHROMIUM", "/usr/bin/chromium"))
    for path in build(parser.parse_args().chromium):
        print(path.relative_to(IMG.parents[4]))


if __name__ == "__main__":
    main()
