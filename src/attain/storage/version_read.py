"""Agreement versions read through the driver's cursor: what `SqlStore` and the read-only store share.

Plain SQL over `agreements` and `agreement_versions`, so that reading versions needs no SQLAlchemy
import (`attain.storage.reader`). SQLite returns dates as the ISO text SQLAlchemy stored them as;
PostgreSQL returns `date` values: both become `date`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from attain.storage.driver import Driver
from attain.stored_version import AgreementVersion

_COLUMNS = (
    "v.version, v.document, v.digest, v.effective_from, v.effective_until, v.status, v.stored_at, "
    "v.model, v.model_revision, v.recounted_at"
)
"""The columns an `AgreementVersion` is read from, after the agreement's name."""


def read_versions(driver: Driver, name: str) -> list[AgreementVersion]:
    """Every version of one agreement, oldest first (empty when unknown)."""
    return _read(
        driver,
        f"SELECT a.name, {_COLUMNS} FROM agreement_versions v JOIN agreements a ON a.id = v.agreement_id "  # noqa: S608
        f"WHERE a.name = {driver.mark} ORDER BY v.version",
        (name,),
    )


def read_latest_versions(driver: Driver) -> list[AgreementVersion]:
    """The latest version of every agreement, by name."""
    return _read(
        driver,
        f"SELECT a.name, {_COLUMNS} FROM agreement_versions v JOIN agreements a ON a.id = v.agreement_id "  # noqa: S608
        "JOIN (SELECT agreement_id, MAX(version) AS version FROM agreement_versions GROUP BY agreement_id) latest "
        "ON latest.agreement_id = v.agreement_id AND latest.version = v.version ORDER BY a.name",
        (),
    )


def _read(driver: Driver, query: str, parameters: tuple[Any, ...]) -> list[AgreementVersion]:
    cursor = driver.connection.cursor()
    try:
        cursor.execute(query, parameters)
        rows: Sequence[Sequence[Any]] = cursor.fetchall()
    finally:
        cursor.close()
    return [
        AgreementVersion(r[0], r[1], r[2], r[3], _date(r[4]), _date(r[5]), r[6], r[7], r[8], r[9], r[10]) for r in rows
    ]


def _date(value: Any) -> Any:
    """A stored date as `date` (SQLite keeps ISO text), None as None."""
    return date.fromisoformat(value) if isinstance(value, str) else value
