"""The scheduler's lease and loop on SQLite: one holder at a time, taken over once expired, released on stop."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from tests.services.months_support import two_months
from tests.services.scheduled_support import scheduled_shop

from attain.engine.instant import to_us
from attain.services.scheduler import TableLease, create_scheduler
from attain.services.tick import Tick
from attain.settings import Settings
from attain.storage import connect, upgrade
from attain.storage.job import claim_job, job_done

NOW = to_us(datetime(2026, 12, 4, tzinfo=UTC))
SECOND = 1_000_000


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    """A migrated SQLite store."""
    made = connect(f"sqlite:///{tmp_path}/attain.db")
    upgrade(made)
    yield made
    made.dispose()


def test_one_holder_at_a_time_and_an_expired_lease_is_taken(engine: Engine) -> None:
    """A holds the lease for 10 s and renews it; B gets it only once A's has expired; A then has lost it."""
    a, b = TableLease(engine, "a", 10 * SECOND), TableLease(engine, "b", 10 * SECOND)
    assert a.hold(NOW)
    assert not b.hold(NOW + 1)
    assert a.hold(NOW + 9 * SECOND)  # renewed until NOW + 19 s
    assert not b.hold(NOW + 19 * SECOND)
    assert b.hold(NOW + 19 * SECOND + 1)
    assert not a.hold(NOW + 20 * SECOND)


def test_a_released_lease_is_free_at_once(engine: Engine) -> None:
    """A stopping holder deletes its row: another takes the lease before the expiry."""
    a, b = TableLease(engine, "a", 60 * SECOND), TableLease(engine, "b", 60 * SECOND)
    assert a.hold(NOW)
    a.release()
    assert b.hold(NOW + 1)


def test_a_job_is_claimed_once(engine: Engine) -> None:
    """The second claim of the same (job, key) is refused and leaves nothing of its transaction."""
    with engine.connect() as conn:
        assert claim_job(conn, "report", "shop/2026-10/en", NOW)
        conn.commit()
    with engine.connect() as conn:
        assert not claim_job(conn, "report", "shop/2026-10/en", NOW + 1)
        assert job_done(conn, "report", "shop/2026-10/en")
        assert not job_done(conn, "report", "shop/2026-10/zh-CN")


def test_the_loop_ticks_until_stopped_and_releases_the_lease(tmp_path: Path) -> None:
    """`run` ticks at the clock's instant while holding the lease and, once stopped, frees it for another process."""
    _, made = two_months(tmp_path, scheduled_shop(), NOW)
    made.dispose()
    settings = Settings(f"sqlite:///{tmp_path}/attain.db", tmp_path)
    running = create_scheduler(settings, interval=1, clock=lambda: NOW, holder="one")
    ticks: list[Tick] = []
    stop = threading.Event()

    def seen(done: Tick) -> None:
        ticks.append(done)
        stop.set()

    thread = threading.Thread(target=running.run, args=(stop, seen))
    thread.start()
    thread.join(120)
    assert not thread.is_alive()
    [done] = ticks
    assert done.at == NOW
    assert [a.results for a in done.agreements] == [["checkout/2026-10", "checkout/2026-11"]]
    assert TableLease(running.store.engine, "two", SECOND).hold(NOW)  # released on stop
    running.close()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_the_jobs_migration_downgrades_and_upgrades_again(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """Migration 0013 drops `jobs` and `scheduler_lease` on the way down and creates them again on the way up."""
    from alembic import command  # noqa: PLC0415
    from sqlalchemy import inspect  # noqa: PLC0415

    from attain.storage.migrate import _config  # noqa: PLC0415

    url = f"sqlite:///{tmp_path}/attain.db" if backend == "sqlite" else request.getfixturevalue("postgres_url")
    made = connect(url)
    upgrade(made)
    with _config() as config, made.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0012")  # below 0013, which adds the jobs and the lease
    assert {"jobs", "scheduler_lease"}.isdisjoint(inspect(made).get_table_names())
    upgrade(made)
    assert {"jobs", "scheduler_lease"} <= set(inspect(made).get_table_names())
    made.dispose()
