"""The application's one event filter (issue 19): whatever must see the events of every widget
subscribes here to the event types it needs.

PySide calls Python once per application-wide filter for every event in the application and
wraps the receiver and the event for each call (a new wrapper and a type lookup per event). The
main window's first frame alone is ~450 events, and while a sync runs there are thousands a
second, all on the GUI thread and each call waiting for the interpreter lock the sync threads
share. Three filters (idle watcher, cursor blink, dialog fitter) were three calls per event; the
hub is one, and a handler runs only for the types it asked for.
"""

from __future__ import annotations

from typing import Callable, Iterable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

Handler = Callable[[QObject, QEvent], None]  # (receiver, event); it never consumes the event


class AppEvents(QObject):
    """Dispatches the application's events by type to the handlers that subscribed to it."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._handlers: dict[QEvent.Type, tuple[Handler, ...]] = {}
        app.installEventFilter(self)

    def subscribe(self, types: Iterable[QEvent.Type], handler: Handler, owner: QObject) -> None:
        """Call `handler` for every event of `types` until `owner` is destroyed (or unsubscribes)."""
        for kind in types:
            self._handlers[kind] = self._handlers.get(kind, ()) + (handler,)
        owner.destroyed.connect(lambda *_: self.unsubscribe(handler))

    def unsubscribe(self, handler: Handler) -> None:
        for kind, handlers in list(self._handlers.items()):
            kept = tuple(h for h in handlers if h != handler)
            if kept:
                self._handlers[kind] = kept
            else:
                del self._handlers[kind]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        for handler in self._handlers.get(event.type(), ()):
            handler(watched, event)
        return False


def app_events(app: QApplication | None = None) -> AppEvents:
    """The application's hub, made at first use."""
    app = app or QApplication.instance()
    hub = app.findChild(AppEvents, "appEvents")
    if hub is None:
        hub = AppEvents(app)
        hub.setObjectName("appEvents")
    return hub
