"""Mijn zaken (seed C2, C3): the filterable, sortable list of the user's cases."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLineEdit, QTableView, QVBoxLayout, QWidget

from desktop.ui import theme
from desktop.ui.models import MyCasesModel
from desktop.ui.widgets import PAGE_MARGINS, PageHeader, Retranslatable, retranslate_model, size_columns

# The filter runs in memory in a few ms: no debounce, only one run per pass of the event loop
# (a paste or auto-repeat), after the line edit has shown the letter.
FILTER_DEBOUNCE_MS = 0


class MyCasesPage(Retranslatable, QWidget):
    case_opened = Signal(str)

    def __init__(self, model: MyCasesModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        layout = QVBoxLayout(self)
        layout.setContentsMargins(*PAGE_MARGINS)
        layout.setSpacing(12)
        self.header = PageHeader("")
        layout.addWidget(self.header)
        self.filter = QLineEdit()
        self.filter.setClearButtonEnabled(True)
        self.filter.addAction(theme.icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        layout.addWidget(self.filter)
        self.table = QTableView()
        self.table.setTabKeyNavigation(False)  # Tab goes on to the next control; arrows move in the table
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # The indicator first: enabling sorting sorts by it, and this is the model's own order (no re-read).
        self.table.horizontalHeader().setSortIndicator(5, Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(30)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # no per-row measuring
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        # Citizen / group stretches (long names elide); the rest start at widths that fit their
        # contents at 1280×800 and stay draggable. No per-row measuring: 20,000 rows stay fast.
        size_columns(self.table, stretch=1, widths={0: 130, 2: 190, 3: 140, 4: 170, 5: 140})
        self.table.activated.connect(self._open)
        self.table.doubleClicked.connect(self._open)
        layout.addWidget(self.table, 1)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(FILTER_DEBOUNCE_MS)
        self._debounce.timeout.connect(lambda: self.model.set_filter(self.filter.text()))
        self.filter.textChanged.connect(lambda _: self._debounce.start())
        self.filter.returnPressed.connect(self.table.setFocus)
        model.counts_changed.connect(self._update_count)
        model.modelReset.connect(self._select_first_if_none)
        model.layoutChanged.connect(self._select_first_if_none)  # a filter: its case may be gone
        self._count: int | None = None
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.header.set_title(self.tr("Mijn zaken"))
        self.filter.setPlaceholderText(self.tr("Filter op zaaknummer, naam, zaaktype of stap…"))
        self.filter.setAccessibleName(self.tr("Filter Mijn zaken"))
        self.table.setAccessibleName(self.tr("Mijn zaken"))
        if self._count is not None:
            self._update_count(self._count)
        retranslate_model(self.model)

    def _update_count(self, count: int) -> None:
        self._count = count
        if self.filter.text():
            self.header.set_subtitle(self.tr("%n zaken gevonden", None, count))
        else:
            self.header.set_subtitle(self.tr("%n zaken waarin u zaakcoördinator of zaakondersteuner bent", None, count))

    def _select_first_if_none(self) -> None:
        if self.model.rowCount() and not self.table.selectionModel().hasSelection():
            self.table.setCurrentIndex(self.model.index(0, 0))

    def _open(self, index: QModelIndex) -> None:
        case_id = self.model.case_id(index.row())
        if case_id:
            self.case_opened.emit(case_id)
