"""Shared test set-up.

Qt aborts without a display and CI sets nothing, so the offscreen platform is chosen here,
before anything imports Qt.
"""
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# No organisation file (/etc/menscentraal/organisation.toml) on a developer's machine leaks into
# the tests; tests/packaging sets one per test.
os.environ["MENSCENTRAAL_ORGANISATION_FILE"] = ""

pytest_plugins = ["tests.service_fixtures"]
