"""`make bench` cannot rot unseen: every benchmark family runs end to end at a tiny scale.

`python -m bench.run --smoke` takes the same code paths as the real run (enrollment and login
through the product, the first sync and its limit over mTLS, the app probe, the load process),
with a handful of repetitions on 40 cases; its numbers mean nothing, only that each is measured.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from bench import service as service_mod
from bench.run import ORDER
from server_stub.config import load_config

REPO = Path(__file__).resolve().parent.parent


def test_every_bench_family_runs_and_measures_every_metric(tmp_path):
    out = tmp_path / "smoke.json"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-m", "bench.run", "--smoke", "--out", str(out)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    result = json.loads(out.read_text())
    assert result["failed_families"] == [] and result["smoke"] is True
    for name in ORDER:
        assert result["metrics"][name]["value"] is not None, name


def test_the_bench_service_admits_a_full_runs_enrollments_and_logins(tmp_path):
    # The full server run enrolls and logs in a device for each of 200 load users from one address;
    # the smoke run's handful stays under the production throttles, so check the limits themselves.
    data_dir, _ = service_mod.prepare_data(
        3, tmp_path / "work", cache_root=tmp_path / "cache", fast_kdf=True, load_users=2
    )
    throttle = load_config(data_dir).throttle
    needed = service_mod.LOAD_USERS * 2 + 20  # + the sync and ui families' profiles
    assert (
        min(
            throttle.enrollment_per_source,
            throttle.enrollment_per_account,
            throttle.login_per_source,
            throttle.login_per_account,
        )
        >= needed
    )
