"""The main window's header: the product, the sync button (F5) and the person's menu (settings,
lock, help, diagnosis, about, language, log out). It only shows and offers; the main window turns
its actions into its own signals. Its texts keep the translation context "MainWindow", as before
the header was its own widget."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QToolButton, QWidget

from desktop.i18n import current_language, translate
from desktop.ui import labels, scaling, theme
from desktop.ui.widgets import LANGUAGE_NAMES, Retranslatable


def _tr(text: str) -> str:
    return translate("MainWindow", text)


class HeaderBar(Retranslatable, QWidget):
    """Logo and name, Nu synchroniseren, and the person button with its menu."""

    def __init__(self, display_name: str, role: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._display_name, self._role = display_name, role
        self.setObjectName("headerBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)  # a QWidget subclass: the style sheet's border
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 8, 12, 8)
        logo = QLabel()
        logo.setPixmap(theme.app_icon().pixmap(scaling.px(28), scaling.px(28)))
        name = QLabel("MensCentraal Mobiel")  # the product's name: the same in every language
        name.setObjectName("productName")
        layout.addWidget(logo)
        layout.addWidget(name)
        layout.addStretch(1)

        self.sync_button = QToolButton()
        self.sync_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        self.sync_button.setAutoRaise(True)
        self.sync_button.setIconSize(QSize(scaling.px(20), scaling.px(20)))
        layout.addWidget(self.sync_button)

        self.person_button = QToolButton()
        self.person_button.setObjectName("personButton")
        self.person_button.setIcon(theme.icon("person"))
        self.person_button.setIconSize(QSize(scaling.px(22), scaling.px(22)))
        self.person_button.setText(display_name)
        self.person_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.person_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.person_menu = menu = QMenu(self.person_button)
        header_item = menu.addAction(theme.icon("person"), display_name)
        header_item.setEnabled(False)
        self.role_item = menu.addAction("")
        self.role_item.setEnabled(False)
        menu.addSeparator()
        self.settings_action = menu.addAction(theme.icon("bell"), "")
        self.lock_action = menu.addAction(theme.icon("lock"), "")
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        menu.addSeparator()
        self.help_action = menu.addAction(theme.icon("help"), "")
        self.help_action.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
        self.diagnose_action = menu.addAction(theme.icon("diagnose"), "")
        self.about_action = menu.addAction(theme.icon("info"), "")
        self.language_menu = menu.addMenu("")
        self.language_actions: dict[str, QAction] = {}
        for code, language in LANGUAGE_NAMES:
            action = self.language_menu.addAction(language)
            action.setCheckable(True)
            self.language_actions[code] = action
        menu.addSeparator()
        self.logout_action = menu.addAction(theme.icon("logout"), "")
        self.person_button.setMenu(menu)
        layout.addWidget(self.person_button)

        self.sync_action = sync = QAction(self)
        sync.setShortcut(QKeySequence(Qt.Key.Key_F5))
        sync.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)  # also from open dialogs
        self.sync_button.setDefaultAction(sync)
        sync.setIcon(theme.icon("sync"))  # on the action: the button takes it again whenever the action changes
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.sync_action.setText(_tr("Nu synchroniseren"))
        # the default action set its text as tooltip: ours after it
        self.sync_button.setAccessibleName(_tr("Nu synchroniseren (F5)"))
        self.sync_button.setToolTip(_tr("Nu synchroniseren (F5)"))
        self.person_button.setAccessibleName(_tr("Persoonlijk menu van {name}").format(name=self._display_name))
        self.person_button.setToolTip(_tr("Persoonlijke instellingen, vergrendelen, afmelden, help en diagnose"))
        self.role_item.setText(labels.role(self._role))
        for action, text in (
            (self.settings_action, _tr("Meldingen en persoonlijke instellingen")),
            (self.lock_action, _tr("Vergrendelen")),
            (self.help_action, _tr("Help")),
            (self.diagnose_action, _tr("Verbinding controleren (diagnose)")),
            (self.about_action, _tr("Over MensCentraal Mobiel")),
            (self.language_menu.menuAction(), _tr("Taal / Language")),
            (self.logout_action, _tr("Afmelden")),
        ):
            action.setText(text)
        for code, action in self.language_actions.items():
            action.setChecked(code == current_language())
