"""Fixtures that give each ingestion test a database URL and a migrated store, on SQLite and PostgreSQL.

PostgreSQL is the server on this machine (`ATTAIN_TEST_POSTGRES_URL` overrides the URL); each test
session works in its own schema, emptied before every test and dropped at the end. The schema is
named in the URL itself (`?options=-csearch_path%3D<schema>`), so a subprocess given the URL as
`ATTAIN_DATABASE_URL` sees the same tables. When the server is unreachable the PostgreSQL tests
fail with a message that says how to start it, unless `ATTAIN_SKIP_POSTGRES=1`.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, make_url, text
from sqlalchemy.exc import OperationalError

from attain.storage import SqlStore, connect, upgrade

POSTGRES_URL = os.environ.get("ATTAIN_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
START_POSTGRES = "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"


def schema_url(schema: str) -> str:
    """The PostgreSQL URL whose connections use `schema` (as text, for a subprocess's environment)."""
    url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def postgres_schema() -> Iterator[str]:
    """A schema of its own for this test session on the local PostgreSQL, dropped afterwards."""
    if os.environ.get("ATTAIN_SKIP_POSTGRES") == "1":
        pytest.skip("ATTAIN_SKIP_POSTGRES=1: PostgreSQL ingestion tests skipped on request")
    name = f"attain_ingest_{secrets.token_hex(6)}"
    admin = connect(POSTGRES_URL, connect_args={"connect_timeout": 5})
    try:
        with admin.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {name}"))
    except OperationalError as exc:
        admin.dispose()
        pytest.fail(
            f"PostgreSQL is not reachable at {POSTGRES_URL}: {exc.orig}\n"
            f"start it with `{START_POSTGRES}` (check with `pg_isready -h 127.0.0.1 -p 5432`), "
            "or set ATTAIN_SKIP_POSTGRES=1 to skip the PostgreSQL half of the ingestion tests",
            pytrace=False,
        )
    yield name
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {name} CASCADE"))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database's URL: a SQLite file in tmp_path, or the session's (emptied) PostgreSQL schema."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/data/attain.db"
    schema: str = request.getfixturevalue("postgres_schema")
    url = schema_url(schema)
    admin = connect(url, connect_args={"connect_timeout": 5})
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    admin.dispose()
    return url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on the test's database, migrated to the latest revision."""
    created = connect(database_url)
    upgrade(created)
    yield created
    created.dispose()


@pytest.fixture
def store(engine: Engine) -> SqlStore:
    """A `SqlStore` on the test's migrated database."""
    return SqlStore(engine)
