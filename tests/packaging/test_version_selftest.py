"""`--version` (one source of truth: pyproject.toml) and `--self-test` in a subprocess, offscreen."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from desktop import selftest
from desktop.version import version

REPO = Path(__file__).resolve().parents[2]
CHEAP_KDF = "1024,1,1"


def run(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", selftest.KDF_ENV: CHEAP_KDF, **env}
    return subprocess.run(
        [sys.executable, "-m", "desktop", *args], cwd=REPO, capture_output=True, text=True, timeout=120, env=environment
    )


def test_version_comes_from_pyproject():
    declared = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
    assert version() == declared
    result = run("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"MensCentraal Mobiel {declared}"


def test_self_test_passes_offscreen_in_a_subprocess(tmp_path):
    subprocess.run([sys.executable, "-m", "desktop.i18n_build"], check=True, cwd=REPO, capture_output=True)
    result = run("--self-test", TMPDIR=str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    for name, _ in selftest.PARTS:
        assert any(line.startswith(f"OK {name}") for line in lines), (name, result.stdout)
    assert "TLSv1.3" not in result.stderr and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []  # the temporary cache and keys are gone


def test_self_test_names_the_broken_part_and_fails(tmp_path):
    """A broken organisation file is one failed part; the others still run and are reported."""
    broken = tmp_path / "organisation.toml"
    broken.write_text("[service\n", encoding="utf-8")
    result = run("--self-test", MENSCENTRAAL_ORGANISATION_FILE=str(broken))
    assert result.returncode == selftest.EXIT_FAILED
    assert f"!! Organisatiebestand: Het organisatiebestand {broken} is ongeldig op regel 1" in result.stdout
    assert "OK Versleutelde offline opslag" in result.stdout
    assert "Zelftest mislukt (Organisatiebestand)" in result.stderr and "Traceback" not in result.stderr


def test_encrypted_cache_part_fails_when_the_file_is_plain_sqlite(tmp_path, monkeypatch):
    """The check is real: with encryption switched off it reports the file as readable."""
    from desktop.cache import db

    real_open = db.open_cache

    def unencrypted(path, key, **kwargs):  # SQLCipher with an empty key writes plain SQLite
        return real_open(path, key, **kwargs) if Path(path).exists() and Path(path).stat().st_size else _plain(path)

    def _plain(path):
        import sqlcipher3

        Path(path).unlink(missing_ok=True)
        return sqlcipher3.connect(str(path), isolation_level=None)

    monkeypatch.setattr(db, "open_cache", unencrypted)
    with pytest.raises(selftest.SelfTestFailure, match="onversleutelde SQLite-kop"):
        selftest.check_encrypted_cache(tmp_path)


def test_pinned_tls_part_does_a_real_tls13_handshake(tmp_path):
    assert "TLS 1.3" in selftest.check_pinned_tls(tmp_path)
    assert list(tmp_path.iterdir()) == []  # the server key file is removed at once


def test_help_lists_version_and_self_test():
    result = run("--help")
    assert "--version" in result.stdout and "--self-test" in result.stdout
