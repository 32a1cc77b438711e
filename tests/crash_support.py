"""Kill a running `attain` at random points, then check the store against an independent count (issue 19).

The randomness is seeded: `ATTAIN_CRASH_SEED` (default 19) replays a run's kill points as far as
timing allows. `ATTAIN_LONG_TESTS=1` runs the long variants: more kills and more data.

The independent count is DuckDB's over the input file, never attain's reader; the store's
integrity is `PRAGMA integrity_check` and `PRAGMA foreign_key_check` on SQLite, and the ledger's
rows against the stored rows on either database.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
from sqlalchemy import Engine, text

SEED = int(os.environ.get("ATTAIN_CRASH_SEED", "19"))
"""The seed of every crash test's data and kill points."""
LONG = os.environ.get("ATTAIN_LONG_TESTS") == "1"
"""Whether the long variants run."""
KILLS = 20 if LONG else 5
"""How many SIGKILLs each crash test lands on a running process."""
SRC = Path(__file__).resolve().parents[1] / "src"


def rng(salt: int) -> random.Random:
    """A random generator seeded from `ATTAIN_CRASH_SEED` and the test's own salt."""
    return random.Random(SEED * 1_000_003 + salt)  # noqa: S311 - reproducible kill points, not a secret


@dataclass
class Kills:
    """Where each landed kill found the work: the progress read right after it (e.g. batches stored)."""

    progress: list[int] = field(default_factory=list)
    finished_first: int = 0
    """Runs that ended on their own before their kill point (not counted as kills)."""

    def summary(self, total: int) -> str:
        """One line for `pytest -s` and docs/reliability.md."""
        mid = sum(0 < p < total for p in self.progress)
        return f"{len(self.progress)} kills, progress after each {self.progress} of {total}, {mid} mid-work"


def kill_at_random_points(
    start: Callable[[], subprocess.Popen[bytes]],
    progress: Callable[[], int],
    total: int,
    chance: random.Random,
    kills: int = KILLS,
    startup_seconds: float = 3.0,
) -> Kills:
    """Start the work `kills` times and SIGKILL each run at a random point; progress must never fall.

    A run's kill point is drawn first: a progress step to wait for, in the next share of the work
    left (the work left split over the kills left, so that kills spread over it), then a delay
    of up to 50 ms after it (or, for the step already reached, up to `startup_seconds` after the
    start, which lands kills while the process starts, reads or computes). A run that ends before
    its kill point shrinks `startup_seconds` to within the time that run took, so that a fast
    (quiet) machine lands its kills as a slow (busy) one does.
    """
    found = Kills()
    attempts = 0
    while len(found.progress) < kills:
        attempts += 1
        assert attempts <= 3 * kills, f"the work kept finishing before its kill point: {found}"
        before = progress()
        share = max(1, (total - before) // (kills - len(found.progress) + 1))
        goal = before + chance.randrange(share)
        delay = chance.uniform(0.05, startup_seconds) if goal == before else chance.uniform(0.0, 0.05)
        process = start()
        started = time.monotonic()
        deadline = started + 120
        while progress() < goal and process.poll() is None:
            assert time.monotonic() < deadline, "no progress within 120 s"
            time.sleep(0.02)
        time.sleep(delay)
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
        code = process.wait(timeout=30)
        if code == 0:  # it finished first, or in the moment between the last look and the kill (exiting)
            found.finished_first += 1
            # A machine faster than the delay assumed: later kills land within what a whole run took.
            startup_seconds = max(0.1, min(startup_seconds, 0.7 * (time.monotonic() - started)))
            continue
        assert code == -signal.SIGKILL, f"the run failed (exit status {code}) instead of being killed"
        after = progress()
        assert after >= before, f"committed work disappeared: {before} before the kill, {after} after"
        found.progress.append(after)
    return found


def minute_counts(query: str, *params: Path | int) -> dict[int, tuple[int, int]]:
    """{minute (µs since the epoch): (good, valid)} from a DuckDB query (its `?` bound to `params`) giving those rows."""
    with duckdb.connect() as conn:
        bound = [str(p) if isinstance(p, Path) else p for p in params]
        return {int(m): (int(g), int(v)) for m, g, v in conn.execute(query, bound).fetchall()}


def check_integrity(engine: Engine) -> None:
    """SQLite: `integrity_check` is ok and no foreign key dangles. PostgreSQL: the server is consistent by WAL."""
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA integrity_check")).scalars().all() == ["ok"]
        assert conn.execute(text("PRAGMA foreign_key_check")).all() == []


def run_env(url: str, data_dir: Path) -> dict[str, str]:
    """The environment of an `attain` subprocess on the database at `url`."""
    return {**os.environ, "PYTHONPATH": str(SRC), "ATTAIN_DATABASE_URL": url, "ATTAIN_DATA_DIR": str(data_dir)}
