"""The expected failures of the client, each with one sentence that says what to do next.

The command line prints `error.message()`, the GUI shows it; both switch on the stable `code`.
Sentences are Dutch source strings translated through `desktop.i18n` (context "Errors").
No message carries personal data: only codes, counts and the organisation's own contacts.
"""

from __future__ import annotations

import email.utils
import errno
import math
import threading
from datetime import datetime, timedelta, timezone
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP

from desktop.i18n import translate

# Exit codes of the command line, by kind of failure.
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_CONNECTION = 3
EXIT_CREDENTIALS = 4
EXIT_DEVICE = 5
EXIT_LOCKED = 6

# What each exit code tells a person or a script; README.md's table is generated from this and
# from the errors below (`python -m desktop.exit_codes`).
EXIT_MEANINGS = {
    0: "success",
    EXIT_FAILURE: "refused or failed; the sentence on standard error says why",
    EXIT_USAGE: "usage: fix the command, its options or its input",
    EXIT_CONNECTION: "connection: the service is unreachable, busy or throttling; the same command may work later",
    EXIT_CREDENTIALS: "credentials: wrong username or password, session over, or a new password is needed; try again with the right one",
    EXIT_DEVICE: "device: not enrolled, revoked, or its certificate is not accepted; enroll again",
    EXIT_LOCKED: "locked: the account is locked, or the offline data are locked or wiped; retrying does not help, a person must act (whom to call is in the sentence)",
    70: "a bug: report it to the helpdesk",
}


class ClientError(Exception):
    """An expected failure. Subclasses set `code`, `text` (a Dutch template) and `exit_code`."""

    code = "client-error"
    text = QT_TRANSLATE_NOOP("Errors", "Er ging iets mis; probeer het opnieuw of vraag de superuser van uw team.")
    exit_code = EXIT_FAILURE

    def __init__(self, **details: Any) -> None:
        self.details = details
        super().__init__(self.code)

    def message(self) -> str:
        return translate("Errors", self.text).format(**self._format_fields())

    def _format_fields(self) -> dict[str, Any]:
        return dict(self.details)

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message()}

    def __str__(self) -> str:
        return self.message()


# --- reaching the service -----------------------------------------------------------------


class ConnectionProblem(ClientError):
    """The service could not be reached at all (the network, not the service, is the cause)."""

    code = "connection-failed"
    text = QT_TRANSLATE_NOOP(
        "Errors", "De dienst is niet bereikbaar; controleer uw internetverbinding en probeer het opnieuw."
    )
    exit_code = EXIT_CONNECTION


class NoRoute(ConnectionProblem):
    code = "no-route"
    text = QT_TRANSLATE_NOOP(
        "Errors", "Dit apparaat heeft geen netwerkverbinding; maak verbinding met internet en probeer het opnieuw."
    )


class NameNotResolved(ConnectionProblem):
    code = "dns"
    text = QT_TRANSLATE_NOOP(
        "Errors",
        "Het adres van de dienst is niet te vinden; controleer uw internetverbinding of het adres van de dienst.",
    )


class ConnectionRefused(ConnectionProblem):
    code = "connection-refused"
    text = QT_TRANSLATE_NOOP(
        "Errors",
        "De dienst weigert de verbinding of is buiten gebruik; probeer het later opnieuw of bel de helpdesk als het blijft.",
    )


class ConnectionTimeout(ConnectionProblem):
    code = "timeout"
    text = QT_TRANSLATE_NOOP(
        "Errors", "De dienst antwoordt niet op tijd; controleer uw verbinding en probeer het opnieuw."
    )


class ConnectionClosed(ConnectionProblem):
    code = "connection-closed"
    text = QT_TRANSLATE_NOOP(
        "Errors", "De dienst verbrak de verbinding; probeer het opnieuw of voer 'menscentraal doctor' uit."
    )


class ClockBehind(ConnectionProblem):
    """A certificate starts later than our clock says (the service's, or our own by the
    service's clock): the local clock is behind. A clock problem, never an impostor."""

    code = "clock-behind"
    text = QT_TRANSLATE_NOOP(
        "Errors",
        "Een certificaat is volgens de klok van dit apparaat nog niet geldig; controleer de datum en tijd van dit apparaat en probeer het opnieuw.",
    )


class ServerCertificateExpired(ConnectionProblem):
    """The service's certificate is past its end by our clock: our clock runs fast, or the service
    forgot to renew it. Neither is an impostor."""

    code = "server-certificate-expired"
    text = QT_TRANSLATE_NOOP(
        "Errors",
        "Het certificaat van de dienst is volgens de klok van dit apparaat verlopen; controleer de datum en tijd van dit apparaat, en bel de helpdesk als die kloppen.",
    )


class NoSecureConnection(ClientError):
    """Seed L1/L2: none of the three secure ways (Gemnet, allow-listed workplace, Mobiel Werken)."""

    code = "no-secure-connection"
    text = QT_TRANSLATE_NOOP(
        "Errors",
        "Er is hier geen beveiligde verbinding: u zit niet op Gemnet of een aangemelde werkplek en dit "
        "apparaat is niet aangemeld voor Mobiel Werken; meld dit apparaat aan met een code van uw lokaal beheerder.",
    )
    exit_code = EXIT_CONNECTION
    missing = ("gemnet", "allowlisted-workplace", "mobiel-werken")


class DeviceCertificateRequired(ClientError):
    """On Gemnet or an allow-listed workplace, but this device has no Mobiel Werken certificate."""

    code = "device-certificate-required"
    text = QT_TRANSLATE_NOOP(
        "Errors",
        "U zit op Gemnet of een aangemelde werkplek, maar dit apparaat is niet aangemeld voor Mobiel "
        "Werken; meld het aan met een code van uw lokaal beheerder.",
    )
    exit_code = EXIT_CONNECTION
    missing = ("mobiel-werken",)


class ServerCertificateUntrusted(ClientError):
    code = "server-certificate-untrusted"
    text = QT_TRANSLATE_NOOP(
        "Errors",
        "De dienst toont een certificaat dat niet van uw organisatie is; maak geen verbinding en meld "
        "dit aan uw lokaal beheerder.",
    )
    exit_code = EXIT_CONNECTION


class DeviceCertificateExpired(ClientError):
    code = "device-certificate-expired"
    text = QT_TRANSLATE_NOOP(
        "Errors",
        "Het certificaat van dit apparaat is verlopen; vraag uw lokaal beheerder om een nieuwe "
        "aanmeldcode en meld dit apparaat opnieuw aan.",
    )
    exit_code = EXIT_DEVICE


class DeviceCertificateNotYetValid(ClientError):
    code = "device-certificate-not-yet-valid"
    text = QT_TRANSLATE_NOOP(
        "Errors",
        "Het certificaat van dit apparaat is nog niet geldig; controleer de datum en tijd van dit apparaat.",
    )
    exit_code = EXIT_DEVICE


class DeviceCertificateNotAccepted(ClientError):
    code = "device-certificate-not-accepted"
    text = QT_TRANSLATE_NOOP(
        "Errors",
        "De dienst accepteert het certificaat van dit apparaat niet; meld dit apparaat opnieuw aan met "
        "een code van uw lokaal beheerder.",
    )
    exit_code = EXIT_DEVICE


class DeviceRevoked(ClientError):
    code = "device-revoked"
    text = QT_TRANSLATE_NOOP(
        "Errors",
        "Dit apparaat is ingetrokken en de gegevens erop zijn gewist; vraag uw lokaal beheerder om een "
        "nieuwe aanmeldcode als u het weer wilt gebruiken.",
    )
    exit_code = EXIT_DEVICE


class NotEnrolled(ClientError):
    code = "not-enrolled"
    text = QT_TRANSLATE_NOOP(
        "Errors",
        "Dit apparaat is nog niet aangemeld; meld het aan met 'menscentraal enroll' en de code van uw "
        "lokaal beheerder.",
    )
    exit_code = EXIT_DEVICE


class DeviceCredentialsMissing(NotEnrolled):
    """Enrolled once, but the certificate or its key is gone from this computer."""

    code = "device-credentials-missing"
    text = QT_TRANSLATE_NOOP(
        "Errors",
        "Het certificaat of de sleutel van dit apparaat ontbreekt op deze computer (bijvoorbeeld na een "
        "nieuw gebruikersprofiel); meld dit apparaat opnieuw aan met een code van uw lokaal beheerder.",
    )


class AlreadyEnrolled(ClientError):
    code = "already-enrolled"
    text = QT_TRANSLATE_NOOP(
        "Errors",
        "Dit profiel is al aangemeld; log in, of wis het eerst met 'menscentraal wipe' om opnieuw aan te melden.",
    )
    exit_code = EXIT_USAGE


class EnrollmentFailed(ClientError):
    code = "enrollment-failed"
    text = QT_TRANSLATE_NOOP(
        "Errors",
        "Aanmelden van dit apparaat is mislukt; controleer gebruikersnaam, wachtwoord en code, of vraag "
        "uw lokaal beheerder om een nieuwe code.",
    )
    exit_code = EXIT_CREDENTIALS


# --- the account ----------------------------------------------------------------------------


class WrongPassword(ClientError):
    code = "invalid-credentials"
    text = QT_TRANSLATE_NOOP(
        "Errors",
        "Gebruikersnaam of wachtwoord klopt niet; probeer het opnieuw of kies 'Wachtwoord vergeten'.",
    )
    exit_code = EXIT_CREDENTIALS


class AccountLocked(ClientError):
    """Seed L4: more than 10 failed logins; the service sends whom to call."""

    code = "account-locked"
    text = QT_TRANSLATE_NOOP(
        "Errors",
        "Uw account is geblokkeerd na meer dan 10 mislukte aanmeldingen; laat het heractiveren door uw "
        "lokaal beheerder {local_admin} of de helpdesk {helpdesk}.",
    )
    exit_code = EXIT_LOCKED  # not a wrong password: retrying cannot help, an administrator must act

    def __init__(self, contacts: dict[str, Any] | None = None) -> None:
        super().__init__(contacts=contacts or {})

    def _format_fields(self) -> dict[str, Any]:
        contacts = self.details["contacts"]
        return {
            "local_admin": describe_contact(contacts.get("local_admin")),
            "helpdesk": describe_contact(contacts.get("helpdesk")),
        }

    def to_json(self) -> dict[str, Any]:
        return {**super().to_json(), "contacts": self.details["contacts"]}


class PasswordChangeRequired(ClientError):
    code = "password-change-required"
    text = QT_TRANSLATE_NOOP(
        "Errors",
        "U bent aangemeld met een tijdelijk wachtwoord; kies nu uw definitieve wachtwoord.",
    )
    exit_code = EXIT_CREDENTIALS


class PasswordRejected(ClientError):
    code = "password-policy"
    text = QT_TRANSLATE_NOOP("Errors", "Het nieuwe wachtwoord voldoet niet aan de regels ({reasons}); kies een ander.")
    exit_code = EXIT_CREDENTIALS

    def __init__(self, reasons: list[str] | None = None) -> None:
        super().__init__(reasons=reasons or [])

    REASONS = {
        "too-short": QT_TRANSLATE_NOOP("Errors", "te kort"),
        "too-long": QT_TRANSLATE_NOOP("Errors", "te lang"),
        "too-common": QT_TRANSLATE_NOOP("Errors", "te veelgebruikt of met uw gebruikersnaam erin"),
        "same-as-current": QT_TRANSLATE_NOOP("Errors", "gelijk aan uw huidige wachtwoord"),
        "same-as-temporary": QT_TRANSLATE_NOOP("Errors", "gelijk aan het tijdelijke wachtwoord"),
    }

    def _format_fields(self) -> dict[str, Any]:
        words = [translate("Errors", self.REASONS[r]) if r in self.REASONS else r for r in self.details["reasons"]]
        return {"reasons": "; ".join(words) or "-"}


class TooManyRequests(ClientError):
    """429 `too-many-requests`: the service throttles logins, enrollments and forgot-password
    per address and per username; Retry-After says for how long (read as seconds)."""

    code = "too-many-requests"
    text = QT_TRANSLATE_NOOP(
        "Errors", "Er zijn te veel pogingen achter elkaar gedaan; wacht tot {time} en probeer het dan opnieuw."
    )
    exit_code = EXIT_CONNECTION  # like a busy service: the same command works later
    DEFAULT_SECONDS = 60

    MAX_SECONDS = 86_400  # a longer wait from a gateway is a mistake: "wait until HH:MM" must stay true

    def __init__(self, retry_after: int | None = None) -> None:
        seconds = retry_after if retry_after and retry_after > 0 else self.DEFAULT_SECONDS
        super().__init__(retry_after=min(seconds, self.MAX_SECONDS))

    def _format_fields(self) -> dict[str, Any]:
        # Rounded up to the next minute, so the time shown is never too early.
        until = datetime.now() + timedelta(seconds=self.details["retry_after"] + 59)
        return {"time": until.strftime("%H:%M")}


class SessionExpired(ClientError):
    code = "unauthenticated"
    text = QT_TRANSLATE_NOOP("Errors", "Uw sessie is verlopen; log opnieuw in.")
    exit_code = EXIT_CREDENTIALS


class ResumeRefused(ClientError):
    """A desk that started offline could not go online by itself (`POST /sessions/resume` said
    no, or it holds no token): it asks for the password, saying why in one sentence."""

    code = "resume-refused"
    text = QT_TRANSLATE_NOOP(
        "Errors", "De dienst is weer bereikbaar en vraagt uw wachtwoord: kies Nu synchroniseren (F5) en voer het in."
    )
    exit_code = EXIT_CREDENTIALS
    TEXTS = {
        "resume-expired": QT_TRANSLATE_NOOP(
            "Errors",
            "U was te lang offline om vanzelf weer verbinding te maken: kies Nu synchroniseren (F5) en voer uw wachtwoord in.",
        ),
        "password-changed": QT_TRANSLATE_NOOP(
            "Errors",
            "Uw wachtwoord is intussen gewijzigd: kies Nu synchroniseren (F5) en voer uw nieuwe wachtwoord in.",
        ),
    }

    def __init__(self, reason: str | None = None) -> None:
        super().__init__(reason=reason)

    def message(self) -> str:
        return translate("Errors", self.TEXTS.get(self.details["reason"] or "", self.text))


class Forbidden(ClientError):
    code = "forbidden"
    text = QT_TRANSLATE_NOOP(
        "Errors", "U mag dit niet doen; vraag uw lokaal beheerder als u denkt dat dit wel zou moeten."
    )


class NeedsConnection(ClientError):
    code = "needs-connection"
    text = QT_TRANSLATE_NOOP(
        "Errors", "Dit kan alleen met verbinding met de dienst; probeer het opnieuw zodra u verbinding hebt."
    )
    exit_code = EXIT_CONNECTION


# --- the local cache and its keys -------------------------------------------------------------


class WrongOfflinePassword(ClientError):
    code = "wrong-password-offline"
    text = QT_TRANSLATE_NOOP(
        "Errors",
        "Het wachtwoord klopt niet; na nog {remaining} mislukte pogingen kan dit apparaat alleen nog met "
        "verbinding worden ontgrendeld.",
    )
    exit_code = EXIT_CREDENTIALS


class OfflineUnlockUnavailable(ClientError):
    code = "password-copy-destroyed"
    text = QT_TRANSLATE_NOOP(
        "Errors",
        "Na te veel mislukte pogingen kan dit apparaat alleen met verbinding worden ontgrendeld; log in "
        "zodra u een beveiligde verbinding hebt.",
    )
    exit_code = EXIT_LOCKED


class KeychainEntryMissing(ClientError):
    """Keyring mode, but the OS keychain lost this device's entry (a reset or restored keychain)."""

    code = "keychain-entry-missing"
    text = QT_TRANSLATE_NOOP(
        "Errors",
        "De sleutelhanger van deze computer bevat de sleutel van MensCentraal niet meer (bijvoorbeeld na "
        "het herstellen van de sleutelhanger); log in zodra u verbinding hebt, dan worden de offline "
        "gegevens en uw niet-verzonden wijzigingen hersteld.",
    )
    exit_code = EXIT_LOCKED


class KeychainLocked(ClientError):
    """The keychain is there but would not answer (locked, its service not running)."""

    code = "keychain-locked"
    text = QT_TRANSLATE_NOOP(
        "Errors",
        "De sleutelhanger van deze computer is vergrendeld of reageert niet; ontgrendel hem (bijvoorbeeld "
        "door opnieuw in te loggen op de computer) en probeer het nog eens.",
    )
    exit_code = EXIT_LOCKED


class DevicePasswordNeeded(ClientError):
    """Password-only mode (R-10): only a login opens the device key, so part of `doctor` waits for one."""

    code = "device-key-needs-password"
    text = QT_TRANSLATE_NOOP(
        "Errors",
        "De sleutel van dit apparaat gaat pas open als u inlogt; deze controle volgt na het inloggen (of "
        "met 'menscentraal doctor --password-stdin').",
    )
    exit_code = EXIT_CREDENTIALS


class UnsentChangesWouldBeLost(ClientError):
    code = "unsent-changes-would-be-lost"
    text = QT_TRANSLATE_NOOP(
        "Errors",
        "Dit profiel heeft nog {count} niet-verzonden wijzigingen die bij wissen of opnieuw aanmelden "
        "verloren gaan; log eerst in met verbinding zodat ze verstuurd worden, of bevestig het weggooien "
        "met --discard-unsent.",
    )
    exit_code = EXIT_USAGE


class UnsentChangesMayBeLost(ClientError):
    code = "unsent-changes-may-be-lost"
    text = QT_TRANSLATE_NOOP(
        "Errors",
        "Dit profiel kan nog niet-verzonden wijzigingen bevatten (het aantal is onbekend) die bij wissen of "
        "opnieuw aanmelden verloren gaan; log eerst in met verbinding, of bevestig het weggooien met "
        "--discard-unsent.",
    )
    exit_code = EXIT_USAGE


class OfflineGraceExpired(ClientError):
    code = "offline-grace-expired"
    text = QT_TRANSLATE_NOOP(
        "Errors",
        "Dit apparaat is langer dan {hours} uur niet verbonden geweest en {unsent} wijzigingen zijn nog niet "
        "verzonden; log in met verbinding om verder te werken, want op {wipe_date} worden de offline gegevens gewist.",
    )
    exit_code = EXIT_LOCKED


class OfflineDataWiped(ClientError):
    code = "offline-wiped"
    text = QT_TRANSLATE_NOOP(
        "Errors",
        "Dit apparaat is langer dan {days} dagen niet verbonden geweest en de offline gegevens zijn "
        "gewist, met {unsent} niet-verzonden wijzigingen versleuteld bewaard; log in met verbinding om de "
        "gegevens opnieuw op te halen en die wijzigingen alsnog te versturen.",
    )
    exit_code = EXIT_LOCKED


class ClockMovedBackwards(ClientError):
    """The local clock is below its saved high-water mark: the offline lock closes, nothing is wiped."""

    code = "clock-moved-backwards"
    text = QT_TRANSLATE_NOOP(
        "Errors",
        "De klok van dit apparaat staat vóór een tijdstip dat al voorbij is, dus de offline gegevens blijven "
        "vergrendeld; zet de klok goed of log in met verbinding (uw {unsent} niet-verzonden wijzigingen blijven bewaard).",
    )
    exit_code = EXIT_LOCKED


class CacheLocked(ClientError):
    code = "cache-locked"
    text = QT_TRANSLATE_NOOP("Errors", "De offline gegevens zijn vergrendeld; ontgrendel ze met uw wachtwoord.")
    exit_code = EXIT_LOCKED


class CacheUnreadable(ClientError):
    code = "cache-unreadable"
    text = QT_TRANSLATE_NOOP(
        "Errors",
        "De offline gegevens op dit apparaat zijn onleesbaar; wis het profiel met 'menscentraal wipe' en meld opnieuw aan.",
    )
    exit_code = EXIT_LOCKED


class DiskFull(ClientError):
    code = "disk-full"
    text = QT_TRANSLATE_NOOP(
        "Errors",
        "De schijf van dit apparaat is vol, dus dit is niet opgeslagen; maak ruimte vrij en probeer het "
        "opnieuw (wat al was opgeslagen, ook uw niet-verzonden wijzigingen, blijft bewaard).",
    )


class ProfileReadOnly(ClientError):
    code = "profile-read-only"
    text = QT_TRANSLATE_NOOP(
        "Errors",
        "De map van uw profiel is alleen-lezen, dus dit is niet opgeslagen; vraag uw IT-beheerder om de "
        "map weer beschrijfbaar te maken (er is niets gewist).",
    )


class ProfileAccessDenied(ClientError):
    code = "profile-permission-denied"
    text = QT_TRANSLATE_NOOP(
        "Errors",
        "Dit programma mag de bestanden van uw profiel niet lezen of schrijven; vraag uw IT-beheerder om "
        "de rechten op de profielmap te herstellen (er is niets gewist).",
    )


class DiskError(ClientError):
    code = "disk-error"
    text = QT_TRANSLATE_NOOP(
        "Errors",
        "De schijf van dit apparaat gaf een lees- of schrijffout; start het apparaat opnieuw en probeer het "
        "nog eens, en bel de helpdesk als het blijft (er is niets gewist).",
    )


class CacheDamagedInUse(ClientError):
    """SQLite found damage while the cache was open; the next login checks and contains it."""

    code = "cache-damaged"
    text = QT_TRANSLATE_NOOP(
        "Errors",
        "De offline gegevens blijken beschadigd; sluit het programma en log opnieuw in, dan worden ze "
        "opzij gezet en worden uw niet-verzonden wijzigingen teruggezet.",
    )


class CacheRecovered(ClientError):
    """Not a failure of the login: a notice that a damaged cache was moved aside and replaced.

    `held`: the user's changes the damaged cache held, unsent or listed as refused (their text is
    nowhere else; None: unreadable); `recovered`: those queued or listed again in the fresh cache.
    `moved_to`: the file name it now has (kept, never deleted).
    """

    code = "cache-recovered"
    text = QT_TRANSLATE_NOOP(
        "Errors",
        "De offline gegevens waren beschadigd en zijn opzij gezet; er stonden geen niet-verzonden of "
        "niet-verwerkte wijzigingen in, en de gegevens worden bij de volgende synchronisatie opnieuw opgehaald.",
    )
    text_all = QT_TRANSLATE_NOOP(
        "Errors",
        "De offline gegevens waren beschadigd en zijn opzij gezet; alle {held} niet-verzonden of niet-verwerkte "
        "wijzigingen zijn teruggezet en de niet-verzonden worden verstuurd, de rest wordt bij de volgende "
        "synchronisatie opnieuw opgehaald.",
    )
    text_some = QT_TRANSLATE_NOOP(
        "Errors",
        "De offline gegevens waren beschadigd en zijn opzij gezet; van de {held} niet-verzonden of niet-verwerkte "
        "wijzigingen zijn er {recovered} teruggezet, {lost} waren onleesbaar: bel de helpdesk, het "
        "opzijgezette bestand {moved_to} is bewaard.",
    )
    text_unknown = QT_TRANSLATE_NOOP(
        "Errors",
        "De offline gegevens waren beschadigd en zijn opzij gezet; {recovered} niet-verzonden of niet-verwerkte "
        "wijzigingen zijn teruggezet, maar of er meer waren is onleesbaar: controleer na de synchronisatie uw "
        "laatste wijzigingen en bel de helpdesk als er iets ontbreekt, het opzijgezette bestand {moved_to} is bewaard.",
    )

    def __init__(self, held: int | None, recovered: int, moved_to: str) -> None:
        super().__init__(
            held=held, recovered=recovered, moved_to=moved_to, lost=None if held is None else held - recovered
        )
        if held is None:
            self.text = self.text_unknown
        elif recovered < held:
            self.text = self.text_some
        elif held:
            self.text = self.text_all


class ProfileBusy(ClientError):
    code = "profile-busy"
    text = QT_TRANSLATE_NOOP("Errors", "Dit profiel is al geopend door een ander programma; sluit dat eerst.")


# --- the service -------------------------------------------------------------------------------


class ClockSkew(ClientError):
    code = "clock-skew"
    text = QT_TRANSLATE_NOOP(
        "Errors",
        "De klok van dit apparaat loopt {seconds} seconden af van de dienst; zet datum en tijd automatisch en probeer het opnieuw.",
    )
    exit_code = EXIT_CONNECTION


class ServiceError(ClientError):
    code = "service-error"
    text = QT_TRANSLATE_NOOP(
        "Errors",
        "De dienst heeft een storing; probeer het later opnieuw of bel de helpdesk als het blijft.",
    )
    exit_code = EXIT_CONNECTION


class InvalidResponse(ClientError):
    code = "invalid-response"
    text = QT_TRANSLATE_NOOP(
        "Errors",
        "De dienst gaf een onverwacht antwoord; probeer het later opnieuw of bel de helpdesk als het blijft.",
    )
    exit_code = EXIT_CONNECTION


class RequestRefused(ClientError):
    """A problem code the client has no special sentence for (e.g. `not-found`, `conflict`)."""

    code = "request-refused"
    text = QT_TRANSLATE_NOOP(
        "Errors", "De dienst weigerde dit verzoek ({problem}); vernieuw de gegevens en probeer het opnieuw."
    )

    def __init__(self, problem: str = "", status: int = 0, body: dict[str, Any] | None = None) -> None:
        super().__init__(problem=problem, status=status)
        self.body = body or {}  # for callers that need e.g. `held_by`; never printed


class PushNotAccepted(ServiceError):
    """A push refused as a whole (429, a gateway's 404 or 409, 5xx, …): no change in it was refused
    by the service, so all stay queued and are sent again (after `retry_after` seconds if given)."""

    code = "push-not-accepted"
    text = QT_TRANSLATE_NOOP(
        "Errors",
        "De dienst nam uw wijzigingen nu niet aan; ze blijven op dit apparaat bewaard en worden straks vanzelf opnieuw verstuurd.",
    )

    def __init__(self, status: int = 0, retry_after: float | None = None) -> None:
        super().__init__(status=status)
        self.retry_after = retry_after


class ServiceBusy(ServiceError):
    """429 on a pull: the service asks for a pause; the sync is tried again after `retry_after`."""

    code = "service-busy"
    text = QT_TRANSLATE_NOOP(
        "Errors",
        "De dienst is even te druk; de synchronisatie wordt straks vanzelf opnieuw geprobeerd.",
    )

    def __init__(self, retry_after: float | None = None) -> None:
        super().__init__(status=429)
        self.retry_after = retry_after


# Why the service says no to an action (a capability's `reason`, a refused change's): the GUI's
# tooltips and lists (desktop/ui/labels.py) and the command line say the same sentence. Context
# "Labels", where their translations have always been.
CAPABILITY_REASONS = {
    "not-case-member": QT_TRANSLATE_NOOP("Labels", "Alleen de zaakcoördinator of een zaakondersteuner kan dit doen."),
    "case-closed": QT_TRANSLATE_NOOP("Labels", "De zaak is afgesloten."),
    "not-authorised-for-case-type": QT_TRANSLATE_NOOP("Labels", "U bent niet geautoriseerd voor dit zaaktype."),
    "case-delete-not-possible": QT_TRANSLATE_NOOP(
        "Labels",
        "Een zaak kan niet worden verwijderd; sluit een per vergissing aangemaakte zaak af met de reden "
        "'administratieve fout'.",
    ),
    "task-held-by-other": QT_TRANSLATE_NOOP("Labels", "Een collega heeft deze taak al opgepakt."),
    "not-task-holder": QT_TRANSLATE_NOOP("Labels", "Alleen wie de taak heeft opgepakt kan dit doen."),
    "task-not-in-queue": QT_TRANSLATE_NOOP("Labels", "De taak staat niet (meer) in de werkbak."),
    "task-completed": QT_TRANSLATE_NOOP("Labels", "De taak is al afgerond."),
    "admin-only": QT_TRANSLATE_NOOP("Labels", "Alleen de lokaal beheerder of de helpdesk kan dit doen."),
}
CAPABILITY_OTHER = QT_TRANSLATE_NOOP("Labels", "Dit is nu niet mogelijk.")


def capability_reason(code: str | None) -> str:
    """The sentence for a reason code; a neutral one for codes we do not know (never the code)."""
    return translate("Labels", CAPABILITY_REASONS.get(code or "", CAPABILITY_OTHER))


# Why a change is stuck (refused as a whole request on its own; see desktop.cache.outbox), for the
# unprocessed-changes list of the GUI and the command line.
STUCK_REASONS = {
    "request-too-large": QT_TRANSLATE_NOOP(
        "Errors",
        "Deze wijziging is te groot voor de dienst; kopieer de tekst, verwijder de wijziging en voer de tekst in kleinere delen opnieuw in.",
    ),
}
STUCK_OTHER = QT_TRANSLATE_NOOP(
    "Errors",
    "De dienst weigerde deze wijziging als geheel; probeer het opnieuw of kopieer de tekst, verwijder de wijziging en voer haar opnieuw in.",
)


def stuck_reason(code: str | None) -> str:
    if code in STUCK_REASONS:
        return translate("Errors", STUCK_REASONS[code])
    return translate("Errors", STUCK_OTHER)  # the code is for the log, not for the user


# --- configuration and input ------------------------------------------------------------------


class InsecureServerUrl(ClientError):
    code = "insecure-url"
    text = QT_TRANSLATE_NOOP(
        "Errors", "Het adres van de dienst moet met https:// beginnen; vraag uw lokaal beheerder om het juiste adres."
    )
    exit_code = EXIT_USAGE


class InvalidServerUrl(ClientError):
    code = "invalid-url"
    text = QT_TRANSLATE_NOOP(
        "Errors", "Het adres van de dienst is ongeldig; vraag uw lokaal beheerder om het juiste adres."
    )
    exit_code = EXIT_USAGE


class InvalidCaFile(ClientError):
    code = "invalid-ca"
    text = QT_TRANSLATE_NOOP(
        "Errors", "Het CA-bestand is geen geldig certificaat; vraag uw lokaal beheerder om het juiste bestand."
    )
    exit_code = EXIT_USAGE


class PasswordInputUnavailable(ClientError):
    code = "no-terminal"
    text = QT_TRANSLATE_NOOP(
        "Errors", "Er is geen terminal om het wachtwoord te vragen; geef het via --password-stdin."
    )
    exit_code = EXIT_USAGE


class PasswordMissing(ClientError):
    code = "password-missing"
    text = QT_TRANSLATE_NOOP(
        "Errors", "Er is geen wachtwoord opgegeven; geef het wachtwoord op de eerste regel van de invoer."
    )
    exit_code = EXIT_USAGE


class UnknownChange(ClientError):
    code = "unknown-change"
    text = QT_TRANSLATE_NOOP(
        "Errors", "Er is geen niet-verwerkte wijziging met dit id; bekijk de lijst met 'menscentraal changes'."
    )
    exit_code = EXIT_USAGE


class NewPasswordMissing(ClientError):
    code = "new-password-missing"
    text = QT_TRANSLATE_NOOP(
        "Errors",
        "U bent aangemeld met een tijdelijk wachtwoord; geef uw definitieve wachtwoord op de tweede regel van de invoer.",
    )
    exit_code = EXIT_CREDENTIALS


class InvalidTaskLink(ClientError):
    code = "invalid-task-link"
    text = QT_TRANSLATE_NOOP(
        "Errors",
        "Deze link opent geen taak van MensCentraal Mobiel; gebruik de link uit de e-mail zoals hij is, of zoek de taak in de Werkbak of bij Mijn taken.",
    )
    exit_code = EXIT_USAGE


class TaskNotOnDevice(ClientError):
    code = "task-not-on-device"
    text = QT_TRANSLATE_NOOP(
        "Errors",
        "Deze taak staat niet op dit apparaat; synchroniseer en open de link opnieuw. Staat hij er dan nog niet, dan is hij niet (meer) voor u zichtbaar.",
    )


def describe_contact(contact: dict[str, Any] | None) -> str:
    """'Name (phone, e-mail)' from a contacts entry, skipping what is missing."""
    if not isinstance(contact, dict):
        return "-"
    name = str(contact.get("name") or "").strip()
    reach = ", ".join(str(contact[k]) for k in ("phone", "email") if contact.get(k))
    if name and reach:
        return f"{name} ({reach})"
    return name or reach or "-"


# Problem codes of docs/API.md mapped to the errors above.
_BY_PROBLEM_CODE: dict[str, type[ClientError]] = {
    "no-secure-connection": NoSecureConnection,
    "device-certificate-required": DeviceCertificateRequired,
    "device-revoked": DeviceRevoked,
    "device-unknown": DeviceCertificateNotAccepted,
    "enrollment-failed": EnrollmentFailed,
    "invalid-credentials": WrongPassword,
    "password-change-required": PasswordChangeRequired,
    "unauthenticated": SessionExpired,
    "token-device-mismatch": SessionExpired,
    "forbidden": Forbidden,
}


def retry_after_seconds(value: str | None, cap: float) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date), at most `cap`; None if
    absent or unreadable. Only ASCII digits count: str.isdigit also says yes to '²' and other
    digits int() cannot read, and an answer must never crash the client."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return min(float(value), cap) if len(value) < 20 else cap
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return min(max((when - datetime.now(timezone.utc)).total_seconds(), 0.0), cap)


def error_from_problem(status: int, body: Any, retry_after_s: float | None = None) -> ClientError:
    """The typed error for a problem+json answer (or any error answer); `retry_after_s` is the
    answer's Retry-After in seconds, if it gave one. Any 429 asks for a pause, the service's
    throttle or a gateway's: one error type for it."""
    problem = body if isinstance(body, dict) else {}
    code = problem.get("code") if isinstance(problem.get("code"), str) else ""
    if status == 429 or code == "too-many-requests":
        return TooManyRequests(math.ceil(retry_after_s) if retry_after_s is not None else None)
    if code == "account-locked":
        contacts = problem.get("contacts")
        return AccountLocked(contacts if isinstance(contacts, dict) else {})
    if code == "password-policy":
        params = problem.get("invalidParams")
        reasons = (
            [str(p.get("reason")) for p in params if isinstance(p, dict) and p.get("reason")]
            if isinstance(params, list)
            else []
        )
        return PasswordRejected(reasons)
    if code == "resume-refused":
        return ResumeRefused(problem.get("reason") if isinstance(problem.get("reason"), str) else None)
    if code in _BY_PROBLEM_CODE:
        return _BY_PROBLEM_CODE[code]()
    if status >= 500 or not code:
        return ServiceError(status=status)
    return RequestRefused(problem=code, status=status, body=problem)


# --- disk faults ----------------------------------------------------------------------------------

_BY_STORAGE_REASON: dict[str, type[ClientError]] = {
    "full": DiskFull,
    "read-only": ProfileReadOnly,
    "permission": ProfileAccessDenied,
    "io": DiskError,
    "cantopen": DiskError,
    "damaged": CacheDamagedInUse,
}


class StorageFailed(Exception):
    """A file-system refusal already classified (the cache's `CacheStorageFailed`): `reason` is one
    of STORAGE_REASONS."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# --- which disk fault an exception is (cache, profile.json, vault: any file the client writes) ---

# SQLite's primary result codes (the low byte of an extended code) and errno values, by fault.
_SQLITE_REASONS = {13: "full", 8: "read-only", 3: "permission", 10: "io", 14: "cantopen", 11: "damaged", 26: "damaged"}
_ERRNO_REASONS = {
    errno.ENOSPC: "full",
    errno.EDQUOT: "full",
    errno.EROFS: "read-only",
    errno.EACCES: "permission",
    errno.EPERM: "permission",
    errno.EIO: "io",
}
STORAGE_REASONS = ("full", "read-only", "permission", "io")


def storage_reason(exc: BaseException | None) -> str | None:
    """The disk fault behind `exc` or its causes: "full", "read-only", "permission", "io",
    "cantopen" (SQLite could not open a file), "damaged" (SQLite found a corrupt page), or None."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, StorageFailed):
            return exc.reason
        code = getattr(exc, "sqlite_errorcode", None)
        if isinstance(code, int) and code & 0xFF in _SQLITE_REASONS:
            return _SQLITE_REASONS[code & 0xFF]
        if isinstance(exc, OSError) and exc.errno in _ERRNO_REASONS:
            return _ERRNO_REASONS[exc.errno]
        exc = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)
    return None


_DAMAGE_SEEN = threading.Event()


def cache_damage_seen(reset: bool = False) -> bool:
    """Whether a damaged page was met (told as CacheDamagedInUse) since the last reset: the session
    then has the next login run the full check (desktop.cache.health)."""
    seen = _DAMAGE_SEEN.is_set()
    if reset:
        _DAMAGE_SEEN.clear()
    return seen


def storage_error(exc: BaseException) -> ClientError | None:
    """The typed error for a disk fault anywhere in `exc`'s chain (cache, profile.json, vault), else None."""
    reason = storage_reason(exc)
    if reason == "damaged":
        _DAMAGE_SEEN.set()
    return _BY_STORAGE_REASON[reason]() if reason else None
