"""Shared test set-up.

Qt aborts without a display and CI sets nothing, so the offscreen platform is chosen here,
before anything imports Qt.
"""
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

pytest_plugins = ["tests.service_fixtures"]
