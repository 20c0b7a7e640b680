"""Render the app icon (desktop/ui/resources/icons/app.svg, the one the windows show) for installers.

    python packaging/make_icons.py [OUT_DIR]     (default: build/icons)

Writes menscentraal-{16..1024}.png (Linux hicolor sizes; macOS turns the 1024 into .icns) and
menscentraal.ico (Windows; Qt's ICO writer) with Qt itself, so no image tool is needed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "desktop" / "ui" / "resources" / "icons" / "app.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)


def render(size: int):
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"{SVG} is not a valid SVG")
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image


def main(argv: list[str]) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(["make_icons"])  # noqa: F841 - Qt needs one
    out = Path(argv[0]) if argv else ROOT / "build" / "icons"
    out.mkdir(parents=True, exist_ok=True)
    for size in PNG_SIZES:
        if not render(size).save(str(out / f"menscentraal-{size}.png"), "PNG"):
            raise SystemExit(f"could not write the {size} px icon")
    if not render(256).save(str(out / "menscentraal.ico"), "ICO"):
        raise SystemExit("could not write menscentraal.ico (Qt's imageformats plug-in 'ico' is missing)")
    print(f"icons: {len(PNG_SIZES)} PNG sizes and menscentraal.ico in {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
