"""Put the period's start in the key of stored results and of the credit ledger.

One objective can have two closed periods with one label: a later version that moves its window
to another zone (Shanghai's day 2027-03-29 judged by version 1, UTC's day 2027-03-29 by version
2). Keyed by label alone, the second could not be stored. Now:

- `results`: primary key (agreement, objective, period, start_at); `start_at` was already stored.
- `credits`: a new column `start_at` (µs), primary key (agreement, period, start_at).

The upgrade fills `credits.start_at` exactly from what the store holds, in this order:

1. the stored result of the same agreement and label of one of the entry's objectives (its
   `start_at`: before this revision a label named one period per objective);
2. else the period the label names in the window of the entry's first objective in the version
   that judged it (`agreement_versions.document`, parsed by attain's own reader): local midnight
   of its first day in the window's zone, as `attain.engine.period` computes every period start;
3. else the one start of the stored results of the same agreement and label, when they agree;

and refuses, naming the entry, when none of these gives a start. The downgrade refuses, naming
them, when an objective has two results with one label, or an agreement two credits with one
label (the old keys cannot hold both); otherwise it drops the column and restores the old keys.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06
"""
# ruff: noqa: INP001

from __future__ import annotations

import json
from datetime import date
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | None = None
depends_on: str | None = None

VERSIONS = sa.table(
    "agreement_versions",
    sa.column("agreement_id", sa.BigInteger),
    sa.column("version", sa.Integer),
    sa.column("document", sa.Text),
)
AGREEMENTS = sa.table("agreements", sa.column("id", sa.BigInteger), sa.column("name", sa.String))


def upgrade() -> None:
    """Key results by their start too; give each credit its period's start and key it by it."""
    bind = op.get_bind()
    with op.batch_alter_table("results", recreate="auto") as batch:
        batch.drop_constraint("pk_results", type_="primary")
        batch.create_primary_key("pk_results", ["agreement", "objective", "period", "start_at"])
    starts = _credit_starts(bind)
    with op.batch_alter_table("credits", recreate="auto") as batch:
        batch.add_column(sa.Column("start_at", sa.BigInteger(), nullable=True))
    ledger = sa.table(
        "credits",
        sa.column("agreement", sa.String),
        sa.column("period", sa.String),
        sa.column("start_at", sa.BigInteger),
    )
    for (agreement, period), start in starts.items():
        bind.execute(
            sa.update(ledger).where(ledger.c.agreement == agreement, ledger.c.period == period).values(start_at=start)
        )
    with op.batch_alter_table("credits", recreate="auto") as batch:
        batch.alter_column("start_at", existing_type=sa.BigInteger(), nullable=False)
        batch.drop_constraint("pk_credits", type_="primary")
        batch.create_primary_key("pk_credits", ["agreement", "period", "start_at"])


def downgrade() -> None:
    """Back to keys by label; refused while two periods of one objective (or two credits) share a label."""
    bind = op.get_bind()
    twice = [
        f"results {a!r} {o!r} {p!r}"
        for a, o, p in bind.exec_driver_sql(
            "SELECT agreement, objective, period FROM results GROUP BY agreement, objective, period HAVING COUNT(*) > 1"
        )
    ] + [
        f"credits {a!r} {p!r}"
        for a, p in bind.exec_driver_sql(
            "SELECT agreement, period FROM credits GROUP BY agreement, period HAVING COUNT(*) > 1"
        )
    ]
    if twice:
        raise RuntimeError(
            "cannot downgrade below 0016: revision 0015 keys results and credits by label alone, and these "
            f"labels name two periods each (one would be lost): {'; '.join(twice)}"
        )
    with op.batch_alter_table("credits", recreate="auto") as batch:
        batch.drop_constraint("pk_credits", type_="primary")
        batch.create_primary_key("pk_credits", ["agreement", "period"])
        batch.drop_column("start_at")
    with op.batch_alter_table("results", recreate="auto") as batch:
        batch.drop_constraint("pk_results", type_="primary")
        batch.create_primary_key("pk_results", ["agreement", "objective", "period"])


def _credit_starts(bind: sa.Connection) -> dict[tuple[str, str], int]:
    """The start of the period of each credit entry (agreement, label); see the module's docstring.

    Raises:
        RuntimeError: an entry whose start nothing stored gives.
    """
    results: dict[tuple[str, str, str], int] = {}
    by_label: dict[tuple[str, str], set[int]] = {}
    for agreement, objective, period, start in bind.exec_driver_sql(
        "SELECT agreement, objective, period, start_at FROM results"
    ):
        results[(agreement, objective, period)] = int(start)
        by_label.setdefault((agreement, period), set()).add(int(start))
    starts: dict[tuple[str, str], int] = {}
    missing = []
    for agreement, period, version, objectives in bind.exec_driver_sql(
        "SELECT agreement, period, version, objectives FROM credits"
    ):
        named = _names(objectives)
        start = next((results[k] for k in ((agreement, o, period) for o in named) if k in results), None)
        if start is None:
            start = _from_document(bind, agreement, version, named, period)
        if start is None and len(by_label.get((agreement, period), ())) == 1:
            start = next(iter(by_label[(agreement, period)]))
        if start is None:
            missing.append(f"{agreement!r} {period!r} (version {version})")
        else:
            starts[(agreement, period)] = start
    if missing:
        raise RuntimeError(
            "cannot upgrade to 0016: no stored result or agreement version gives the period start of the credits "
            f"{', '.join(missing)}; at revision 0015, store their results (`attain evaluate NAME --period LABEL`) "
            "and upgrade again"
        )
    return starts


def _names(objectives: Any) -> list[str]:
    """The objective names of a credit entry's `objectives` (JSON: a list of names)."""
    value = json.loads(objectives) if isinstance(objectives, str) else objectives
    return [o for o in value if isinstance(o, str)] if isinstance(value, list) else []


def _from_document(bind: sa.Connection, agreement: str, version: int, objectives: list[str], label: str) -> int | None:
    """The start of the period `label` of the first named objective's calendar window in that version; None if none."""
    row = bind.execute(
        sa.select(VERSIONS.c.document)
        .join(AGREEMENTS, AGREEMENTS.c.id == VERSIONS.c.agreement_id)
        .where(AGREEMENTS.c.name == agreement, VERSIONS.c.version == version)
    ).first()
    if row is None or not objectives:
        return None
    # attain's own reader and period rules: a period's start is what they make of its label
    from attain.engine.period import local_midnight  # noqa: PLC0415
    from attain.formats.native import parse_agreement  # noqa: PLC0415
    from attain.formats.source import read_text  # noqa: PLC0415
    from attain.model import CalendarWindow  # noqa: PLC0415

    try:
        spec = parse_agreement(read_text(row[0], f"{agreement} v{version}")[0]).spec
    except Exception:  # noqa: BLE001 - a document attain cannot read gives no start here
        return None
    windows = {o.name: o.window for o in spec.objectives}
    window = windows.get(objectives[0])
    if not isinstance(window, CalendarWindow):
        return None
    first = _first_day(window.calendar.value, label, window.week_start)
    return None if first is None else local_midnight(first, window.time_zone or spec.time_zone)


def _first_day(unit: str, label: str, week_start: int) -> date | None:  # noqa: PLR0911 - one return per unit
    """The first day of the period of `unit` labelled `label` (as `attain.engine.period.label` writes it)."""
    try:
        if unit == "day":
            return date.fromisoformat(label)
        if unit == "week":
            year, week = label.split("-W")
            return date.fromisocalendar(int(year), int(week), week_start)
        if unit == "month":
            year, month = label.split("-")
            return date(int(year), int(month), 1)
        if unit == "quarter":
            year, quarter = label.split("-Q")
            return date(int(year), 3 * int(quarter) - 2, 1)
        if unit == "year":
            return date(int(label), 1, 1)
    except ValueError:
        return None
    return None
