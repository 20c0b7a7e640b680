"""Table models over the cache's lists, read off the GUI thread and held whole in memory.

A model never queries on the GUI thread: it asks a `Reader` (desktop.ui.view_reader) to run its
list query on the views' own connection and thread, and applies the answer when it arrives.
Reads are coalesced (`ListLoads`): a burst of changes costs one read and one read runs at a
time (the controller asks for them when a sync has ended, not per page). My Cases holds all of its
rows in columns (`queries.CaseList`: no object per case, so 100,000 cases cost the garbage
collector nothing) with their folded search text, and shows positions into them (a list of
ints: `list(compress(range(n), ...))` is C-fast, an `array` from an iterator is five times slower); a keystroke in the
filter is a search of strings in memory (desktop/ui/case_filter.py), not a query, shown as a layout change (the view's selection follows its case). Unchanged membership
after a read gives one `dataChanged`; a changed one a single reset.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Callable

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont

from desktop.cache import queries
from desktop.cache.search_text import filter_terms
from desktop.i18n import current_language, translate
from desktop.timefmt import local_time, parse_time
from desktop.ui import labels, theme
from desktop.ui.case_filter import CaseFilter

Connection = Any  # the views' read connection; only the reader's thread touches it
# reader(query, deliver): run query(connection) off the GUI thread, then deliver(result) on it.
Reader = Callable[[Callable[[Connection], Any], Callable[[Any], None]], None]
COALESCE_MS = 150  # a burst of changes (live sync pages, edits) becomes one read
SHOWN_TEXTS = 2_000  # rows whose cell texts My Cases keeps made (a few screenfuls, scrolled back and forth)
FIRST_SCREEN_ROWS = 200  # read before the whole list when My Cases opens: it paints in ~30 ms


class ListLoads(QObject):
    """When a model's list is read: bursts coalesced, one read in flight, the newest one wins."""

    def __init__(
        self,
        reader: Reader,
        query: Callable[[], Callable[[Connection], Any]],
        deliver: Callable[[Any], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._reader = reader
        self._query = query  # the query for the model's current state (its sort order, ...)
        self._deliver = deliver
        self._generation = 0  # answers of an older generation are dropped
        self._in_flight = False
        self._again = False  # the cache changed again while a read was running
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.now)

    def now(self) -> None:
        """Read now (first load, another sort order): an answer to an older read is dropped."""
        self._timer.stop()
        self._generation += 1
        generation = self._generation
        self._in_flight, self._again = True, False
        self._reader(self._query(), lambda result: self._arrived(generation, result))

    def soon(self) -> None:
        """The cache changed: read once the burst is over (after the read in flight, if any)."""
        if self._in_flight:
            self._again = True
            return
        if not self._timer.isActive():
            self._timer.start(COALESCE_MS)

    def cancel(self) -> None:
        """Closing or locking: no pending read starts and no answer on its way is applied."""
        self._timer.stop()
        self._generation += 1
        self._in_flight = self._again = False

    def _arrived(self, generation: int, result: Any) -> None:
        if generation != self._generation:
            return
        self._in_flight = False
        self._deliver(result)
        if self._again:
            self.soon()


def waiting_since(iso: str | None, now: datetime | None = None) -> str:
    """'3 dagen', '5 uur', '12 min' since `iso`."""
    moment = parse_time(iso)
    if moment is None:
        return ""
    seconds = max(0, int(((now or datetime.now(timezone.utc)) - moment).total_seconds()))
    if seconds >= 86400:
        return translate("Models", "%n dagen", seconds // 86400)
    if seconds >= 3600:
        return translate("Models", "%n uur", seconds // 3600)
    return translate("Models", "%n min", max(1, seconds // 60))


class MyCasesModel(QAbstractTableModel):
    """Mijn zaken (seed C2, C3): number, citizen/group, case type, my role, current step, last change."""

    COLUMNS = ("number", "client", "case_type", "my_role", "current_step", "updated_at")
    HEADERS = (
        QT_TRANSLATE_NOOP("MyCasesModel", "Zaaknummer"),
        QT_TRANSLATE_NOOP("MyCasesModel", "Cliënt / groep"),
        QT_TRANSLATE_NOOP("MyCasesModel", "Zaaktype"),
        QT_TRANSLATE_NOOP("MyCasesModel", "Mijn rol"),
        QT_TRANSLATE_NOOP("MyCasesModel", "Huidige stap"),
        QT_TRANSLATE_NOOP("MyCasesModel", "Laatste wijziging"),
    )
    CaseIdRole = Qt.ItemDataRole.UserRole + 1

    counts_changed = Signal(int)  # rows matching the current filter
    loaded = Signal()  # a read of the list has been applied

    def __init__(self, reader: Reader, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._all = queries.CaseList()
        self._matcher = CaseFilter(self._all)  # which rows of _all match a filter: made once per read
        self._rows: list[int] = []  # shown: the positions in _all of the rows that match the filter
        self._filter = ""
        self._sort = "updated_at"
        self._descending = True
        self._reader = reader
        self._loads = ListLoads(reader, self._query, self._loaded, self)
        self._bold = QFont()
        self._bold.setBold(True)
        self._shown_texts: dict[int, tuple[str, ...]] = {}  # position in _all → its cells' texts
        self._texts_language = current_language()

    # --- Qt model API -------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.HEADERS)
        ):
            return translate("MyCasesModel", self.HEADERS[section])
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        position = self._rows[index.row()]
        if role == self.CaseIdRole:
            return self._all.ids[position]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._texts(position)[index.column()]
        if role == Qt.ItemDataRole.FontRole:
            return self._bold if index.column() == 0 else None
        if role == Qt.ItemDataRole.ToolTipRole:
            pending = self._all.columns["pending_changes"][position]
            return self.tr("Deze zaak heeft wijzigingen die nog niet verstuurd zijn.") if pending else None
        return None

    def multiData(self, index: QModelIndex | QPersistentModelIndex, span: Any) -> None:
        """What a painted cell asks for (7 roles) in one call from Qt instead of seven: the repaint
        after each filter keystroke was mostly these calls (issue 19: filter_100k_p90_ms). Every
        role is set or cleared: the delegate hands the same span from cell to cell."""
        valid = index.isValid() and 0 <= index.row() < len(self._rows)
        for item in span:
            role = item.role()
            if not valid:
                item.clearData()
            elif role == Qt.ItemDataRole.DisplayRole:
                item.setData(self._texts(self._rows[index.row()])[index.column()])
            elif role == Qt.ItemDataRole.FontRole and index.column() == 0:
                item.setData(self._bold)
            elif role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole, self.CaseIdRole):
                item.setData(self.data(index, role))
            else:
                item.clearData()

    def _texts(self, position: int) -> tuple[str, ...]:
        """The shown texts of the case at `position`, made once per read and language: a repaint
        asks for every visible cell again (the time's formatting alone cost ~3 ms a repaint)."""
        if self._texts_language != current_language():
            self._texts_language = current_language()
            self._shown_texts.clear()
        texts = self._shown_texts.get(position)
        if texts is None:
            if len(self._shown_texts) >= SHOWN_TEXTS:
                self._shown_texts.clear()
            columns = self._all.columns
            closed = columns["status"][position] == "closed"
            texts = (
                columns["number"][position] or "",
                columns["client"][position] or "",
                columns["case_type"][position] or "",
                labels.case_role(columns["my_role"][position]),
                columns["current_step"][position] or (self.tr("Afgesloten") if closed else ""),
                local_time(columns["updated_at"][position]),
            )
            self._shown_texts[position] = texts
        return texts

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.COLUMNS):
            return
        sort, descending = self.COLUMNS[column], order == Qt.SortOrder.DescendingOrder
        if (sort, descending) == (self._sort, self._descending):
            return  # the view sets its indicator on every setModel/setSortingEnabled: no re-read
        self._sort, self._descending = sort, descending
        self.reload()

    # --- our API ------------------------------------------------------------------------------
    def case_id(self, row: int) -> str | None:
        return self._all.ids[self._rows[row]] if 0 <= row < len(self._rows) else None

    def case_row(self, row: int) -> queries.CaseRow | None:
        """The shown row `row` as one `CaseRow` (made now: the model holds columns)."""
        return self._all.row(self._rows[row]) if 0 <= row < len(self._rows) else None

    def row_of(self, case_id: str) -> int:
        try:
            return self._rows.index(self._all.ids.index(case_id))  # both searches in C
        except ValueError:
            return -1

    def set_filter(self, text: str) -> None:
        """Filter in memory, on the rows of the last read: no query, so a keystroke stays fast."""
        if text == self._filter:
            return
        self._filter = text
        self._show(self._matching())

    def reload(self) -> None:
        """Read the list now (first load, another sort order)."""
        if not len(self._all):
            # Opening: the first screenful first (the reads run in order), then the whole list.
            sort, descending = self._sort, self._descending
            self._reader(
                lambda conn: queries.my_cases(conn, "", sort, descending, limit=FIRST_SCREEN_ROWS), self._first_screen
            )
        self._loads.now()

    def _first_screen(self, rows: list[queries.CaseRow]) -> None:
        if not len(self._all) and not self._rows:  # the whole list has not come in yet
            self.beginResetModel()
            # no count and no filter yet: they come with the whole list
            self._all = queries.CaseList.from_rows(rows, [""] * len(rows))
            self._shown_texts.clear()
            self._rows = list(range(len(rows)))
            self.endResetModel()

    def refresh(self) -> None:
        """The cache changed (a sync page, a local edit): read the list again soon, once per burst."""
        self._loads.soon()

    def cancel_refresh(self) -> None:
        """Shutting down or locking: no read starts, no answer on its way is applied."""
        self._loads.cancel()

    def _query(self) -> Callable[[Connection], queries.CaseList]:
        sort, descending = self._sort, self._descending
        return lambda conn: queries.my_case_list(conn, sort, descending)

    def _loaded(self, listing: queries.CaseList) -> None:
        previous, self._all = self._all, listing
        self._shown_texts.clear()
        self._matcher = CaseFilter(listing)
        self._show(self._matching(), previous)
        self.loaded.emit()

    def _matching(self) -> list[int]:
        """Positions of the rows whose search text holds every word of the filter (as the command
        line's SQL does): desktop/ui/case_filter.py."""
        return self._matcher.positions(filter_terms(self._filter))

    def _show(self, rows: list[int], previous: queries.CaseList | None = None) -> None:
        """Show the rows at `rows`; `previous`: the list `self._rows` pointed into, if not the current one."""
        if previous is None:
            same = rows == self._rows  # the same list: the same positions are the same cases (in C)
        else:
            same = len(rows) == len(self._rows) and list(map(self._all.ids.__getitem__, rows)) == list(
                map(previous.ids.__getitem__, self._rows)
            )
        if same:
            self._rows = rows  # same cases in the same order: repaint, keep selection and scroll
            if rows:
                self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, len(self.COLUMNS) - 1))
        elif previous is None:
            self._relayout(rows)
        else:
            self.beginResetModel()
            self._rows = rows
            self.endResetModel()
        self.counts_changed.emit(len(rows))  # also when unchanged: "gevonden" or not depends on the filter

    def _relayout(self, rows: list[int]) -> None:
        """Another filter over the same read: the same cases, other rows shown. A layout change
        moves the view's persistent indexes (selection, current row) to their case's new row, or
        drops them when it is no longer shown; a reset would drop them all."""
        self.layoutAboutToBeChanged.emit()
        old, self._rows = self._rows, rows
        persistent = self.persistentIndexList()
        moved = []
        for index in persistent:  # a handful: the current row and the selection's corners
            try:
                moved.append(self.index(rows.index(old[index.row()]), index.column()))  # the search in C
            except (ValueError, IndexError):
                moved.append(QModelIndex())
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()


def _overdue_color() -> QColor:
    """The look's 'failed' red (AA contrast on the table's ground); the text says it too."""
    return theme.colors().fail


class TaskListModel(QAbstractTableModel):
    """A short list of tasks (a team's work queue, or my tasks): small enough to hold whole."""

    TaskIdRole = Qt.ItemDataRole.UserRole + 1
    TaskRole = Qt.ItemDataRole.UserRole + 2

    QUEUE_COLUMNS = (
        ("type", QT_TRANSLATE_NOOP("TaskListModel", "Taak")),
        ("client", QT_TRANSLATE_NOOP("TaskListModel", "Cliënt / groep")),
        ("case", QT_TRANSLATE_NOOP("TaskListModel", "Zaak")),
        ("waiting", QT_TRANSLATE_NOOP("TaskListModel", "Wacht")),
        ("deadline", QT_TRANSLATE_NOOP("TaskListModel", "Uiterlijk")),
        ("team", QT_TRANSLATE_NOOP("TaskListModel", "Werkbak")),
    )
    MINE_COLUMNS = (
        ("type", QT_TRANSLATE_NOOP("TaskListModel", "Taak")),
        ("client", QT_TRANSLATE_NOOP("TaskListModel", "Cliënt / groep")),
        ("case", QT_TRANSLATE_NOOP("TaskListModel", "Zaak")),
        ("deadline", QT_TRANSLATE_NOOP("TaskListModel", "Uiterlijk")),
        ("origin", QT_TRANSLATE_NOOP("TaskListModel", "Via")),
    )

    loaded = Signal()  # a read of the list has been applied

    def __init__(
        self,
        reader: Reader,
        query: Callable[[Connection], list[queries.TaskRow]],
        columns: tuple[tuple[str, str], ...],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._columns = columns
        self._all: list[queries.TaskRow] = []  # every task read; `_tasks` those of the chosen queue
        self._tasks: list[queries.TaskRow] = []
        self._team: str | None = None  # one queue of the Werkbak, or None: all of them
        self._loads = ListLoads(reader, lambda: query, self._loaded, self)
        self._bold = QFont()
        self._bold.setBold(True)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._tasks)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self._columns)
        ):
            return translate("TaskListModel", self._columns[section][1])
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._tasks)):
            return None
        task = self._tasks[index.row()]
        if role == self.TaskIdRole:
            return task.id
        if role == self.TaskRole:
            return task
        if role == Qt.ItemDataRole.ToolTipRole and task.pending_changes:
            return self.tr("Deze wijziging wacht nog op verzending.")
        column = self._columns[index.column()][0]
        if role == Qt.ItemDataRole.FontRole:
            return self._bold if column == "type" and task.new else None
        if role == Qt.ItemDataRole.ForegroundRole:
            return _overdue_color() if column == "deadline" and task.overdue else None
        if role == Qt.ItemDataRole.ToolTipRole and column == "type":
            # the whole task: its name may be elided, its description is not in the list
            return "\n\n".join(p for p in (task.type, task.description) if p)
        if (
            role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole)
            and column == "deadline"
            and task.overdue
        ):
            # the symbol in the cell, the words here (and for a screen reader)
            return self.tr("{day}: te laat").format(day=local_time(task.deadline, with_time=False))
        if role == Qt.ItemDataRole.ToolTipRole and column in ("client", "team", "origin"):
            role = Qt.ItemDataRole.DisplayRole  # the whole text of a column that may be elided
        if role == Qt.ItemDataRole.AccessibleTextRole and column == "type" and task.new:
            return self.tr("Nieuw: {task}").format(task=task.type)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return None
        if column == "type":
            # New since the user last left the Werkbak: a mark and bold, never colour alone.
            return ("● " + task.type) if task.new else task.type
        if column == "case":
            return task.case_number or ""
        if column == "client":
            return task.citizen_name or task.group_name or ""
        if column == "team":
            return task.team_name or ""
        if column == "waiting":
            return waiting_since(task.queued_at)
        if column == "deadline":
            if not task.deadline:
                return ""
            day = local_time(task.deadline, with_time=False)
            return "⚠ " + day if task.overdue else day  # overdue: a symbol, not colour alone
        if column == "origin":
            return (
                self.tr("Werkbak {team}").format(team=task.team_name)
                if task.via_team_queue and task.team_name
                else self.tr("Rechtstreeks aan u")
            )
        return None

    def column_keys(self) -> list[str]:
        return [key for key, _ in self._columns]

    def tasks(self) -> list[queries.TaskRow]:
        return list(self._tasks)

    def task(self, row: int) -> queries.TaskRow | None:
        return self._tasks[row] if 0 <= row < len(self._tasks) else None

    def row_of(self, task_id: str) -> int:
        return next((i for i, t in enumerate(self._tasks) if t.id == task_id), -1)

    def refresh(self) -> None:
        """The cache changed: read the list again soon, once per burst."""
        self._loads.soon()

    def cancel_refresh(self) -> None:
        self._loads.cancel()

    def refresh_now(self) -> None:
        self._loads.now()

    def queues(self) -> list[tuple[str, str, int]]:
        """(team id, team name, tasks waiting) per queue read, by team name: the navigation's counts."""
        counts: dict[str, list] = {}
        for task in self._all:
            if task.team_id:
                counts.setdefault(task.team_id, [task.team_name or "", 0])[1] += 1
        return sorted(((tid, name, n) for tid, (name, n) in counts.items()), key=lambda q: (q[1].casefold(), q[0]))

    def all_tasks(self) -> list[queries.TaskRow]:
        """Every task read, whichever queue is shown."""
        return list(self._all)

    def set_team(self, team_id: str | None) -> None:
        """Show one queue of the Werkbak (None: every queue of the user's teams)."""
        if team_id != self._team:
            self._team = team_id
            self._apply(self._all)

    def team(self) -> str | None:
        return self._team

    def _loaded(self, tasks: list[queries.TaskRow]) -> None:
        self._all = tasks
        self._apply(tasks)
        self.loaded.emit()

    def _apply(self, tasks: list[queries.TaskRow]) -> None:
        """Rows that stayed keep their place (dataChanged), others move in or out: removed and
        inserted where they are when the rows that stayed kept their order (a task queued or
        picked up: the selection, the scroll position and the view's layout stay), else a reset."""
        if self._team is not None:
            tasks = [t for t in tasks if t.team_id == self._team]
        old_ids, new_ids = [t.id for t in self._tasks], [t.id for t in tasks]
        if old_ids != new_ids:
            old_set, new_set = set(old_ids), set(new_ids)
            kept = [i for i in old_ids if i in new_set]
            if not kept or kept != [i for i in new_ids if i in old_set]:
                self.beginResetModel()
                self._tasks = tasks
                self.endResetModel()
                return
            self._move_in_and_out(tasks, [r for r, i in enumerate(old_ids) if i not in new_set], old_set)
        self._tasks = tasks  # the same ids in the same order now: the rows' newest contents
        if tasks:
            self.dataChanged.emit(self.index(0, 0), self.index(len(tasks) - 1, len(self._columns) - 1))

    def _move_in_and_out(self, tasks: list[queries.TaskRow], gone: list[int], old_ids: set[str]) -> None:
        """The rows at `gone` out (from the bottom up), then the tasks not in `old_ids` in (top down)."""
        rows = self._tasks = list(self._tasks)
        for first, last in reversed(_runs(gone)):
            self.beginRemoveRows(QModelIndex(), first, last)
            del rows[first : last + 1]
            self.endRemoveRows()
        for first, last in _runs([r for r, t in enumerate(tasks) if t.id not in old_ids]):
            self.beginInsertRows(QModelIndex(), first, last)
            rows[first:first] = tasks[first : last + 1]
            self.endInsertRows()


def _runs(positions: list[int]) -> list[tuple[int, int]]:
    """Ascending positions as runs of neighbours: [1, 2, 3, 7] → [(1, 3), (7, 7)]."""
    runs: list[tuple[int, int]] = []
    for position in positions:
        if runs and runs[-1][1] == position - 1:
            runs[-1] = (runs[-1][0], position)
        else:
            runs.append((position, position))
    return runs
