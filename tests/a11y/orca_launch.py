"""Starts Orca (/usr/bin/orca, under the distribution's Python) with its debug log written line by
line, so that the test reads each utterance as Orca says it (Orca buffers the file otherwise).

    /usr/bin/python3 tests/a11y/orca_launch.py ORCA-ARGUMENTS... --debug-file FILE
"""

import builtins
import runpy
import sys

LOG = sys.argv[sys.argv.index("--debug-file") + 1]
_open = builtins.open


def _line_buffered(file, mode="r", *args, **kwargs):
    if file == LOG and "w" in mode:
        return _open(file, mode, buffering=1, encoding="utf-8")
    return _open(file, mode, *args, **kwargs)


builtins.open = _line_buffered
sys.path.remove(str(__import__("pathlib").Path(__file__).resolve().parent))  # Orca's own modules, not ours
sys.argv = ["orca", *sys.argv[1:]]
runpy.run_path("/usr/bin/orca", run_name="__main__")
