"""Run attain's Alembic migrations from Python, from a source tree or an installed package.

The migration scripts ship inside the package (`attain/storage/migrations`), found with
`importlib.resources`, so `attain db upgrade` needs no `alembic.ini` and no working directory.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from typing import TYPE_CHECKING

from sqlalchemy import URL, Engine, text
from sqlalchemy.exc import DBAPIError

from attain.storage.database import connect
from attain.storage.revision import HEAD_REVISION as HEAD_REVISION  # noqa: PLC0414 - its home before

if TYPE_CHECKING:
    from alembic.config import Config

HEAD = "head"


def upgrade(engine_or_url: Engine | str | URL, revision: str = HEAD) -> str | None:
    """Migrate the database to `revision` (the latest by default); a no-op when it is there already.

    Args:
        engine_or_url: An engine from `attain.storage.connect`, or a database URL.
        revision: The Alembic revision to reach.

    Returns:
        The revision the database is at afterwards.
    """
    from alembic import command  # noqa: PLC0415 - Alembic loads only when a store is behind

    with _engine(engine_or_url) as engine, _config() as config, engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    return current_revision(engine_or_url)


def current_revision(engine_or_url: Engine | str | URL) -> str | None:
    """The revision the database is at, or None when it was never migrated.

    Args:
        engine_or_url: An engine from `attain.storage.connect`, or a database URL.

    Returns:
        The current revision id.
    """
    from alembic.runtime.migration import MigrationContext  # noqa: PLC0415

    with _engine(engine_or_url) as engine, engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    """The latest revision that the package's migrations define.

    Returns:
        The head revision id.
    """
    from alembic.script import ScriptDirectory  # noqa: PLC0415

    with _config() as config:
        return ScriptDirectory.from_config(config).get_current_head()


def upgrade_if_behind(engine: Engine) -> str | None:
    """Migrate the database to the latest revision unless it is there already; the fast path of opening a store.

    A store at `HEAD_REVISION` is read with one query and no Alembic import; any other store
    (new, behind, or of an unknown revision) goes through `upgrade`.

    Returns:
        The revision the database was at before, None when it was never migrated.
    """
    before = stored_revision(engine)
    if before != HEAD_REVISION:
        upgrade(engine)
    return before


def stored_revision(engine: Engine) -> str | None:
    """The revision in the database's `alembic_version` table, read without Alembic; None when there is none."""
    try:
        with engine.connect() as connection:
            row = connection.execute(text("SELECT version_num FROM alembic_version")).first()
    except DBAPIError:  # no alembic_version table: a store never migrated
        return None
    return None if row is None else str(row[0])


@contextmanager
def _config() -> Iterator[Config]:
    """An Alembic configuration whose scripts are the package's own migrations."""
    with resources.as_file(resources.files("attain.storage") / "migrations") as location:
        from alembic.config import Config  # noqa: PLC0415

        config = Config()
        config.set_main_option("script_location", str(location))
        yield config


@contextmanager
def _engine(engine_or_url: Engine | str | URL) -> Iterator[Engine]:
    """The given engine, or one opened (and disposed of afterwards) for a URL."""
    if isinstance(engine_or_url, Engine):
        yield engine_or_url
        return
    engine = connect(engine_or_url)
    try:
        yield engine
    finally:
        engine.dispose()
