"""Backup and restore as the README describes them: pg_dump -Fc, pg_restore into an empty
database, and every table has the same number of rows."""

import os
import secrets
import shutil
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BASE_URL = os.environ.get("DATABASE_URL", "")

pytestmark = [
    pytest.mark.skipif(
        not BASE_URL.startswith(("postgres://", "postgresql://")),
        reason="backup and restore are tested on PostgreSQL (DATABASE_URL)",
    ),
    pytest.mark.skipif(not shutil.which("pg_dump"), reason="pg_dump is not installed"),
]


def _url(name: str) -> str:
    return urllib.parse.urlunsplit(urllib.parse.urlsplit(BASE_URL)._replace(path="/" + name))


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(_url("postgres"), autocommit=True) as conn:
        conn.execute(sql)


def _row_counts(name: str) -> dict[str, int]:
    import psycopg

    with psycopg.connect(_url(name)) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1"
            )
        ]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


@pytest.fixture
def databases():
    suffix = secrets.token_hex(4)
    names = (f"lw_backup_{suffix}", f"lw_restored_{suffix}")
    yield names
    for name in names:
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_dump_restored_into_an_empty_database_has_every_record(databases, tmp_path):
    source, restored = databases
    _admin(f'CREATE DATABASE "{source}"')
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "LW_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="lokalwillkommen.settings",
        DJANGO_SECRET_KEY="backup-test-" + secrets.token_hex(16),
        DJANGO_DEBUG="0",
        DJANGO_HTTPS="0",
        DATABASE_URL=_url(source),
        REDIS_URL="",
    )
    for command in (["migrate", "--noinput", "-v", "0"], ["seed_demo", "--scale", "100"]):
        subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True,
            capture_output=True,
        )  # fmt: skip

    dump = tmp_path / "lw.dump"
    subprocess.run(["pg_dump", "-Fc", "-f", str(dump), "-d", _url(source)], check=True)
    _admin(f'CREATE DATABASE "{restored}"')
    subprocess.run(
        ["pg_restore", "--no-owner", "--exit-on-error", "-d", _url(restored), str(dump)],
        check=True,
    )

    before, after = _row_counts(source), _row_counts(restored)
    assert before == after
    assert before["offices_office"] > 4 and before["network_offer"] > 20
    assert before["auth_user"] >= 2
