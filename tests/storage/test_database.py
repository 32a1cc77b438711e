"""Database URLs: printed without their password."""

from __future__ import annotations

from attain.storage.database import display_url


def test_a_password_is_hidden_and_the_rest_kept() -> None:
    """A PostgreSQL URL keeps user, host, port, database and query; its password becomes `***`."""
    url = "postgresql+psycopg://attain:hunter2@db.internal:5432/sla?sslmode=require"
    assert display_url(url) == "postgresql+psycopg://attain:***@db.internal:5432/sla?sslmode=require"


def test_a_url_without_a_password_is_unchanged() -> None:
    """SQLite file URLs and PostgreSQL URLs without a password print as written."""
    for url in ("sqlite:////srv/attain/.attain/attain.db", "postgresql://attain@db.internal/sla"):
        assert display_url(url) == url
