"""Fixtures that give each contract test a freshly migrated store on SQLite and on PostgreSQL.

The PostgreSQL side uses the session schema of `tests/conftest.py`, emptied before every test.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from attain.storage import SqlStore, connect, upgrade


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty, unmigrated database: a SQLite file in tmp_path, or the session's PostgreSQL schema."""
    if request.param == "sqlite":
        created = connect(f"sqlite:///{tmp_path}/data/attain.db")
    else:
        created = connect(request.getfixturevalue("postgres_url"), connect_args={"connect_timeout": 5})
    yield created
    created.dispose()


@pytest.fixture
def store(engine: Engine) -> SqlStore:
    """A `SqlStore` on a database migrated to the latest revision."""
    upgrade(engine)
    return SqlStore(engine)
