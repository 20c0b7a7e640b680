"""The client's command line (placeholder until the client-core issues land)."""
from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    print("menscentraal: de client is nog in aanbouw; start de dienst met 'menscentraal-server'.", file=sys.stderr)
    return 2
