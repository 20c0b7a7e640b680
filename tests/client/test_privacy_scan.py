"""No personal data of the demo in any file of the profile, nor in the command's output on stderr."""

from __future__ import annotations

import sqlite3

from tests.client.test_cli import run_cli


def demo_personal_data(service, username: str) -> list[str]:
    """Citizen names, citizen numbers and note texts of the demo, and the user's own details."""
    conn = sqlite3.connect(service.layout.database)
    try:
        needles = [row[0] for row in conn.execute("SELECT name FROM citizens")]
        needles += [row[0] for row in conn.execute("SELECT bsn FROM citizens")]
        needles += [row[0][:40] for row in conn.execute("SELECT text FROM journal_entries")]
        user = conn.execute("SELECT display_name, email FROM users WHERE username = ?", (username,)).fetchone()
    finally:
        conn.close()
    return [n for n in needles + [user[0], user[1], service.password(username)] if n and len(n) >= 6]


def found_in(root, needles: list[str]) -> list[tuple[str, str]]:
    hits = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        content = path.read_bytes()
        for needle in needles:
            for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
                if needle.encode(encoding) in content:
                    hits.append((path.name, encoding))
    return hits


def test_profile_holds_no_personal_data_after_enroll_and_login(service, tmp_path):
    profile = tmp_path / "profile"
    password = service.password("anouk")
    enrolled = run_cli(
        "--profile",
        str(profile),
        "enroll",
        "--server",
        service.url,
        "--ca",
        str(service.ca_path),
        "--user",
        "anouk",
        "--code",
        service.enroll_code("anouk"),
        "--password-stdin",
        stdin=password + "\n",
    )
    assert enrolled.returncode == 0, enrolled.stderr
    logged_in = run_cli("--profile", str(profile), "login", "--password-stdin", stdin=password + "\n")
    assert logged_in.returncode == 0, logged_in.stderr

    needles = demo_personal_data(service, "anouk")
    assert len(needles) > 100  # the demo has citizens and notes; the scan must have something to find
    assert found_in(profile, needles) == []
    for output in (enrolled.stdout, enrolled.stderr, logged_in.stdout, logged_in.stderr):
        assert not [n for n in needles if n in output]
