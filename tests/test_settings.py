"""Settings come from the environment mapping the caller passes, with paths taken from its directory."""

from __future__ import annotations

from pathlib import Path

from attain.settings import Settings

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
