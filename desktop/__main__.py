"""python -m desktop  →  the MensCentraal Mobiel client: the windows without a command, else the command line."""

from desktop.launcher import main

raise SystemExit(main())
