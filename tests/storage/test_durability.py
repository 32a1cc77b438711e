"""Durability is read back on every store connection: weaker settings refuse to open unless allowed, and are logged."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import make_url, text
from sqlalchemy.pool import StaticPool
from tests.cli_support import Cli

from attain.errors import UnsafeDurability
from attain.storage import connect
from attain.storage.database import check_sqlite


def _recorder() -> tuple[list[tuple[str, str, str, str]], object]:
    found: list[tuple[str, str, str, str]] = []
    return found, lambda *args: found.append(args)


def test_a_sqlite_connection_in_rollback_journal_with_normal_sync_is_reported_twice(tmp_path: Path) -> None:
    """A plain sqlite3 connection (DELETE journal, synchronous NORMAL) is weaker on both settings."""
    raw = sqlite3.connect(tmp_path / "plain.db")
    raw.execute("PRAGMA journal_mode=DELETE")
    raw.execute("PRAGMA synchronous=NORMAL")
    found, check = _recorder()
    check_sqlite(raw, check)  # type: ignore[arg-type]
    raw.close()
    assert found == [("SQLite", "journal_mode", "delete", "wal"), ("SQLite", "synchronous", "NORMAL", "FULL")]


def test_the_default_sqlite_store_reads_back_wal_and_full(tmp_path: Path) -> None:
    """A store file opened by attain is in WAL mode with synchronous FULL (2), read through SQLAlchemy."""
    engine = connect(f"sqlite:///{tmp_path}/attain.db")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2
    engine.dispose()


def test_an_in_memory_sqlite_uri_has_no_journal_to_check() -> None:
    """A shared in-memory database (journal_mode 'memory') opens: nothing on it outlives the process anyway."""
    engine = connect("sqlite:///file:durability_memdb?mode=memory&cache=shared&uri=true", poolclass=StaticPool)
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "memory"
    engine.dispose()


def _no_wal_url(tmp_path: Path) -> str:
    """A SQLite file whose VFS has no shared memory: SQLite quietly keeps the rollback journal."""
    return f"sqlite:///file:{tmp_path}/nowal.db?vfs=unix-none&uri=true"


def test_a_sqlite_file_that_cannot_run_wal_is_refused(tmp_path: Path) -> None:
    """Where WAL cannot be turned on, opening the store fails and names the setting and the way out."""
    engine = connect(_no_wal_url(tmp_path))
    with pytest.raises(UnsafeDurability) as caught:
        engine.connect()
    engine.dispose()
    assert (caught.value.setting, caught.value.found, caught.value.wanted) == ("journal_mode", "delete", "wal")
    assert "--unsafe-durability" in str(caught.value)


def test_the_same_file_opens_when_unsafe_durability_is_allowed_and_is_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Allowed explicitly, the weaker store opens and a warning names what could be lost."""
    engine = connect(_no_wal_url(tmp_path), unsafe_durability=True)
    with caplog.at_level(logging.WARNING, logger="attain.storage"), engine.connect() as conn:
        assert conn.execute(text("SELECT 1")).scalar() == 1
    engine.dispose()
    assert [r.getMessage() for r in caplog.records] == [
        "unsafe durability allowed: SQLite: journal_mode is 'delete', not 'wal'; a crash may lose committed writes"
    ]


def _with_option(url: str, option: str) -> str:
    parsed = make_url(url)
    options = " ".join(filter(None, [parsed.query.get("options", ""), option]))  # type: ignore[list-item]
    return parsed.update_query_dict({"options": options}).render_as_string(hide_password=False)


@pytest.mark.parametrize("value", ["off", "local"])
def test_postgres_without_synchronous_commit_on_is_refused(postgres_url: str, value: str) -> None:
    """A session whose synchronous_commit is off or local does not wait for the WAL flush: refused."""
    engine = connect(_with_option(postgres_url, f"-csynchronous_commit={value}"))
    with pytest.raises(UnsafeDurability) as caught:
        engine.connect()
    engine.dispose()
    assert (caught.value.database, caught.value.setting, caught.value.found) == (
        "PostgreSQL",
        "synchronous_commit",
        value,
    )


def test_postgres_with_remote_apply_is_durable_and_the_default_server_passes(postgres_url: str) -> None:
    """remote_apply waits for more than on; the test server's defaults pass the check."""
    for url in (postgres_url, _with_option(postgres_url, "-csynchronous_commit=remote_apply")):
        engine = connect(url)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT 1")).scalar() == 1
        engine.dispose()


def test_postgres_unsafe_durability_opens_and_logs(postgres_url: str, caplog: pytest.LogCaptureFixture) -> None:
    """Allowed explicitly, a synchronous_commit=off session opens and the warning is logged once per connection."""
    engine = connect(_with_option(postgres_url, "-csynchronous_commit=off"), unsafe_durability=True)
    with caplog.at_level(logging.WARNING, logger="attain.storage"), engine.connect() as conn:
        assert conn.execute(text("SHOW synchronous_commit")).scalar() == "off"
    engine.dispose()
    assert [r.getMessage() for r in caplog.records] == [
        "unsafe durability allowed: PostgreSQL: synchronous_commit is 'off', not 'on'; "
        "a crash may lose committed writes"
    ]


def test_the_cli_refuses_a_weak_store_and_opens_it_with_the_flag(tmp_path: Path) -> None:
    """`attain agreements` exits 1 naming the setting; `attain --unsafe-durability agreements` works and warns."""
    cli = Cli(tmp_path, env={"ATTAIN_DATABASE_URL": _no_wal_url(tmp_path)})
    refused = cli.process("agreements")
    assert refused.returncode == 1
    assert "SQLite: journal_mode is 'delete', but attain needs 'wal'" in refused.stderr
    allowed = cli.process("--unsafe-durability", "agreements")
    assert allowed.returncode == 0, allowed.stderr
    assert "unsafe durability allowed: SQLite: journal_mode is 'delete'" in allowed.stderr
