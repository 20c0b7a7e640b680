"""Issue 13 item 14: the command line's exit codes are one table, README.md's, generated from
desktop/errors.py (`python -m desktop.exit_codes`)."""

from __future__ import annotations

import importlib

from desktop import errors, exit_codes

# Modules that define ClientError subclasses of their own, outside desktop/errors.py.
OTHER_ERROR_MODULES = (
    "desktop.cli",
    "desktop.org_config",
    "desktop.search",
    "desktop.actions",
    "desktop.admin",
    "desktop.sync.engine",
)


def test_readme_exit_code_table_is_the_one_generated_from_errors_item_14():
    readme = exit_codes.README.read_text(encoding="utf-8")
    assert exit_codes.readme_section(readme) == exit_codes.table(), (
        "README.md's exit codes differ from desktop/errors.py: run `python -m desktop.exit_codes`"
    )


def test_every_client_error_exits_with_a_documented_code_item_14():
    for name in OTHER_ERROR_MODULES:
        importlib.import_module(name)
    undocumented = {
        cls.__name__: cls.exit_code
        for cls in exit_codes._errors_of(errors.ClientError)
        if cls.exit_code not in errors.EXIT_MEANINGS
    }
    assert undocumented == {}


def test_a_locked_account_exits_as_locked_not_as_a_wrong_password_item_14():
    # A script retries a wrong password (4); a locked account needs a person (6), as the README says.
    assert errors.AccountLocked.exit_code == errors.EXIT_LOCKED == 6
    assert errors.WrongPassword.exit_code == errors.EXIT_CREDENTIALS == 4
    assert "`account-locked`" in exit_codes.table().splitlines()[2 + 6]
