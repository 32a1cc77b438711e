"""Fixtures that give each contract test a fresh store: SQLite, PostgreSQL, and `attain.testing.MemoryStore`.

The PostgreSQL side uses the session schema of `tests/conftest.py`, emptied before every test.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from attain.ports import Store
from attain.storage import SqlStore, connect, upgrade
from attain.testing import MemoryStore


def _engine(request: pytest.FixtureRequest, backend: str, tmp_path: Path) -> Engine:
    """An empty, unmigrated database: a SQLite file in tmp_path, or the session's PostgreSQL schema."""
    if backend == "sqlite":
        return connect(f"sqlite:///{tmp_path}/data/attain.db")
    return connect(request.getfixturevalue("postgres_url"), connect_args={"connect_timeout": 5})


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty, unmigrated database on each SQL backend."""
    created = _engine(request, request.param, tmp_path)
    yield created
    created.dispose()


@pytest.fixture(params=["sqlite", "postgresql", "memory"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A store of each kind: `SqlStore` on a database migrated to the latest revision, or a `MemoryStore`."""
    if request.param == "memory":
        yield MemoryStore()
        return
    created = _engine(request, request.param, tmp_path)
    upgrade(created)
    yield SqlStore(created)
    created.dispose()
