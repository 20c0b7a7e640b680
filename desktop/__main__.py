"""python -m desktop  →  the MensCentraal Mobiel client."""
from desktop.cli import main

raise SystemExit(main())
