"""The layers of the client are checked by import-linter (`make lint`, run by `make test`); these
keep the contracts themselves from falling behind the code."""

from __future__ import annotations

import pkgutil
import tomllib
from pathlib import Path

import desktop

ROOT = Path(__file__).resolve().parents[2]


def _contract(name_start: str) -> dict:
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    return next(c for c in contracts if c["name"].startswith(name_start))


def test_the_headless_contract_covers_every_core_module():
    core = {f"desktop.{m.name}" for m in pkgutil.iter_modules(desktop.__path__) if m.name not in ("ui", "__init__")}
    assert set(_contract("The client core never imports the GUI")["source_modules"]) == core


def test_every_core_package_has_its_place_in_the_layers():
    layered = {name.strip() for layer in _contract("Layers")["layers"] for name in layer.replace(":", "|").split("|")}
    packages = {f"desktop.{m.name}" for m in pkgutil.iter_modules(desktop.__path__) if m.ispkg}
    assert packages <= layered
    assert {"desktop.actions", "desktop.session", "desktop.wire"} <= layered
