"""The command line: `menscentraal --profile DIR COMMAND`, headless, Dutch by default.

    enroll --server URL --ca CA.pem --user NAME --code CODE [--password-stdin]
    login [--password-stdin]      (a definitive password, when demanded, on the second line)
    doctor [--json]               never prompts, needs no password; exit 0 only if all pass
    wipe

Expected failures print one sentence on standard error (or a JSON object with `--json`) and
exit non-zero without a traceback. More commands register themselves through `register_command`
(see `desktop.cli_data`, which adds the data commands).
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import sys
from dataclasses import dataclass, field
from typing import Any, Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP

from desktop import cli_argparse, errors, i18n
from desktop.i18n import translate
from desktop.org_config import enrollment_target, load_organisation
from desktop.profile import Profile, ProfileError
from desktop.version import version_line

# LAZY: the modules behind the commands (session, vault, keychain, cache, doctor, the data commands
# of cli_data) are imported by the command that needs them: they pull in httpx, cryptography,
# SQLCipher and keyring, which would add about 0.3 s to every start, `--version` and `--help` too.

EXIT_OK = 0
EXIT_BUG = 70
NO_KEYRING_ENV = "MENSCENTRAAL_NO_KEYRING"  # "1": password-only mode, never touch the OS keychain
KDF_ENV = "MENSCENTRAAL_KDF"  # "memory_kib,iterations,lanes": cheaper Argon2id for tests only
DEBUG_ENV = "MENSCENTRAAL_DEBUG"

Handler = Callable[["Context"], int]


@dataclass
class Context:
    """What every command gets: the parsed arguments, the profile and the secret store."""

    args: argparse.Namespace
    stdin: Any = field(default_factory=lambda: sys.stdin)
    stdout: Any = field(default_factory=lambda: sys.stdout)
    stderr: Any = field(default_factory=lambda: sys.stderr)
    _stdin_lines: list[str] | None = None

    @property
    def json(self) -> bool:
        return bool(getattr(self.args, "json", False))

    @property
    def profile(self):
        return Profile.resolve(self.args.profile)

    @property
    def secrets(self):
        """The approved OS keychain, or None: password-only mode."""
        if os.environ.get(NO_KEYRING_ENV) == "1":
            return None
        from desktop.secrets import approved_system_store  # lazy: see LAZY above

        return approved_system_store()

    @property
    def kdf(self):
        from desktop.vault import KdfParams  # lazy: see LAZY above

        return KdfParams.from_environment()

    # --- input and output ---

    def _line(self, index: int) -> str | None:
        """Line `index` of standard input (`--password-stdin`); read once, all lines kept."""
        if self._stdin_lines is None:
            self._stdin_lines = self.stdin.read().splitlines()
        lines = self._stdin_lines
        return lines[index] if index < len(lines) and lines[index] else None

    def password(self) -> str:
        if getattr(self.args, "password_stdin", False):
            value = self._line(0)
            if value is None:
                raise errors.PasswordMissing()
            return value
        return self._prompt(translate("Cli", "Wachtwoord: "))

    def new_password(self) -> str:
        """The definitive password the service demands after a temporary one."""
        if getattr(self.args, "password_stdin", False):
            value = self._line(1)
            if value is None:
                raise errors.NewPasswordMissing()
            return value
        self.say(errors.PasswordChangeRequired().message())
        first = self._prompt(translate("Cli", "Nieuw wachtwoord: "))
        if first != self._prompt(translate("Cli", "Herhaal nieuw wachtwoord: ")):
            raise PasswordsDiffer()
        return first

    def _prompt(self, label: str) -> str:
        if not (self.stdin.isatty() and sys.stderr.isatty()):
            raise errors.PasswordInputUnavailable()
        value = getpass.getpass(label)
        if not value:
            raise errors.PasswordMissing()
        return value

    def say(self, sentence: str) -> None:
        """A notice for the person: stdout normally, stderr under --json (stdout is only JSON)."""
        print(sentence, file=self.stderr if self.json else self.stdout)

    def emit_json(self, value: Any) -> None:
        json.dump(value, self.stdout, ensure_ascii=False, indent=2)
        self.stdout.write("\n")

    # --- the session ---

    def session(self):
        from desktop.session import Session  # lazy: see LAZY above

        return Session(self.profile, self.secrets, kdf=self.kdf)

    def logged_in_session(self):
        """A session logged in with the given password (online if possible, else offline)."""
        session = self.session()
        try:
            self.login(session)
        except BaseException:
            session.close()
            raise
        return session

    def login(self, session) -> Any:
        if not session.enrolled:
            raise errors.NotEnrolled()
        password = self.password()
        try:
            outcome = session.login(password, self._known_new_password())
        except errors.PasswordChangeRequired:
            outcome = session.choose_password(self.new_password())
        for warning in outcome.warnings:
            print(warning, file=self.stderr)
        if not outcome.online and outcome.offline_reason is not None:
            print(
                translate("Cli", "Offline gewerkt: {reason}").format(reason=outcome.offline_reason.message()),
                file=self.stderr,
            )
        return outcome

    def _known_new_password(self) -> str | None:
        if getattr(self.args, "password_stdin", False):
            return self._line(1)
        return None


class PasswordsDiffer(errors.ClientError):
    code = "passwords-differ"
    text = QT_TRANSLATE_NOOP("Errors", "De twee nieuwe wachtwoorden zijn niet gelijk; probeer het opnieuw.")
    exit_code = errors.EXIT_USAGE


# --- commands -----------------------------------------------------------------------------------

_COMMANDS: list[tuple[str, Callable[[argparse.ArgumentParser], None], Handler, str]] = []


def register_command(
    name: str, configure: Callable[[argparse.ArgumentParser], None], handler: Handler, help_text: str = ""
) -> None:
    """Add a subcommand: `configure` adds its arguments, `handler(context)` returns the exit code.

    Mark `help_text` with `QT_TRANSLATE_NOOP("Cli", ...)` so lupdate finds it; it is translated
    when the parser is built."""
    _COMMANDS.append((name, configure, handler, help_text))


def add_password_stdin(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--password-stdin",
        action="store_true",
        help=translate("Cli", "lees het wachtwoord van de eerste regel van standaardinvoer"),
    )


def add_json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help=translate("Cli", "alleen JSON op standaarduitvoer"))


def _configure_enroll(parser: argparse.ArgumentParser) -> None:
    # Both come from the organisation file on a managed device (desktop.org_config).
    parser.add_argument("--server", metavar="URL", help=translate("Cli", "adres van de dienst (https://…)"))
    parser.add_argument(
        "--ca", metavar=translate("Cli", "BESTAND"), help=translate("Cli", "CA-certificaat van uw organisatie (PEM)")
    )
    parser.add_argument(
        "--user", required=True, metavar=translate("Cli", "NAAM"), help=translate("Cli", "uw gebruikersnaam")
    )
    parser.add_argument(
        "--code", required=True, metavar="CODE", help=translate("Cli", "eenmalige aanmeldcode van uw lokaal beheerder")
    )
    add_password_stdin(parser)


def _enroll(ctx: Context) -> int:
    from desktop.session import enroll_device  # lazy: see LAZY above

    server, ca_path = enrollment_target(ctx.args.server, ctx.args.ca)
    try:
        ca_pem = open(ca_path, "rb").read()
    except OSError:
        raise errors.InvalidCaFile() from None
    password = ctx.password()
    try:
        session, outcome = enroll_device(
            ctx.profile,
            ctx.secrets,
            server,
            ca_pem,
            ctx.args.user,
            password,
            ctx.args.code,
            new_password=ctx._known_new_password(),
            kdf=ctx.kdf,
        )
    except errors.PasswordChangeRequired as change:
        # Enrolled, but the account must first choose its definitive password.
        session = change.session
        try:
            session.choose_password(ctx.new_password())
        finally:
            session.close()
    session.close()
    ctx.say(
        translate(
            "Cli",
            "Dit apparaat is aangemeld en de versleutelde offline opslag is klaar; log voortaan in met 'menscentraal login'.",
        )
    )
    return EXIT_OK


def _login(ctx: Context) -> int:
    session = ctx.logged_in_session()
    online = session.online
    mode = _vault_mode(session)
    session.close()
    if online:
        ctx.say(translate("Cli", "Aangemeld; de offline gegevens zijn ontgrendeld."))
    else:
        ctx.say(translate("Cli", "Offline ontgrendeld; wijzigingen worden verstuurd zodra er verbinding is."))
    if mode == "password-only":
        print(
            translate(
                "Cli",
                "Let op: er is geen goedgekeurde sleutelhanger op dit apparaat, dus alleen uw wachtwoord beschermt de offline gegevens.",
            ),
            file=ctx.stderr,
        )
    return EXIT_OK


def _vault_mode(session) -> str | None:
    from desktop.vault import Vault, VaultError  # lazy: see LAZY above

    try:
        return Vault.load(session.profile, session.secrets).mode
    except VaultError:
        return None


def _configure_doctor(parser: argparse.ArgumentParser) -> None:
    add_json(parser)
    add_password_stdin(parser)  # in password-only mode only a login opens the device key


def _doctor(ctx: Context) -> int:
    from desktop.sync.doctor import diagnose  # lazy: see LAZY above

    identity, session = None, None
    if ctx.args.password_stdin:
        try:
            session = ctx.logged_in_session()  # opens a device key that only a login opens
            identity = session.identity
        except errors.ClientError:
            pass  # the checks below say what is wrong
    try:
        diagnosis = diagnose(ctx.profile, ctx.secrets, identity=identity)
    finally:
        if session is not None:
            session.close()
    if ctx.json:
        ctx.emit_json(diagnosis.to_json())
    else:
        for check in diagnosis.checks:
            mark = {"pass": "OK ", "fail": "!! ", "skip": "-- "}[check.status]
            line = f"{mark}{check.title}"
            if check.error is not None:
                line += f": {check.message}"
            print(line, file=ctx.stdout)
        cause = diagnosis.cause
        if cause is None:
            print(translate("Cli", "Alles in orde: dit apparaat kan veilig met de dienst werken."), file=ctx.stdout)
        else:
            print(translate("Cli", "Oorzaak: {message}").format(message=cause.message), file=ctx.stdout)
    return EXIT_OK if diagnosis.ok else errors.EXIT_CONNECTION


def _configure_wipe(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--discard-unsent",
        action="store_true",
        help=translate("Cli", "wis ook als er nog niet-verzonden wijzigingen zijn (die gaan verloren)"),
    )


def _wipe(ctx: Context) -> int:
    from desktop.wipe import refuse_losing_unsent, wipe_everything  # lazy: see LAZY above

    if not ctx.args.discard_unsent:
        refuse_losing_unsent(ctx.profile)  # a wipe before enrolling again must not lose work unsaid
    wipe_everything(ctx.profile, ctx.secrets)
    ctx.say(translate("Cli", "Alle gegevens en sleutels van dit profiel zijn van dit apparaat gewist."))
    return EXIT_OK


# Help texts are marked for lupdate here and translated when the parser is built.
register_command(
    "enroll", _configure_enroll, _enroll, QT_TRANSLATE_NOOP("Cli", "meld dit apparaat aan (Mobiel Werken)")
)
register_command(
    "login", add_password_stdin, _login, QT_TRANSLATE_NOOP("Cli", "log in en ontgrendel de offline gegevens")
)
register_command(
    "doctor", _configure_doctor, _doctor, QT_TRANSLATE_NOOP("Cli", "controleer de verbinding en zeg wat er mis is")
)
register_command(
    "wipe", _configure_wipe, _wipe, QT_TRANSLATE_NOOP("Cli", "wis alle gegevens en sleutels van dit profiel")
)


# --- the program --------------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's English message, plus our exit code
        self.print_usage(sys.stderr)
        print(f"{self.prog}: {message}", file=sys.stderr)
        raise SystemExit(errors.EXIT_USAGE)


def _load_extensions() -> None:
    """The data commands register themselves on import."""
    import desktop.cli_data  # noqa: F401 - here, not at the top: cli_data imports this module


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="menscentraal",
        description=translate("Cli", "MensCentraal Mobiel"),
        epilog=translate("Cli", "Zonder opdracht, of met 'gui', opent menscentraal de vensters."),
    )
    parser.add_argument("--profile", metavar=translate("Cli", "MAP"), help=translate("Cli", "map van het profiel"))
    parser.add_argument("--lang", choices=i18n.LANGUAGES, default=None, help=translate("Cli", "taal: nl of en"))
    parser.add_argument(
        "--version", action="version", version=version_line(), help=translate("Cli", "toon het versienummer en stop")
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help=translate("Cli", "controleer na installatie of alle onderdelen werken (voor IT)"),
    )
    commands = parser.add_subparsers(
        dest="command", metavar=translate("Cli", "OPDRACHT"), parser_class=_Parser, title=translate("Cli", "opdrachten")
    )
    commands.required = True
    for name, configure, handler, help_text in _COMMANDS:
        sub = commands.add_parser(name, help=translate("Cli", help_text) if help_text else None)
        configure(sub)
        sub.set_defaults(handler=handler)
    return parser


def _language(argv: list[str]) -> str:
    """--lang before parsing, so that help and errors come out in that language."""
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return os.environ.get("MENSCENTRAAL_LANG", i18n.DEFAULT_LANGUAGE)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--self-test" in argv:  # first: it makes the GUI application that no other Qt object may precede
        from desktop.selftest import main as self_test  # lazy: it makes the QApplication

        return self_test(argv)
    logging.basicConfig(level=logging.WARNING, format="menscentraal: %(levelname)s %(name)s: %(message)s")
    language = _language(argv)
    i18n.install_language(language if language in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE)
    cli_argparse.install()  # argparse's own words ("usage:", "-h", its errors) in that language too
    _load_extensions()
    args = build_parser().parse_args(argv)
    ctx = Context(args)
    try:
        load_organisation()  # a broken organisation file stops every command, naming file and line
        return args.handler(ctx)
    except errors.ClientError as error:
        return _fail(ctx, error)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        expected = _expected_from_library(exc)
        if expected is not None:
            return _fail(ctx, expected)
        if os.environ.get(DEBUG_ENV) == "1":
            raise
        # A bug: where it broke, never the exception's text (it may hold data).
        print(
            translate("Cli", "Er ging iets mis in het programma ({kind}); meld dit bij de helpdesk.").format(
                kind=type(exc).__name__
            ),
            file=sys.stderr,
        )
        return EXIT_BUG


def _expected_from_library(exc: Exception) -> errors.ClientError | None:
    """Failures of the profile, vault, cache and keychain that the user can act on."""
    from desktop.cache.errors import CacheError  # lazy: see LAZY above
    from desktop.secrets import SecretStoreError  # lazy: see LAZY above
    from desktop.vault import VaultError  # lazy: see LAZY above

    # A full, read-only or forbidden disk first: the files are fine, "wipe" would be wrong.
    disk_fault = errors.storage_error(exc)
    if disk_fault is not None:
        return disk_fault
    if isinstance(exc, (CacheError, VaultError, ProfileError)):
        return errors.CacheUnreadable()
    if isinstance(exc, SecretStoreError):
        return errors.ClientError()
    return None


def _fail(ctx: Context, error: errors.ClientError) -> int:
    if ctx.json:
        ctx.emit_json({"error": error.to_json()})
    else:
        print(error.message(), file=ctx.stderr)
    return error.exit_code
