"""Time the client can trust: anchored on the service's clock, guarded by the boot clock and a
high-water mark of the local clock.

The local wall clock alone decides nothing that destroys data or lets audit records be dropped:
- The anchor is the service's time at the last contact (its HTTP `Date`), with the local wall
  clock and the boot clock read at the same moment.
- Elapsed time since the contact comes from the boot clock (CLOCK_BOOTTIME counts suspend and
  ignores changes of the wall clock) while the machine has not rebooted; after a reboot from the
  wall clock, measured on its own scale (a clock that is fast by a constant neither stretches
  nor shortens the grace period) and never less than the high-water mark says has passed.
- The high-water mark is the latest local time known to have passed. After a reboot, a wall clock
  below it has moved backwards: the offline lock closes, the wipe never runs on it.
- In the same boot, a wall clock that disagrees with the boot clock has jumped; the boot clock
  wins, and the jump is reported as skew.

`estimated` (server time at the contact + elapsed) is what offline reads and offline notes carry
beside the local time; the service judges by it (docs/API.md).
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

UTC = dt.timezone.utc
TOLERANCE = dt.timedelta(minutes=5)  # NTP slews and a second-resolution Date header stay within this
MARK_STEP = dt.timedelta(minutes=1)  # the high-water mark is saved when it moved at least this far
BOOT_ID_PATH = Path("/proc/sys/kernel/random/boot_id")


def utc_now() -> dt.datetime:
    return dt.datetime.now(UTC)


def boot_seconds() -> float:
    """Seconds since boot, suspend included, never changed by setting the wall clock."""
    clock_id = getattr(time, "CLOCK_BOOTTIME", None)
    return time.clock_gettime(clock_id) if clock_id is not None else time.monotonic()


def boot_id() -> str:
    """An id of this boot ("" where the system has none: then no two readings share a boot)."""
    try:
        return BOOT_ID_PATH.read_text().strip()
    except OSError:
        return ""


def iso(moment: dt.datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def stamp(moment: dt.datetime) -> str:
    """An audit stamp: ISO 8601 UTC with Z, to the microsecond (two opens are two records)."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def parse_iso(text: object) -> dt.datetime | None:
    """The client's one parser of ISO 8601 times (the service's answers, the cache, profile.json):
    an aware datetime in UTC, or None for nothing or nonsense. A text that names no zone is read
    as UTC, which is what every writer we know of means by it."""
    if not isinstance(text, str) or not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.astimezone(UTC) if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Sources:
    """Where the time comes from; tests inject fakes for all three."""

    wall: Callable[[], dt.datetime] = utc_now
    boot: Callable[[], float] = boot_seconds
    boot_id: Callable[[], str] = boot_id


@dataclass(frozen=True)
class Mark:
    """One reading: a wall time with the boot clock beside it."""

    wall: dt.datetime
    boot: float | None = None
    boot_id: str = ""

    def to_json(self) -> dict:
        return {"wall": iso(self.wall), "boot": self.boot, "boot_id": self.boot_id}

    @classmethod
    def from_json(cls, data: object) -> "Mark | None":
        if not isinstance(data, dict):
            return None
        wall = parse_iso(data.get("wall"))
        boot = data.get("boot")
        if (
            wall is None
            or not (boot is None or isinstance(boot, (int, float)))
            or not isinstance(data.get("boot_id", ""), str)
        ):
            return None
        return cls(wall, float(boot) if boot is not None else None, data.get("boot_id", ""))

    def elapsed_to(self, now: "Mark") -> dt.timedelta | None:
        """Boot-clock time from this mark to `now`, when both are of the same boot."""
        if self.boot is None or now.boot is None or not self.boot_id or self.boot_id != now.boot_id:
            return None
        return dt.timedelta(seconds=max(0.0, now.boot - self.boot))


@dataclass(frozen=True)
class Anchor:
    """What profile.json keeps: the service's time at the last contact, the local reading at that
    moment, and the high-water mark of the local clock."""

    server_time: dt.datetime
    contact: Mark
    high_water: Mark

    def to_json(self) -> dict:
        return {
            "server_time": iso(self.server_time),
            "contact": self.contact.to_json(),
            "high_water": self.high_water.to_json(),
        }

    @classmethod
    def from_json(cls, data: object) -> "Anchor | None":
        if not isinstance(data, dict):
            return None
        server_time = parse_iso(data.get("server_time"))
        contact, high_water = Mark.from_json(data.get("contact")), Mark.from_json(data.get("high_water"))
        if server_time is None or contact is None or high_water is None:
            return None
        return cls(server_time, contact, high_water)

    @classmethod
    def legacy(cls, last_contact: dt.datetime) -> "Anchor":
        """A profile from before this module: only the contact time, taken as all three."""
        return cls(last_contact, Mark(last_contact), Mark(last_contact))


def mark_now(sources: Sources) -> Mark:
    return Mark(sources.wall(), sources.boot(), sources.boot_id())


def contact_anchor(server_time: dt.datetime, sources: Sources) -> Anchor:
    """The service answered with its time: a fresh anchor (the high-water mark starts again too)."""
    now = mark_now(sources)
    return Anchor(server_time.astimezone(UTC), now, now)


@dataclass(frozen=True)
class Reading:
    """The time now, as far as this device can tell."""

    local: dt.datetime
    estimated: dt.datetime  # server-anchored; the local time when there never was a contact
    elapsed: dt.timedelta | None  # since the last contact; None without one
    backwards: bool  # the local clock is below the high-water mark
    jumped: bool  # the local clock disagrees with the boot clock (same boot)
    now: Mark

    @property
    def skew(self) -> dt.timedelta:
        return self.local - self.estimated


def read(anchor: Anchor | None, sources: Sources) -> Reading:
    now = mark_now(sources)
    if anchor is None:
        return Reading(now.wall, now.wall, None, False, False, now)
    below_mark = now.wall < anchor.high_water.wall - TOLERANCE
    since_contact = anchor.contact.elapsed_to(now)
    jumped = False
    # Backwards counts only where the boot clock cannot vouch for the elapsed time (a reboot
    # since both the contact and the mark); where it can, the wall clock merely disagrees.
    backwards = below_mark and since_contact is None and anchor.high_water.elapsed_to(now) is None
    if since_contact is not None:
        elapsed = since_contact
        jumped = abs((now.wall - anchor.contact.wall) - since_contact) > TOLERANCE
    else:
        # Rebooted since the contact: the wall clock on its own scale, never less than what the
        # high-water mark proves has passed (plus the boot clock since that mark, same boot).
        known = anchor.high_water.wall - anchor.contact.wall
        since_mark = anchor.high_water.elapsed_to(now)
        if since_mark is not None:
            known += since_mark
            jumped = abs((now.wall - anchor.high_water.wall) - since_mark) > TOLERANCE
            elapsed = known
        else:
            elapsed = max(known, now.wall - anchor.contact.wall)
        elapsed = max(elapsed, dt.timedelta(0))
    return Reading(now.wall, anchor.server_time + elapsed, elapsed, backwards, jumped, now)


def advance_high_water(anchor: Anchor | None, reading: Reading) -> Anchor | None:
    """The anchor with the high-water mark moved up to now, or None when it need not change.

    A wall clock that jumped is not believed: the mark moves to what the local clock should read,
    so that a user who corrects a fast clock is not then locked out as "moved backwards".
    """
    if anchor is None or reading.elapsed is None or reading.backwards:
        return None
    local = reading.local if not reading.jumped else anchor.contact.wall + reading.elapsed
    if local < anchor.high_water.wall + MARK_STEP:
        return None
    return Anchor(anchor.server_time, anchor.contact, Mark(local, reading.now.boot, reading.now.boot_id))
