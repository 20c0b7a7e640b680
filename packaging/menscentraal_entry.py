"""Entry point of the frozen app (`menscentraal`): the same launcher as the installed command.

Without a command, or with `gui`, it opens the windows (what the menu icon starts); any other
command or flag (`--version`, `--self-test`, `doctor`, …) is the command line. The decision lives
in `desktop.launcher`, so the frozen and the pip-installed program behave alike.
"""

from desktop.launcher import main

if __name__ == "__main__":
    raise SystemExit(main())
