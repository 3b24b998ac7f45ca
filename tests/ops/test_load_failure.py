"""scripts/load_failure.py at a small size: load, two app servers, the database going away.

Runs only on PostgreSQL (DATABASE_URL); the database is stopped only in a private PostgreSQL
instance that the script starts itself, never the shared server.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
    reason="the load and failure test needs PostgreSQL (DATABASE_URL)",
)


def test_load_two_servers_and_a_database_outage(tmp_path):
    report = tmp_path / "load.json"
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "load_failure.py"),
            "--clients",
            "20",
            "--seconds",
            "4",
            "--timeout",
            "10",
            "--json",
            str(report),
        ],  # fmt: skip
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert report.exists(), result.stdout + result.stderr
    results = json.loads(report.read_text())
    assert not results["failures"], result.stdout
    assert results["load"]["accepted"]["volunteer"] + results["load"]["accepted"]["suggestion"]
