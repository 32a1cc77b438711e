"""The API fixture: a fresh store per test, on a SQLite file and on the local PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from api_support import Api, make_api


@pytest.fixture(params=["sqlite", "postgresql"])
def api(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Api]:
    """An API with two customers' agreements and a token per role, on each database."""
    if request.param == "sqlite":
        made = make_api(f"sqlite:///{tmp_path}/attain.db", tmp_path)
    else:
        made = make_api(request.getfixturevalue("postgres_url"), tmp_path)
    yield made
    made.runtime.close()
