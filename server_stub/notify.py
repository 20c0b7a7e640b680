"""The e-mails the work sends: a task in my team's queue (T3), a task assigned to me, added to a case.

Recipients are chosen inside the transaction that made the change (so they match it) and the
mails are handed to the mailer after the commit. A mail never goes to the person who caused it
and never holds citizen data or free text typed by users: only a reference (task id, case
number, and a `menscentraal://taak/ID` link that opens the task in the client) and where to switch
the mails off (T6).
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass

from server_stub.store import work

log = logging.getLogger("server_stub.notify")

_FOOTER = (
    "\n\nOpen MensCentraal Mobiel om de details te bekijken."
    "\nU ontvangt deze e-mail door uw persoonlijke instellingen; daar kunt u hem uitzetten."
    " Controleer eerst de afspraken in uw team, zodat geen actie blijft liggen."
)


# The client's URL scheme (its .desktop file and Windows installer register it): opens the task in the app.
TASK_LINK = "menscentraal://taak/{task_id}"


def _task_lines(task_id: str, case_number: str) -> str:
    return (
        f"\nTaakreferentie: {task_id}\nZaaknummer: {case_number}"
        f"\nOpen de taak in MensCentraal Mobiel: {TASK_LINK.format(task_id=task_id)}"
    )


@dataclass(frozen=True)
class Mail:
    to_address: str
    subject: str
    body: str


def _team_name(conn: sqlite3.Connection, team_id: str) -> str:
    row = conn.execute("SELECT name FROM teams WHERE id = ?", (team_id,)).fetchone()
    return row[0] if row else ""


def team_queue_mails(
    conn: sqlite3.Connection, *, team_id: str, task_id: str, case_number: str, sender_id: str
) -> list[Mail]:
    """Every active member of the team who wants it, except the sender (T3, T6)."""
    team = _team_name(conn, team_id)
    subject = f"Nieuwe taak in de werkbak van {team}"
    body = (
        f"Er staat een nieuwe taak in de werkbak van {team}."
        + _task_lines(task_id, case_number)
        + "\nWie de taak oppakt, spreekt uw team onderling af."
        + _FOOTER
    )
    return [
        Mail(address, subject, body)
        for user_id, address in work.wants_team_queue_email(conn, team_id)
        if user_id != sender_id
    ]


def assigned_mails(
    conn: sqlite3.Connection, *, user_id: str, task_id: str, case_number: str, sender_id: str
) -> list[Mail]:
    if user_id == sender_id:
        return []
    address = work.email_if_wanted(conn, user_id, "email_on_assigned")
    if address is None:
        return []
    body = "Er is een taak aan u toegewezen." + _task_lines(task_id, case_number) + _FOOTER
    return [Mail(address, "Er is een taak aan u toegewezen", body)]


def added_to_case_mails(
    conn: sqlite3.Connection, *, user_id: str, case_number: str, role: str, sender_id: str
) -> list[Mail]:
    if user_id == sender_id:
        return []
    address = work.email_if_wanted(conn, user_id, "email_on_added_to_case")
    if address is None:
        return []
    role_nl = "zaakcoördinator" if role == "coordinator" else "zaakondersteuner"
    body = (
        f"U bent {role_nl} geworden van een zaak.\nZaaknummer: {case_number}"
        "\nDe zaak staat nu onder Mijn zaken." + _FOOTER
    )
    return [Mail(address, f"U bent {role_nl} van zaak {case_number}", body)]


def send_all(mailer, mails: list[Mail]) -> None:
    """Hand mails to the mailer (its outbox retries delivery); call after the commit."""
    for mail in mails:
        try:
            mailer.send(mail.to_address, mail.subject, mail.body)
        except Exception:  # the change is committed; a lost notice must not fail the request
            log.exception("queueing a notification mail failed")
