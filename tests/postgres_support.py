"""The PostgreSQL server the tests use, and schemas of their own on it (importable by any test).

The server is at 127.0.0.1:5432 (`ATTAIN_TEST_POSTGRES_URL` overrides the URL). When it is
unreachable a test that needs it fails with a message that says how to start it, unless
`ATTAIN_SKIP_POSTGRES=1`, which skips it.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator

import pytest
from sqlalchemy import make_url, text
from sqlalchemy.exc import OperationalError

from attain.storage import connect

POSTGRES_URL = os.environ.get("ATTAIN_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
START_POSTGRES = "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"


def schema_url(schema: str) -> str:
    """The PostgreSQL URL whose connections use `schema` (as text, for a subprocess's environment)."""
    url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


def own_schema(prefix: str) -> Iterator[str]:
    """Create a schema named `<prefix>_<random>`, yield its name, drop it afterwards (a fixture body)."""
    if os.environ.get("ATTAIN_SKIP_POSTGRES") == "1":
        pytest.skip("ATTAIN_SKIP_POSTGRES=1: PostgreSQL tests skipped on request")
    name = f"{prefix}_{secrets.token_hex(6)}"
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
            "or set ATTAIN_SKIP_POSTGRES=1 to skip the PostgreSQL tests",
            pytrace=False,
        )
    yield name
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {name} CASCADE"))
    admin.dispose()
