"""The checks of the accessibility run find what they are for (on trees as the walker reports them)."""

from __future__ import annotations

from tests.a11y import checks


def obj(path, role, name="", states=("focusable", "showing", "enabled", "sensitive"), **extra):
    parent = list(path[:-1]) if len(path) > 1 else None
    return {
        "path": list(path),
        "parent": parent,
        "role": role,
        "name": name,
        "description": "",
        "id": f"Window.{role}",
        "states": list(states),
        **extra,
    }


WINDOW = obj((0,), "frame", "Venster", states=("showing", "active"))


def test_a_focusable_object_without_a_name_or_role_is_found():
    tree = [
        WINDOW,
        obj((0, 0), "push button", "Opslaan"),
        obj((0, 1), "push button"),
        obj((0, 2), "unknown", "x"),
        obj((0, 3), "label", "", states=("showing",)),
    ]
    assert checks.nameless(tree) == [
        "no name: push button '' at Window.push button",
        "no role: unknown 'x' at Window.unknown",
    ]


def test_a_table_without_column_headers_is_found():
    good = obj((0, 0), "table", "Mijn zaken", columns=2, headers=["Zaak", "Status"])
    bad = obj((0, 1), "table", "Werkbak", columns=3, headers=["Taak", "", "Zaak"])
    bare = obj((0, 2), "table", "Leeg", columns=2, headers=[])
    a_list = obj((0, 3), "list", "Navigatie", columns=1, headers=[])
    assert checks.headerless([WINDOW, good, bad, bare, a_list]) == [
        "columns without a header [1]: table 'Werkbak' at Window.table",
        "columns without a header []: table 'Leeg' at Window.table",
    ]


def test_a_control_tab_does_not_reach_is_found_and_groups_count_once():
    tree = [
        WINDOW,
        obj((0, 0), "push button", "Opslaan"),
        obj((0, 1), "push button", "Sync", states=("showing", "enabled")),
        obj((0, 2), "filler", "Groep", states=("showing",)),
        obj((0, 2, 0), "radio button", "Ja"),
        obj((0, 2, 1), "radio button", "Nee"),
        obj((0, 3), "combo box", "Taal"),
        obj((0, 3, 0), "text", "Taal", states=("focusable", "showing", "enabled", "editable")),
        obj((0, 4), "push button", "Uit", states=("focusable", "showing")),
    ]
    focused = [[0, 0], [0, 2, 0], [0, 3, 0], [0, 0]]
    assert checks.unreachable(tree, focused) == ["not reached by Tab: push button 'Sync' at Window.push button"]
    clear = obj((0, 5), "push button", states=("showing", "enabled"))
    clear["id"] = "Window.QLineEdit.QLineEditIconButton"  # Qt's clear button: the field itself clears by keyboard
    assert checks.unreachable([*tree, clear], focused) == [
        "not reached by Tab: push button 'Sync' at Window.push button"
    ]


def test_a_trap_and_a_jump_off_the_screen_are_found():
    tree = [
        WINDOW,
        obj((0, 0), "table", "Mijn zaken", columns=1, headers=["Zaak"]),
        obj((0, 1), "push button", "Opslaan"),
    ]
    assert checks.trapped(tree, [[0, 1], [0, 0], [0, 0], [0, 0]]) == [
        "Tab does not leave table 'Mijn zaken' at Window.table"
    ]
    assert checks.trapped(tree, [[0, 0], [0, 1], [0, 0], [0, 1]]) == []
    hidden = {"role": "text", "name": "Filter", "id": "Other.page", "showing": True}
    assert checks.escaped([[0, 0], hidden, hidden]) == ["Tab went outside the screen to text 'Filter' at Other.page"]
    assert checks.escaped([hidden], [{**tree[1], "id": "Other.page"}]) == []  # it is on the screen after all
    assert "[outside the screen: text 'Filter'" in checks.tab_order(tree, [[0, 0], hidden])
