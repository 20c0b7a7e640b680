"""Smoke checks of a frozen build, beyond --version and --self-test (run by `make package-test`).

    python packaging/check_frozen.py dist/menscentraal/menscentraal

1. With a valid organisation file (throwaway CA) the self-test reports the file as valid.
2. With a broken one the frozen command line refuses to start, naming the file and the line.
3. Without a command the frozen app opens its windows: under Xvfb (when installed) it waits until
   the enrollment window is on the X display (the real xcb plug-in), then closes the app. Without
   Xvfb this check is skipped and says so.
Exits 0 when every check that ran passed.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WINDOW_TITLE = "Apparaat aanmelden"
TIMEOUT = 30.0


def throwaway_ca(path: Path) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Package test CA")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))


def run(binary: str, *args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([binary, *args], capture_output=True, text=True, timeout=120, env=env)


def wait_for(condition, what: str) -> None:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise SystemExit(f"check_frozen: timed out waiting for {what}")


def windows_open(binary: str, env: dict, profile: Path) -> str:
    if not (shutil.which("Xvfb") and shutil.which("xwininfo")):
        return "skipped (no Xvfb/xwininfo: apt-get install xvfb x11-utils)"
    read_end, write_end = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-nolisten", "tcp", "-screen", "0", "1280x800x24"],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        display = ":" + pipe.readline().strip()
    app = None
    try:
        gui_env = {**env, "DISPLAY": display}
        gui_env.pop("QT_QPA_PLATFORM", None)  # the real xcb plug-in
        app = subprocess.Popen(
            [binary, "--profile", str(profile)], env=gui_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )

        def window_shown() -> bool:
            if app.poll() is not None:
                raise SystemExit(f"check_frozen: the app ended early ({app.returncode}): {app.stderr.read()[-2000:]}")
            tree = subprocess.run(
                ["xwininfo", "-root", "-tree"], capture_output=True, text=True, env={**os.environ, "DISPLAY": display}
            ).stdout
            return WINDOW_TITLE in tree

        wait_for(window_shown, f"the window '{WINDOW_TITLE}' on {display}")
        return f"the enrollment window opened on X display {display} (xcb)"
    finally:
        if app is not None:
            app.terminate()
            app.wait(10)
        xvfb.terminate()
        xvfb.wait(10)


def main(argv: list[str]) -> int:
    binary = str(Path(argv[0]).resolve())
    with tempfile.TemporaryDirectory(prefix="menscentraal-check-") as folder:
        folder = Path(folder)
        org = folder / "etc"
        org.mkdir()
        shutil.copy(ROOT / "packaging" / "organisation.example.toml", org / "organisation.toml")
        throwaway_ca(org / "organisation-ca.pem")
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "MENSCENTRAAL_ORGANISATION_FILE": str(org / "organisation.toml"),
            "MENSCENTRAAL_KDF": "1024,1,1",
            "HOME": str(folder / "home"),
        }

        result = run(binary, "--self-test", env=env)
        if result.returncode != 0 or f"{org / 'organisation.toml'} is geldig" not in result.stdout:
            raise SystemExit(
                f"check_frozen: self-test with the organisation file failed:\n{result.stdout}{result.stderr}"
            )
        print("check_frozen: self-test accepts the example organisation file", flush=True)

        broken = org / "broken.toml"  # beside the CA it names
        broken.write_text(
            (org / "organisation.toml").read_text().replace("auto_lock_minutes = 15", "auto_lock_minutes = 0")
        )
        result = run(
            binary, "--profile", str(folder / "p"), "doctor", env={**env, "MENSCENTRAAL_ORGANISATION_FILE": str(broken)}
        )
        line = 1 + next(
            i for i, text in enumerate(broken.read_text().splitlines()) if text.startswith("auto_lock_minutes")
        )
        if (
            result.returncode != 2
            or f"{broken} is ongeldig op regel {line}" not in result.stderr
            or "Traceback" in result.stderr
        ):
            raise SystemExit(f"check_frozen: a broken organisation file was not refused well:\n{result.stderr}")
        print(f"check_frozen: a broken organisation file is refused, naming line {line}", flush=True)

        print(f"check_frozen: windows: {windows_open(binary, env, folder / 'profile')}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
