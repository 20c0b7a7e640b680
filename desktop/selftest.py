"""`menscentraal --self-test`: what IT runs after installing, to prove every part the app needs works here.

Each part runs on its own, in a temporary folder that is deleted afterwards, and touches no profile:
the organisation file, the encrypted cache (a fresh random key; the file must not be readable as
plain SQLite, and a wrong key must be refused), Argon2id, a pinned TLS 1.3 handshake with a device
certificate (in memory, over a socket pair: no network), the translations, and the main window
rendered offscreen. Prints one line per part and exits 0 only when all pass; a failing part is
named with its reason (no personal data can be involved: nothing personal is read).
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import socket
import sqlite3
import ssl
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

EXIT_OK = 0
EXIT_FAILED = 1
KDF_ENV = "MENSCENTRAAL_KDF"  # the same cheaper-Argon2id switch as the command line, for tests
HANDSHAKE_TIMEOUT = 10.0


class SelfTestFailure(Exception):
    """A part did not do what it must; the text says what."""


@dataclass
class PartResult:
    name: str
    ok: bool
    detail: str  # what was checked, or why it failed


# --- the parts -----------------------------------------------------------------------------------


def check_organisation_file(workdir: Path) -> str:
    from desktop.org_config import load_organisation, system_file  # lazy: a part that cannot load fails its own check

    organisation = load_organisation()  # raises with the file and the line when broken
    if organisation is None:
        path, _ = system_file()
        return f"geen organisatiebestand ({path or 'uitgeschakeld'}): adres en CA worden bij het aanmelden gevraagd"
    return f"{organisation.path} is geldig ({organisation.service_url})"


def check_encrypted_cache(workdir: Path) -> str:
    from desktop.cache import db  # lazy: a part that cannot load fails its own check
    from desktop.cache.errors import CacheKeyRejected  # lazy: a part that cannot load fails its own check

    path = workdir / "selftest-cache.db"
    key = secrets.token_bytes(db.KEY_BYTES)
    conn = db.open_cache(path, key, create=True)
    try:
        with db.transaction(conn):
            conn.execute("CREATE TABLE selftest (value TEXT)")
            conn.execute("INSERT INTO selftest VALUES ('zelftest')")
        cipher = conn.execute("PRAGMA cipher_version").fetchone()[0]
    finally:
        db.close_cache(conn)
    if db.is_plain_sqlite(path):
        raise SelfTestFailure("het bestand begint met de onversleutelde SQLite-kop")
    plain = sqlite3.connect(path)
    try:
        plain.execute("SELECT count(*) FROM sqlite_master").fetchone()
        raise SelfTestFailure("gewone SQLite kan het bestand lezen: het is niet versleuteld")
    except sqlite3.DatabaseError:
        pass  # "file is not a database": as it should be
    finally:
        plain.close()
    try:
        db.close_cache(db.open_cache(path, secrets.token_bytes(db.KEY_BYTES), migrate=False))
    except CacheKeyRejected:
        pass  # refused before any statement touched the data
    else:
        raise SelfTestFailure("een verkeerde sleutel opent het bestand")
    conn = db.open_cache(path, key)
    try:
        if conn.execute("SELECT value FROM selftest").fetchone() != ("zelftest",):
            raise SelfTestFailure("de geschreven rij komt niet terug")
    finally:
        db.close_cache(conn)
    return f"SQLCipher {cipher}; niet leesbaar als SQLite, verkeerde sleutel geweigerd"


def kdf_params():
    from desktop.vault import KdfParams  # lazy: a part that cannot load fails its own check

    return KdfParams.from_environment()


def check_argon2id(workdir: Path) -> str:
    from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

    params = kdf_params()
    salt = secrets.token_bytes(16)

    def derive() -> Argon2id:
        return Argon2id(
            salt=salt, length=32, iterations=params.iterations, lanes=params.lanes, memory_cost=params.memory_kib
        )

    started = time.monotonic()
    key = derive().derive(b"zelftest-wachtwoord")
    seconds = time.monotonic() - started
    derive().verify(b"zelftest-wachtwoord", key)  # raises InvalidKey when not reproducible
    return f"{params.memory_kib // 1024} MiB, {params.iterations} rondes, {params.lanes} banen: {seconds:.2f} s"


def _throwaway_pki():
    """A CA, a server certificate for localhost and a device certificate, in memory only."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = dt.datetime.now(dt.timezone.utc)

    def name(text: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, text)])

    def certificate(subject: str, key, issuer_key, issuer: str, *, ca: bool, san: bool = False):
        builder = (
            x509.CertificateBuilder()
            .subject_name(name(subject))
            .issuer_name(name(issuer))
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(hours=1))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        )
        if san:
            builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        return builder.sign(issuer_key, hashes.SHA256())

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = certificate("Zelftest CA", ca_key, ca_key, "Zelftest CA", ca=True)
    server_key = ec.generate_private_key(ec.SECP256R1())
    server = certificate("localhost", server_key, ca_key, "Zelftest CA", ca=False, san=True)
    device_key = ec.generate_private_key(ec.SECP256R1())
    device = certificate("zelftest-apparaat", device_key, ca_key, "Zelftest CA", ca=False)
    return ca, (server, server_key), (device, device_key)


def _server_context(workdir: Path, ca_pem: bytes, certificate, key) -> ssl.SSLContext:
    from cryptography.hazmat.primitives import serialization

    path = workdir / "selftest-server.pem"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(certificate.public_bytes(serialization.Encoding.PEM))
        handle.write(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_3
    context.load_cert_chain(path)
    path.unlink()
    context.verify_mode = ssl.CERT_REQUIRED  # mutual TLS, as the service asks
    context.load_verify_locations(cadata=ca_pem.decode("ascii"))
    return context


def check_pinned_tls(workdir: Path) -> str:
    from cryptography.hazmat.primitives import serialization

    from desktop.sync.transport import (
        DeviceIdentity,
        build_ssl_context,
    )  # lazy: a part that cannot load fails its own check

    ca, (server_cert, server_key), (device_cert, device_key) = _throwaway_pki()
    ca_pem = ca.public_bytes(serialization.Encoding.PEM)
    identity = DeviceIdentity(device_cert.public_bytes(serialization.Encoding.PEM), device_key)
    client = build_ssl_context(ca_pem, identity)
    if client.minimum_version != ssl.TLSVersion.TLSv1_3 or client.verify_mode != ssl.CERT_REQUIRED:
        raise SelfTestFailure("de context eist geen TLS 1.3 met controle van het certificaat")
    if len(client.get_ca_certs()) != 1:
        raise SelfTestFailure("de context vertrouwt meer dan de vastgepinde CA")
    server = _server_context(workdir, ca_pem, server_cert, server_key)

    left, right = socket.socketpair()
    left.settimeout(HANDSHAKE_TIMEOUT)
    right.settimeout(HANDSHAKE_TIMEOUT)
    seen: dict[str, object] = {}

    def serve() -> None:
        try:
            with server.wrap_socket(right, server_side=True) as tls:
                seen["peer"] = tls.getpeercert()
                tls.sendall(b"ok")
        except (OSError, ssl.SSLError) as exc:
            seen["error"] = exc

    thread = threading.Thread(target=serve, name="selftest-tls", daemon=True)
    thread.start()
    try:
        with client.wrap_socket(left, server_hostname="localhost") as tls:
            version = tls.version()
            answer = tls.recv(2)
    finally:
        thread.join(HANDSHAKE_TIMEOUT)
    if "error" in seen:
        raise SelfTestFailure(f"de dienstkant weigerde: {seen['error']}")
    if version != "TLSv1.3" or answer != b"ok" or not seen.get("peer"):
        raise SelfTestFailure(f"handdruk zonder TLS 1.3 of zonder apparaatcertificaat ({version})")
    return f"{ssl.OPENSSL_VERSION}; wederzijdse TLS 1.3-handdruk met vastgepinde CA geslaagd"


def check_translations(workdir: Path) -> str:
    from desktop import i18n  # lazy: a part that cannot load fails its own check

    try:
        if not i18n.install_language("en"):
            raise SelfTestFailure(f"geen Engelse vertaling (.qm) gevonden in {i18n.I18N_DIR}")
        english = i18n.translate("Errors", "Er ging iets mis; probeer het opnieuw of vraag de superuser van uw team.")
    finally:
        i18n.install_language(i18n.DEFAULT_LANGUAGE)
    if english.startswith("Er ging"):
        raise SelfTestFailure("de Engelse vertaling is geladen maar vertaalt niets")
    return f"{len(i18n.qm_paths('en'))} vertaalbestanden"


def check_main_window(workdir: Path) -> str:
    from PySide6.QtGui import QImageReader
    from PySide6.QtWidgets import QApplication, QLabel

    from desktop.ui import theme  # lazy: a part that cannot load fails its own check
    from desktop.ui.main_window import MainWindow  # lazy: a part that cannot load fails its own check

    app = QApplication.instance()
    if not isinstance(app, QApplication):
        raise SelfTestFailure("er draait al een Qt-toepassing zonder vensters")
    if b"svg" not in [bytes(fmt) for fmt in QImageReader.supportedImageFormats()]:
        raise SelfTestFailure("Qt kan geen SVG lezen (de imageformats-plug-in ontbreekt)")
    if theme.app_icon().isNull():
        raise SelfTestFailure("het programmapictogram ontbreekt")
    window = MainWindow("Zelftest", "medewerker")
    try:
        window.add_page("selftest", "Zelftest", "my-cases", QLabel("Zelftest"))
        window.show()
        app.processEvents()
        image = window.grab().toImage()
        if image.isNull() or image.width() < 200 or image.height() < 200:
            raise SelfTestFailure("het hoofdvenster tekent niets")
        colours = {image.pixel(x, y) for x in range(0, image.width(), 37) for y in range(0, image.height(), 37)}
        if len(colours) < 2:
            raise SelfTestFailure("het hoofdvenster is één egale vlek")
    finally:
        window.close()
        window.deleteLater()
        app.processEvents()
    return f"{image.width()}×{image.height()} getekend op platform '{app.platformName()}'"


PARTS: list[tuple[str, Callable[[Path], str]]] = [
    ("Organisatiebestand", check_organisation_file),
    ("Versleutelde offline opslag", check_encrypted_cache),
    ("Sleutelafleiding (Argon2id)", check_argon2id),
    ("Beveiligde verbinding (TLS 1.3, vastgepinde CA)", check_pinned_tls),
    ("Vertalingen", check_translations),
    ("Hoofdvenster", check_main_window),
]


def run_parts(parts: list[tuple[str, Callable[[Path], str]]] = PARTS) -> list[PartResult]:
    results = []
    with tempfile.TemporaryDirectory(prefix="menscentraal-selftest-") as folder:
        workdir = Path(folder)
        for name, check in parts:
            try:
                results.append(PartResult(name, True, check(workdir)))
            except Exception as exc:  # noqa: BLE001 - every failure is a named, failed part
                results.append(PartResult(name, False, _reason(exc)))
    return results


def _reason(exc: BaseException) -> str:
    from desktop import errors  # lazy: a part that cannot load fails its own check

    if isinstance(exc, errors.ClientError):
        return exc.message()
    text = str(exc) if isinstance(exc, SelfTestFailure) else f"{type(exc).__name__}: {exc}"
    return text.splitlines()[0][:300] if text else type(exc).__name__


def _has_display() -> bool:
    """A desktop to draw on: always on Windows and macOS; on Linux an X11 or Wayland display."""
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def main(argv: list[str] | None = None) -> int:
    """Run every part; the window part needs a QApplication, made here before anything else of Qt."""
    from PySide6.QtWidgets import QApplication

    from desktop.version import version_line  # lazy: a part that cannot load fails its own check

    if not _has_display():
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # IT runs this over SSH, too
    app = QApplication.instance() or QApplication(["menscentraal"])
    print(f"{version_line()}: zelftest", flush=True)
    results = run_parts()
    for result in results:
        print(f"{'OK ' if result.ok else '!! '}{result.name}: {result.detail}", flush=True)
    failed = [result.name for result in results if not result.ok]
    if failed:
        print(f"Zelftest mislukt ({', '.join(failed)}); stuur deze uitvoer naar uw IT-afdeling.", file=sys.stderr)
        code = EXIT_FAILED
    else:
        print("Zelftest geslaagd: dit apparaat kan MensCentraal Mobiel veilig draaien.", flush=True)
        code = EXIT_OK
    app.processEvents()  # let the closed test window go before the program ends
    return code
