"""Table models over the cache's queries (desktop.cache.queries): ids first, rows when visible.

My Cases can hold 20,000 cases: the model keeps the ordered id list the query returns and a
small row cache filled a window at a time for the rows the view actually paints. Filtering and
sorting are the query's job (SQL), never a Python loop. After a sync the controller calls
`refresh()`, which the model coalesces: unchanged membership gives one `dataChanged`, a changed
one a single reset that keeps the selection by id.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QFont

from desktop.cache import queries
from desktop.i18n import translate
from desktop.ui import labels

Connection = Any  # the cache's read connection; the UI never opens or queries it itself
WINDOW = 120  # rows fetched around a row the view asks for
MAX_CACHED_ROWS = 2_000


def local_time(iso: str | None, with_date: bool = True, with_time: bool = True) -> str:
    """An ISO UTC time from the service as local 'dd-mm-jjjj hh:mm' (or only the date, or the time)."""
    if not iso:
        return ""
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    if not with_time:
        return moment.astimezone().strftime("%d-%m-%Y")
    return moment.astimezone().strftime("%d-%m-%Y %H:%M" if with_date else "%H:%M")


def waiting_since(iso: str | None, now: datetime | None = None) -> str:
    """'3 dagen', '5 uur', '12 min' since `iso`."""
    if not iso:
        return ""
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    seconds = max(0, int(((now or datetime.now(timezone.utc)) - moment).total_seconds()))
    if seconds >= 2 * 86400:
        return translate("Models", "{n} dagen").format(n=seconds // 86400)
    if seconds >= 86400:
        return translate("Models", "1 dag")
    if seconds >= 3600:
        return translate("Models", "{n} uur").format(n=seconds // 3600)
    return translate("Models", "{n} min").format(n=max(1, seconds // 60))


class MyCasesModel(QAbstractTableModel):
    """Mijn zaken (seed C2, C3): number, citizen/group, case type, my role, current step, last change."""

    COLUMNS = ("number", "client", "case_type", "my_role", "current_step", "updated_at")
    HEADERS = (QT_TRANSLATE_NOOP("MyCasesModel", "Zaaknummer"), QT_TRANSLATE_NOOP("MyCasesModel", "Cliënt / groep"),
               QT_TRANSLATE_NOOP("MyCasesModel", "Zaaktype"), QT_TRANSLATE_NOOP("MyCasesModel", "Mijn rol"),
               QT_TRANSLATE_NOOP("MyCasesModel", "Huidige stap"), QT_TRANSLATE_NOOP("MyCasesModel", "Laatste wijziging"))
    CaseIdRole = Qt.ItemDataRole.UserRole + 1

    counts_changed = Signal(int)  # rows matching the current filter

    def __init__(self, connection: Callable[[], Connection], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._connection = connection
        self._ids: list[str] = []
        self._rows: dict[str, queries.CaseRow] = {}
        self._filter = ""
        self._sort = "updated_at"
        self._descending = True
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(150)  # coalesce bursts of sync pages into one refresh
        self._refresh_timer.timeout.connect(self.refresh_now)
        self._bold = QFont()
        self._bold.setBold(True)

    # --- Qt model API -------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self.HEADERS):
            return translate("MyCasesModel", self.HEADERS[section])
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._ids)):
            return None
        case_id = self._ids[index.row()]
        if role == self.CaseIdRole:
            return case_id
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.FontRole,
                        Qt.ItemDataRole.AccessibleTextRole):
            return None
        row = self._row(index.row())
        if row is None:
            return None
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.FontRole:
            return self._bold if column == "number" else None
        if column == "my_role":
            text = labels.case_role(row.my_role)
        elif column == "updated_at":
            text = local_time(row.updated_at)
        elif column == "current_step":
            text = row.current_step or (self.tr("Afgesloten") if row.status == "closed" else "")
        else:
            text = getattr(row, column) or ""
        if role == Qt.ItemDataRole.ToolTipRole and row.pending_changes:
            return self.tr("Deze zaak heeft wijzigingen die nog niet verstuurd zijn.")
        if role == Qt.ItemDataRole.ToolTipRole:
            return None
        return text

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.COLUMNS):
            return
        self._sort = self.COLUMNS[column]
        self._descending = order == Qt.SortOrder.DescendingOrder
        self.reload()

    # --- our API ------------------------------------------------------------------------------
    def case_id(self, row: int) -> str | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, case_id: str) -> int:
        try:
            return self._ids.index(case_id)
        except ValueError:
            return -1

    def set_filter(self, text: str) -> None:
        if text == self._filter:
            return
        self._filter = text
        self.reload()

    def reload(self) -> None:
        """Filter or sort changed: ask the query for the new id order (one reset)."""
        self.beginResetModel()
        self._ids = queries.my_case_ids(self._connection(), self._filter, self._sort, self._descending)
        self._rows.clear()
        self.endResetModel()
        self.counts_changed.emit(len(self._ids))

    def refresh(self) -> None:
        """The cache changed (a sync page, a local edit): refresh soon, once per burst."""
        self._refresh_timer.start()

    def cancel_refresh(self) -> None:
        """Shutting down: a pending refresh must not read a closed cache."""
        self._refresh_timer.stop()

    def refresh_now(self) -> None:
        self._refresh_timer.stop()
        ids = queries.my_case_ids(self._connection(), self._filter, self._sort, self._descending)
        if ids == self._ids:
            self._rows.clear()  # rows re-read lazily; only the visible ones repaint
            if ids:
                self.dataChanged.emit(self.index(0, 0), self.index(len(ids) - 1, len(self.COLUMNS) - 1))
            return
        self.beginResetModel()
        self._ids = ids
        self._rows.clear()
        self.endResetModel()
        self.counts_changed.emit(len(ids))

    def _row(self, row: int) -> queries.CaseRow | None:
        case_id = self._ids[row]
        found = self._rows.get(case_id)
        if found is not None:
            return found
        if len(self._rows) > MAX_CACHED_ROWS:
            self._rows.clear()
        start = max(0, row - WINDOW // 4)
        window = [i for i in self._ids[start:start + WINDOW] if i not in self._rows]
        self._rows.update(queries.case_rows(self._connection(), window))
        return self._rows.get(case_id)


class TaskListModel(QAbstractTableModel):
    """A short list of tasks (a team's work queue, or my tasks): small enough to hold whole."""

    TaskIdRole = Qt.ItemDataRole.UserRole + 1
    TaskRole = Qt.ItemDataRole.UserRole + 2

    QUEUE_COLUMNS = (("type", QT_TRANSLATE_NOOP("TaskListModel", "Taak")), ("client", QT_TRANSLATE_NOOP("TaskListModel", "Cliënt / groep")),
                     ("case", QT_TRANSLATE_NOOP("TaskListModel", "Zaak")), ("waiting", QT_TRANSLATE_NOOP("TaskListModel", "Wacht")),
                     ("deadline", QT_TRANSLATE_NOOP("TaskListModel", "Uiterlijk")), ("team", QT_TRANSLATE_NOOP("TaskListModel", "Werkbak")))
    MINE_COLUMNS = (("type", QT_TRANSLATE_NOOP("TaskListModel", "Taak")), ("client", QT_TRANSLATE_NOOP("TaskListModel", "Cliënt / groep")),
                    ("case", QT_TRANSLATE_NOOP("TaskListModel", "Zaak")), ("deadline", QT_TRANSLATE_NOOP("TaskListModel", "Uiterlijk")),
                    ("origin", QT_TRANSLATE_NOOP("TaskListModel", "Via")))

    def __init__(self, load: Callable[[], list[queries.TaskRow]], columns: tuple[tuple[str, str], ...],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._load = load
        self._columns = columns
        self._tasks: list[queries.TaskRow] = []
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(150)
        self._refresh_timer.timeout.connect(self.refresh_now)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._tasks)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self._columns):
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
        if role == Qt.ItemDataRole.ToolTipRole and column in ("type", "client", "team", "origin"):
            role = Qt.ItemDataRole.DisplayRole  # the whole text of a column that may be elided
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return None
        if column == "type":
            return task.type
        if column == "case":
            return task.case_number or ""
        if column == "client":
            return task.citizen_name or task.group_name or ""
        if column == "team":
            return task.team_name or ""
        if column == "waiting":
            return waiting_since(task.queued_at)
        if column == "deadline":
            return local_time(task.deadline).split(" ")[0] if task.deadline else ""
        if column == "origin":
            return self.tr("Werkbak {team}").format(team=task.team_name) if task.via_team_queue and task.team_name else self.tr("Rechtstreeks aan u")
        return None

    def column_keys(self) -> list[str]:
        return [key for key, _ in self._columns]

    def task(self, row: int) -> queries.TaskRow | None:
        return self._tasks[row] if 0 <= row < len(self._tasks) else None

    def row_of(self, task_id: str) -> int:
        return next((i for i, t in enumerate(self._tasks) if t.id == task_id), -1)

    def refresh(self) -> None:
        self._refresh_timer.start()

    def cancel_refresh(self) -> None:
        self._refresh_timer.stop()

    def refresh_now(self) -> None:
        """Re-read the list; rows that stayed keep their place (dataChanged), others move in or out."""
        self._refresh_timer.stop()
        tasks = self._load()
        if [t.id for t in tasks] == [t.id for t in self._tasks]:
            self._tasks = tasks
            if tasks:
                self.dataChanged.emit(self.index(0, 0), self.index(len(tasks) - 1, len(self._columns) - 1))
            return
        self.beginResetModel()
        self._tasks = tasks
        self.endResetModel()
