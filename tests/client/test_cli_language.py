"""Every sentence of the core has an English translation (desktop/ui/i18n/*_en.ts)."""

from __future__ import annotations

import importlib
import subprocess
import xml.etree.ElementTree as ET

from desktop import errors
from desktop.i18n import I18N_DIR
from desktop.sync import doctor


# Every module that defines a user-facing error, so the check does not depend on what else ran.
ERROR_MODULES = [
    "desktop.cli",
    "desktop.org_config",
    "desktop.search",
    "desktop.actions",
    "desktop.admin",
    "desktop.sync.engine",
    "desktop.wire",
    "desktop.session",
    "desktop.vault",
]


def english() -> dict[tuple[str, str], str]:
    table = {}
    for ts in sorted(I18N_DIR.glob("*_en.ts")):
        root = ET.parse(ts).getroot()
        table.update(
            {
                (context.findtext("name"), message.findtext("source")): message.findtext("translation") or ""
                for context in root.iter("context")
                for message in context.iter("message")
            }
        )
    return table


def all_error_classes(cls=errors.ClientError):
    for sub in cls.__subclasses__():
        yield sub
        yield from all_error_classes(sub)


def test_every_error_sentence_and_check_title_is_translated():
    for module in ERROR_MODULES:
        importlib.import_module(module)
    table = english()
    for cls in [errors.ClientError, *all_error_classes()]:
        assert table.get(("Errors", cls.text)), f"{cls.__name__} has no English sentence"
    for title in doctor.CHECK_TITLES.values():
        assert table.get(("Doctor", title))


def test_lang_en_speaks_english_and_dutch_is_the_default(tmp_path):
    import sys

    from tests.client.test_cli import REPO, run_cli

    subprocess.run([sys.executable, "-m", "desktop.i18n_build"], check=True, cwd=REPO, capture_output=True)
    english_run = run_cli("--lang", "en", "--profile", str(tmp_path / "none"), "login", "--password-stdin", stdin="x\n")
    dutch_run = run_cli("--profile", str(tmp_path / "none"), "login", "--password-stdin", stdin="x\n")
    assert "not enrolled yet" in english_run.stderr
    assert "nog niet aangemeld" in dutch_run.stderr
