"""Compile the Qt translation sources (desktop/ui/i18n/*.ts) into .qm files.

The .qm files are build output and are not committed; `make test`, `make demo` and
`make screenshots` all run this step first.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

I18N_DIR = Path(__file__).resolve().parent / "ui" / "i18n"


def lrelease_command() -> list[str]:
    """The PySide6 lrelease wrapper that sits beside this interpreter."""
    beside = Path(sys.executable).with_name("pyside6-lrelease")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("pyside6-lrelease")
    if found is None:
        raise SystemExit("pyside6-lrelease not found: install PySide6-Essentials")
    return [found]


def main() -> int:
    sources = sorted(I18N_DIR.glob("*.ts"))
    for ts in sources:
        subprocess.run([*lrelease_command(), "-silent", str(ts), "-qm", str(ts.with_suffix(".qm"))], check=True)
    print(f"translations: {len(sources)} compiled")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
