"""The suite itself refuses to run outside DJANGO_ENV=test on PostgreSQL (tests/conftest.py)."""

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]


def run_pytest(**env_overrides):
    env = {**os.environ, **env_overrides}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "--collect-only",
            "-q",
            "tests/unit/store/test_env.py",
        ],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_suite_refuses_sqlite_and_another_profile():
    result = run_pytest(DJANGO_ENV="development", DATABASE_URL="sqlite:////nonexistent/db")

    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "DJANGO_ENV must be 'test'" in output
    assert "DATABASE_URL must point to PostgreSQL" in output
