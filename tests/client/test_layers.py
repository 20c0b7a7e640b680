"""The layers of the client are checked by import-linter (`make lint`, run by `make test`); these
keep the contracts themselves from falling behind the code, and the GUI's classes small enough
to read (issue 15)."""

from __future__ import annotations

import ast
import pkgutil
import tomllib
from pathlib import Path

import desktop

ROOT = Path(__file__).resolve().parents[2]
UI_CLASS_MAX_LINES = 250  # a class that reaches it has two jobs: split it by part, as desktop/ui/desk*.py


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


def test_every_ui_class_stays_under_250_lines_issue_15():
    """A class in desktop/ui/ that grows to 250 lines gets a widget or a module beside it (a
    card, a form, a part of the desk), not more methods."""
    too_long = []
    for path in sorted((ROOT / "desktop" / "ui").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and node.end_lineno - node.lineno + 1 >= UI_CLASS_MAX_LINES:
                too_long.append(f"{path.relative_to(ROOT)}:{node.name} ({node.end_lineno - node.lineno + 1} lines)")
    assert too_long == [], "split these by part:\n" + "\n".join(too_long)
