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

# Property tests explore the same examples on every run: a CI failure can be reproduced, and a
# run never fails because of a new random draw. `HYPOTHESIS_PROFILE=explore` searches afresh.
from hypothesis import settings  # noqa: E402

settings.register_profile("ci", derandomize=True, database=None)
settings.register_profile("explore")
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
