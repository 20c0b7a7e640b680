"""Status changes said to assistive technology, not only painted (WCAG 4.1.3, status messages).

A screen reader reads what has the focus. A sync that ends, the connection that drops or comes
back, a change the service refused and the outcome of a pick-up happen elsewhere on the screen: the
UI announces those through here. Qt turns the announcement into the platform's event (AT-SPI
`object:announcement` on Linux, a UI Automation notification on Windows); the screen reader says
it without moving the focus. tests/a11y/test_screens_atspi.py hears them on the AT-SPI bus.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent


def announce(source: QObject, message: str, *, urgent: bool = False) -> None:
    """Say `message` (already translated) on behalf of `source`, the widget that shows it.
    `urgent` interrupts what the screen reader is saying (a change refused); the rest waits."""
    if not message:
        return
    event = QAccessibleAnnouncementEvent(source, message)
    politeness = QAccessible.AnnouncementPoliteness
    event.setPoliteness(politeness.Assertive if urgent else politeness.Polite)
    QAccessible.updateAccessibility(event)


class StatusAnnouncer:
    """Announces a status when it changes, not each time the UI sets it again (the status bar is
    refreshed every few seconds and after every sync). One per widget that shows statuses."""

    def __init__(self, source: QObject) -> None:
        self._source = source
        self._said: dict[str, object] = {}

    def changed(self, topic: str, state: object, message: str, *, urgent: bool = False) -> None:
        """`state` is what is compared (e.g. online or not), `message` what is said when it changed;
        the first state of a topic is what the screen shows on opening: not announced."""
        known = topic in self._said
        if known and self._said[topic] == state:
            return
        self._said[topic] = state
        if known:
            announce(self._source, message, urgent=urgent)
