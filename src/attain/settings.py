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
LOG_LEVEL_VARIABLE = "ATTAIN_LOG_LEVEL"
LOG_FORMAT_VARIABLE = "ATTAIN_LOG_FORMAT"
UNSAFE_DURABILITY_VARIABLE = "ATTAIN_UNSAFE_DURABILITY"
REPORTS_DIR_VARIABLE = "ATTAIN_REPORTS_DIR"
LOG_LEVELS = ("debug", "info", "warning", "error")
"""The levels `attain serve` logs at, least severe first: a request answered 5xx is an error, any other info."""
LOG_FORMATS = ("console", "json")
"""How `attain serve` writes its log lines: `key=value` text for people, or one JSON object a line."""


@dataclass(frozen=True)
class Settings:
    """The database attain stores into, the directory that holds its local files, and how the server logs.

    Attributes:
        database_url: A SQLAlchemy URL: `sqlite:///...` by default, `postgresql://...` in production.
        data_dir: The directory for the default SQLite file and other local data.
        log_level: The least severe level the server logs, one of `LOG_LEVELS`.
        log_format: How the server writes log lines, one of `LOG_FORMATS`.
        unsafe_durability: Open the store even when it would not keep a committed write (SQLite not
            in WAL with `synchronous=FULL`, PostgreSQL without `synchronous_commit=on` and `fsync=on`).
        reports_dir: Where the scheduler writes the periodic reports; None: `reports` in `data_dir`
            (see `reports_directory`).
    """

    database_url: str
    data_dir: Path
    log_level: str = "info"
    log_format: str = "console"
    unsafe_durability: bool = False
    reports_dir: Path | None = None

    @property
    def reports_directory(self) -> Path:
        """Where the scheduler writes the periodic reports: `reports_dir`, or `data_dir/reports`."""
        return self.reports_dir if self.reports_dir is not None else self.data_dir / "reports"

    @classmethod
    def from_environ(cls, environ: Mapping[str, str], cwd: Path) -> Settings:
        """Read the settings from an environment mapping.

        `ATTAIN_DATA_DIR` defaults to `cwd/.attain` (a relative value is taken from `cwd`);
        `ATTAIN_DATABASE_URL` defaults to the SQLite file `attain.db` in the data directory;
        `ATTAIN_LOG_LEVEL` (`info`) and `ATTAIN_LOG_FORMAT` (`console`) are read in any case
        (lower-cased) and checked only by the server that uses them, so that a wrong one never
        stops a command that does not log. `ATTAIN_UNSAFE_DURABILITY` set to `1`, `true`, `yes` or
        `on` lets the store open with settings that could lose a committed write.
        `ATTAIN_REPORTS_DIR` (a relative value is taken from `cwd`) is where the scheduler writes
        the periodic reports; unset, `reports` in the data directory.

        Args:
            environ: The environment, usually `os.environ`.
            cwd: The directory that relative paths start from.

        Returns:
            The settings.
        """
        raw_dir = environ.get(DATA_DIR_VARIABLE) or ""
        data_dir = cwd / raw_dir if raw_dir else cwd / ".attain"
        database_url = environ.get(DATABASE_URL_VARIABLE) or f"sqlite:///{data_dir}/attain.db"
        level = (environ.get(LOG_LEVEL_VARIABLE) or "info").strip().lower()
        log_format = (environ.get(LOG_FORMAT_VARIABLE) or "console").strip().lower()
        unsafe = (environ.get(UNSAFE_DURABILITY_VARIABLE) or "").strip().lower() in {"1", "true", "yes", "on"}
        raw_reports = environ.get(REPORTS_DIR_VARIABLE) or ""
        return cls(
            database_url=database_url,
            data_dir=data_dir,
            log_level=level,
            log_format=log_format,
            unsafe_durability=unsafe,
            reports_dir=cwd / raw_reports if raw_reports else None,
        )
