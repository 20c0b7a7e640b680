"""No personal data in the service's logs, error answers, audit details or mails: the front door,
and the work routes (notes, searches by citizen number, refused pushes)."""

from __future__ import annotations

import json
import logging

from tests.server.work_client import Worker, case_of, mutation
from tests.service_fixtures import API, enrolled_client, plain_client


def test_front_door_logs_no_names_addresses_or_passwords(service, caplog):
    caplog.set_level(logging.DEBUG)
    person = service.people.user("anouk")
    with enrolled_client(service, "anouk") as client:
        for _ in range(11):
            client.post(f"{API}/sessions", json={"username": "anouk", "password": "a-wrong-password"})
        client.post(f"{API}/sessions", json={"username": "anouk", "password": person.password, "extra": 1})
    with plain_client(service) as anonymous:
        anonymous.post(f"{API}/password-resets", json={"username": "anouk"})
        anonymous.post(
            f"{API}/enrollments",
            json={"username": "anouk", "password": person.password, "code": "AAAA-BBBB-CCCC-DDDD", "csr": "x"},
        )
    service.wait_for_mail(to=person.email, subject="geblokkeerd")
    logged = "\n".join(record.getMessage() + str(record.exc_text or "") for record in caplog.records)
    for secret in (person.username, person.display_name, person.email, person.password, "a-wrong-password"):
        assert secret not in logged, secret


def test_error_answers_do_not_echo_the_input(service_module):
    with plain_client(service_module) as client:
        answer = client.post(f"{API}/password-resets", json={"username": 123, "secret-field": "Jan Jansen 123456782"})
    assert answer.status_code == 400
    assert "Jan Jansen" not in answer.text and "123456782" not in answer.text


# --- the work routes (issue 3): notes, searches by citizen number, pushes refused ---------------

NOTE = "Privacytoets: mevrouw Zwaantje Vlietstra belde over haar schuld van 7711 euro"


def test_work_routes_log_and_answer_no_citizen_data_or_note_text(service, caplog, capfd):
    caplog.set_level(logging.DEBUG)
    # uvicorn's own loggers do not propagate to the root; listen to them as well.
    uvicorn_logger = logging.getLogger("uvicorn")
    uvicorn_logger.addHandler(caplog.handler)
    anouk, bram = Worker(service, "anouk"), Worker(service, "bram")
    try:
        case_id = case_of(service, "anouk", excluding=("bram",))
        citizen, bsn = (
            service.db.conn()
            .execute(
                "SELECT z.name, z.bsn FROM case_citizens cc JOIN citizens z ON z.id = cc.citizen_id WHERE cc.case_id = ?",
                (case_id,),
            )
            .fetchone()
        )
        answers = []

        first = mutation("journal.add", {"case_id": case_id, "entry_id": "privacy-1", "text": NOTE})
        assert anouk.push(first)[0]["status"] == "applied"
        # Refused in every way a push can be refused: not a member, too long, id reused, bad payload.
        answers += bram.push(mutation("journal.add", {"case_id": case_id, "entry_id": "privacy-2", "text": NOTE}))
        answers += anouk.push(
            mutation("journal.add", {"case_id": case_id, "entry_id": "privacy-3", "text": NOTE * 300})
        )
        answers += anouk.push(dict(first, payload={**first["payload"], "text": NOTE + " (anders)"}))
        answers += anouk.push(
            mutation("journal.add", {"case_id": case_id, "entry_id": "privacy-4", "text": NOTE, "bsn": bsn})
        )
        answers += anouk.push(
            mutation(
                "task.create",
                {
                    "task_id": "privacy-task",
                    "case_id": case_id,
                    "type": NOTE,
                    "description": f"{citizen} {bsn}",
                    "team_id": "team-jgn",
                    "assignee_id": bram.user_id,
                },
            )
        )
        assert [a["status"] for a in answers] == ["rejected"] * 5, answers
        # A note for a team queue task travels to the members only as a reference (seed T3).
        queued = anouk.push_one(
            "task.create",
            {
                "task_id": "privacy-queued",
                "case_id": case_id,
                "type": "Bellen",
                "description": NOTE,
                "team_id": "team-jgn",
            },
        )
        assert queued["status"] == "applied"
        mails = service.wait_for_mail(to=service.people.user("bram").email)

        found = anouk.http.post(f"{API}/cases/search", json={"bsn": bsn})
        assert case_id in {c["id"] for c in found.json()["results"]}
        # A colleague who is no member sees at most the closed steps (seed C6): no citizen, no note.
        outsider = bram.http.post(f"{API}/cases/search", json={"bsn": bsn})
        assert outsider.status_code == 200 and citizen not in outsider.text and NOTE not in outsider.text
        problems = [
            anouk.http.post(f"{API}/cases/search", json=body)
            for body in (
                {"bsn": bsn + "0"},
                {"bsn": bsn, "case_number": "Z-1"},
                {"bsn": int(bsn)},
                {"bsn": bsn, "naam": citizen},
            )
        ]
        assert [p.status_code for p in problems] == [400] * 4
        problems.append(
            anouk.http.post(
                f"{API}/sync/push",
                json={
                    "mutations": [first],
                    "offline_reads": [{"case_id": case_id, "opened_at": "2999-01-01T00:00:00Z"}],
                    "notitie": NOTE,
                },
            )
        )
        problems.append(
            anouk.http.post(
                f"{API}/sync/push",
                content=f'{{"mutations": [{{"text": "{NOTE}"'.encode(),
                headers={"content-type": "application/json"},
            )
        )
        assert [p.status_code for p in problems[-2:]] == [400, 400]
        assert all(p.headers["content-type"] == "application/problem+json" for p in problems)
    finally:
        anouk.close()
        bram.close()
        uvicorn_logger.removeHandler(caplog.handler)

    service.context.db.flush_audit()
    audit = " ".join(str(e["detail"] or "") for e in service.audit_entries())
    printed = capfd.readouterr()
    logged = "\n".join(
        record.getMessage() + str(record.exc_text or "")
        for record in caplog.records
        if not record.name.startswith(("httpx", "httpcore"))
    )  # the test's own client
    logged += caplog.text + printed.out + printed.err
    refused = " ".join(json.dumps(a, ensure_ascii=False) for a in answers) + " ".join(p.text for p in problems)
    mailed = " ".join(m.get_content() + str(m["Subject"]) for m in mails)
    for secret in ("Zwaantje", "Vlietstra", "7711", citizen, bsn):
        assert secret not in logged, f"log: {secret}"
        assert secret not in refused, f"problem answer: {secret}"
        assert secret not in audit, f"audit detail: {secret}"
        assert secret not in mailed, f"mail: {secret}"
