"""Fixtures that give each ingestion test a database URL and a migrated store, on SQLite and PostgreSQL.

The PostgreSQL side uses the session schema of `tests/conftest.py` (named in the URL, so that a
subprocess given the URL as `ATTAIN_DATABASE_URL` sees the same tables), emptied before every test.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from attain.storage import SqlStore, connect, upgrade


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database's URL: a SQLite file in tmp_path, or the session's (emptied) PostgreSQL schema."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/data/attain.db"
    url: str = request.getfixturevalue("postgres_url")
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
