"""Dates and numbers as the user's language writes them (desktop.timefmt), switched with the language."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from desktop import i18n
from desktop.timefmt import format_number, local_time, parse_time, recent_time


@pytest.fixture
def english(qapp):
    subprocess.run([sys.executable, "-m", "desktop.i18n_build"], check=True, capture_output=True)
    i18n.install_language("en")
    yield
    i18n.install_language("nl")


def test_service_times_parse_to_aware_utc_and_nonsense_to_none():
    assert parse_time("2026-03-03T13:02:00Z") == dt.datetime(2026, 3, 3, 13, 2, tzinfo=dt.timezone.utc)
    assert parse_time("2026-03-03T13:02:00").tzinfo is dt.timezone.utc  # no zone named: UTC
    assert parse_time("gisteren") is None and parse_time("") is None and parse_time(None) is None


def test_dates_follow_the_chosen_language(qapp, english):
    moment = dt.datetime(2026, 3, 3, 12, 0, tzinfo=dt.timezone.utc)
    local = moment.astimezone()
    assert local_time("2026-03-03T12:00:00Z") == local.strftime("%d/%m/%Y %H:%M")
    assert format_number(20000) == "20,000"
    i18n.install_language("nl")
    assert local_time("2026-03-03T12:00:00Z") == local.strftime("%d-%m-%Y %H:%M")
    assert local_time("2026-03-03T12:00:00Z", with_time=False) == local.strftime("%d-%m-%Y")
    assert format_number(20000) == "20.000"


def test_the_last_sync_shows_only_the_time_today(qapp):
    now = dt.datetime.now(dt.timezone.utc)
    assert recent_time(now) == now.astimezone().strftime("%H:%M")
    assert recent_time(now - dt.timedelta(days=40)) == (now - dt.timedelta(days=40)).astimezone().strftime(
        "%d-%m-%Y %H:%M"
    )
    assert recent_time(None) == "—"


def test_one_parser_for_every_iso_time_of_the_client():
    """The views, the transport and the profile read times with desktop.clock.parse_iso."""
    import desktop.clock
    from desktop import timefmt
    from desktop.sync import transport

    assert timefmt.parse_time is desktop.clock.parse_iso
    assert transport.parse_time("2026-03-03T14:02:00+01:00") == dt.datetime(2026, 3, 3, 13, 2, tzinfo=dt.timezone.utc)
