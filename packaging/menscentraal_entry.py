"""Entry point of the installed app (`menscentraal`): the windows, or the command line.

Without a command it opens the windows (what the menu icon starts); with a command or a flag such
as `--version`, `--self-test` or `--help` it is the command line of `desktop.cli`.
"""
from __future__ import annotations

import sys

# Options the windows understand; anything else means the command line.
GUI_OPTIONS_WITH_VALUE = ("--profile",)
GUI_FLAGS = ("--english",)


def wants_windows(argv: list[str]) -> bool:
    rest = list(argv)
    while rest:
        arg = rest.pop(0)
        if arg in GUI_OPTIONS_WITH_VALUE and rest:
            rest.pop(0)
        elif arg in GUI_FLAGS or any(arg.startswith(f"{name}=") for name in GUI_OPTIONS_WITH_VALUE):
            continue
        else:
            return False
    return True


def main() -> int:
    argv = sys.argv[1:]
    if wants_windows(argv):
        from desktop.ui.app import main as windows

        return windows(argv)
    from desktop.cli import main as command_line

    return command_line(argv)


if __name__ == "__main__":
    raise SystemExit(main())
