"""Zoeken (seed C6): an online search by case number or citizen service number.

The term goes to the core, which sends it in a request body (never a URL or a log). A result the
user is authorised to read for its case type opens read-only, closed steps behind the magnifier.
Offline the page says the search needs a connection.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop.ui import theme
from desktop.ui.failures import expected_sentence
from desktop.ui.operations import Lane, OperationRunner
from desktop.ui.widgets import PAGE_MARGINS, Notice, PageHeader, Retranslatable, Text

Search = Callable[[str, str], list[dict]]  # (field "case_number" | "bsn", term) → cases


class SearchPage(Retranslatable, QWidget):
    result_opened = Signal(dict)

    def __init__(
        self, search: Search, runner: OperationRunner, is_online: Callable[[], bool], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._search = search
        self.runner = runner
        self._is_online = is_online
        self._results: list[dict] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(*PAGE_MARGINS)
        layout.setSpacing(12)
        self.header = PageHeader("")
        layout.addWidget(self.header)
        kinds = QHBoxLayout()
        self.by_number = QRadioButton()
        self.by_bsn = QRadioButton()
        self.by_number.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.by_number)
        group.addButton(self.by_bsn)
        kinds.addWidget(self.by_number)
        kinds.addWidget(self.by_bsn)
        kinds.addStretch(1)
        layout.addLayout(kinds)
        row = QHBoxLayout()
        self.term = QLineEdit()
        self.term.addAction(theme.icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.term.returnPressed.connect(self.start_search)
        self.button = QPushButton()
        self.button.clicked.connect(self.start_search)
        row.addWidget(self.term, 1)
        row.addWidget(self.button)
        layout.addLayout(row)
        self.message = Notice("", "info")
        self.message.hide()
        layout.addWidget(self.message)
        self.results = QListWidget()
        self.results.itemActivated.connect(self._open)
        self.results.itemDoubleClicked.connect(self._open)
        layout.addWidget(self.results, 1)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.header.set_title(self.tr("Zoeken"))
        self.header.set_subtitle(
            self.tr(
                "Zoek een zaak op zaaknummer of burgerservicenummer. Bent u geen zaakcoördinator of zaakondersteuner, dan "
                "ziet u alleen de afgesloten stappen, als u geautoriseerd bent voor het zaaktype."
            )
        )
        self.by_number.setText(self.tr("Zaaknummer"))
        self.by_bsn.setText(self.tr("Burgerservicenummer"))
        self.term.setAccessibleName(self.tr("Zoekterm"))
        self.button.setText(self.tr("Zoeken"))
        self.results.setAccessibleName(self.tr("Zoekresultaten"))

    def start_search(self) -> None:
        term = self.term.text().strip()
        if not term:
            return
        if not self._is_online():
            self._say(
                lambda: self.tr(
                    "Zoeken kan alleen met verbinding met de dienst; probeer het opnieuw zodra u verbinding hebt."
                )
            )
            return
        field = "bsn" if self.by_bsn.isChecked() else "case_number"
        self.button.setEnabled(False)
        self.results.clear()
        self.message.hide()
        self.runner.submit(
            lambda token: self._search(field, term),
            lane=Lane.NETWORK,
            on_success=self._show,
            on_failure=self._failed,
            parent_widget=self,
        )

    def _say(self, text: Text) -> None:
        self.message.set_text(text)
        self.message.show()

    def _show(self, results: list[dict]) -> None:
        self.button.setEnabled(True)
        self._results = list(results)
        if not results:
            self._say(lambda: self.tr("Geen zaak gevonden die u mag inzien."))
        for case in results:
            citizens = ", ".join(c.get("name", "") for c in case.get("citizens") or [])
            item = QListWidgetItem(
                theme.icon("my-cases"),
                " · ".join(
                    p for p in (case.get("number", ""), (case.get("case_type") or {}).get("name", ""), citizens) if p
                ),
            )
            item.setData(Qt.ItemDataRole.UserRole, case)
            self.results.addItem(item)

    def _failed(self, exc: BaseException) -> None:
        self.button.setEnabled(True)
        self._say(lambda: expected_sentence(exc) or self.tr("Zoeken is niet gelukt; probeer het opnieuw."))

    def _open(self, item: QListWidgetItem) -> None:
        self.result_opened.emit(item.data(Qt.ItemDataRole.UserRole))
