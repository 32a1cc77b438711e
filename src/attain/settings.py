"""Where attain keeps its data, read from an environment that the caller passes in.

Nothing here reads `os.environ` on import: the CLI and the API pass `os.environ` (tests pass a
plain dict), so each run starts from exactly the settings it was given.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DATA_DIR_VARIABLE = "ATTAIN_DATA_DIR"
DATABASE_URL_VARIABLE = "ATTAIN_DATABASE_URL"


@dataclass(frozen=True)
class Settings:
    """The database attain stores into and the directory that holds its local files.

    Attributes:
        database_url: A SQLAlchemy URL: `sqlite:///...` by default, `postgresql://...` in production.
        data_dir: The directory for the default SQLite file and other local data.
    """

    database_url: str
    data_dir: Path

    @classmethod
    def from_environ(cls, environ: Mapping[str, str], cwd: Path) -> Settings:
        """Read the settings from an environment mapping.

        `ATTAIN_DATA_DIR` defaults to `cwd/.attain` (a relative value is taken from `cwd`);
        `ATTAIN_DATABASE_URL` defaults to the SQLite file `attain.db` in the data directory.

        Args:
            environ: The environment, usually `os.environ`.
            cwd: The directory that relative paths start from.

        Returns:
            The settings.
        """
        raw_dir = environ.get(DATA_DIR_VARIABLE) or ""
        data_dir = cwd / raw_dir if raw_dir else cwd / ".attain"
        database_url = environ.get(DATABASE_URL_VARIABLE) or f"sqlite:///{data_dir}/attain.db"
        return cls(database_url=database_url, data_dir=data_dir)
