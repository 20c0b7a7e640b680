"""`menscentraal`: the windows when no command is given (the menu entry, a user typing the name),
or with `menscentraal gui`; every other command goes to the command line (`desktop.cli`).

Kept apart from `desktop.cli` so that the command line stays headless: only this module knows
the windows exist.
"""

from __future__ import annotations

import sys

from desktop.task_link import is_link

GUI_COMMAND = "gui"
OPTIONS_WITH_VALUE = ("--profile", "--lang")  # global options both the windows and the command line take
GUI_FLAGS = ("--english",)


def split_command(argv: list[str]) -> tuple[str | None, list[str]]:
    """The first word that is not a global option (the command, or None), and the global options
    before it; ('--help', ...) and other flags count as a command: the command line answers them."""
    options: list[str] = []
    rest = list(argv)
    while rest:
        arg = rest.pop(0)
        if arg in OPTIONS_WITH_VALUE and rest:
            options += [arg, rest.pop(0)]
        elif arg in GUI_FLAGS or any(arg.startswith(f"{name}=") for name in OPTIONS_WITH_VALUE):
            options.append(arg)
        else:
            return arg, options + rest
    return None, options


def windows_arguments(options: list[str]) -> list[str]:
    """The windows' own spelling of the global options (`--lang en` → `--lang=en`)."""
    result: list[str] = []
    rest = list(options)
    while rest:
        arg = rest.pop(0)
        if arg == "--lang" and rest:
            arg = f"--lang={rest.pop(0)}"
        if arg.startswith("--profile="):
            result += ["--profile", arg.split("=", 1)[1]]
            continue
        result.append(arg)
    return result


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command, options = split_command(argv)
    if command is not None and is_link(command):  # `menscentraal menscentraal://taak/ID`: the desktop's URL handler
        options, command = options + [command], None
    if command is None or command == GUI_COMMAND:
        from desktop import preload

        preload.start()  # the login's libraries load beside the windows' code (desktop/preload.py)
        from desktop.ui.app import main as windows  # lazy: the command line never loads the GUI

        return windows(windows_arguments(options))
    from desktop.cli import main as command_line  # lazy: nor the GUI the command line

    return command_line(argv)


if __name__ == "__main__":
    raise SystemExit(main())
