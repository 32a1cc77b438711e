"""Agreement versions in the store: applying one under the effective-date rule, reading them back.

A version is stored once per document (its sha256 digest); applying the same document again
returns the stored version. A new version takes effect after the latest one, which then ends the
day before (`attain.engine.versions.supersede`). The agreement's row is locked first, so two
concurrent applies of the same agreement are serialised.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import Connection, Row, select, update

from attain.engine.versions import supersede
from attain.ports import AgreementVersion, Applied
from attain.storage import schema as s
from attain.storage.audit import append
from attain.storage.driver import driver_of
from attain.storage.insert import dialect_insert
from attain.storage.version_read import read_latest_versions, read_versions

VERSION_COLUMNS = (
    s.agreement_versions.c.version,
    s.agreement_versions.c.document,
    s.agreement_versions.c.digest,
    s.agreement_versions.c.effective_from,
    s.agreement_versions.c.effective_until,
    s.agreement_versions.c.status,
    s.agreement_versions.c.stored_at,
    s.agreement_versions.c.model,
    s.agreement_versions.c.model_revision,
    s.agreement_versions.c.recounted_at,
)
"""The columns an `AgreementVersion` is read from, in the order `version_from_row` takes them."""


def apply_version(
    conn: Connection,
    name: str,
    document: str,
    effective_from: date,
    status: str,
    now: int,
    model: tuple[str, str] | None,
) -> Applied:
    """Store a new version of agreement `name`, or return the stored one with the same digest.

    See `attain.storage.SqlStore.apply`, which runs this in one transaction.

    Raises:
        ValueError: the new version would take effect on or before the latest version's date.
    """
    digest = hashlib.sha256(document.encode()).hexdigest()
    v = s.agreement_versions
    agreement_id = lock_agreement(conn, name, now)
    stored = conn.execute(select(*VERSION_COLUMNS).where(v.c.agreement_id == agreement_id).order_by(v.c.version))
    rows = stored.all()
    same = next((row for row in rows if row.digest == digest), None)
    if same is not None:
        if model is not None and same.model_revision != model[0]:
            conn.execute(
                update(v)
                .where(v.c.agreement_id == agreement_id, v.c.version == same.version)
                .values(model_revision=model[0], model=model[1])
            )
            refreshed = replace(version_from_row(name, same), model_revision=model[0], model=model[1])
            return Applied(refreshed, created=False)
        return Applied(version_from_row(name, same), created=False)
    latest = rows[-1] if rows else None
    detail: dict[str, Any] = {"effective_from": effective_from.isoformat(), "status": status}
    if latest is not None:
        until = supersede(name, latest.version, latest.effective_from, effective_from)
        conn.execute(
            update(v)
            .where(v.c.agreement_id == agreement_id, v.c.version == latest.version)
            .values(effective_until=until)
        )
        detail["supersedes"] = {"version": latest.version, "until": until.isoformat()}
    revision, text = model if model is not None else (None, None)
    number = 1 if latest is None else latest.version + 1
    recounted = now if number == 1 else None  # a first version has nothing stored to recount
    created = AgreementVersion(
        name, number, document, digest, effective_from, None, status, now, text, revision, recounted
    )
    conn.execute(
        v.insert().values(
            agreement_id=agreement_id,
            version=created.version,
            document=document,
            digest=digest,
            effective_from=effective_from,
            effective_until=None,
            status=status,
            stored_at=now,
            model=text,
            model_revision=revision,
            recounted_at=recounted,
        )
    )
    previous = None if latest is None else latest.digest
    append(conn, name, "version.stored", f"{name} v{number}", now, detail=detail, before=previous, after=digest)
    return Applied(created, created=True)


def mark_recounted(conn: Connection, name: str, version: int, now: int) -> None:
    """Record that the minute counts were recounted for `version` of agreement `name`."""
    a, v = s.agreements, s.agreement_versions
    owner = select(a.c.id).where(a.c.name == name).scalar_subquery()
    conn.execute(update(v).where(v.c.agreement_id == owner, v.c.version == version).values(recounted_at=now))
    append(conn, name, "version.recounted", f"{name} v{version}", now)


def latest_versions(conn: Connection) -> list[AgreementVersion]:
    """The latest version of every agreement, by name (`attain.storage.version_read`, shared with the reader)."""
    return read_latest_versions(driver_of(conn))


def agreement_versions(conn: Connection, name: str) -> list[AgreementVersion]:
    """Every version of one agreement, oldest first (empty when unknown; shared with the reader)."""
    return read_versions(driver_of(conn), name)


def lock_agreement(conn: Connection, name: str, now: int) -> int:
    """Create the agreement's row if new, lock it against concurrent applies, and return its id."""
    a = s.agreements
    conn.execute(
        dialect_insert(conn, a).values(name=name, created_at=now).on_conflict_do_nothing(index_elements=[a.c.name])
    )
    found: int = conn.execute(select(a.c.id).where(a.c.name == name).with_for_update()).scalar_one()
    return found


def version_from_row(name: str, row: Row[*tuple[Any, ...]]) -> AgreementVersion:
    """An `AgreementVersion` from a row of `VERSION_COLUMNS`."""
    return AgreementVersion(
        name,
        row.version,
        row.document,
        row.digest,
        row.effective_from,
        row.effective_until,
        row.status,
        row.stored_at,
        row.model,
        row.model_revision,
        row.recounted_at,
    )
