"""Per-case clocks: when each case (ticket, call, order) started, stopped, and whether it met its goal.

Each case's events are put in order by instant; events at the same instant apply in the order
start, other events, resume, pause, stop, so a pause and a stop at one instant leave the case
stopped (ties beyond that are broken by type and attributes, so input order never matters).
Events at or after `at` are not known yet and are ignored (as on every stream: the evaluated
range is `[since, at)`).

- The clock starts at the case's first `start` event. A case with no start event, or whose first
  start is after `at`, does not count (`valid` False).
- A `pause` type pauses a running clock; a `resume` type resumes a paused one; a pause while
  paused, a resume while running, a later start, and pause, resume or stop before the start do
  nothing.
- The clock stops at the first `stop` event after the start; later events are ignored.
- Elapsed time is the clock's counted time (`Clock.elapsed`) while running, from the start to the
  stop, or to `at` for an open case. Under business time, paused time outside business hours
  subtracts nothing (it was never counted), and a case created outside business hours starts
  counting at the next opening.
- Attributes are merged over the case's events up to the stop (or `at`), later values overriding
  earlier ones and None values ignored; events before the start count. The priority is the
  merged value of the indicator's `priority` attribute, i.e. its value on the latest event that
  carries it. `where` / `whereNot` are matched against the merged attributes.
- The goal is `goals[priority]`, else `goals['*']`; a case with neither does not count.
- `due` is the instant the elapsed time reaches the goal, given the pauses known up to `at`: for
  a running open case it may lie after `at`. It is None when the goal has not been reached and
  the clock is paused at `at`, or the case stopped before reaching it.
- Op `le`: met when elapsed ≤ goal, breached when elapsed > goal. Op `lt`: met when elapsed <
  goal, breached when elapsed ≥ goal. A case open at `at` is breached already when its elapsed
  time at `at` breaches the goal; otherwise it is pending (`met` None).
- `decided_at` is the stop instant when met. When breached it is `due` for both ops: under `le`,
  the goal is exceeded by any counted time after `due`, so `due` is the last instant still within
  it; under `lt`, `due` itself (elapsed == goal) is already a breach. So the ops differ only when
  elapsed equals the goal exactly: a case stopped then is met under `le` (decided at its stop)
  and breached under `lt` (decided at `due`), and a case open at `at` with elapsed == goal is
  pending under `le` and breached under `lt`.
- Each `warn_at` share gives the instant the elapsed time reached ⌈share × goal⌉ µs, or None when
  it had not by the stop (or `at`).

The state of a counted case at `at` (`CaseOutcome.state`) is one of four. A stopped case is
always judged, so "stopped" is not a state of its own; the clock's own state (`clock_state`:
running, paused, stopped) says whether a breached case is still open.

- `met`: stopped within its goal;
- `breached`: its elapsed time breached the goal, stopped or not (`decided_at` is when);
- `paused`: not decided, clock paused at `at`;
- `open`: not decided, clock running at `at`.

`remaining = goal − elapsed` (negative once over the goal), so `elapsed + remaining == goal`;
`used = elapsed ÷ goal` as a Decimal (exact when the quotient terminates within 28 significant
digits, else rounded toward −∞ like every ratio, so a share short of 100% never shows as 100%).
A case is `at_risk` when it is open or paused and its elapsed time has reached its first
`warn_at` share of the goal; its `warning` is the highest share reached (75% once past 75% of
the goal), None for a decided case or one short of the first share.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_CEILING, Decimal
from enum import StrEnum
from typing import Any

from attain.engine.business_time import Clock
from attain.engine.exact import RATIO, quotient
from attain.engine.filter import matches, text
from attain.engine.instant import Interval, duration_us
from attain.engine.measurement import CaseEvent
from attain.model.clock import CaseClock
from attain.model.indicator import CaseIndicator
from attain.model.selector import Operator

CaseWarning = tuple[Decimal, int | None]
"""A warning share and the instant the elapsed time reached that share of the goal (or None)."""


class CaseState(StrEnum):
    """How a counted case stands at the evaluation instant (see the module docstring)."""

    OPEN = "open"
    PAUSED = "paused"
    MET = "met"
    BREACHED = "breached"


class ClockState(StrEnum):
    """Whether a case's clock runs at the evaluation instant."""

    RUNNING = "running"
    PAUSED = "paused"
    STOPPED = "stopped"


@dataclass(frozen=True)
class CaseOutcome:
    """How one case stands at the evaluation instant `at` (see the module docstring).

    Attributes:
        case: The case id.
        priority: The case's priority as text, or None when no event carries it.
        goal: The goal in µs of clock time, or None when the case has none.
        started: The instant of the first start event, or None when there is none (or it is after `at`).
        stopped: The instant of the first stop event after the start, or None while open.
        elapsed: Counted µs while running, until the stop or until `at`.
        due: The instant the elapsed time reaches the goal, or None (paused, or stopped before).
        met: True met, False breached, None pending at `at` (or not valid).
        decided_at: The stop when met; `due` when breached; None while pending.
        warnings: One (share, instant or None) per `warn_at` share.
        valid: False when the case does not count.
        reason: Why the case does not count, when it does not.
        paused: Whether the clock is paused at `at` (started, not stopped, not running).
    """

    case: str
    priority: str | None
    goal: int | None
    started: int | None
    stopped: int | None
    elapsed: int
    due: int | None
    met: bool | None
    decided_at: int | None
    warnings: tuple[CaseWarning, ...] = ()
    valid: bool = True
    reason: str | None = None
    paused: bool = False

    @property
    def state(self) -> CaseState:
        """Met, breached (decided), else paused or open by the clock at `at`."""
        if self.met is not None:
            return CaseState.MET if self.met else CaseState.BREACHED
        return CaseState.PAUSED if self.paused else CaseState.OPEN

    @property
    def clock_state(self) -> ClockState:
        """Stopped, paused or running at `at`."""
        if self.stopped is not None:
            return ClockState.STOPPED
        return ClockState.PAUSED if self.paused else ClockState.RUNNING

    @property
    def remaining(self) -> int | None:
        """`goal − elapsed` in µs of clock time (negative once over the goal); None without a goal."""
        return None if self.goal is None else self.goal - self.elapsed

    @property
    def used(self) -> Decimal | None:
        """The share of the goal used, `elapsed ÷ goal` (rounded toward −∞ past 28 digits); None without a goal."""
        return None if not self.goal else quotient(self.elapsed, self.goal, RATIO)

    @property
    def at_risk(self) -> bool:
        """Open or paused, and the elapsed time has reached the first warning share of the goal."""
        return self.met is None and self.valid and bool(self.warnings) and self.warnings[0][1] is not None

    @property
    def warning(self) -> Decimal | None:
        """The highest `warn_at` share reached while open or paused; None when decided or short of the first."""
        if self.met is not None or not self.valid:
            return None
        reached = [share for share, instant in self.warnings if instant is not None]
        return reached[-1] if reached else None


@dataclass
class _Trace:
    """What one case's events say up to `at`: running intervals, stop, attributes."""

    started: int | None = None
    stopped: int | None = None
    running: list[Interval] = field(default_factory=list)
    running_since: int | None = None
    attributes: dict[str, Any] = field(default_factory=dict)

    def elapsed(self, clock: Clock, at: int) -> int:
        """Counted time while running, the open interval (if any) counted until `at`."""
        closed = sum(clock.elapsed(low, high) for low, high in self.running)
        return closed + (clock.elapsed(self.running_since, at) if self.running_since is not None else 0)

    def reach(self, clock: Clock, amount: int) -> int | None:
        """The instant the running time reaches `amount` µs, the open interval running on; or None."""
        remaining = amount
        for low, high in self.running:
            length = clock.elapsed(low, high)
            if remaining <= length:
                return clock.add(low, remaining)
            remaining -= length
        return clock.add(self.running_since, remaining) if self.running_since is not None else None


def evaluate_cases(indicator: CaseIndicator, clock: Clock, events: Sequence[CaseEvent], at: int) -> list[CaseOutcome]:
    """Evaluate every case in `events` at instant `at`, sorted by case id (see the module docstring).

    Args:
        indicator: The clock roles, priority attribute, goals, operator, warnings and filters.
        clock: The clock that counts time (calendar or business, see `clock_for`).
        events: Case events of any number of cases, in any order.
        at: The evaluation instant, µs since the epoch; later events are ignored.

    Returns:
        One outcome per case id.
    """
    by_case: dict[str, list[CaseEvent]] = defaultdict(list)
    for event in events:
        by_case[event.case].append(event)
    key = _order_key(indicator.clock)
    return [_evaluate_case(indicator, clock, case, sorted(by_case[case], key=key), at) for case in sorted(by_case)]


def _evaluate_case(
    indicator: CaseIndicator, clock: Clock, case: str, ordered: Sequence[CaseEvent], at: int
) -> CaseOutcome:
    """Evaluate one case from its events in clock order (as `evaluate_cases` sorts them)."""
    trace = _trace(indicator.clock, ordered, at)
    priority = text(trace.attributes.get(indicator.priority))
    goal_duration = indicator.goals.get(priority) if priority is not None else None
    goal_duration = goal_duration if goal_duration is not None else indicator.goals.get("*")
    goal = duration_us(goal_duration) if goal_duration is not None else None
    elapsed = trace.elapsed(clock, at) if trace.started is not None else 0
    paused = trace.started is not None and trace.stopped is None and trace.running_since is None
    base = CaseOutcome(case, priority, goal, trace.started, trace.stopped, elapsed, None, None, None, paused=paused)
    reason = _invalid_reason(indicator, trace, ordered, priority)
    if reason is not None:
        return replace(base, valid=False, reason=reason)
    assert goal is not None
    due = trace.reach(clock, goal)
    met, decided_at = _judge(indicator.op, elapsed, goal, due, trace.stopped)
    warnings = tuple(_warning(trace, clock, share, goal, elapsed) for share in indicator.warn_at)
    return replace(base, due=due, met=met, decided_at=decided_at, warnings=warnings)


def _trace(roles: CaseClock, ordered: Sequence[CaseEvent], at: int) -> _Trace:
    trace = _Trace()
    for event in ordered:
        if event.at >= at:
            break
        trace.attributes.update((k, v) for k, v in event.attributes.items() if v is not None)
        if trace.started is None:
            if event.type == roles.start:
                trace.started = trace.running_since = event.at
            continue
        if event.type in roles.pause and trace.running_since is not None:
            trace.running.append((trace.running_since, event.at))
            trace.running_since = None
        elif event.type in roles.resume and trace.running_since is None:
            trace.running_since = event.at
        elif event.type == roles.stop:
            trace.stopped = event.at
            if trace.running_since is not None:
                trace.running.append((trace.running_since, event.at))
                trace.running_since = None
            break
    return trace


def _invalid_reason(
    indicator: CaseIndicator, trace: _Trace, ordered: Sequence[CaseEvent], priority: str | None
) -> str | None:
    if trace.started is None:
        if any(event.type == indicator.clock.start for event in ordered):
            return "started after the evaluation instant"
        return f"no {indicator.clock.start!r} event starts its clock"
    if not matches(trace.attributes, indicator.where, indicator.where_not):
        return "filtered out by where / whereNot"
    if priority not in indicator.goals and "*" not in indicator.goals:
        return f"no goal for priority {priority!r} and no '*' goal"
    return None


def _judge(
    op: Operator, elapsed: int, goal: int, due: int | None, stopped: int | None
) -> tuple[bool | None, int | None]:
    """Met, breached or pending, and when that was decided."""
    breached = elapsed > goal if op is Operator.LE else elapsed >= goal
    if breached:
        return False, due
    if stopped is not None:
        return True, stopped
    return None, None


def _warning(trace: _Trace, clock: Clock, share: Decimal, goal: int, elapsed: int) -> CaseWarning:
    amount = int((share * goal).to_integral_value(rounding=ROUND_CEILING))
    return share, (trace.reach(clock, amount) if elapsed >= amount else None)


def _order_key(roles: CaseClock) -> Callable[[CaseEvent], tuple[int, int, str, str]]:
    """Sort key: instant, then role (start, other, resume, pause, stop), then type and attributes."""
    rank: Mapping[str, int] = {
        roles.start: 0,
        **dict.fromkeys(roles.resume, 2),
        **dict.fromkeys(roles.pause, 3),
        roles.stop: 4,
    }

    def key(event: CaseEvent) -> tuple[int, int, str, str]:
        attributes = repr(sorted((str(k), repr(v)) for k, v in event.attributes.items()))
        return event.at, rank.get(event.type, 1), event.type, attributes

    return key
