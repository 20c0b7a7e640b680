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


def main_window(content: list[dict]) -> list[dict]:
    """A header across the top, the navigation on the left, a page beside it, the status bar."""
    return [
        {**WINDOW, "box": [0, 0, 1280, 800]},
        obj((0, 0), "panel", "", states=("showing",), box=[0, 0, 1280, 50]),
        obj((0, 0, 0), "push button", "Nu synchroniseren", box=[1050, 10, 30, 30]),
        obj((0, 0, 1), "push button", "Persoonlijk menu", box=[1090, 10, 170, 30]),
        obj((0, 1), "list", "Navigatie", box=[0, 60, 210, 700]),
        obj((0, 2), "panel", "", states=("showing",), box=[210, 60, 1070, 700]),
        *content,
        obj((0, 3), "push button", "Alles verstuurd", box=[1150, 774, 125, 24]),
    ]


def tab(*paths) -> list:
    return [list(path) for path in paths] * 2  # twice round the cycle, as the run presses


HEADER, PERSON, NAVIGATION, STATUS = (0, 0, 0), (0, 0, 1), (0, 1), (0, 3)


def test_tab_in_reading_order_passes_wherever_the_cycle_starts():
    tree = main_window([obj((0, 2, 0), "table", "Mijn zaken", box=[238, 160, 1014, 580])])
    cycle = [HEADER, PERSON, NAVIGATION, (0, 2, 0), STATUS]
    for start in range(len(cycle)):
        assert checks.out_of_order(tree, tab(*cycle[start:], *cycle[:start])) == []


def test_a_status_bar_before_the_page_is_found():
    """What the main window did: Tab went from the navigation to the status bar, then to the page."""
    tree = main_window([obj((0, 2, 0), "table", "Mijn zaken", box=[238, 160, 1014, 580])])
    found = checks.out_of_order(tree, tab(NAVIGATION, STATUS, (0, 2, 0), HEADER, PERSON))
    assert found == [
        "Tab goes back in reading order: push button 'Alles verstuurd' at Window.push button → table 'Mijn zaken' at Window.table"
    ]


def test_tab_from_the_window_itself_must_start_at_the_header():
    """The main window's old order: Tab with nothing focused went to the status bar, then the header
    (a cycle in reading order otherwise, which a walk from anywhere in it let pass)."""
    tree = main_window([obj((0, 2, 0), "table", "Mijn zaken", box=[238, 160, 1014, 580])])
    old = tab(STATUS, HEADER, PERSON, NAVIGATION, (0, 2, 0))
    assert checks.out_of_order(tree, old) == []
    assert checks.out_of_order(tree, old, from_start=True) == [
        "Tab goes back in reading order: push button 'Alles verstuurd' at Window.push button → push button 'Nu synchroniseren' at Window.push button"
    ]
    assert checks.out_of_order(tree, tab(HEADER, PERSON, NAVIGATION, (0, 2, 0), STATUS), from_start=True) == []


def test_tabs_without_a_name_or_a_named_tab_widget_are_found():
    tree = [
        WINDOW,
        obj((0, 0), "filler", "", states=("showing",)),
        obj((0, 0, 0), "page tab list", "Apparaten"),
        obj((0, 0, 0, 0), "page tab", ""),
        obj((0, 1), "filler", "Beheer", states=("showing",)),
        obj((0, 1, 0), "page tab list", "Apparaten"),
    ]
    assert checks.unnamed_groups(tree) == [
        "no name: page tab '' at Window.page tab",
        "no name for the tabs' group: filler '' at Window.filler",
    ]


def test_a_grid_reads_by_rows_and_two_columns_of_cards_by_columns():
    buttons = [
        obj((0, 2, 0, 0), "push button", "Oppakken", box=[930, 260, 150, 24]),
        obj((0, 2, 0, 1), "push button", "Doorsturen", box=[1090, 260, 150, 24]),
        obj((0, 2, 0, 2), "push button", "Niet voor mij", box=[930, 290, 150, 24]),
        obj((0, 2, 0, 3), "push button", "Zaak openen", box=[1090, 290, 150, 24]),
    ]
    grid = main_window([obj((0, 2, 0), "panel", "", states=("showing",), box=[920, 250, 330, 80]), *buttons])
    rows = [(0, 2, 0, 0), (0, 2, 0, 1), (0, 2, 0, 2), (0, 2, 0, 3)]
    assert checks.out_of_order(grid, tab(HEADER, PERSON, NAVIGATION, *rows, STATUS)) == []
    columns = [(0, 2, 0, 0), (0, 2, 0, 2), (0, 2, 0, 1), (0, 2, 0, 3)]
    assert checks.out_of_order(grid, tab(HEADER, PERSON, NAVIGATION, *columns, STATUS)) != []

    cards = main_window(
        [
            # a case's cards as the app lays them out (read off the run)
            obj((0, 2, 0), "panel", "Stappen", states=("showing",), box=[238, 167, 599, 224]),
            obj((0, 2, 0, 0), "push button", "Stap afronden", box=[721, 284, 99, 22]),
            obj((0, 2, 1), "panel", "Journaal", states=("showing",), box=[238, 405, 599, 220]),
            obj((0, 2, 1, 0), "push button", "Aantekening toevoegen", box=[643, 586, 177, 24]),
            obj((0, 2, 2), "panel", "Betrokkenen", states=("showing",), box=[853, 167, 399, 152]),
            obj((0, 2, 2, 0), "push button", "Zaakondersteuner toevoegen", box=[870, 280, 212, 24]),
            obj((0, 2, 3), "panel", "Taken", states=("showing",), box=[853, 333, 399, 156]),
            obj((0, 2, 3, 0), "push button", "Taak aanmaken", box=[870, 450, 140, 24]),
        ]
    )
    left_then_right = [(0, 2, 0, 0), (0, 2, 1, 0), (0, 2, 2, 0), (0, 2, 3, 0)]
    assert checks.out_of_order(cards, tab(HEADER, PERSON, NAVIGATION, *left_then_right, STATUS)) == []
    rows_across = [(0, 2, 0, 0), (0, 2, 2, 0), (0, 2, 3, 0), (0, 2, 1, 0)]
    assert checks.out_of_order(cards, tab(HEADER, PERSON, NAVIGATION, *rows_across, STATUS)) != []
