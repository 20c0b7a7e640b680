"""Links to a task, `menscentraal://taak/ID`: the service's mails carry them, the desktop's URL
scheme (the .desktop file, the Windows installer) hands them to the app. Headless: the launcher
checks a link before anything starts, the app again when another process hands one over."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from desktop import errors

SCHEME = "menscentraal"
KIND = "taak"
# The service's ids (uuids and slugs): printable ASCII without spaces or slashes, as its ID_PATTERN.
_TASK_ID = re.compile(r"[A-Za-z0-9._:-]{1,100}")


def is_link(argument: str) -> bool:
    """An argument meant as a link (good or bad), not a command or option."""
    return argument.lower().startswith(f"{SCHEME}:")


def task_link(task_id: str) -> str:
    return f"{SCHEME}://{KIND}/{task_id}"


def task_id_of(link: str) -> str:
    """The task id in `menscentraal://taak/ID` (a trailing slash allowed); anything else is refused."""
    try:
        parts = urlsplit(link.strip())
    except ValueError:
        raise errors.InvalidTaskLink() from None
    task_id = unquote(parts.path[1:].rstrip("/")) if parts.path.startswith("/") else ""
    if (
        parts.scheme.lower() != SCHEME
        or parts.netloc.lower() != KIND
        or parts.query
        or parts.fragment
        or not _TASK_ID.fullmatch(task_id)
        or task_id in (".", "..")
    ):
        raise errors.InvalidTaskLink()
    return task_id
