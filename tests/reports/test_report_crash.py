"""Report issuing survives SIGKILL: `attain scheduler --once` killed at random points, each report issued once.

The agreement `shop` (`tests.services.scheduled_support`, in force from 2026-10-01) is reported
daily here, in English and Chinese. A tick at 2026-11-01T00:00Z owes, counted by hand, the 31 days
of October in 2 languages: 62 reports (the long variant ticks at 2027-01-01: 92 days, 184
reports), each a `report` job row (key `shop/DAY/LANG`) and the file `reports/shop/DAY.LANG.html`,
written to a temporary name and renamed inside the job's transaction. `python -m attain scheduler
--once --at AT` is SIGKILLed `KILLS` times at random points and run again to the end; then every
report has exactly one job row and one complete file whose size is the size the row recorded, no
other file is in place (nor a temporary file a kill left), and the request counts the store holds
(October and November) equal DuckDB's count of the ingested CSV. Runs with the store on SQLite and
PostgreSQL.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from tests.services.scheduled_support import scheduled_shop, shop_on

from attain.engine.instant import to_us
from attain.storage import schema as s
from crash_support import LONG, check_integrity, kill_at_random_points, minute_counts, rng, run_env

AT = datetime(2027, 1, 1, tzinfo=UTC) if LONG else datetime(2026, 11, 1, tzinfo=UTC)
DAYS = [date(2026, 10, 1) + timedelta(days=d) for d in range(92 if LONG else 31)]
"""October 2026 (31 days), or October to December (92) in the long variant."""
LANGS = ("en", "zh-CN")
EXPECTED = {f"shop/{day.isoformat()}/{lang}" for day in DAYS for lang in LANGS}
"""The 62 (long variant: 184) reports worked out by hand above, as job keys."""


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The store: a SQLite file in tmp_path, or the session's (emptied) PostgreSQL schema."""
    if request.param == "sqlite":
        (tmp_path / "data").mkdir()
        return f"sqlite:///{tmp_path}/data/attain.db"
    url: str = request.getfixturevalue("postgres_url")
    return url


def test_sigkill_during_report_issuing_issues_each_report_once(database_url: str, tmp_path: Path) -> None:
    """Killed at random points and run again: a job row and a whole file per report, nothing twice, no stray file."""
    document = scheduled_shop()
    document["spec"]["reporting"] = {"period": "day", "languages": list(LANGS)}
    store = shop_on(database_url, tmp_path, to_us(AT), document)
    engine = store.engine
    reports = tmp_path / "reports" / "shop"
    log = tmp_path / "scheduler.log"
    command = [sys.executable, "-m", "attain", "scheduler", "--once", "--at", AT.isoformat()]

    def start() -> subprocess.Popen[bytes]:
        with log.open("ab") as out:
            return subprocess.Popen(command, env=run_env(database_url, tmp_path), stdout=out, stderr=subprocess.STDOUT)

    def issued() -> list[tuple[str, dict[str, object]]]:
        with engine.connect() as conn:
            rows = conn.execute(select(s.jobs.c.key, s.jobs.c.detail).where(s.jobs.c.job == "report")).all()
        return [(row.key, row.detail) for row in rows]

    kills = kill_at_random_points(start, lambda: len(issued()), len(EXPECTED), rng(10), startup_seconds=4.0)
    print(f"{engine.dialect.name} reports: {kills.summary(len(EXPECTED))}")  # noqa: T201 - pytest -s
    assert start().wait(timeout=300) == 0, log.read_text(encoding="utf-8")

    rows = issued()
    assert sorted(key for key, _ in rows) == sorted(EXPECTED)
    for key, detail in rows:
        _, day, lang = key.split("/")
        file = reports / f"{day}.{lang}.html"
        assert detail["file"] == str(file)
        content = file.read_bytes()
        assert len(content) == detail["bytes"], f"{file.name}: {len(content)} bytes, the job recorded {detail['bytes']}"
        assert content.rstrip().endswith(b"</html>"), f"{file.name} is not whole"
    placed = {p.name for p in reports.iterdir() if not p.name.startswith(".")}
    assert placed == {f"{day.isoformat()}.{lang}.html" for day in DAYS for lang in LANGS}
    assert [p.name for p in reports.iterdir() if p.name.startswith(".")] == []  # the kills' temporary files

    expected = minute_counts(
        "SELECT epoch_us(strptime(substr(timestamp, 1, 16), '%Y-%m-%dT%H:%M')), count(*) FILTER (WHERE status = 'ok'), "
        "count(*) FROM read_csv(?, all_varchar = true) GROUP BY 1",
        tmp_path / "requests.csv",
    )
    buckets = store.buckets("shop", "checkout", 0, 2**62)
    assert {b.minute: (b.good, b.valid) for b in buckets if b.valid} == expected
    check_integrity(engine)
    engine.dispose()
