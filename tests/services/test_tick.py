"""One scheduler tick on a real SQLite store: results stored, ledgers synced, reports written, each once.

The agreement (UTC, active from 2026-10-01) promises 99% of requests good per calendar month,
credits 10% below 99% (EUR 1,000 a month, claims within one month) and reports monthly in
English and Chinese. October 2026 has 985 of 1,000 requests good, November 960 (both breached).

At 2026-12-04 00:00 UTC two months are closed: 2 results (October, November), 2 monthly
reports x 2 languages = 4 files, credits and rights synced for each closed month and for the
day (3 jobs each), 2 credit entries (October's expired: its window closed 2026-12-01).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from tests.services.months_support import two_months
from tests.services.scheduled_support import scheduled_shop, shop_on

from attain.engine.instant import to_us
from attain.engine.versions import in_force
from attain.formats.native import parse_agreement
from attain.formats.source import read_text
from attain.lifecycle.versions import load_in_force
from attain.ports import Store, StoredResult
from attain.services.store import StoredEvaluation, apply_files, evaluate_period
from attain.services.tick import evaluation_since, tick
from attain.storage import schema as s
from attain.storage.credit import SqlCredits
from attain.storage.store import SqlStore

NOW = to_us(datetime(2026, 12, 4, tzinfo=UTC))
JANUARY = to_us(datetime(2027, 1, 1, 0, 1, tzinfo=UTC))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqlStore]:
    """`shop` applied and October and November 2026 ingested, on a SQLite file."""
    stored, engine = two_months(tmp_path, scheduled_shop(), NOW)
    yield stored
    engine.dispose()


def _jobs(store: SqlStore) -> dict[str, int]:
    t = s.jobs
    with store.engine.connect() as conn:
        return {row.job: row.n for row in conn.execute(select(t.c.job, func.count().label("n")).group_by(t.c.job))}


def _results(store: SqlStore) -> int:
    return len(store.results("shop"))


def test_a_tick_stores_closed_periods_reports_and_syncs_once(store: SqlStore, tmp_path: Path) -> None:
    """The first tick does each job once; a second tick at the same instant does nothing."""
    reports = tmp_path / "reports"
    first = tick(store, NOW, reports)
    [shop] = first.agreements
    assert shop.errors == []
    assert shop.results == ["checkout/2026-10", "checkout/2026-11"]
    assert sorted(p.name for p in shop.reports) == [
        "2026-10.en.html",
        "2026-10.zh-CN.html",
        "2026-11.en.html",
        "2026-11.zh-CN.html",
    ]
    assert sorted(shop.ledgers) == sorted(
        f"{job}/{key}" for job in ("credits", "rights") for key in ("2026-10", "2026-11", "day/2026-12-04")
    )
    assert _jobs(store) == {"result": 2, "report": 4, "credits": 3, "rights": 3}
    assert [(e.period, e.state.value) for e in SqlCredits(store.engine).entries("shop")] == [
        ("2026-10", "expired"),
        ("2026-11", "owed"),
    ]
    assert sorted(p.name for p in (reports / "shop").iterdir()) == sorted(p.name for p in shop.reports)
    assert "2026" in (reports / "shop" / "2026-11.zh-CN.html").read_text(encoding="utf-8")

    [again] = tick(store, NOW, reports).agreements
    assert (again.results, again.reports, again.ledgers, again.errors) == ([], [], [], [])
    assert _jobs(store) == {"result": 2, "report": 4, "credits": 3, "rights": 3}
    assert _results(store) == 2


def test_a_tick_deletes_the_temporary_files_a_killed_tick_left_for_issued_reports(
    store: SqlStore, tmp_path: Path
) -> None:
    """A `.PERIOD.LANG.html.*.tmp` of an issued report goes; one of a report not issued yet stays."""
    reports = tmp_path / "reports"
    tick(store, NOW, reports)
    folder = reports / "shop"
    issued = [folder / ".2026-10.en.html.k1ll3d.tmp", folder / ".2026-11.zh-CN.html.k1ll3d.tmp"]
    pending = folder / ".2026-12.en.html.k1ll3d.tmp"
    for leftover in [*issued, pending]:
        leftover.write_bytes(b"<html><body>half")
    [again] = tick(store, NOW, reports).agreements
    assert again.errors == []
    assert sorted(p.name for p in folder.iterdir()) == [
        ".2026-12.en.html.k1ll3d.tmp",
        "2026-10.en.html",
        "2026-10.zh-CN.html",
        "2026-11.en.html",
        "2026-11.zh-CN.html",
    ]


def test_a_later_tick_does_only_the_new_month(store: SqlStore, tmp_path: Path) -> None:
    """A tick after December closes stores December, reports it in both languages and syncs once more."""
    tick(store, NOW, tmp_path)
    [shop] = tick(store, JANUARY, tmp_path).agreements
    assert shop.results == ["checkout/2026-12"]
    assert sorted(p.name for p in shop.reports) == ["2026-12.en.html", "2026-12.zh-CN.html"]
    assert sorted(shop.ledgers) == [
        "credits/2026-12",
        "credits/day/2027-01-01",
        "rights/2026-12",
        "rights/day/2027-01-01",
    ]
    assert _jobs(store) == {"result": 3, "report": 6, "credits": 5, "rights": 5}


def test_periods_stored_before_are_left_alone_but_synced(store: SqlStore, tmp_path: Path) -> None:
    """Results stored by `evaluate --period` are not stored again; their periods' ledgers are synced once."""
    evaluate_period(store, "shop", "2026-10", NOW)
    evaluate_period(store, "shop", "2026-11", NOW)
    [shop] = tick(store, NOW, tmp_path).agreements
    # Both months ended within the 35-day notification horizon before 2026-12-04 (October on
    # November 1, after October 30): they are evaluated again, so the range starts at October.
    assert shop.since == to_us(datetime(2026, 10, 1, tzinfo=UTC))
    assert shop.results == []
    assert sorted(shop.ledgers) == sorted(
        f"{job}/{key}" for job in ("credits", "rights") for key in ("2026-10", "2026-11", "day/2026-12-04")
    )
    assert len(shop.reports) == 4
    assert _results(store) == 2


def test_the_evaluated_range_starts_at_the_first_month_not_stored(store: SqlStore, tmp_path: Path) -> None:
    """Before any tick the range starts at the effective date; once stored, where the horizon needs it.

    That is at the first month not stored or the first stored one that ended within the notification
    horizon (35 days), whichever is earlier.
    """
    versions = load_in_force(store, "shop")
    assert evaluation_since(versions, store.results("shop"), JANUARY) == to_us(datetime(2026, 10, 1, tzinfo=UTC))
    tick(store, NOW, tmp_path)
    # 2027-01-01 00:01 − 35 days = 2026-11-27 00:01: November (ended December 1) is within, October not.
    assert evaluation_since(versions, store.results("shop"), JANUARY) == to_us(datetime(2026, 11, 1, tzinfo=UTC))
    # 2026-12-04 − 35 days = 2026-10-30: October (ended November 1) is within too.
    assert evaluation_since(versions, store.results("shop"), NOW) == to_us(datetime(2026, 10, 1, tzinfo=UTC))
    # Two months later neither is: the range starts at December, the first month not stored.
    assert evaluation_since(versions, store.results("shop"), to_us(datetime(2027, 2, 1, tzinfo=UTC))) == to_us(
        datetime(2026, 12, 1, tzinfo=UTC)
    )


@pytest.fixture(params=["sqlite", "postgresql"])
def either(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SqlStore]:
    """The same store on a SQLite file, then in a PostgreSQL schema of the test's own."""
    if request.param == "sqlite":
        made, engine = two_months(tmp_path, scheduled_shop(), NOW)
    else:
        made = shop_on(request.getfixturevalue("postgres_url"), tmp_path, NOW)
        engine = made.engine
    yield made
    engine.dispose()


def test_overlapping_ticks_do_nothing_twice(either: SqlStore, tmp_path: Path) -> None:
    """Two ticks at once in two threads store each result, report and sync exactly once between them."""
    store = either
    done: list[Any] = []
    start = threading.Barrier(2)

    def run() -> None:
        start.wait()
        done.extend(tick(store, NOW, tmp_path).agreements)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [d.errors for d in done] == [[], []]
    assert sorted(r for d in done for r in d.results) == ["checkout/2026-10", "checkout/2026-11"]
    assert len([r for d in done for r in d.reports]) == 4
    assert _jobs(store) == {"result": 2, "report": 4, "credits": 3, "rights": 3}
    assert _results(store) == 2


def test_hooks_are_called_with_the_ticks_evaluation(store: SqlStore, tmp_path: Path) -> None:
    """`notify` gets each agreement's evaluation at the tick's instant, then `deliver` the instant, once per tick."""
    calls: list[tuple[str, int, int]] = []

    def notify(_: Store, stored: StoredEvaluation, now: int) -> None:
        calls.append(("notify", stored.evaluation.at, now))

    def deliver(now: int) -> None:
        calls.append(("deliver", now, now))

    tick(store, NOW, tmp_path, notify, deliver)
    assert calls == [("notify", NOW, NOW), ("deliver", NOW, NOW)]


def test_a_failing_agreement_does_not_stop_the_tick(store: SqlStore, tmp_path: Path) -> None:
    """An error in one agreement's work is reported for it, and `deliver` still runs."""
    delivered: list[int] = []

    def notify(_: Store, __: StoredEvaluation, ___: int) -> None:
        raise RuntimeError("receiver down")

    done = tick(store, NOW, tmp_path, notify, delivered.append)
    assert [a.errors for a in done.agreements] == [["notify: RuntimeError: receiver down"]]
    assert delivered == [NOW]
    assert _results(store) == 2


def test_a_failing_step_skips_no_other(store: SqlStore, tmp_path: Path) -> None:
    """Reports that cannot be written (the reports directory is a file) fail alone: results stored, notify called."""
    blocked = tmp_path / "reports"
    blocked.write_text("not a directory", encoding="utf-8")
    told: list[int] = []
    [shop] = tick(store, NOW, blocked, lambda _, __, now: told.append(now)).agreements
    assert [e.split(":")[0] for e in shop.errors] == ["reports"]
    assert shop.results == ["checkout/2026-10", "checkout/2026-11"]
    assert told == [NOW]
    assert _jobs(store) == {"result": 2, "credits": 3, "rights": 3}


def test_one_agreement_failing_leaves_the_others_done(store: SqlStore, tmp_path: Path) -> None:
    """With two agreements, a failure in `shop`'s notify is reported for it alone; both have their months stored."""
    other = scheduled_shop()
    other["metadata"]["name"] = "desk"
    path = tmp_path / "desk.json"
    path.write_text(json.dumps(other), encoding="utf-8")
    apply_files(store, [path], NOW)

    def notify(_: Store, stored: StoredEvaluation, __: int) -> None:
        if stored.agreement.name == "shop":
            raise RuntimeError("receiver down")

    done = {a.agreement: a for a in tick(store, NOW, tmp_path, notify).agreements}
    assert (done["shop"].errors, done["desk"].errors) == (["notify: RuntimeError: receiver down"], [])
    assert done["shop"].results == ["checkout/2026-10", "checkout/2026-11"]
    assert done["desk"].results == ["checkout/2026-10", "checkout/2026-11"]
    assert len(done["desk"].reports) == 4


def test_an_agreement_not_active_is_left_alone(tmp_path: Path) -> None:
    """A draft agreement is not in force: a tick does nothing for it."""
    document = scheduled_shop()
    document["spec"]["status"] = "draft"
    store, engine = two_months(tmp_path, document, NOW)
    assert tick(store, NOW, tmp_path).agreements == ()
    assert _jobs(store) == {}
    engine.dispose()


def _month_start(index: int) -> int:
    """The start of the `index`-th month after October 2026 (0: October), UTC."""
    year, month = divmod(9 + index, 12)
    return to_us(datetime(2026 + year, month + 1, 1, tzinfo=UTC))


@given(st.sets(st.integers(min_value=0, max_value=11)))
@settings(max_examples=60, deadline=None)
def test_the_range_starts_at_the_first_month_missing(stored: set[int]) -> None:
    """The range starts at the first month missing from October 2026, or at a stored month within the horizon.

    With `now` 2027-11-01, the only month that ended within the 35-day horizon is month 11 (2027-09,
    ended 2027-10-01).
    """
    versions = in_force([parse_agreement(read_text(json.dumps(scheduled_shop()), "shop.json")[0])])
    results = [
        StoredResult(
            "shop", 1, "checkout", f"m{i}", _month_start(i), _month_start(i + 1), "met", None, None, None, {}, 0
        )
        for i in sorted(stored)
    ]
    now = _month_start(13)
    first_missing = min(set(range(13)) - stored)
    within_horizon = [11] if 11 in stored else []
    assert evaluation_since(versions, results, now) == _month_start(min([first_missing, *within_horizon]))
