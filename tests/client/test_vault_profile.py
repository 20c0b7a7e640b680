"""The profile directory: where it lives, profile.json, typed settings, private atomic files."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from desktop.profile import PROFILE_ENV, Profile, ProfileConfig, ProfileError, Settings, write_private_file


def test_profile_override_then_environment_then_platform_dir(tmp_path, monkeypatch):
    monkeypatch.delenv(PROFILE_ENV, raising=False)
    assert Profile.resolve(tmp_path / "p").root == (tmp_path / "p").absolute()
    monkeypatch.setenv(PROFILE_ENV, str(tmp_path / "env"))
    assert Profile.resolve().root == (tmp_path / "env").absolute()
    assert Profile.resolve(tmp_path / "p").root == (tmp_path / "p").absolute()
    monkeypatch.delenv(PROFILE_ENV)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    default = Profile.resolve()
    assert str(default.root).startswith(str(tmp_path / "xdg")) and "MensCentraal" in str(default.root)


def test_file_names_live_in_the_profile(profile):
    names = {
        p.name
        for p in (
            profile.cache_path,
            profile.vault_path,
            profile.device_key_path,
            profile.device_cert_path,
            profile.ca_cert_path,
            profile.config_path,
        )
    }
    assert names == {"cache.db", "vault.json", "device-key.pem", "device-cert.pem", "ca.pem", "profile.json"}
    assert {p.name for p in profile.cache_side_paths} >= {"cache.db-wal", "cache.db-shm"}
    assert all(p.parent == profile.root for p in profile.cache_side_paths)


def test_config_round_trip_is_private_and_gets_an_id(profile):
    assert profile.load_config() == ProfileConfig()  # nothing yet: defaults, no file written
    assert not profile.root.exists()
    saved = profile.save_config(
        ProfileConfig(
            service_url="https://mc.example:8443",
            username="fveld",
            device_id="d-1",
            last_contact_at="2026-11-27T10:00:00Z",
            settings=Settings(auto_lock_minutes=5),
        )
    )
    assert saved.profile_id
    loaded = profile.load_config()
    assert loaded == saved and loaded.settings.auto_lock_minutes == 5 and loaded.settings.offline_lock_hours == 72
    assert loaded.last_contact().isoformat() == "2026-11-27T10:00:00+00:00"
    assert stat.S_IMODE(profile.config_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(profile.root.stat().st_mode) == 0o700
    # Only overrides are stored, so a new default reaches existing profiles.
    assert json.loads(profile.config_path.read_text())["settings"] == {"auto_lock_minutes": 5}
    assert profile.update_config(username="other").profile_id == saved.profile_id
    assert profile.profile_id() == saved.profile_id


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b"[]",
        b'{"format": 99}',
        b'{"format": 1, "username": 5}',
        b'{"format": 1, "settings": {"auto_lock_minutes": "soon"}}',
    ],
)
def test_damaged_profile_json_is_refused_and_left_alone(profile, content):
    profile.ensure_dir()
    profile.config_path.write_bytes(content)
    with pytest.raises(ProfileError):
        profile.load_config()
    assert profile.config_path.read_bytes() == content


def test_settings_defaults_in_one_place():
    settings = Settings()
    assert (
        settings.offline_lock_hours,
        settings.offline_wipe_days,
        settings.auto_lock_minutes,
        settings.wipe_warning_days,
        settings.max_offline_unlock_attempts,
        settings.language,
    ) == (72, 30, 15, 25, 10, "nl")
    assert Settings.from_dict({"connect_timeout_seconds": 3, "unknown": True}).connect_timeout_seconds == 3.0


def test_atomic_write_leaves_no_temp_files_and_replaces_whole(tmp_path):
    target = tmp_path / "dir" / "file.json"
    write_private_file(target, b"one")
    write_private_file(target, b"two")
    assert target.read_bytes() == b"two"
    assert os.listdir(target.parent) == ["file.json"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_failed_write_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "file.json"
    write_private_file(target, b"old")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        write_private_file(target, b"new")
    monkeypatch.undo()
    assert target.read_bytes() == b"old"
    assert [p.name for p in Path(tmp_path).iterdir()] == ["file.json"]
