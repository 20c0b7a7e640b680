"""`menscentraal-server`: init, run, enroll-code.

    menscentraal-server init DATA_DIR [--database URL] [--scale N] [--seed S] [--hostname H ...] [--force] [--fast-kdf]
    menscentraal-server run DATA_DIR [--host 127.0.0.1] [--port 8443] [--workers N]
    menscentraal-server enroll-code DATA_DIR USERNAME

`--fast-kdf` writes cheap Argon2 parameters into the configuration: for tests and quick demos only.
`init` makes DATA_DIR 0700; `run` refuses a DATA_DIR that group or others may enter.
`--database postgresql://...` keeps the data in that PostgreSQL database (written to config.json,
so `run` uses it too); without it the data is a SQLite file in DATA_DIR.
`run --workers N` (PostgreSQL only) serves the port with N processes (server_stub/workers.py).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import sys
from dataclasses import replace
from pathlib import Path

from server_stub.config import (
    Argon2Params,
    Config,
    DataDir,
    database_target,
    load_config,
    private_dir_problem,
    save_config,
)
from server_stub.escrow import MasterKeyError, create_master_key
from server_stub.store import DatabaseUnavailable

log = logging.getLogger("server_stub")


class UsageError(Exception):
    """A mistake by the operator: one sentence, no traceback."""


# --- init ------------------------------------------------------------------------------------


def _own_files(layout: DataDir) -> list[Path]:
    db = layout.database
    return [
        layout.config,
        db,
        db.with_name(db.name + "-wal"),
        db.with_name(db.name + "-shm"),
        layout.escrow_master_key,
        layout.ca_cert,
        layout.ca_key,
        layout.server_cert,
        layout.server_key,
        layout.demo_accounts,
        layout.mail,
    ]


def _prepare_directory(layout: DataDir, force: bool) -> None:
    root = layout.root
    if root.exists() and not root.is_dir():
        raise UsageError(f"{root} is geen map; kies een (lege) map voor de gegevens van de dienst.")
    if root.exists() and any(root.iterdir()):
        if not force:
            raise UsageError(
                f"{root} is niet leeg; kies een lege map of gebruik --force om de dienst daar opnieuw in te richten."
            )
        for path in _own_files(layout):
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(root, 0o700)  # mkdir's mode is cut by the umask, and an existing directory keeps its own


def _check_database_url(url: str) -> str:
    if url in ("", "sqlite"):
        return ""
    if not url.startswith(("postgresql://", "postgres://")):
        raise UsageError(
            "--database verwacht een PostgreSQL-adres (postgresql://gebruiker@host/database); "
            "laat het weg voor SQLite in de map van de dienst."
        )
    return url


def _empty_postgres(url: str, force: bool) -> None:
    """A PostgreSQL database for `init` must be empty; with --force its tables are dropped."""
    from server_stub.store import Database

    db = Database(url, pool_size=2)
    try:
        if db.tables():
            if not force:
                raise UsageError(
                    "De PostgreSQL-database is niet leeg; kies een lege database of gebruik --force "
                    "om de dienst daar opnieuw in te richten (alle gegevens erin gaan verloren)."
                )
            db.drop_all()
    finally:
        db.close()


def init(
    data_dir: Path,
    *,
    scale: int = 1,
    seed: int = 1,
    hostnames: tuple[str, ...] = (),
    force: bool = False,
    fast_kdf: bool = False,
    port: int = 8443,
    config_changes: dict | None = None,
    database: str = "",
) -> list[dict]:
    """Create a service instance in `data_dir` with demo data; return the demo accounts."""
    from server_stub import demo_work
    from server_stub.demo_people import build_people, load_people
    from server_stub.pki import OrganisationCA, write_server_files
    from server_stub.store import Database

    layout = DataDir(Path(data_dir))
    database = _check_database_url(database)
    config = Config(
        port=port,
        hostnames=tuple(hostnames),
        database=database,
        argon2=Argon2Params.cheap() if fast_kdf else Argon2Params(),
    )
    if config_changes:
        config = replace(config, **config_changes)
    if config.database:
        _empty_postgres(config.database, force)  # before DATA_DIR is touched: a refusal leaves it as it was
    _prepare_directory(layout, force)
    save_config(layout.root, config)

    ca = OrganisationCA.create()
    ca.save(layout.ca_cert, layout.ca_key)
    write_server_files(ca, config.hostnames, layout.server_cert, layout.server_key)
    layout.mail.mkdir(mode=0o700, exist_ok=True)
    os.chmod(layout.mail, 0o700)
    create_master_key(layout.escrow_master_key)

    db = Database(database_target(layout, config), pool_size=4)
    try:
        db.migrate()
        people = build_people(seed)
        load_people(db, people, config.argon2)
        demo_work.generate(db, people, scale=scale, seed=seed)
    finally:
        db.close()

    accounts = people.demo_accounts()
    fd = os.open(layout.demo_accounts, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(accounts, f, indent=2, ensure_ascii=False)
        f.write("\n")
    return accounts


# --- run -------------------------------------------------------------------------------------


def run(data_dir: Path, *, host: str | None = None, port: int | None = None, workers: int = 1) -> None:
    from server_stub.mail import MailSink
    from server_stub.tls import bind_socket

    layout = DataDir(Path(data_dir))
    if not layout.config.exists():
        raise UsageError(f"{layout.root} is geen map van de dienst; maak er eerst een met 'menscentraal-server init'.")
    # As ssh and PostgreSQL do: keys, the database and mail with temporary passwords live here.
    problem = private_dir_problem(layout.root)
    if problem:
        raise UsageError(problem)
    config = load_config(layout.root)
    if workers < 1:
        raise UsageError("--workers moet 1 of meer zijn.")
    if workers > 1 and not config.database:
        raise UsageError(
            "Met SQLite draait de dienst in één proces (één databasebestand, één schrijver): gebruik --workers 1, "
            "of richt de dienst in op PostgreSQL (init --database postgresql://...) voor meer workers."
        )
    config = replace(config, host=host or config.host, port=config.port if port is None else port)
    sink = None
    if config.mail.sink:
        sink = MailSink(layout.mail, config.mail.host, config.mail.port)
        config = replace(config, mail=replace(config.mail, port=sink.start()))
    try:
        try:
            sock = bind_socket(config.host, config.port)
        except OSError as exc:
            raise UsageError(
                f"Poort {config.port} op {config.host} is niet beschikbaar ({exc.strerror}); kies een andere met --port."
            ) from None

        def say_ready() -> None:
            print(f"De dienst draait op https://{config.host}:{sock.getsockname()[1]}/api/v1 (alleen TLS 1.3).")
            if workers > 1:
                print(f"{workers} workers op dezelfde poort; SIGHUP vervangt ze een voor een.")
            print(f"Organisatie-CA: {layout.ca_cert}")
            if sink:
                print(f"E-mail wordt opgevangen in {layout.mail} (SMTP op {config.mail.host}:{sink.port}).")
            print(f"Demo-accounts: {layout.demo_accounts}. Stoppen: Ctrl+C.", flush=True)

        if workers == 1:
            _serve_here(layout, config, sock, say_ready)
        else:
            _serve_workers(layout, config, sock, workers, say_ready)
    finally:
        if sink:
            sink.stop()


def _serve_here(layout: DataDir, config: Config, sock, say_ready) -> None:
    """One process: the app in this one."""
    from server_stub.app import create_app, settle_heap
    from server_stub.tls import server_ssl_context, uvicorn_server

    app = create_app(layout.root, config=config)
    context = server_ssl_context(layout.server_cert, layout.server_key, layout.ca_cert)
    server = uvicorn_server(app, context, host=config.host, port=sock.getsockname()[1])
    settle_heap()
    say_ready()
    server.run(sockets=[sock])


def _serve_workers(layout: DataDir, config: Config, sock, workers: int, say_ready) -> None:
    from server_stub import workers as supervisor
    from server_stub.app import open_context

    # Checked (and migrated) once here, so that a database that is away or a broken DATA_DIR is
    # one sentence, not N workers failing in turn.
    context = open_context(layout.root, config)
    try:
        _warn_about_connections(context.db, config, workers)
    finally:
        context.db.close()
    if not supervisor.serve(layout, config, sock, workers, say_ready):
        raise UsageError("De workers van de dienst konden niet starten; de reden staat hierboven.")


def _warn_about_connections(db, config: Config, workers: int) -> None:
    """Each worker keeps its own pool (`database_pool_size`) plus a LISTEN connection."""
    needed = workers * (config.database_pool_size + 1)
    available = int(db.conn().execute("SHOW max_connections").fetchone()[0])
    if needed > available:
        print(
            f"Let op: {workers} workers gebruiken samen tot {needed} databaseverbindingen, meer dan max_connections "
            f"({available}) van PostgreSQL; verlaag database_pool_size in config.json of verhoog max_connections.",
            file=sys.stderr,
        )


# --- enroll-code -------------------------------------------------------------------------------


def enroll_code(data_dir: Path, username: str) -> str:
    from server_stub.app import open_context
    from server_stub.store import accounts as store

    layout = DataDir(Path(data_dir))
    if not layout.config.exists():
        raise UsageError(f"{layout.root} is geen map van de dienst; maak er eerst een met 'menscentraal-server init'.")
    context = open_context(layout.root)
    try:
        user = store.user_by_username(context.db.conn(), username.strip().lower())
        if user is None:
            raise UsageError(
                f"Er is geen gebruiker '{username}'; kijk in {layout.demo_accounts} voor de gebruikersnamen."
            )
        code, expires_at = context.accounts.issue_enrollment_code(user["id"], None)
    finally:
        context.db.close()
    print(f"Aanmeldcode voor {user['username']}, eenmalig te gebruiken, geldig tot {expires_at}:")
    print(code)
    return code


# --- the command line --------------------------------------------------------------------------

# argparse's own words in Dutch, as the rest of this command speaks (argparse looks `_` and
# `ngettext` up in its module when it speaks). The client has its own copy: they share no code.
_ARGPARSE_DUTCH = {
    "usage: ": "gebruik: ",
    "options": "opties",
    "positional arguments": "argumenten",
    "show this help message and exit": "toon deze hulp en stop",
    "the following arguments are required: %s": "de volgende argumenten zijn verplicht: %s",
    "unrecognized arguments: %s": "onbekende argumenten: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "ongeldige keuze: %(value)r (kies uit %(choices)s)",
    "invalid %(type)s value: %(value)r": "ongeldige waarde (%(type)s): %(value)r",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s: %(message)s",
    "expected one argument": "verwacht één waarde",
    "ambiguous option: %(option)s could match %(matches)s": "dubbelzinnige optie: %(option)s kan %(matches)s zijn",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fout: %(message)s\n",
}


def _dutch_argparse() -> None:
    argparse._ = lambda message: _ARGPARSE_DUTCH.get(message, message)
    argparse.ngettext = lambda singular, plural, n: _ARGPARSE_DUTCH.get(
        singular if n == 1 else plural, singular if n == 1 else plural
    )


def _parser() -> argparse.ArgumentParser:
    _dutch_argparse()
    parser = argparse.ArgumentParser(
        prog="menscentraal-server", description="Stub van de centrale MensCentraal-dienst."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="OPDRACHT", title="opdrachten")

    p = commands.add_parser("init", help="maak DATA_DIR: CA, certificaten, database, configuratie, demogegevens")
    p.add_argument("data_dir", type=Path, metavar="DATA_DIR", help="map voor de gegevens van de dienst")
    p.add_argument(
        "--database",
        default="",
        metavar="URL",
        help="postgresql://... : bewaar de gegevens in deze (lege) PostgreSQL-database; standaard SQLite in DATA_DIR",
    )
    p.add_argument(
        "--scale",
        type=int,
        default=1,
        metavar="N",
        help="1: de gewone demo (200 zaken); N >= 2: N zaken, alle in Mijn zaken van bench",
    )
    p.add_argument(
        "--seed",
        type=int,
        default=1,
        metavar="S",
        help="startwaarde van de demogegevens (zelfde waarde, zelfde gegevens)",
    )
    p.add_argument(
        "--hostname",
        action="append",
        default=[],
        metavar="NAAM",
        help="extra hostnaam of adres voor het servercertificaat",
    )
    p.add_argument("--port", type=int, default=8443, metavar="POORT", help="poort in de configuratie voor 'run'")
    p.add_argument(
        "--force", action="store_true", help="maak de bestanden van de dienst opnieuw in een niet-lege DATA_DIR"
    )
    p.add_argument(
        "--fast-kdf", action="store_true", help="goedkope Argon2-instellingen: alleen voor tests en snelle demo's"
    )

    p = commands.add_parser("run", help="bied DATA_DIR aan over HTTPS (TLS 1.3) en start de e-mailopvang")
    p.add_argument("data_dir", type=Path, metavar="DATA_DIR", help="map met de gegevens van de dienst")
    p.add_argument(
        "--host",
        default=None,
        metavar="ADRES",
        help="adres om op te luisteren (standaard uit de configuratie: 127.0.0.1)",
    )
    p.add_argument(
        "--port", type=int, default=None, metavar="POORT", help="poort (standaard uit de configuratie: 8443)"
    )
    p.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="aantal werkprocessen op dezelfde poort (standaard 1; meer dan 1 alleen met PostgreSQL)",
    )

    p = commands.add_parser("enroll-code", help="toon een eenmalige aanmeldcode voor een apparaat van GEBRUIKER")
    p.add_argument("data_dir", type=Path, metavar="DATA_DIR", help="map met de gegevens van de dienst")
    p.add_argument("username", metavar="GEBRUIKER", help="gebruikersnaam")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        if args.command == "init":
            if args.scale < 0:
                raise UsageError("--scale moet 0 of groter zijn.")
            accounts = init(
                args.data_dir,
                scale=args.scale,
                seed=args.seed,
                hostnames=tuple(args.hostname),
                force=args.force,
                fast_kdf=args.fast_kdf,
                port=args.port,
                database=args.database,
            )
            print(
                f"Dienst ingericht in {args.data_dir}. Demo-accounts (ook in {DataDir(args.data_dir).demo_accounts}):"
            )
            for account in accounts:
                teams = ", ".join(account["teams"]) or "-"
                print(
                    f"  {account['username']:<8} {account['password']:<32} {account['role']:<17} "
                    f"{account['organisation']} ({teams})"
                )
        elif args.command == "run":
            run(args.data_dir, host=args.host, port=args.port, workers=args.workers)
        elif args.command == "enroll-code":
            enroll_code(args.data_dir, args.username)
    except (UsageError, MasterKeyError, DatabaseUnavailable) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
