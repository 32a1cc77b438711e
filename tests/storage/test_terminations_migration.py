"""Migration 0014 on a store with data: upgrading from 0011 keeps the rights, adds `terminations` and the yearly cap's columns; downgrading drops them."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect

from attain.storage import connect, upgrade
from attain.storage.migrate import HEAD_REVISION, _config
from attain.storage.right import SqlRights, ending_of


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A real SQLite file or the test's PostgreSQL schema."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/attain.db"
    return str(request.getfixturevalue("postgres_url"))


def test_upgrade_from_0011_with_a_right_then_down_and_up_again(url: str) -> None:
    """A right stored at 0011 survives 0014; 0014 starts with no termination; downgrade removes only the table."""
    engine = connect(url)
    assert upgrade(engine, "0011") == "0011"
    SqlRights(engine).record([("shop", "uptime", 5, "terminate", ("2026-10",), None)], 7)
    assert upgrade(engine) == HEAD_REVISION
    assert "terminations" in inspect(engine).get_table_names()
    assert {"uncapped", "capped"} <= {c["name"] for c in inspect(engine).get_columns("credits")}
    assert [(r.number, r.grants) for r in SqlRights(engine).entries("shop")] == [(1, "terminate")]
    assert ending_of(engine, "shop") is None
    with _config() as config, engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0011")
    assert "terminations" not in inspect(engine).get_table_names()
    assert not {"uncapped", "capped"} & {c["name"] for c in inspect(engine).get_columns("credits")}
    assert [r.number for r in SqlRights(engine).entries("shop")] == [1]
    assert upgrade(engine) == HEAD_REVISION
    engine.dispose()
