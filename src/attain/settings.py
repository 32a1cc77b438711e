"""Where attain keeps its data, read from an environment that the caller passes in.

Nothing here reads `os.environ` on import: the CLI and the API pass `os.environ` (tests pass a
plain dict), so each run starts from exactly the settings it was given.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from attain.errors import InvalidInput, Problem

DATA_DIR_VARIABLE = "ATTAIN_DATA_DIR"
DATABASE_URL_VARIABLE = "ATTAIN_DATABASE_URL"
LOG_LEVEL_VARIABLE = "ATTAIN_LOG_LEVEL"
LOG_FORMAT_VARIABLE = "ATTAIN_LOG_FORMAT"
UNSAFE_DURABILITY_VARIABLE = "ATTAIN_UNSAFE_DURABILITY"
REPORTS_DIR_VARIABLE = "ATTAIN_REPORTS_DIR"
TOKEN_PEPPER_VARIABLE = "ATTAIN_TOKEN_PEPPER"  # noqa: S105 - names a variable, holds no secret
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
        token_pepper: The server's secret key for token digests (HMAC-SHA256 of each token under
            it); None: unkeyed sha256 digests, as before the pepper existed. Never printed (`repr`).
    """

    database_url: str
    data_dir: Path
    log_level: str = "info"
    log_format: str = "console"
    unsafe_durability: bool = False
    reports_dir: Path | None = None
    token_pepper: bytes | None = field(default=None, repr=False)

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
        The notification variables are read apart, by `NotifySettings.from_environ`, only where
        notifications are sent, so that a wrong one never stops a command that sends none.
        `ATTAIN_REPORTS_DIR` (a relative value is taken from `cwd`) is where the scheduler writes
        the periodic reports; unset, `reports` in the data directory. `ATTAIN_TOKEN_PEPPER` is the
        key API tokens are hashed under (see `attain.services.tokens`).

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
            token_pepper=(environ.get(TOKEN_PEPPER_VARIABLE) or "").encode() or None,
        )


PUBLIC_URL_VARIABLE = "ATTAIN_PUBLIC_URL"
SMTP_HOST_VARIABLE = "ATTAIN_SMTP_HOST"
SMTP_PORT_VARIABLE = "ATTAIN_SMTP_PORT"
SMTP_STARTTLS_VARIABLE = "ATTAIN_SMTP_STARTTLS"
SMTP_USER_VARIABLE = "ATTAIN_SMTP_USER"
SMTP_PASSWORD_ENV_VARIABLE = "ATTAIN_SMTP_PASSWORD_ENV"  # noqa: S105 (names a variable, holds no password)
SMTP_FROM_VARIABLE = "ATTAIN_SMTP_FROM"
NOTIFY_ALLOW_VARIABLE = "ATTAIN_NOTIFY_ALLOW"
NOTIFY_MAX_ATTEMPTS_VARIABLE = "ATTAIN_NOTIFY_MAX_ATTEMPTS"
NOTIFY_LEASE_VARIABLE = "ATTAIN_NOTIFY_LEASE_SECONDS"
NOTIFY_TIMEOUT_VARIABLE = "ATTAIN_NOTIFY_TIMEOUT_SECONDS"
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}


@dataclass(frozen=True)
class NotifySettings:
    """How notifications are sent: the SMTP server, which private addresses may be reached, retries.

    Attributes:
        public_url: attain's own public base URL (`https://sla.example.com`), linked from alerts and
            messages; empty when there is none.
        smtp_host: The SMTP server e-mail is sent through.
        smtp_port: Its port.
        smtp_starttls: Upgrade the connection with STARTTLS (certificate verified) before logging in.
        smtp_user: The user to log in as; empty: no login.
        smtp_password_env: The name of the environment variable that holds the SMTP password (the
            password itself is never a setting, so it never shows in a settings dump).
        smtp_from: The sender address of the e-mails.
        allow: Hosts and networks (CIDR) that may be reached although private or loopback
            (`attain.notify.address`); link-local and metadata addresses are refused even so.
        max_attempts: Attempts before a message is dead-lettered.
        lease_seconds: How long a claimed message is held before another process may claim it.
        timeout_seconds: The time allowed for one send (connect, and each read or write).
    """

    public_url: str = ""
    smtp_host: str = "localhost"
    smtp_port: int = 25
    smtp_starttls: bool = False
    smtp_user: str = ""
    smtp_password_env: str = "ATTAIN_SMTP_PASSWORD"  # noqa: S105 (a variable's name, not a password)
    smtp_from: str = "attain@localhost"
    allow: tuple[str, ...] = ()
    max_attempts: int = 8
    lease_seconds: int = 300
    timeout_seconds: int = 10

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> NotifySettings:
        """Read the notification settings from an environment mapping; empty variables count as unset.

        `ATTAIN_NOTIFY_ALLOW` is a comma-separated list (`127.0.0.1, 10.0.0.0/8, hooks.internal`),
        kept as written (lower-cased, blanks dropped) and checked by `attain.notify.address`.

        Raises:
            InvalidInput: a number is not a whole number in its range, or `ATTAIN_SMTP_STARTTLS`
                is not a yes or no; each problem names the variable and what would be valid.
        """
        problems: list[Problem] = []

        def number(variable: str, default: int, low: int, high: int) -> int:
            raw = (environ.get(variable) or "").strip()
            if not raw:
                return default
            if raw.isdigit() and low <= int(raw) <= high:
                return int(raw)
            problems.append(
                Problem("<environment>", None, None, variable, f"invalid value {raw!r}", f"a whole number {low}–{high}")
            )
            return default

        starttls_raw = (environ.get(SMTP_STARTTLS_VARIABLE) or "").strip().lower()
        if starttls_raw not in _TRUE | _FALSE:
            problems.append(
                Problem(
                    "<environment>", None, None, SMTP_STARTTLS_VARIABLE, f"invalid value {starttls_raw!r}", "1 or 0"
                )
            )
        settings = cls(
            public_url=(environ.get(PUBLIC_URL_VARIABLE) or "").strip().rstrip("/"),
            smtp_host=(environ.get(SMTP_HOST_VARIABLE) or "").strip() or "localhost",
            smtp_port=number(SMTP_PORT_VARIABLE, 25, 1, 65535),
            smtp_starttls=starttls_raw in _TRUE,
            smtp_user=(environ.get(SMTP_USER_VARIABLE) or "").strip(),
            smtp_password_env=(environ.get(SMTP_PASSWORD_ENV_VARIABLE) or "").strip() or "ATTAIN_SMTP_PASSWORD",
            smtp_from=(environ.get(SMTP_FROM_VARIABLE) or "").strip() or "attain@localhost",
            allow=tuple(
                item.strip().lower() for item in (environ.get(NOTIFY_ALLOW_VARIABLE) or "").split(",") if item.strip()
            ),
            max_attempts=number(NOTIFY_MAX_ATTEMPTS_VARIABLE, 8, 1, 100),
            lease_seconds=number(NOTIFY_LEASE_VARIABLE, 300, 1, 86400),
            timeout_seconds=number(NOTIFY_TIMEOUT_VARIABLE, 10, 1, 600),
        )
        if problems:
            raise InvalidInput(problems)
        return settings


def user_cache_dir(environ: Mapping[str, str], home: Path, platform: str) -> Path:
    """Attain's directory in the user's cache, never the working or the source directory.

    `$XDG_CACHE_HOME/attain`, else `~/.cache/attain` (Linux and other Unix); `~/Library/Caches/attain`
    on macOS; `%LOCALAPPDATA%/attain` on Windows.

    Args:
        environ: The environment (`os.environ`).
        home: The user's home directory.
        platform: `sys.platform`.
    """
    if platform == "win32":
        base = Path(environ.get("LOCALAPPDATA") or home / "AppData" / "Local")
    elif platform == "darwin":
        base = home / "Library" / "Caches"
    else:
        given = environ.get("XDG_CACHE_HOME", "")
        base = Path(given) if given and Path(given).is_absolute() else home / ".cache"
    return base / "attain"


def agreement_cache_dir(environ: Mapping[str, str], home: Path, platform: str) -> Path:
    """The user cache directory for validated stored agreements: `agreements` in `user_cache_dir`."""
    return user_cache_dir(environ, home, platform) / "agreements"
