"""Fixtures that give each contract test a freshly migrated store on SQLite and on PostgreSQL.

PostgreSQL is the server on this machine (`ATTAIN_TEST_POSTGRES_URL` overrides the URL); each test
session works in its own schema, emptied before every test and dropped at the end. When the
server is unreachable the PostgreSQL tests fail with a message that says how to start it, unless
`ATTAIN_SKIP_POSTGRES=1`.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from attain.storage import SqlStore, connect, upgrade

POSTGRES_URL = os.environ.get("ATTAIN_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
START_POSTGRES = "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"


@pytest.fixture(scope="session")
def postgres_schema() -> Iterator[str]:
    """A schema of its own for this test session on the local PostgreSQL, dropped afterwards."""
    if os.environ.get("ATTAIN_SKIP_POSTGRES") == "1":
        pytest.skip("ATTAIN_SKIP_POSTGRES=1: PostgreSQL contract tests skipped on request")
    name = f"attain_test_{secrets.token_hex(6)}"
    admin = connect(POSTGRES_URL, connect_args={"connect_timeout": 5})
    reason = None
    try:
        with admin.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {name}"))
    except OperationalError as exc:
        admin.dispose()
        reason = str(exc.orig)
    if reason is not None:
        pytest.fail(
            f"PostgreSQL is not reachable at {POSTGRES_URL}: {reason}\n"
            f"start it with `{START_POSTGRES}` (check with `pg_isready -h 127.0.0.1 -p 5432`), "
            "or set ATTAIN_SKIP_POSTGRES=1 to skip the PostgreSQL half of the contract tests",
            pytrace=False,
        )
    yield name
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {name} CASCADE"))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty, unmigrated database: a SQLite file in tmp_path, or the session's PostgreSQL schema."""
    if request.param == "sqlite":
        created = connect(f"sqlite:///{tmp_path}/data/attain.db")
    else:
        schema: str = request.getfixturevalue("postgres_schema")
        created = connect(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}", "connect_timeout": 5})
        with created.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {schema}"))
    yield created
    created.dispose()


@pytest.fixture
def store(engine: Engine) -> SqlStore:
    """A `SqlStore` on a database migrated to the latest revision."""
    upgrade(engine)
    return SqlStore(engine)
