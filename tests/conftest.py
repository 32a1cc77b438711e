"""Fixtures shared across the tests: the `attain` command line, and the PostgreSQL server on this machine.

`attain` runs the CLI on a data directory of the test's own (`cli_support.Cli`): in this process
by calling it, as a subprocess through `.process(...)`.

PostgreSQL is the server at 127.0.0.1:5432 (`ATTAIN_TEST_POSTGRES_URL` overrides the URL); a test
session works in a schema of its own, dropped at the end. The schema is named in the URL itself
(`?options=-csearch_path%3D<schema>`), so a subprocess given the URL sees the same tables. When
the server is unreachable the PostgreSQL tests fail with a message that says how to start it,
unless `ATTAIN_SKIP_POSTGRES=1`.

hypothesis runs without its per-example deadline (a timing check, and timing is the benchmark's
business, bench/, not the tests'; on a shared two-core machine it only flakes) and derandomized:
every run tries the same examples, so a failure replays and CI judges what was run here.
`HYPOTHESIS_PROFILE=explore` draws new examples each run, for hunting.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy import text

from attain.storage import connect
from cli_support import Cli
from postgres_support import own_schema, schema_url

settings.register_profile("attain", deadline=None, derandomize=True)
settings.register_profile("explore", deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "attain"))


@pytest.fixture(scope="session")
def postgres_schema() -> Iterator[str]:
    """A schema of its own for this test session on the local PostgreSQL, dropped afterwards."""
    yield from own_schema("attain_test")


@pytest.fixture
def postgres_url(postgres_schema: str) -> str:
    """The URL of the session's PostgreSQL schema, emptied for this test."""
    url = schema_url(postgres_schema)
    admin = connect(url, connect_args={"connect_timeout": 5})
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {postgres_schema} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {postgres_schema}"))
    admin.dispose()
    return url


@pytest.fixture
def attain(tmp_path: Path) -> Cli:
    """The CLI with ATTAIN_DATA_DIR at `tmp_path/data` (and no ATTAIN_DATABASE_URL), run in `tmp_path`."""
    return Cli(tmp_path / "data", cwd=tmp_path)
