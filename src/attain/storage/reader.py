"""A read-only SQLite store on `sqlite3` alone: what `attain summary` and `attain status` read, without SQLAlchemy.

Importing SQLAlchemy costs ~0.17 s, more than half of a read command's budget, so a read command
on a SQLite store first tries `open_reader`: an existing database file (`mode=rw`: never created
here), made read-only for the connection's life (`PRAGMA query_only`: any write fails), whose
journal is WAL and whose schema is at `attain.storage.revision.HEAD_REVISION`; else None, and
the command opens the full `SqlStore`, which creates, migrates, converts to WAL or refuses a weak
store as `attain.storage.database` documents. The journal mode is read back, never set.

Why not `mode=ro`: a read-only connection to a WAL database creates the `-wal` and `-shm` files
when they are missing and, unable to checkpoint, leaves them behind, owned by whoever ran the
command (a store read as root would then refuse its own server's writes). A `query_only`
connection is the last to close as any other and removes them, as the full store always did;
the checkpoint it may run then is a writer's, so the connection has the writer's `synchronous`
(FULL) and busy timeout.

The reads are the functions `SqlStore` runs too, through the driver's cursor
(`attain.storage.driver`): versions (`version_read`), counts (`count`, `hour_table`), raw rows
and adjustments (`raw_read`), the termination and the reviews held (`standing_read`). Counts of
hours and days, and sums, come as lists of Python integers (`count.row_lists`, `count.sum_lists`),
so that `attain summary NAME` loads no numpy; every caller takes lists or int64 arrays alike
(`attain.engine.rollup.ints`, `numpy.asarray`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from attain.storage import count
from attain.storage.driver import Driver
from attain.storage.revision import HEAD_REVISION
from attain.storage.version_read import read_latest_versions, read_versions
from attain.stored_version import AgreementVersion

if TYPE_CHECKING:
    from attain.engine.measurement import Announcement, CaseEvent, Event, Incident
    from attain.ports import Adjustment
    from attain.storage.standing_read import Ending, Review

BUSY_TIMEOUT_S = 10.0
"""How long a read waits on a lock (a checkpoint or a recovery), as the full store's busy timeout."""


class SqliteReader:
    """The reads of `attain.ports.Store` that `summary` and `status` make, on a `sqlite3` connection, read-only."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._driver = Driver(connection, "?", json_text=True)

    def agreements(self) -> list[AgreementVersion]:
        """The latest version of every agreement, by name."""
        return read_latest_versions(self._driver)

    def versions(self, name: str) -> list[AgreementVersion]:
        """Every version of one agreement, oldest first (empty when unknown)."""
        return read_versions(self._driver, name)

    def count_rows(
        self, agreement: str, objectives: Sequence[str], resolution: str, start: int, end: int
    ) -> tuple[Any, Any, Any, Any]:
        """As `attain.storage.SqlStore.count_rows`, as lists of Python integers at hour and day resolution.

        Minutes come as int64 arrays (a long read, decoded in numpy).
        """
        if resolution == "minute":
            return count.count_rows(self._driver, agreement, objectives, resolution, start, end)
        return count.row_lists(self._driver, agreement, objectives, resolution, start, end)

    def count_sums(
        self, agreement: str, objectives: Sequence[str], resolution: str, start: int, ends: Sequence[int]
    ) -> list[tuple[Any, Any]]:
        """As `attain.storage.SqlStore.count_sums`, as lists of Python integers (no numpy)."""
        return list(count.sum_lists(self._driver, agreement, objectives, resolution, start, ends))

    def events(self, stream: str, start: int, end: int, agreement: str | None = None) -> list[Event]:
        """As `attain.storage.SqlStore.events`."""
        from attain.storage import raw_read  # noqa: PLC0415 - `summary` reads no raw rows (numpy, the model)

        return raw_read.read_events(self._driver, stream, start, end, agreement)

    def incidents(self, stream: str, start: int, end: int, agreement: str | None = None) -> list[Incident]:
        """As `attain.storage.SqlStore.incidents`."""
        from attain.storage import raw_read  # noqa: PLC0415 - `summary` reads no raw rows (numpy, the model)

        return raw_read.read_incidents(self._driver, stream, start, end, agreement)

    def case_events(self, stream: str, start: int, end: int, agreement: str | None = None) -> list[CaseEvent]:
        """As `attain.storage.SqlStore.case_events`."""
        from attain.storage import raw_read  # noqa: PLC0415 - `summary` reads no raw rows (numpy, the model)

        return raw_read.read_case_events(self._driver, stream, start, end, agreement)

    def announcements(self, start: int, end: int, agreement: str | None = None) -> list[Announcement]:
        """As `attain.storage.SqlStore.announcements`."""
        from attain.storage import raw_read  # noqa: PLC0415 - `summary` reads no raw rows (numpy, the model)

        return raw_read.read_announcements(self._driver, start, end, agreement)

    def adjustments(self, agreement: str) -> list[Adjustment]:
        """As `attain.storage.SqlStore.adjustments`."""
        from attain.storage import raw_read  # noqa: PLC0415 - `summary` reads no raw rows (numpy, the model)

        return raw_read.read_adjustments(self._driver, agreement)

    def ending(self, agreement: str) -> Ending | None:
        """As `attain.storage.SqlStore.ending`."""
        from attain.storage.standing_read import read_ending  # noqa: PLC0415 - `summary` reads no ending

        return read_ending(self._driver, agreement)

    def reviews(self, agreement: str) -> list[Review]:
        """As `attain.storage.SqlStore.reviews`."""
        from attain.storage.standing_read import read_reviews  # noqa: PLC0415 - `summary` reads no review

        return read_reviews(self._driver, agreement)

    def close(self) -> None:
        """Close the connection."""
        self._driver.connection.close()


def sqlite_file(url: str) -> Path | None:
    """The file of a plain `sqlite:///PATH` URL; None for any other URL (other databases, options, memory)."""
    prefix = "sqlite:///"
    if not url.startswith(prefix):
        return None
    path = url[len(prefix) :]
    if not path or "?" in path or path.startswith(("file:", ":memory:")):
        return None
    return Path(path).expanduser()


def open_reader(url: str) -> SqliteReader | None:
    """A read-only reader of the SQLite store at `url`, or None when the full store must open it.

    None when: the URL is not a plain SQLite file, the file does not exist, its journal is not
    WAL, or its schema is not at `HEAD_REVISION` (new, behind, or unknown).
    """
    path = sqlite_file(url)
    if path is None or not path.is_file():
        return None
    uri = f"file:{quote(str(path.resolve()))}?mode=rw"
    try:
        connection = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S)
    except sqlite3.Error:
        return None
    try:
        connection.execute("PRAGMA query_only=ON")
        connection.execute("PRAGMA synchronous=FULL")
        journal = str(connection.execute("PRAGMA journal_mode").fetchone()[0]).lower()
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        connection.close()
        return None
    if journal != "wal" or revision is None or str(revision[0]) != HEAD_REVISION:
        connection.close()
        return None
    return SqliteReader(connection)
