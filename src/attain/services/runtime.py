"""What every request of the server shares: the store, tokens, the clock, the status cache, the metrics.

The API and the dashboard both answer from one `Runtime`; it lives here, below both, so that
neither imports the other. `create_runtime` opens the configured database (migrating it) once
per server; tests pass their own clock so that "now" is fixed.
"""

from __future__ import annotations

import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

import structlog
from sqlalchemy import Engine

from attain.engine.classify import minute_floor
from attain.engine.instant import US_PER_MINUTE
from attain.model import Agreement
from attain.ports import AgreementVersion
from attain.services.memo import EvaluationMemo, MemoView
from attain.services.metrics import ServerMetrics
from attain.services.store import StoredEvaluation, status, status_data
from attain.services.tokens import Principal, Role, digest, find_token
from attain.settings import Settings
from attain.storage import SqlStore, connect, upgrade
from attain.storage.access import SqlAccess, StoredToken

Clock = Callable[[], int]
"""Returns the current instant in µs since the epoch."""

Generation = tuple[int, ...]
"""`SqlAccess.generation`: changes whenever a batch, a version or a token is stored or a token revoked."""

CACHED_AGREEMENTS = 512
"""How many agreements' current status the cache keeps."""
CACHED_TOKENS = 10_000
"""How many looked-up secrets (also unknown ones) are remembered before the lookup cache starts afresh."""


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

    entries: OrderedDict[str, tuple[tuple[int, Generation], CachedStatus]] = field(default_factory=OrderedDict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    flights: dict[str, threading.Lock] = field(default_factory=dict)
    """One lock per agreement, held while its status is evaluated (single flight)."""


@dataclass
class CachedStatus:
    """An evaluated status and, once asked for, its JSON body (so a hit costs no serialisation)."""

    state: StoredEvaluation
    body: bytes | None = None

    def json(self) -> bytes:
        """The status as the API's JSON body."""
        if self.body is None:
            data = status_data(self.state)
            self.body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
        return self.body


@dataclass
class Runtime:
    """The server's shared parts."""

    settings: Settings
    engine: Engine
    store: SqlStore
    access: SqlAccess
    clock: Clock
    metrics: ServerMetrics
    cache: StatusCache = field(default_factory=StatusCache)
    memo: EvaluationMemo = field(default_factory=EvaluationMemo)
    """Parsed versions and minute counts shared by evaluations of the same data (`attain.services.memo`)."""
    latest_versions: tuple[Generation, dict[str, AgreementVersion]] | None = None
    known_tokens: tuple[Generation, dict[str, StoredToken | None]] | None = None

    def close(self) -> None:
        """Close the database connections (at shutdown)."""
        self.engine.dispose()

    def now(self) -> int:
        """The current instant (µs)."""
        return self.clock()

    def agreement(self, version: AgreementVersion) -> Agreement:
        """A stored version's agreement, parsed once per document."""
        return self.memo.agreement(version)

    def memo_view(self, generation: Generation | None = None) -> MemoView:
        """The evaluation memo for the data's generation (read now when not given)."""
        return self.memo.view(generation or self.access.generation())

    def principal(self, secret: str, generation: Generation) -> Principal | None:
        """Who a secret stands for now; token rows are re-read only when a token was added or revoked."""
        known = self.known_tokens
        if known is None or known[0] != generation or len(known[1]) > CACHED_TOKENS:
            known = (generation, {})
            self.known_tokens = known
        key = digest(secret, self.access.pepper)
        if key not in known[1]:
            known[1][key] = find_token(self.access, secret)
        stored = known[1][key]
        if stored is None or not stored.usable(self.now()):
            return None
        return Principal(stored.id, Role(stored.role), stored.party)

    def latest(self, name: str, generation: Generation) -> AgreementVersion | None:
        """The latest stored version of agreement `name` (None when unknown), re-read only when data changed."""
        known = self.latest_versions
        if known is None or known[0] != generation:
            known = (generation, {v.name: v for v in self.store.agreements()})
            self.latest_versions = known
        return known[1].get(name)

    def customer(self, version: AgreementVersion) -> str:
        """The name of a stored version's customer party."""
        return self.agreement(version).spec.parties.customer.name

    def status(self, name: str) -> StoredEvaluation:
        """The agreement's status now, from the cache when nothing it reads has changed."""
        return self.cached_status(name).state

    def fresh_status(self, name: str, generation: Generation) -> CachedStatus | None:
        """The cached status if it is still current, else None (cheap: no query, no evaluation)."""
        key = (minute_floor(self.now()), generation)
        with self.cache.lock:
            hit = self.cache.entries.get(name)
            return hit[1] if hit is not None and hit[0] == key else None

    def cached_status(self, name: str, generation: Generation | None = None) -> CachedStatus:
        """The cache entry of the agreement's status now (evaluated when missing or stale).

        When only the minute has turned since the cached status (nothing was stored), the cached
        status of the previous minute is returned (its `at` says which minute it is) while one
        background evaluation brings it up to date: a status that takes seconds to evaluate never
        stalls every request once a minute. Anything else that is not current is evaluated before
        answering, one evaluation per agreement at a time (concurrent callers wait for it).

        Args:
            name: The agreement.
            generation: The data's generation if the caller just read it (saves a query).
        """
        at = minute_floor(self.now())
        key = (at, generation or self.access.generation())
        with self.cache.lock:
            hit = self.cache.entries.get(name)
            flight = self.cache.flights.setdefault(name, threading.Lock())
        if hit is not None and hit[0] == key:
            return hit[1]
        if hit is not None and hit[0] == (at - US_PER_MINUTE, key[1]):
            if flight.acquire(blocking=False):
                threading.Thread(target=self._refresh, args=(name, key, flight), daemon=True).start()
            return hit[1]
        with flight:
            with self.cache.lock:
                hit = self.cache.entries.get(name)
                if hit is not None and hit[0] == key:
                    return hit[1]
            return self._evaluate(name, key)

    def _refresh(self, name: str, key: tuple[int, Generation], flight: threading.Lock) -> None:
        """Evaluate in the background and keep the result; the caller holds `flight`."""
        try:
            self._evaluate(name, key)
        except Exception:  # noqa: BLE001 - a failed refresh leaves the previous status; the next request retries
            structlog.get_logger("attain.api").exception("status refresh failed", agreement=name)
        finally:
            flight.release()

    def _evaluate(self, name: str, key: tuple[int, Generation]) -> CachedStatus:
        with self.metrics.evaluation_seconds.time():
            result = CachedStatus(status(self.store, [name], key[0], self.memo.view(key[1]))[0])
        self._keep(name, key, result)
        return result

    def _keep(self, name: str, key: tuple[int, Generation], result: CachedStatus) -> None:
        with self.cache.lock:
            self.cache.entries[name] = (key, result)
            self.cache.entries.move_to_end(name)
            while len(self.cache.entries) > CACHED_AGREEMENTS:
                self.cache.entries.popitem(last=False)


def create_runtime(settings: Settings, clock: Clock = system_clock) -> Runtime:
    """Open (and migrate) the configured database and build the shared parts."""
    engine = connect(settings.database_url, unsafe_durability=settings.unsafe_durability)
    upgrade(engine)
    runtime = Runtime(
        settings, engine, SqlStore(engine), SqlAccess(engine, settings.token_pepper), clock, ServerMetrics()
    )
    runtime.metrics.watch(runtime)
    return runtime
