"""The program's version, with one source of truth: `version` in pyproject.toml.

An installed package (pip, editable or not) and the frozen app read it from the package metadata
(the PyInstaller spec bundles that metadata with `copy_metadata`); a plain source checkout reads
pyproject.toml itself.
"""

from __future__ import annotations

import tomllib
from importlib import metadata
from pathlib import Path

DISTRIBUTION = "menscentraal-mobiel"
PRODUCT_NAME = "MensCentraal Mobiel"
PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def version() -> str:
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        pass
    try:
        return tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "0+unknown"  # neither installed nor a checkout: still say something true


def version_line() -> str:
    return f"{PRODUCT_NAME} {version()}"
