"""The data commands of the command line: sync, cases, queue, tasks, pickup.

    sync [--json]        push queued changes, then pull; exit 0 when it ran to the end (conflicts included),
                         1 when a change is stuck or was not answered (it stays queued)
    changes [--json] [--remove ID | --retry ID]
                         the changes the service did not process or that are stuck, with their text
    cases [--json]       My Cases, from the encrypted cache (works offline)
    queue [--json]       tasks in my teams' work queues
    tasks [--json]       tasks assigned to me
    pickup TASK_ID       pick up a task; applied when online, queued when not

Every command logs in with the password it is given (`--password-stdin`, as `login`), online
first and offline within the grace period. With `--json` standard output holds only JSON;
notices go to standard error. Registered into `desktop.cli` on import.
"""

from __future__ import annotations

import argparse
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP

from desktop import errors
from desktop.cli import EXIT_OK, Context, add_json, add_password_stdin, register_command
from desktop.i18n import translate
from desktop.timefmt import local_time

EXIT_CONFLICT = 1  # pickup lost to a colleague: the task is not the user's

_ID, _TASK, _CASE, _CLIENT = (
    QT_TRANSLATE_NOOP("Cli", "Id"),
    QT_TRANSLATE_NOOP("Cli", "Taak"),
    QT_TRANSLATE_NOOP("Cli", "Zaak"),
    QT_TRANSLATE_NOOP("Cli", "Cliënt / groep"),
)
_DUE = QT_TRANSLATE_NOOP("Cli", "Uiterlijk")
CASE_HEADERS = (
    _ID,
    _CASE,
    _CLIENT,
    QT_TRANSLATE_NOOP("Cli", "Zaaktype"),
    QT_TRANSLATE_NOOP("Cli", "Rol"),
    QT_TRANSLATE_NOOP("Cli", "Huidige stap"),
    QT_TRANSLATE_NOOP("Cli", "Bijgewerkt"),
)
QUEUE_HEADERS = (
    _ID,
    _TASK,
    _CASE,
    _CLIENT,
    QT_TRANSLATE_NOOP("Cli", "Werkbak"),
    QT_TRANSLATE_NOOP("Cli", "Wacht sinds"),
    _DUE,
)
MY_TASK_HEADERS = (_ID, _TASK, _CASE, _CLIENT, QT_TRANSLATE_NOOP("Cli", "Via"), _DUE)


def _configure_list(parser: argparse.ArgumentParser) -> None:
    add_json(parser)
    add_password_stdin(parser)


def _configure_pickup(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "task_id", metavar=translate("Cli", "TAAK_ID"), help=translate("Cli", "id van de taak (zie 'queue')")
    )
    add_json(parser)
    add_password_stdin(parser)


class _Opened:
    """A logged-in session and its workspace for one command; closed in order on exit."""

    def __init__(self, ctx: Context) -> None:
        from desktop.actions import Workspace  # lazy: the cache and sync stack only when a data command runs

        self.session = ctx.logged_in_session()
        try:
            self.workspace = Workspace(self.session, interactive=False)
        except BaseException:
            self.session.close()
            raise

    def __enter__(self) -> "_Opened":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.workspace.close()
        self.session.close()


def _table(ctx: Context, headers: list[str], rows: list[list[str]]) -> None:
    """A plain aligned table for people; scripts use --json."""
    if not rows:
        return
    widths = [max(len(str(h)), *(len(str(r[i])) for r in rows)) for i, h in enumerate(headers)]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip(), file=ctx.stdout)
    for row in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip(), file=ctx.stdout)


# --- sync --------------------------------------------------------------------------------------


def _sync(ctx: Context) -> int:
    with _Opened(ctx) as opened:
        if not opened.session.online:
            raise errors.NeedsConnection()
        result = opened.workspace.sync()
    if ctx.json:
        ctx.emit_json(result.to_json())
    else:
        ctx.say(
            translate("Cli", "Gesynchroniseerd: {pulled} opgehaald, {pushed} verstuurd.").format(
                pulled=result.pulled, pushed=result.pushed
            )
        )
    for entry in result.conflicts + result.rejected:
        print(_refusal_sentence(entry), file=ctx.stderr if ctx.json else ctx.stdout)
    for entry in result.stuck:
        print(
            translate(
                "Cli",
                "Wijziging aan {id} is als geheel geweigerd: {reason} Ze staat bij de niet-verwerkte "
                "wijzigingen: verwijder haar of probeer opnieuw met 'menscentraal changes'.",
            ).format(id=entry["id"], reason=errors.stuck_reason(entry.get("reason"))),
            file=ctx.stderr,
        )
    if result.held_back:
        print(
            translate(
                "Cli",
                "Vastgelopen wijzigingen: {count}; ze worden pas verstuurd als u ze opnieuw probeert "
                "('menscentraal changes').",
            ).format(count=result.held_back),
            file=ctx.stderr,
        )
    if result.unsent:
        print(
            translate(
                "Cli",
                "Wijzigingen zonder antwoord van de dienst: {count}; ze blijven bewaard en worden bij de "
                "volgende synchronisatie opnieuw verstuurd.",
            ).format(count=result.unsent),
            file=ctx.stderr,
        )
    return EXIT_OK if result.complete else EXIT_CONFLICT


def _refusal_sentence(entry: dict) -> str:
    if entry.get("status") == "stuck":
        return errors.stuck_reason(entry.get("reason"))
    held_by = entry.get("held_by")
    if held_by:
        return translate(
            "Cli", "Taak {id} is al opgepakt door {name}; uw wijziging staat bij de niet-verwerkte wijzigingen."
        ).format(id=entry["id"], name=held_by.get("display_name") or held_by.get("id"))
    return translate(
        "Cli", "Wijziging aan {id} is niet verwerkt: {reason} Uw tekst staat bij de niet-verwerkte wijzigingen."
    ).format(id=entry["id"], reason=_reason(entry.get("reason"), entry.get("status")))


# --- changes the service did not process ----------------------------------------------------------


def _configure_changes(parser: argparse.ArgumentParser) -> None:
    which = parser.add_mutually_exclusive_group()
    which.add_argument(
        "--remove", metavar="ID", help=translate("Cli", "verwijder deze wijziging (er wordt niets verstuurd)")
    )
    which.add_argument("--retry", metavar="ID", help=translate("Cli", "verstuur deze vastgelopen wijziging opnieuw"))
    add_json(parser)
    add_password_stdin(parser)


def _changes(ctx: Context) -> int:
    """The unprocessed-changes list: refused or in conflict (the service's answer), removed from
    view, or stuck (refused as a whole request, still queued until the user acts)."""
    from desktop.cache import outbox, queries  # lazy: the cache and sync stack only when a data command runs

    with _Opened(ctx) as opened:
        listed = {c.id: c for c in opened.workspace.read(queries.unprocessed_changes)}
        target = ctx.args.remove or ctx.args.retry
        if target is not None:
            if target not in listed or (ctx.args.retry and listed[target].status != "stuck"):
                raise errors.UnknownChange()
            if ctx.args.remove:
                opened.workspace.writer.call(outbox.dismiss_unprocessed, target)
                ctx.say(translate("Cli", "De wijziging is verwijderd; er wordt niets verstuurd."))
            else:
                opened.workspace.writer.call(outbox.retry_stuck, target)
                ctx.say(
                    translate(
                        "Cli",
                        "De wijziging staat weer in de wachtrij en wordt bij de volgende synchronisatie verstuurd.",
                    )
                )
            return EXIT_OK
    items = [
        {
            "id": c.id,
            "kind": c.kind,
            "status": c.status,
            "reason": c.reason,
            "message": _why(c),
            "text": _own_text(c.payload),
            "case_id": c.case_id,
            "task_id": c.task_id,
            "created_at": c.created_at,
        }
        for c in listed.values()
    ]
    if ctx.json:
        ctx.emit_json(items)
        return EXIT_OK
    if not items:
        ctx.say(translate("Cli", "Alle verstuurde wijzigingen zijn verwerkt."))
    for item in items:
        print(f"{item['id']}  {item['kind']}  {local_time(item['created_at'])}", file=ctx.stdout)
        print(f"    {item['message']}", file=ctx.stdout)
        if item["text"]:
            print("    " + item["text"].replace("\n", "\n    "), file=ctx.stdout)
    return EXIT_OK


def _own_text(payload: dict) -> str:
    return "\n".join(str(payload[key]) for key in ("text", "summary", "description") if payload.get(key))


def _why(change: Any) -> str:
    if change.status == "stuck":
        return errors.stuck_reason(change.reason)
    if change.held_by and change.held_by.get("display_name"):
        return translate("Cli", "{name} had deze taak al opgepakt.").format(name=change.held_by["display_name"])
    if change.status == "removed":
        return translate("Cli", "De zaak of taak is niet meer zichtbaar voor u.")
    return _reason(change.reason, change.status)


def _reason(code: str | None, status: str | None) -> str:
    """A sentence for the service's reason (seed T4, L2): never the code itself."""
    if code in errors.CAPABILITY_REASONS:
        return errors.capability_reason(code)
    if status == "conflict":
        return translate("Cli", "Iemand anders heeft dit intussen gewijzigd.")
    return translate("Cli", "De dienst heeft deze wijziging niet verwerkt.")


# --- lists ----------------------------------------------------------------------------------------


def _cases(ctx: Context) -> int:
    from desktop.cache import queries  # lazy: the cache and sync stack only when a data command runs

    session = ctx.logged_in_session()
    try:
        rows = queries.my_cases(session.cache, limit=None)
    finally:
        session.close()
    items = [
        {
            "id": r.id,
            "number": r.number,
            "client": r.client,
            "case_type": r.case_type,
            "my_role": r.my_role,
            "current_step": r.current_step,
            "updated_at": r.updated_at,
            "status": r.status,
            "pending_changes": r.pending_changes,
        }
        for r in rows
    ]
    if ctx.json:
        ctx.emit_json(items)
        return EXIT_OK
    if not items:
        ctx.say(translate("Cli", "Er staan geen zaken in Mijn zaken; synchroniseer met 'menscentraal sync'."))
    _table(
        ctx,
        [translate("Cli", h) for h in CASE_HEADERS],
        [
            [
                i["id"],
                i["number"],
                i["client"],
                i["case_type"],
                i["my_role"] or "",
                i["current_step"] or "",
                local_time(i["updated_at"]),
            ]
            for i in items
        ],
    )
    return EXIT_OK


def _task_item(task: Any) -> dict:
    return {
        "id": task.id,
        "type": task.type,
        "case_id": task.case_id,
        "case_number": task.case_number,
        "case_type": task.case_type,
        "client": task.citizen_name or task.group_name,
        "citizen_name": task.citizen_name,
        "group_name": task.group_name,
        "team": task.team_name,
        "team_id": task.team_id,
        "assignee": task.assignee_name,
        "status": task.status,
        "via_team_queue": task.via_team_queue,
        "queued_at": task.queued_at,
        "deadline": task.deadline,
        "pending_changes": task.pending_changes,
    }


def _task_list(ctx: Context, which: str) -> int:
    from desktop.cache import queries  # lazy: the cache and sync stack only when a data command runs

    session = ctx.logged_in_session()
    try:
        tasks = queries.team_queue(session.cache) if which == "queue" else queries.my_tasks(session.cache)
    finally:
        session.close()
    items = [_task_item(t) for t in tasks]
    if ctx.json:
        ctx.emit_json(items)
        return EXIT_OK
    if not items:
        ctx.say(
            translate("Cli", "Er zijn geen taken in de werkbakken van uw teams.")
            if which == "queue"
            else translate("Cli", "Er zijn geen taken aan u toegewezen.")
        )
    # Times local and as the user's language writes them (JSON keeps the service's ISO 8601).
    if which == "queue":
        headers = QUEUE_HEADERS
        rows = [
            [
                i["id"],
                i["type"],
                i["case_number"] or "",
                i["client"] or "",
                i["team"] or "",
                local_time(i["queued_at"]),
                local_time(i["deadline"], with_time=False),
            ]
            for i in items
        ]
    else:
        headers = MY_TASK_HEADERS
        rows = [
            [
                i["id"],
                i["type"],
                i["case_number"] or "",
                i["client"] or "",
                (
                    translate("Cli", "Werkbak {team}").format(team=i["team"])
                    if i["via_team_queue"] and i["team"]
                    else translate("Cli", "Direct aan mij")
                ),
                local_time(i["deadline"], with_time=False),
            ]
            for i in items
        ]
    _table(ctx, [translate("Cli", h) for h in headers], rows)
    return EXIT_OK


# --- pickup ---------------------------------------------------------------------------------------


def _pickup(ctx: Context) -> int:
    from desktop import actions  # lazy: the cache and sync stack only when a data command runs

    with _Opened(ctx) as opened:
        change = actions.pickup(opened.workspace, ctx.args.task_id)
    conflict = change.conflict
    if ctx.json:
        ctx.emit_json(
            {
                "id": ctx.args.task_id,
                "status": "stuck"
                if conflict and conflict.get("status") == "stuck"
                else "conflict"
                if conflict and conflict.get("held_by")
                else "rejected"
                if conflict
                else "applied"
                if change.sent
                else "queued",
                **({"reason": conflict["reason"]} if conflict else {}),
                **({"held_by": conflict["held_by"]} if conflict and conflict.get("held_by") else {}),
            }
        )
    if conflict:
        print(_refusal_sentence(conflict), file=ctx.stderr)
        return EXIT_CONFLICT
    if not ctx.json:
        ctx.say(
            translate("Cli", "De taak is opgepakt en staat bij uw taken.")
            if change.sent
            else translate("Cli", "De taak is opgepakt en wordt verstuurd bij de volgende synchronisatie.")
        )
    return EXIT_OK


register_command(
    "sync", _configure_list, _sync, QT_TRANSLATE_NOOP("Cli", "verstuur wijzigingen en haal nieuwe gegevens op")
)
register_command(
    "changes",
    _configure_changes,
    _changes,
    QT_TRANSLATE_NOOP("Cli", "niet-verwerkte en vastgelopen wijzigingen, met uw tekst"),
)
register_command("cases", _configure_list, _cases, QT_TRANSLATE_NOOP("Cli", "Mijn zaken, uit de offline gegevens"))
register_command(
    "queue",
    _configure_list,
    lambda ctx: _task_list(ctx, "queue"),
    QT_TRANSLATE_NOOP("Cli", "taken in de werkbakken van uw teams"),
)
register_command(
    "tasks",
    _configure_list,
    lambda ctx: _task_list(ctx, "tasks"),
    QT_TRANSLATE_NOOP("Cli", "taken die aan u zijn toegewezen"),
)
register_command(
    "pickup",
    _configure_pickup,
    _pickup,
    QT_TRANSLATE_NOOP("Cli", "pak een taak op (offline: bij de volgende synchronisatie)"),
)
