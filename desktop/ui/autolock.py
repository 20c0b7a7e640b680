"""Auto-lock (issue 6): after idle time the window hides all data until the user unlocks.

The application's event hub (desktop.ui.app_events) reports keyboard and mouse activity; a
single-shot timer locks.
The overlay is a child covering the whole window; the data widgets underneath are hidden, not
merely covered, so nothing is painted into a screenshot or read by accessibility tools.
`AutoLock.locked` tells the controller to close the cache and drop its key (`Session.lock()`);
unlocking reopens it with the password, off the GUI thread.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QPushButton, QVBoxLayout, QWidget

from desktop.ui import scaling, theme
from desktop.ui.app_events import app_events
from desktop.ui.login_parts import link_button, password_field
from desktop.ui.widgets import Notice, Retranslatable, Text, muted

ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}
DEFAULT_MINUTES = 15


class IdleWatcher(QObject):
    """Emits `idle` once after `minutes` without input anywhere in the application."""

    idle = Signal()

    def __init__(self, minutes: float = DEFAULT_MINUTES, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.idle)
        self.set_minutes(minutes)
        app_events().subscribe(ACTIVITY, self._activity, owner=self)

    def set_minutes(self, minutes: float) -> None:
        """The organisation's setting (`auto_lock_minutes`)."""
        self.timer.setInterval(max(1, int(minutes * 60_000)))
        self.timer.start()

    def _activity(self, _watched: QObject, _event: QEvent) -> None:
        if self.timer.isActive():
            self.timer.start()

    def pause(self) -> None:
        self.timer.stop()

    def resume(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        if QApplication.instance() is not None:
            app_events().unsubscribe(self._activity)


class LockOverlay(Retranslatable, QWidget):
    """Covers the window; asks for the password; hides the data widgets while shown."""

    unlock_requested = Signal(str)
    logout_requested = Signal()

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.setObjectName("lockOverlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._window = window
        self._hidden: list[QWidget] = []
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addStretch(2)
        icon = QLabel()
        icon.setPixmap(theme.icon("lock").pixmap(56, 56))
        icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(icon)
        self.title = title = QLabel()
        title.setObjectName("pageTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(title)
        self.hint = hint = muted("")
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(hint)
        self.password = password_field()
        self.password.setFixedWidth(scaling.px(320))
        self.password.returnPressed.connect(self._unlock)
        layout.addWidget(self.password, 0, Qt.AlignmentFlag.AlignCenter)
        self.error = Notice("", "warning")
        self.error.setFixedWidth(scaling.px(320))
        self.error.hide()
        layout.addWidget(self.error, 0, Qt.AlignmentFlag.AlignCenter)
        self.unlock_button = QPushButton()
        self.unlock_button.setDefault(True)
        self.unlock_button.setFixedWidth(scaling.px(320))
        self.unlock_button.clicked.connect(self._unlock)
        layout.addWidget(self.unlock_button, 0, Qt.AlignmentFlag.AlignCenter)
        # Another user at this laptop, or the password copy is gone: log out instead.
        self.logout_button = link_button()
        self.logout_button.clicked.connect(self.logout_requested)
        layout.addWidget(self.logout_button, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(3)
        self.hide()
        window.installEventFilter(self)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.title.setText(self.tr("MensCentraal Mobiel is vergrendeld"))
        self.hint.setText(self.tr("Voer uw wachtwoord in om verder te werken."))
        self.password.setPlaceholderText(self.tr("Wachtwoord"))
        self.password.setAccessibleName(self.tr("Wachtwoord om te ontgrendelen"))
        self.unlock_button.setText(self.tr("Ontgrendelen"))
        self.logout_button.setText(self.tr("Afmelden"))
        self.logout_button.setAccessibleName(self.tr("Afmelden in plaats van ontgrendelen"))

    def lock(self) -> None:
        self.unlock_button.setEnabled(True)
        central = self._window.centralWidget()
        self._hidden = [w for w in (central, self._window.statusBar()) if w is not None and w.isVisible()]
        for widget in self._hidden:
            widget.hide()
        self.setGeometry(self._window.rect())
        self.error.hide()
        self.password.clear()
        self.show()
        self.raise_()
        self.password.setFocus()

    def unlock(self) -> None:
        """The password was accepted (by the core): show the data again."""
        self.hide()
        self.password.clear()
        for widget in self._hidden:
            widget.show()
        self._hidden = []

    def refuse(self, sentence: Text) -> None:
        self.error.set_text(sentence)
        self.error.show()
        self.unlock_button.setEnabled(True)
        self.password.selectAll()
        self.password.setFocus()

    @property
    def locked(self) -> bool:
        return self.isVisible() or bool(self._hidden)

    def _unlock(self) -> None:
        if self.password.text():
            self.unlock_button.setEnabled(False)
            self.unlock_requested.emit(self.password.text())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Resize and self.isVisible():
            self.setGeometry(self._window.rect())
        return False


class AutoLock(QObject):
    """Ties the idle watcher, the overlay and the core's unlock together.

    `check_password(password, answer)` must answer off the GUI thread's back (an operation) and
    call `answer(ok, sentence)` on the GUI thread; `locked` fires once per lock, after the data
    is hidden.
    """

    locked = Signal()

    def __init__(
        self,
        window: QMainWindow,
        check_password: Callable[[str, Callable[[bool, str], None]], None],
        minutes: float = DEFAULT_MINUTES,
    ) -> None:
        super().__init__(window)
        self.overlay = LockOverlay(window)
        self.watcher = IdleWatcher(minutes, self)
        self.watcher.idle.connect(self.lock)
        self._check = check_password
        self.overlay.unlock_requested.connect(self._try_unlock)

    @property
    def is_locked(self) -> bool:
        return self.overlay.locked

    def lock(self) -> None:
        if self.overlay.locked:
            return
        self.watcher.pause()
        self.overlay.lock()
        self.locked.emit()

    def _try_unlock(self, password: str) -> None:
        def answer(ok: bool, sentence: str) -> None:
            if ok:
                self.overlay.unlock()
                self.watcher.resume()
            else:
                self.overlay.refuse(sentence)

        self._check(password, answer)

    def stop(self) -> None:
        self.watcher.stop()
