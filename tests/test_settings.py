"""Settings come from the environment mapping the caller passes, with paths taken from its directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from attain.errors import InvalidInput
from attain.settings import NotifySettings, Settings

CWD = Path("/srv/attain")


def test_defaults_are_a_sqlite_file_in_dot_attain() -> None:
    """With nothing set, data lives in CWD/.attain and the database is attain.db there."""
    assert Settings.from_environ({}, CWD) == Settings("sqlite:////srv/attain/.attain/attain.db", CWD / ".attain")


def test_a_data_dir_moves_the_sqlite_file() -> None:
    """A relative ATTAIN_DATA_DIR is taken from CWD, an absolute one as it is; the file follows it."""
    relative = Settings.from_environ({"ATTAIN_DATA_DIR": "data"}, CWD)
    absolute = Settings.from_environ({"ATTAIN_DATA_DIR": "/var/lib/attain"}, CWD)
    assert relative == Settings("sqlite:////srv/attain/data/attain.db", Path("/srv/attain/data"))
    assert absolute == Settings("sqlite:////var/lib/attain/attain.db", Path("/var/lib/attain"))


def test_a_database_url_wins_and_empty_values_count_as_unset() -> None:
    """ATTAIN_DATABASE_URL is used as given; empty variables fall back to the defaults."""
    url = "postgresql://attain@db.internal/attain"
    assert Settings.from_environ({"ATTAIN_DATABASE_URL": url, "ATTAIN_DATA_DIR": "d"}, CWD) == Settings(url, CWD / "d")
    assert Settings.from_environ({"ATTAIN_DATABASE_URL": "", "ATTAIN_DATA_DIR": ""}, CWD) == Settings.from_environ(
        {}, CWD
    )


def test_notify_settings_default_to_a_local_smtp_server_and_no_private_address() -> None:
    """With nothing set, e-mail goes to localhost:25 unencrypted, nothing private is allowed, 8 attempts."""
    assert NotifySettings.from_environ({}) == NotifySettings(
        public_url="",
        smtp_host="localhost",
        smtp_port=25,
        smtp_starttls=False,
        smtp_user="",
        smtp_password_env="ATTAIN_SMTP_PASSWORD",  # noqa: S106
        smtp_from="attain@localhost",
        allow=(),
        max_attempts=8,
        lease_seconds=300,
        timeout_seconds=10,
    )


def test_notify_settings_are_read_from_their_variables() -> None:
    """Each ATTAIN_SMTP_* and ATTAIN_NOTIFY_* variable sets its field; the allow-list is split on commas."""
    environ = {
        "ATTAIN_PUBLIC_URL": "https://sla.example.com/",
        "ATTAIN_SMTP_HOST": "smtp.example.com",
        "ATTAIN_SMTP_PORT": "587",
        "ATTAIN_SMTP_STARTTLS": "yes",
        "ATTAIN_SMTP_USER": "attain",
        "ATTAIN_SMTP_PASSWORD_ENV": "SMTP_SECRET",
        "ATTAIN_SMTP_FROM": "sla@example.com",
        "ATTAIN_NOTIFY_ALLOW": " 127.0.0.1, 10.0.0.0/8 ,,Hooks.Internal",
        "ATTAIN_NOTIFY_MAX_ATTEMPTS": "3",
        "ATTAIN_NOTIFY_LEASE_SECONDS": "60",
        "ATTAIN_NOTIFY_TIMEOUT_SECONDS": "5",
    }
    assert NotifySettings.from_environ(environ) == NotifySettings(
        public_url="https://sla.example.com",
        smtp_host="smtp.example.com",
        smtp_port=587,
        smtp_starttls=True,
        smtp_user="attain",
        smtp_password_env="SMTP_SECRET",  # noqa: S106
        smtp_from="sla@example.com",
        allow=("127.0.0.1", "10.0.0.0/8", "hooks.internal"),
        max_attempts=3,
        lease_seconds=60,
        timeout_seconds=5,
    )


def test_bad_notify_settings_name_every_variable_and_what_is_valid() -> None:
    """A port out of range, a word for a number and an unknown yes/no are all reported at once."""
    environ = {"ATTAIN_SMTP_PORT": "70000", "ATTAIN_NOTIFY_MAX_ATTEMPTS": "many", "ATTAIN_SMTP_STARTTLS": "maybe"}
    with pytest.raises(InvalidInput) as raised:
        NotifySettings.from_environ(environ)
    assert str(raised.value).splitlines() == [
        "<environment>:1:1: ATTAIN_SMTP_STARTTLS: invalid value 'maybe'; 1 or 0",
        "<environment>:1:1: ATTAIN_SMTP_PORT: invalid value '70000'; a whole number 1–65535",
        "<environment>:1:1: ATTAIN_NOTIFY_MAX_ATTEMPTS: invalid value 'many'; a whole number 1–100",
    ]
