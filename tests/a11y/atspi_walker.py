"""The screen reader's side of the accessibility run: reads one app over AT-SPI, presses Tab.

    /usr/bin/python3 tests/a11y/atspi_walker.py PID

Runs under the distribution's Python with its AT-SPI client (python3-pyatspi's GObject
bindings), not the project's venv, and imports nothing of the project: it sees only what Qt's
AT-SPI bridge exposes, as Orca would. One command a line on stdin, one JSON answer a line out:

    tree     every showing object of the app's active window: path, role, name, description,
             states, accessible id; tables and lists with their column headers (their rows and
             cells are not walked: a screen reader reads them through the table interface)
    press    presses Tab once through the AT-SPI registry (a real X key event, XTest)
    key K    presses the key K (space, Return, Home, Down, Escape) the same way; type T types T
    focus    the path of the object that has the focus (or, when that is outside the tree, its
             role, name and id); the test asks after the app has handled the press
    listen   from now on, records the app's announcements (object:announcement, what Qt sends
             for a QAccessibleAnnouncementEvent) as a screen reader receives them
    heard S  the announcements recorded so far (role and name of the source, the text), after
             waiting up to S seconds for the first one; the record is emptied
"""

from __future__ import annotations

import json
import sys
import time

import gi

gi.require_version("Atspi", "2.0")
from gi.repository import Atspi, GLib  # noqa: E402

S = Atspi.StateType
STATES = {
    "focusable": S.FOCUSABLE,
    "focused": S.FOCUSED,
    "showing": S.SHOWING,
    "enabled": S.ENABLED,
    "sensitive": S.SENSITIVE,
    "editable": S.EDITABLE,
    "active": S.ACTIVE,
    "checked": S.CHECKED,
    "selectable": S.SELECTABLE,
}
# Containers whose items a screen reader reads through the table/selection interfaces.
COLLECTIONS = {"table", "tree table", "tree", "list", "list box"}
TAB = 0xFF09
KEYS = {"Tab": TAB, "space": 0x20, "Return": 0xFF0D, "Home": 0xFF50, "Down": 0xFF54, "Escape": 0xFF1B}
MAX_OBJECTS = 4000
METHOD_TIMEOUT_MS = 10_000


def application(pid: int, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while True:
        desktop = Atspi.get_desktop(0)
        for index in range(desktop.get_child_count()):
            app = desktop.get_child_at_index(index)
            if app is not None and app.get_process_id() == pid:
                return app
        if time.monotonic() > deadline:
            raise SystemExit(f"atspi_walker: no application with pid {pid} on the AT-SPI bus")
        time.sleep(0.1)


def states_of(obj) -> list[str]:
    state_set = obj.get_state_set()
    return [name for name, state in STATES.items() if state_set.contains(state)]


def headers(obj) -> dict:
    """Column count and header texts of a table, through the table interface Orca uses."""
    try:
        columns = Atspi.Table.get_n_columns(obj)
    except Exception:  # noqa: BLE001 - a list without a table interface: one column, no headers needed
        return {"columns": 1, "headers": []}
    names = []
    for column in range(columns):
        header = None
        try:
            header = Atspi.Table.get_column_header(obj, column)
        except Exception:  # noqa: BLE001
            pass
        name = header.get_name() if header is not None else ""
        if not name:
            try:
                name = Atspi.Table.get_column_description(obj, column) or ""
            except Exception:  # noqa: BLE001
                name = ""
        names.append(name)
    return {"columns": columns, "headers": names}


class Walker:
    def __init__(self, pid: int) -> None:
        self.app = application(pid)
        self.objects: dict[tuple, object] = {}
        self.focusable: set[tuple] = set()
        self.pointed = False

    def tree(self) -> list[dict]:
        self.objects.clear()
        self.focusable.clear()
        self.pointed = False
        found: list[dict] = []

        def visit(obj, path: tuple, parent: tuple | None) -> None:
            if obj is None or len(found) >= MAX_OBJECTS:
                return
            states = states_of(obj)
            if "showing" not in states:
                return
            role = obj.get_role_name()
            box = Atspi.Component.get_extents(obj, Atspi.CoordType.SCREEN)
            entry = {
                "path": list(path),
                "box": [box.x, box.y, box.width, box.height],
                "parent": list(parent) if parent is not None else None,
                "role": role,
                "name": obj.get_name() or "",
                "description": obj.get_description() or "",
                "id": obj.get_accessible_id() or "",
                "states": states,
            }
            if role in COLLECTIONS:
                entry.update(headers(obj))
            found.append(entry)
            self.objects[path] = obj
            if "focusable" in states or "focused" in states or role == "page tab":
                self.focusable.add(path)
            if role in COLLECTIONS:
                return
            for index in range(obj.get_child_count()):
                visit(obj.get_child_at_index(index), path + (index,), path)

        # The active window: the one Tab goes through (a dialog, not the main window behind it).
        windows = [(index, self.app.get_child_at_index(index)) for index in range(self.app.get_child_count())]
        showing = [
            (index, window) for index, window in windows if window is not None and "showing" in states_of(window)
        ]
        active = [(index, window) for index, window in showing if "active" in states_of(window)]
        for index, window in active or showing:
            visit(window, (index,), None)
        return found

    def focused(self) -> tuple | None:
        # Only what can take the focus is asked (one call to the app each): the screen's focusable
        # objects and page tabs, not its hundreds of labels.
        hits = [path for path in self.focusable if self.objects[path].get_state_set().contains(S.FOCUSED)]
        # Qt marks the current page tab focused whether or not its tab bar has the focus: it counts
        # only when nothing else has it.
        widgets = [path for path in hits if self.objects[path].get_role_name() != "page tab"]
        hits = widgets or hits
        return max(hits, key=len) if hits else None  # the innermost (a combo box's editor, not the box)

    def focused_elsewhere(self) -> dict | None:
        """The focused object when it is none of the tree's (hidden, or in another window)."""
        seen = 0

        def search(obj, depth: int):
            nonlocal seen
            seen += 1
            if obj is None or depth > 40 or seen > MAX_OBJECTS:
                return None
            states = obj.get_state_set()
            if states.contains(S.FOCUSED) and obj.get_role_name() not in ("frame", "dialog", "filler", "application"):
                return obj
            if obj.get_role_name() in COLLECTIONS:
                return None
            for index in range(obj.get_child_count()):
                hit = search(obj.get_child_at_index(index), depth + 1)
                if hit is not None:
                    return hit
            return None

        hit = search(self.app, 0)
        if hit is None:
            return None
        return {
            "role": hit.get_role_name(),
            "name": hit.get_name() or "",
            "id": hit.get_accessible_id() or "",
            "showing": hit.get_state_set().contains(S.SHOWING),
        }

    def point_at_window(self) -> None:
        """The pointer onto the window's corner (a move, no click): with no window manager, X sends
        the keys to the window under the pointer when the app's own focus request came too early."""
        window = next((obj for path, obj in self.objects.items() if len(path) == 1), None)
        if window is not None:
            extents = Atspi.Component.get_extents(window, Atspi.CoordType.SCREEN)
            Atspi.generate_mouse_event(extents.x + 2, extents.y + 2, "abs")
            time.sleep(0.05)

    def listen(self) -> dict:
        self.heard_events: list[dict] = []

        def heard(event) -> None:
            if event.source is not None and event.source.get_process_id() == self.app.get_process_id():
                self.heard_events.append(
                    {
                        "role": event.source.get_role_name(),
                        "name": event.source.get_name() or "",
                        "text": event.any_data,
                    }
                )

        self.listener = Atspi.EventListener.new(heard)
        self.listener.register("object:announcement")
        return {"listening": True}

    def heard(self, seconds: float) -> list:
        """Events arrive on GLib's main context: run it until one came (or time is up), then briefly
        more so that a burst is read whole."""
        context = GLib.MainContext.default()
        deadline = time.monotonic() + seconds
        while not self.heard_events and time.monotonic() < deadline:
            context.iteration(False) or time.sleep(0.01)
        settle = time.monotonic() + 0.2
        while time.monotonic() < settle:
            context.iteration(False) or time.sleep(0.01)
        heard, self.heard_events = self.heard_events, []
        return heard

    def press_tab(self) -> dict:
        """One Tab through the AT-SPI registry (XTest). It returns once the registry has injected it
        into X; whether and when the app handled it, only the app can say (the test asks it)."""
        if not self.objects:
            self.tree()
        if not self.pointed:
            self.point_at_window()
            self.pointed = True
        Atspi.generate_keyboard_event(TAB, None, Atspi.KeySynthType.SYM)
        return {"pressed": "Tab"}

    def press_key(self, name: str) -> dict:
        """Another key as `press_tab` presses Tab (a key of KEYS, by its X name)."""
        if not self.pointed:
            self.point_at_window()
            self.pointed = True
        Atspi.generate_keyboard_event(KEYS[name], None, Atspi.KeySynthType.SYM)
        return {"pressed": name}

    def type_text(self, text: str) -> dict:
        """`text` typed, as the registry types a string (one key event per character)."""
        Atspi.generate_keyboard_event(0, text, Atspi.KeySynthType.STRING)
        return {"typed": len(text)}

    def focus_now(self) -> list | dict | None:
        """Where the focus is, once the app has handled the key: one call the app must answer first
        brings in the focus events it sent before (one connection keeps its order), so the states
        read next are the app's after the key, never a moment between losing and gaining focus."""
        window = next((obj for path, obj in self.objects.items() if len(path) == 1), None)
        if window is not None:
            Atspi.Component.get_extents(window, Atspi.CoordType.SCREEN)
        now = self.focused()
        return list(now) if now is not None else self.focused_elsewhere()


def main(argv: list[str]) -> int:
    Atspi.init()
    # generate_keyboard_event waits for the registry to have injected the key (XTest, XSync); past
    # the default 800 ms it returns as if done, the key still on its way: on a loaded machine the
    # walk would then read the focus before the press. The app's reads may be slow there too.
    Atspi.set_timeout(METHOD_TIMEOUT_MS, METHOD_TIMEOUT_MS)
    walker = Walker(int(argv[0]))
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        command, _, argument = line.strip().partition(" ")
        try:
            if command == "tree":
                answer = walker.tree()
            elif command == "press":
                answer = walker.press_tab()
            elif command == "key":
                answer = walker.press_key(argument)
            elif command == "type":
                answer = walker.type_text(argument)
            elif command == "focus":
                answer = walker.focus_now()
            elif command == "listen":
                answer = walker.listen()
            elif command == "heard":
                answer = walker.heard(float(argument))
            else:
                answer = {"error": f"unknown command {command!r}"}
        except Exception as exc:  # noqa: BLE001 - reported to the test, which fails with it
            answer = {"error": f"{type(exc).__name__}: {exc}"}
        print(json.dumps(answer), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
