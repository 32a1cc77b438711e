"""What every request shares: the store, tokens, the clock, the status cache and the metrics.

`create_runtime` opens the configured database (migrating it) once per server; tests pass their
own clock so that "now" is fixed.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Engine

from attain.api.limits import DEFAULT_MAX_BODY_BYTES
from attain.api.metrics import ApiMetrics
from attain.engine.classify import minute_floor
from attain.formats.native import parse_agreement
from attain.formats.source import read_text
from attain.model import Agreement
from attain.ports import AgreementVersion
from attain.services.store import StoredEvaluation, status
from attain.settings import Settings
from attain.storage import SqlStore, connect, upgrade
from attain.storage.access import SqlAccess

Clock = Callable[[], int]
"""Returns the current instant in µs since the epoch."""

CACHED_AGREEMENTS = 512
"""How many agreements' current status the cache keeps."""


def system_clock() -> int:
    """The wall clock in µs."""
    return time.time_ns() // 1000


@dataclass
class StatusCache:
    """The status of each agreement, kept while the minute and the stored data stay the same.

    A status is evaluated at the start of the current minute, from stored data; it changes only
    when the minute turns or when a batch or version is stored, which `SqlAccess.generation`
    detects (also for writes by other processes, such as `attain ingest`).
    """

    entries: OrderedDict[str, tuple[tuple[int, tuple[int, int, int]], StoredEvaluation]] = field(
        default_factory=OrderedDict
    )
    lock: threading.Lock = field(default_factory=threading.Lock)


@dataclass
class Runtime:
    """The server's shared parts."""

    settings: Settings
    engine: Engine
    store: SqlStore
    access: SqlAccess
    clock: Clock
    metrics: ApiMetrics
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    cache: StatusCache = field(default_factory=StatusCache)
    parsed: dict[str, Agreement] = field(default_factory=dict)

    def close(self) -> None:
        """Close the database connections (at shutdown)."""
        self.engine.dispose()

    def now(self) -> int:
        """The current instant (µs)."""
        return self.clock()

    def agreement(self, version: AgreementVersion) -> Agreement:
        """A stored version's agreement, parsed once per document."""
        found = self.parsed.get(version.digest)
        if found is None:
            found = parse_agreement(read_text(version.document, f"{version.name} v{version.version}")[0])
            self.parsed[version.digest] = found
        return found

    def customer(self, version: AgreementVersion) -> str:
        """The name of a stored version's customer party."""
        return self.agreement(version).spec.parties.customer.name

    def status(self, name: str) -> StoredEvaluation:
        """The agreement's status now, from the cache when nothing it reads has changed."""
        at = minute_floor(self.now())
        key = (at, self.access.generation())
        with self.cache.lock:
            hit = self.cache.entries.get(name)
            if hit is not None and hit[0] == key:
                self.cache.entries.move_to_end(name)
                return hit[1]
        with self.metrics.evaluation_seconds.time():
            result = status(self.store, [name], at)[0]
        with self.cache.lock:
            self.cache.entries[name] = (key, result)
            self.cache.entries.move_to_end(name)
            while len(self.cache.entries) > CACHED_AGREEMENTS:
                self.cache.entries.popitem(last=False)
        return result


def create_runtime(
    settings: Settings, clock: Clock = system_clock, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
) -> Runtime:
    """Open (and migrate) the configured database and build the shared parts."""
    engine = connect(settings.database_url)
    upgrade(engine)
    runtime = Runtime(settings, engine, SqlStore(engine), SqlAccess(engine), clock, ApiMetrics(), max_body_bytes)
    runtime.metrics.watch(runtime)
    return runtime
