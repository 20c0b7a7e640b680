"""What the accessibility run fails on, computed from what tests/a11y/atspi_walker.py read.

An object is a dict as the walker answers it: path, parent, role, name, description, id, states,
and for tables and lists columns and headers. Each check returns findings: one line per problem,
saying the role, the accessible id (Qt's object path, to find the widget) and what is wrong.
"""

from __future__ import annotations

# What a keyboard user operates: each must be reachable by Tab (WCAG 2.1.1).
CONTROL_ROLES = {
    "push button",
    "toggle button",
    "check box",
    "radio button",
    "combo box",
    "password text",
    "entry",
    "spin button",
    "slider",
    "table",
    "tree table",
    "tree",
    "list",
    "list box",
    "page tab",
    "link",
    "menu button",
    "dial",
}
# Tables whose columns a screen reader announces by their headers (WCAG 1.3.1).
TABLE_ROLES = {"table", "tree table"}
NO_ROLE = {"", "unknown", "invalid"}


def describe(obj: dict) -> str:
    where = obj.get("id") or "/".join(map(str, obj["path"]))
    return f"{obj['role'] or 'no role'} {obj['name']!r} at {where}"


# Qt's own clear button inside a text field (QLineEdit.setClearButtonEnabled): left out of the Tab
# chain by Qt, and what it does the keyboard does in the field itself (Ctrl+A, Delete).
CLEAR_BUTTON = ".QLineEdit.QLineEditIconButton"


def is_control(obj: dict) -> bool:
    if "enabled" not in obj["states"] and "sensitive" not in obj["states"]:
        return False  # a disabled control is skipped by Tab on purpose
    if obj["role"] == "push button" and obj.get("id", "").endswith(CLEAR_BUTTON):
        return False
    if obj["role"] == "text":
        return "editable" in obj["states"]
    return obj["role"] in CONTROL_ROLES


def nameless(objects: list[dict]) -> list[str]:
    """Every focusable object has a role and a name a screen reader can say (WCAG 4.1.2)."""
    findings = []
    for obj in objects:
        if "focusable" not in obj["states"]:
            continue
        if obj["role"] in NO_ROLE:
            findings.append(f"no role: {describe(obj)}")
        elif not obj["name"].strip():
            findings.append(f"no name: {describe(obj)}")
    return findings


# A tab bar: Qt (6.11, QAccessibleTabBar) names it after its current tab, whatever its own
# accessible name; what a screen reader says on entering the tabs is the name of the tab widget
# around it ("Beheer"), so that must have one of its own, and the bar and each tab a name.
TAB_ROLES = {"page tab list", "page tab"}


def unnamed_groups(objects: list[dict]) -> list[str]:
    """Every tab bar, its tabs and the tab widget that holds it have a name, focusable or not (WCAG 4.1.2)."""
    by_path = {tuple(obj["path"]): obj for obj in objects}
    findings = [f"no name: {describe(obj)}" for obj in objects if obj["role"] in TAB_ROLES and not obj["name"].strip()]
    for obj in objects:
        holder = by_path.get(tuple(obj["parent"] or ()))
        if obj["role"] == "page tab list" and holder is not None and not holder["name"].strip():
            findings.append(f"no name for the tabs' group: {describe(holder)}")
    return findings


def headerless(objects: list[dict]) -> list[str]:
    """Every table names each of its columns."""
    findings = []
    for obj in objects:
        if obj["role"] not in TABLE_ROLES and not (obj["role"] == "tree" and obj.get("columns", 1) > 1):
            continue
        missing = [column for column, header in enumerate(obj.get("headers", [])) if not header.strip()]
        if obj.get("columns", 0) and (missing or not obj.get("headers")):
            findings.append(f"columns without a header {missing}: {describe(obj)}")
    return findings


def _under(path: tuple, ancestor: tuple) -> bool:
    return path[: len(ancestor)] == ancestor


def unreachable(objects: list[dict], focused: list) -> list[str]:
    """Every control gets the focus by Tab alone. A group of radio buttons and a row of page tabs
    are one stop (the arrow keys move within them); focus on a part of a control (a combo box's
    editor) counts for the control."""
    reached = {tuple(path) for path in focused if isinstance(path, list)}
    by_path = {tuple(obj["path"]): obj for obj in objects}
    findings = []
    for obj in objects:
        if not is_control(obj):
            continue
        path = tuple(obj["path"])
        if any(_under(hit, path) for hit in reached):
            continue
        parent = tuple(obj["parent"]) if obj["parent"] is not None else None
        if obj["role"] in ("radio button", "page tab") and parent is not None:
            siblings = [
                p
                for p, other in by_path.items()
                if other["parent"] is not None and tuple(other["parent"]) == parent and other["role"] == obj["role"]
            ]
            if parent in reached or any(p in reached for p in siblings):
                continue
        findings.append(f"not reached by Tab: {describe(obj)}")
    return findings


def trapped(objects: list[dict], focused: list) -> list[str]:
    """Tab moves on: the focus does not stay on one control while there are others (WCAG 2.1.2)."""
    controls = [obj for obj in objects if is_control(obj)]
    if len(controls) < 2 or len(focused) < 3:
        return []
    tail = focused[-3:]
    if isinstance(tail[0], list) and all(path == tail[0] for path in tail):
        stuck = next((obj for obj in objects if obj["path"] == tail[0]), {"role": "?", "name": "", "path": tail[0]})
        return [f"Tab does not leave {describe(stuck)}"]
    return []


def escaped(focused: list, objects: list[dict] = ()) -> list[str]:
    """Tab stays on the screen: it does not bring up another page or focus something hidden
    (a change of context on focus, WCAG 3.2.1). An object the screen has (by its id) is not outside."""
    on_screen = {obj["id"] for obj in objects if obj.get("id")}
    outside = {
        f"{hit['role']} {hit['name']!r} at {hit['id']}"
        for hit in focused
        if isinstance(hit, dict) and hit["id"] not in on_screen
    }
    return [f"Tab went outside the screen to {where}" for where in sorted(outside)]


# Pixels two boxes may overlap and still read one after the other (a focus frame, a shadow).
ROW_TOLERANCE = 8


def _xy_cut(items: list[tuple[tuple, list]]) -> list[tuple[tuple, list]]:
    """Items ([x, y, width, height], payload) in reading order, by the recursive XY cut: split into
    rows where a horizontal line crosses no box, else into columns where a vertical one does, each
    part read whole before the next. Rows first: a grid of buttons reads row by row; two columns of
    cards that no line can split into rows read column by column."""
    if len(items) < 2:
        return items
    for axis in (1, 0):  # y: rows, then x: columns
        ordered = sorted(items, key=lambda item: item[0][axis])
        end = ordered[0][0][axis] + ordered[0][0][axis + 2]
        for index in range(1, len(ordered)):
            box = ordered[index][0]
            if box[axis] >= end - ROW_TOLERANCE:
                return _xy_cut(ordered[:index]) + _xy_cut(ordered[index:])
            end = max(end, box[axis] + box[axis + 2])
    return sorted(items, key=lambda item: (item[0][1], item[0][0]))


def reading_order(stops: list[tuple], by_path: dict) -> list[tuple]:
    """The stops as one reads them: at each level of the tree, the branches that hold them by the XY
    cut of the branches' boxes; a container before what it holds."""

    def order(level: int, group: list[tuple]) -> list[tuple]:
        branches: dict[tuple, list[tuple]] = {}
        for stop in group:
            branches.setdefault(stop[: level + 1], []).append(stop)
        ordered = _xy_cut([(by_path[branch]["box"], branch) for branch in branches])
        result = []
        for _, branch in ordered:
            members = branches[branch]
            result += [stop for stop in members if stop == branch]
            result += order(level + 1, [stop for stop in members if stop != branch])
        return result

    return order(0, stops)


def out_of_order(objects: list[dict], focused: list, from_start: bool = False) -> list[str]:
    """Tab follows the reading order (WCAG 2.4.3; `reading_order`). The Tab cycle (Tab wraps round
    at the end of the window) is read from the stop that reads first; each step back is a finding.
    `from_start`: `focused` starts where Tab goes from the window itself (nothing focused), so the
    cycle is read from there: it must start at the stop that reads first."""
    by_path = {tuple(obj["path"]): obj for obj in objects}
    stops = [tuple(path) for path in focused if isinstance(path, list) and tuple(path) in by_path]
    if stops and stops[0] in stops[1:]:
        stops = stops[: stops.index(stops[0], 1)]  # one round of the cycle
    cycle = list(dict.fromkeys(stops))
    if len(cycle) < 2:
        return []
    rank = {stop: index for index, stop in enumerate(reading_order(cycle, by_path))}
    first = 0 if from_start else cycle.index(min(cycle, key=rank.__getitem__))
    order = cycle[first:] + cycle[:first]
    steps = [(a, b) for a, b in zip(order, order[1:]) if rank[b] < rank[a]]
    return [f"Tab goes back in reading order: {describe(by_path[a])} → {describe(by_path[b])}" for a, b in steps]


def findings(objects: list[dict], focused: list, from_start: bool = False) -> list[str]:
    return (
        nameless(objects)
        + unnamed_groups(objects)
        + headerless(objects)
        + unreachable(objects, focused)
        + trapped(objects, focused)
        + escaped(focused, objects)
        + out_of_order(objects, focused, from_start)
    )


def tab_order(objects: list[dict], focused: list) -> str:
    """The focus after each Tab, for a failure message."""
    names = {tuple(obj["path"]): f"{obj['role']} {obj['name']!r}" for obj in objects}

    def name(path) -> str:
        if isinstance(path, dict):
            return f"[outside the screen: {path['role']} {path['name']!r} at {path['id']}]"
        return names.get(tuple(path), "?") if path is not None else "nothing"

    return " → ".join(name(path) for path in focused)
