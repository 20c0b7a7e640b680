"""Moments in one place: parsed from the ISO 8601 text the service and the cache write, and shown
in the user's language (Qt's locale for it: '03-03-2026 14:02' in Dutch, '03/03/2026 14:02' in
English). QtCore only, so the command line can use it too."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QDateTime, QLocale, QTime

from desktop.clock import parse_iso as parse_time  # the one parser; the views import it from here
from desktop.i18n import current_language

# English as written in the Netherlands and the UK: day before month, a 24-hour clock.
LOCALES = {"nl": "nl_NL", "en": "en_GB"}


def locale() -> QLocale:
    """The locale of the language the user chose (not the system's: the texts and dates agree)."""
    return QLocale(LOCALES.get(current_language(), "nl_NL"))


def format_moment(moment: dt.datetime | None, *, date: bool = True, time: bool = True) -> str:
    """`moment` in local time as the user's language writes it: date and time, or one of them."""
    if moment is None:
        return ""
    local = moment.astimezone()
    qdate, qtime = QDate(local.year, local.month, local.day), QTime(local.hour, local.minute, local.second)
    short = QLocale.FormatType.ShortFormat
    if date and time:
        return locale().toString(QDateTime(qdate, qtime), short)
    return locale().toString(qdate, short) if date else locale().toString(qtime, short)


def local_time(iso: str | None, with_date: bool = True, with_time: bool = True) -> str:
    """An ISO time from the service or the cache, shown as `format_moment` does ('' if none)."""
    return format_moment(parse_time(iso), date=with_date, time=with_time)


def recent_time(moment: dt.datetime | None) -> str:
    """Only the time today, the date and time before: the last sync in the status bar."""
    if moment is None:
        return "—"
    today = moment.astimezone().date() == dt.datetime.now().astimezone().date()
    return format_moment(moment, date=not today)


def format_number(n: int) -> str:
    """'20.000' in Dutch, '20,000' in English."""
    return locale().toString(n)
