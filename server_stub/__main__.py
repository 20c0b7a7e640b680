"""python -m server_stub  →  menscentraal-server."""

import sys

from server_stub.cli import main

sys.exit(main())
