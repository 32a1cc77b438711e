"""Run attain's Alembic migrations from Python, from a source tree or an installed package.

The migration scripts ship inside the package (`attain/storage/migrations`), found with
`importlib.resources`, so `attain db upgrade` needs no `alembic.ini` and no working directory.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import URL, Engine

from attain.storage.database import connect

HEAD = "head"


def upgrade(engine_or_url: Engine | str | URL, revision: str = HEAD) -> str | None:
    """Migrate the database to `revision` (the latest by default); a no-op when it is there already.

    Args:
        engine_or_url: An engine from `attain.storage.connect`, or a database URL.
        revision: The Alembic revision to reach.

    Returns:
        The revision the database is at afterwards.
    """
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
    with _engine(engine_or_url) as engine, engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    """The latest revision that the package's migrations define.

    Returns:
        The head revision id.
    """
    with _config() as config:
        return ScriptDirectory.from_config(config).get_current_head()


@contextmanager
def _config() -> Iterator[Config]:
    """An Alembic configuration whose scripts are the package's own migrations."""
    with resources.as_file(resources.files("attain.storage") / "migrations") as location:
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
