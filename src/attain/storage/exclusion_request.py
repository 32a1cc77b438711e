"""`SqlExclusionRequests`: time one party asks to exclude, and the other party's decision.

A request is stored with the server's clock as its creation time (the notice an exclusion needs is
counted from there, never from a time the client sends). Accepting one, in one transaction, marks
it accepted, stores it as an announcement through the ingestion ledger (key
`exclusion-request:<agreement>:<number>`, so it is stored exactly once) and appends the audit
entry; the evaluation then excludes that time from open periods as the agreement's exclusions
allow. Who may decide, and how far back, is checked by `attain.services.exclusions`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, Row, select, update

from attain.engine.measurement import Announcement
from attain.engine.negotiation import Side, State
from attain.model.exclusion import ExclusionKind
from attain.ports import Batch
from attain.storage import schema as s
from attain.storage.audit import append
from attain.storage.batch import write_batch
from attain.storage.insert import next_number
from attain.storage.ledger import claim


@dataclass(frozen=True)
class ExclusionRequest:
    """A request to exclude time, and what became of it."""

    agreement: str
    number: int
    kind: ExclusionKind
    start_at: int
    end_at: int
    objectives: tuple[str, ...]
    reason: str
    evidence: str
    side: Side
    author: str
    created_at: int
    state: State
    decided_by: str | None = None
    decided_side: Side | None = None
    decided_at: int | None = None
    note: str | None = None

    @property
    def batch_key(self) -> str:
        """The ingestion ledger's key of the announcement an accepted request becomes."""
        return f"exclusion-request:{self.agreement}:{self.number}"


class RequestDecided(Exception):
    """The request is no longer open."""

    def __init__(self, request: ExclusionRequest) -> None:
        super().__init__(f"{request.agreement} exclusion request {request.number} is already {request.state.value}")
        self.request = request


def _request(row: Row[Any]) -> ExclusionRequest:
    values = row._asdict()
    values["kind"] = ExclusionKind(values["kind"])
    values["objectives"] = tuple(values["objectives"])
    values["side"] = Side(values["side"])
    values["state"] = State(values["state"])
    values["decided_side"] = None if values["decided_side"] is None else Side(values["decided_side"])
    return ExclusionRequest(**values)


class SqlExclusionRequests:
    """Exclusion requests in a SQL store.

    Args:
        engine: an engine on a database migrated with `attain.storage.upgrade`.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def requests(self, agreement: str) -> list[ExclusionRequest]:
        """The agreement's requests, by number."""
        t = s.exclusion_requests
        with self._engine.connect() as conn:
            rows = conn.execute(select(t).where(t.c.agreement == agreement).order_by(t.c.number))
            return [_request(row) for row in rows]

    def request(self, agreement: str, number: int) -> ExclusionRequest | None:
        """One request, or None."""
        with self._engine.connect() as conn:
            return _one(conn, agreement, number)

    def create(
        self,
        agreement: str,
        kind: ExclusionKind,
        span: tuple[int, int],
        objectives: Sequence[str],
        texts: tuple[str, str],
        side: Side,
        author: str,
        now: int,
    ) -> ExclusionRequest:
        """Store a request (`span` is [start, end), `texts` the reason and the evidence) and audit it."""
        t = s.exclusion_requests
        with self._engine.begin() as conn:
            number = next_number(conn, t, agreement)
            conn.execute(
                t.insert().values(
                    agreement=agreement,
                    number=number,
                    kind=kind.value,
                    start_at=span[0],
                    end_at=span[1],
                    objectives=list(objectives),
                    reason=texts[0],
                    evidence=texts[1],
                    side=side.value,
                    author=author,
                    created_at=now,
                    state=State.PROPOSED.value,
                )
            )
            detail = {"kind": kind.value, "start": span[0], "end": span[1], "objectives": list(objectives)}
            append(conn, agreement, "exclusion.requested", f"exclusion request {number}", now, detail=detail)
            made = _one(conn, agreement, number)
        assert made is not None
        return made

    def decide(
        self, request: ExclusionRequest, to: State, actor: str, side: Side, now: int, note: str | None
    ) -> ExclusionRequest:
        """Accept (storing the announcement), reject or withdraw an open request.

        Raises:
            RequestDecided: it was decided or withdrawn meanwhile (nothing is stored).
        """
        t = s.exclusion_requests
        with self._engine.connect() as conn:
            if to is State.ACCEPTED:
                announced = Announcement(
                    request.start_at, request.end_at, request.kind, request.created_at, request.objectives
                )
                source = f"exclusion request {request.number}"
                batch = Batch(
                    request.batch_key, request.agreement, "announcements", source, 1, announcements=[announced]
                )
                if not claim(conn, batch, now):
                    current = _one(conn, request.agreement, request.number)
                    assert current is not None
                    raise RequestDecided(current)
            changed = conn.execute(
                update(t)
                .where(t.c.agreement == request.agreement, t.c.number == request.number)
                .where(t.c.state == State.PROPOSED.value)
                .values(state=to.value, decided_by=actor, decided_side=side.value, decided_at=now, note=note)
                .returning(t.c.number)
            ).first()
            if changed is None:
                conn.rollback()
                current = _one(conn, request.agreement, request.number)
                assert current is not None
                raise RequestDecided(current)
            if to is State.ACCEPTED:
                write_batch(conn, batch)
            detail = {"side": side.value, "note": note}
            append(
                conn,
                request.agreement,
                f"exclusion.{to.value}",
                f"exclusion request {request.number}",
                now,
                detail=detail,
            )
            current = _one(conn, request.agreement, request.number)
            conn.commit()
        assert current is not None
        return current


def _one(conn: Connection, agreement: str, number: int) -> ExclusionRequest | None:
    t = s.exclusion_requests
    row = conn.execute(select(t).where(t.c.agreement == agreement, t.c.number == number)).first()
    return None if row is None else _request(row)
