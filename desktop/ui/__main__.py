"""python -m desktop.ui  →  the desktop client's windows."""

from desktop import preload

preload.start()  # the login's libraries load beside the windows' code (desktop/preload.py)

from desktop.ui.app import main  # noqa: E402

raise SystemExit(main())
