"""`menscentraal --help` and usage errors in Dutch throughout, argparse's own words included,
for the program and every command; English with --lang en."""

from __future__ import annotations

import pytest

from desktop import cli, i18n

ENGLISH_ARGPARSE = (
    "usage:",
    "options:",
    "positional arguments",
    "show this help message",
    "show program's version",
    "the following arguments are required",
    "invalid choice",
    "error:",
    "expected one argument",
)


@pytest.fixture(autouse=True)
def application(qapp):
    """In-process, the command line would make a QCoreApplication, which the GUI tests after this
    one could not use: the session's QApplication first."""
    return qapp


def run(capsys, *argv: str) -> tuple[int, str]:
    try:
        code = cli.main(list(argv))
    except SystemExit as done:
        code = done.code
    finally:
        i18n.install_language(i18n.DEFAULT_LANGUAGE)
    out = capsys.readouterr()
    return code, out.out + out.err


def commands() -> list[str]:
    cli._load_extensions()
    return [name for name, *_ in cli._COMMANDS]


def test_every_command_has_its_help_in_dutch_throughout(capsys):
    names = commands()
    assert {"enroll", "login", "doctor", "wipe", "sync", "changes", "cases", "queue", "tasks", "pickup"} <= set(names)
    for argv in [("--help",), *((name, "--help") for name in names)]:
        code, text = run(capsys, *argv)
        assert code == 0 and text.startswith("gebruik: menscentraal"), text
        assert "opties:" in text and "-h, --help" in text and "toon deze hulp en stop" in text
        for english in ENGLISH_ARGPARSE:
            assert english not in text, (argv, english)


@pytest.mark.parametrize(
    "argv, dutch",
    [
        (("frobnicate",), "ongeldige keuze: 'frobnicate' (kies uit"),
        (("pickup",), "de volgende argumenten zijn verplicht: TAAK_ID"),
        (("enroll", "--user"), "argument --user: verwacht één waarde"),
        (("cases", "--nonsense"), "onbekende argumenten: --nonsense"),
        (("--lang", "fr", "cases"), "ongeldige keuze: 'fr'"),
    ],
)
def test_usage_errors_are_dutch(capsys, argv, dutch):
    code, text = run(capsys, *argv)
    assert code == 2 and dutch in text and text.startswith("gebruik: "), text
    for english in ENGLISH_ARGPARSE:
        assert english not in text


def test_english_help_with_lang_en(capsys):
    code, text = run(capsys, "--lang", "en", "pickup", "--help")
    assert code == 0 and text.startswith("usage: menscentraal pickup") and "show this help message and exit" in text
    assert "TASK_ID" in text and "gebruik" not in text
