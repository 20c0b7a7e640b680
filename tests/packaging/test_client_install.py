"""`pip install .` is the client alone: the service stub's web stack is the `server` extra.

A fresh process with the service's packages made unimportable imports every module of the client
(the GUI included), and the headless core without Qt widgets.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERVICE_ONLY = ("fastapi", "starlette", "uvicorn", "httptools", "uvloop", "aiosmtpd", "pydantic", "server_stub")

PROBE = r"""
import importlib, importlib.abc, pkgutil, sys

BLOCKED = %r

class NotInstalled(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {name!r} (blocked: a client-only install)", name=name)
        return None

sys.meta_path.insert(0, NotInstalled())
import desktop

modules = [m.name for m in pkgutil.walk_packages(desktop.__path__, "desktop.") if not m.name.endswith("__main__")]
core = [name for name in modules if not name.startswith("desktop.ui")]
for name in core:
    importlib.import_module(name)
widgets = sorted(m for m in sys.modules if m in ("PySide6.QtWidgets", "PySide6.QtGui"))
assert not widgets, f"the headless core imported {widgets}"
for name in modules:
    importlib.import_module(name)
leaked = sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED)
assert not leaked, leaked
print(len(core), len(modules))
"""


def test_every_client_module_imports_without_the_service_and_the_core_without_qt_widgets():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", PROBE % (SERVICE_ONLY,)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    core, everything = (int(n) for n in done.stdout.split())
    assert core >= 30 and everything > core


def test_the_client_requirements_hold_no_service_package():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = {req.split(">")[0].split("[")[0].split(";")[0].strip().lower() for req in project["dependencies"]}
    assert not names & {"fastapi", "uvicorn", "starlette", "aiosmtpd", "httptools", "uvloop"}
    assert any(req.startswith("menscentraal-mobiel[server]") for req in project["optional-dependencies"]["test"])
