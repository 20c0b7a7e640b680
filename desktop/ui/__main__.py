"""python -m desktop.ui  →  the desktop client's windows."""

from desktop.ui.app import main

raise SystemExit(main())
