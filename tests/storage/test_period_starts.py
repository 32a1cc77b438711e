"""Two closed periods of one objective with one label, stored and credited, on a SQLite file and PostgreSQL.

Agreement `shop` (zone UTC) charges EUR 1,000 a day and credits 10% below 99%, 30% below 95%.
Version 1 (from 2027-03-25) judges `checkout` by Asia/Shanghai's days (UTC+8, no clock change);
version 2 (from 2027-03-29, in force from 2027-03-29T00:00Z) by UTC's days. So the label
2027-03-29 names two closed periods, worked out by hand:

- Shanghai's day 2027-03-29 = [2027-03-28T16:00Z, 2027-03-29T16:00Z), begun before version 2
  took effect: judged by version 1;
- UTC's day 2027-03-29 = [2027-03-29T00:00Z, 2027-03-30T00:00Z), begun as version 2 took
  effect: judged by version 2.

Requests (CSV `requests`): 100 at 2027-03-28T20:00Z of which 80 ok (only in Shanghai's day), 100 at
2027-03-29T10:00Z all ok (in both), 100 at 2027-03-29T20:00Z of which 96 ok (only in UTC's day).

- Shanghai's 2027-03-29: 180 of 200 good = 0.9, below 95% → 30% → EUR 300.00;
- UTC's 2027-03-29: 196 of 200 = 0.98, below 99% and not below 95% → 10% → EUR 100.00.

The migration from 0015 fills `credits.start_at` of existing rows from the stored results or the
version's document (Shanghai's midnight that begins the label's day), checked on both engines too.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Engine, text

from attain.engine.claims import CreditState, Step
from attain.engine.instant import to_us
from attain.engine.negotiation import Caller, Side
from attain.errors import InvalidInput
from attain.ingestion.run import IngestOptions
from attain.ports import ResultConflict
from attain.services.credits import entry_data, sync, take
from attain.services.store import apply_files, evaluate_period, ingest_files
from attain.services.tick import tick
from attain.storage import connect, upgrade
from attain.storage.credit import SqlCredits
from attain.storage.migrate import _config, current_revision
from attain.storage.store import SqlStore
from attain.testing import agreement_yaml
from period_starts_support import REQUESTS, V1, V2

NOW = to_us(datetime(2027, 4, 5, tzinfo=UTC))
SHANGHAI_29 = to_us(datetime(2027, 3, 28, 16, tzinfo=UTC))
"""Shanghai's midnight that begins 2027-03-29 (UTC+8)."""
UTC_29 = to_us(datetime(2027, 3, 29, tzinfo=UTC))
SHOP = Caller(Side.CUSTOMER, "token:4@C")


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A real SQLite file or the test's (emptied) PostgreSQL schema."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/attain.db"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def engine(url: str) -> Iterator[Engine]:
    """An engine on `url`, disposed of afterwards."""
    made = connect(url)
    yield made
    made.dispose()


@pytest.fixture
def store(engine: Engine, tmp_path: Path) -> SqlStore:
    """`shop` with both versions applied, then the requests ingested."""
    upgrade(engine)
    made = SqlStore(engine)
    for number, document in enumerate((V1, V2), start=1):
        path = tmp_path / f"v{number}.yaml"
        path.write_text(agreement_yaml(document), encoding="utf-8")
        apply_files(made, [path], NOW)
    (tmp_path / "requests.csv").write_text(REQUESTS, encoding="utf-8")
    ingest_files(made, [tmp_path / "requests.csv"], "shop", NOW, IngestOptions(), None)
    return made


def test_both_periods_with_one_label_are_stored_and_a_rerun_is_idempotent(store: SqlStore) -> None:
    """`evaluate --period 2027-03-29` stores Shanghai's day (version 1) and UTC's (version 2); again: no conflict."""
    saved = evaluate_period(store, "shop", "2027-03-29", NOW)
    expected = [
        ("2027-03-29", 1, SHANGHAI_29, SHANGHAI_29 + 86_400_000_000, "breached", Decimal("0.9"), 180, 200),
        ("2027-03-29", 2, UTC_29, UTC_29 + 86_400_000_000, "breached", Decimal("0.98"), 196, 200),
    ]

    def shown(results: list[Any]) -> list[tuple[Any, ...]]:
        return [(r.period, r.version, r.start, r.end, r.status, r.ratio, r.good, r.valid) for r in results]

    assert shown(saved) == expected
    assert shown(store.results("shop")) == expected
    assert shown(evaluate_period(store, "shop", "2027-03-29", NOW + 1)) == expected  # the same again: no conflict
    assert shown(store.results("shop")) == expected
    with pytest.raises(ResultConflict, match=r"period '2027-03-29' \(from 2027-03-29T00:00:00Z\)"):
        store.save_results([replace(store.results("shop")[1], status="met", ratio=Decimal("0.995"))])


def test_both_periods_with_one_label_are_credited_and_claimed_by_start(store: SqlStore, engine: Engine) -> None:
    """Two entries labelled 2027-03-29 (EUR 300.00 by version 1, EUR 100.00 by version 2); a claim names one."""
    ledger = SqlCredits(engine)
    entries = [entry_data(e) for e in sync(store, ledger, "shop", NOW)]
    assert [(e["period"], e["start"], e["version"], e["share"], e["amount"], e["state"]) for e in entries] == [
        ("2027-03-29", "2027-03-28T16:00:00Z", 1, "0.30", "300.00", "owed"),
        ("2027-03-29", "2027-03-29T00:00:00Z", 2, "0.10", "100.00", "owed"),
    ]
    assert [e["claimBy"] for e in entries] == ["2027-04-29T16:00:00Z", "2027-04-30T00:00:00Z"]
    assert len(sync(store, ledger, "shop", NOW + 1)) == 2  # a second sync records nothing twice
    with pytest.raises(InvalidInput) as ambiguous:
        take(ledger, "shop", "2027-03-29", Step.CLAIM, SHOP, NOW)
    [problem] = ambiguous.value.problems
    assert problem.message == (
        "shop: '2027-03-29' names 2 credited periods, starting at 2027-03-28T16:00:00Z and 2027-03-29T00:00:00Z"
    )
    assert (
        problem.hint == "name one with its start: 2027-03-29@2027-03-28T16:00:00Z and 2027-03-29@2027-03-29T00:00:00Z"
    )
    claimed = take(ledger, "shop", "2027-03-29@2027-03-29T00:00:00Z", Step.CLAIM, SHOP, NOW)
    assert (claimed.start, claimed.version, claimed.state) == (UTC_29, 2, CreditState.CLAIMED)
    states = [(e.start, e.state) for e in ledger.entries("shop")]
    assert states == [(SHANGHAI_29, CreditState.OWED), (UTC_29, CreditState.CLAIMED)]


SHANGHAI_27 = to_us(datetime(2027, 3, 26, 16, tzinfo=UTC))
SHANGHAI_28 = to_us(datetime(2027, 3, 27, 16, tzinfo=UTC))


def _at_0015(engine: Engine) -> None:
    """A store at revision 0015 holding `shop` version 1, a result of 2027-03-28 and two credits.

    The credit of 2027-03-28 has a stored result (start 2027-03-27T16:00Z); the one of 2027-03-27
    has none, so its start comes from version 1's window: Shanghai's midnight, 2027-03-26T16:00Z.
    """
    assert upgrade(engine, "0015") == "0015"
    credit = (
        "INSERT INTO credits (agreement, period, version, share, amount, currency, objectives, state, owed_at) "
        "VALUES ('shop', :period, 1, '0.1', '100.00', 'EUR', :objectives, 'owed', 1)"
    )
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO agreements (id, name, created_at) VALUES (1, 'shop', 1)"))
        conn.execute(
            text(
                "INSERT INTO agreement_versions (agreement_id, version, document, digest, effective_from, status, "
                "stored_at) VALUES (1, 1, :document, 'd', :day, 'active', 1)"
            ),
            {"document": agreement_yaml(V1), "day": date(2027, 3, 25)},
        )
        conn.execute(
            text(
                "INSERT INTO results (agreement, objective, period, version, start_at, end_at, status, ratio, good, "
                "valid, data, evaluated_at) VALUES ('shop', 'checkout', '2027-03-28', 1, :start, :end, 'met', '1', "
                "'5', '5', '{}', 1)"
            ),
            {"start": SHANGHAI_28, "end": SHANGHAI_28 + 86_400_000_000},
        )
        for period in ("2027-03-27", "2027-03-28"):
            conn.execute(text(credit), {"period": period, "objectives": json.dumps(["checkout"])})


def test_the_upgrade_from_0015_fills_each_credit_start(engine: Engine) -> None:
    """0016 gives the credits their period's start: one from the stored result, one from the version's window."""
    _at_0015(engine)
    assert upgrade(engine) == "0016"
    ledger = SqlCredits(engine)
    assert [(e.period, e.start, e.amount) for e in ledger.entries("shop")] == [
        ("2027-03-27", SHANGHAI_27, Decimal("100.00")),
        ("2027-03-28", SHANGHAI_28, Decimal("100.00")),
    ]
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT period, start_at, good FROM results")).all()
    assert [tuple(r) for r in rows] == [("2027-03-28", SHANGHAI_28, "5")]


def test_the_downgrade_refuses_while_a_label_names_two_periods(engine: Engine, store: SqlStore) -> None:
    """Revision 0015 cannot hold two results with one label: the downgrade says so and changes nothing."""
    evaluate_period(store, "shop", "2027-03-29", NOW)
    with _config() as config, engine.begin() as connection:
        config.attributes["connection"] = connection
        with pytest.raises(RuntimeError, match=r"results 'shop' 'checkout' '2027-03-29'"):
            command.downgrade(config, "0015")
    assert current_revision(engine) == "0016"
    assert len(store.results("shop")) == 2


def test_a_tick_stores_and_credits_both_periods_of_a_label_once(store: SqlStore, tmp_path: Path) -> None:
    """The scheduler keys the second period of a label `OBJECTIVE/LABEL@START`; a second tick does nothing."""
    reports = tmp_path / "reports"
    [shop] = tick(store, NOW, reports).agreements
    assert shop.errors == []
    twice = [r for r in shop.results if r.startswith("checkout/2027-03-29")]
    assert twice == ["checkout/2027-03-29", "checkout/2027-03-29@2027-03-29T00:00:00Z"]
    assert "credits/2027-03-29@2027-03-29T00:00:00Z" in shop.ledgers
    assert [(r.start, r.version, r.good) for r in store.results("shop") if r.period == "2027-03-29"] == [
        (SHANGHAI_29, 1, 180),
        (UTC_29, 2, 196),
    ]
    entries = SqlCredits(store.engine).entries("shop")
    assert [(e.period, e.start, e.amount) for e in entries] == [
        ("2027-03-29", SHANGHAI_29, Decimal("300.00")),
        ("2027-03-29", UTC_29, Decimal("100.00")),
    ]
    [again] = tick(store, NOW, reports).agreements
    assert (again.results, again.ledgers, again.errors) == ([], [], [])
