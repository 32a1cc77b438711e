"""The open cases of a case objective on the agreement page: elapsed clock time, warning reached, due.

A case is open while its clock has not stopped: running, paused, or breached and still running.
They are listed nearest their due instant first (paused cases, which have none, last), at most
`OPEN_CASES_SHOWN` of them; elapsed time and goals are in business terms when the clock runs on a
business calendar, instants in the agreement's time zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from attain.engine.case import CaseOutcome, ClockState
from attain.engine.instant import from_us
from attain.engine.result import ObjectiveEvaluation
from attain.model import Agreement, CaseIndicator
from attain.reports.business_time import case_duration
from attain.web.language import Words

OPEN_CASES_SHOWN = 20
"""How many open cases the page lists per objective; the rest are counted below the table."""


@dataclass(frozen=True)
class OpenCase:
    """One open case as the page shows it, every cell as text."""

    case: str
    priority: str
    state: str
    elapsed: str
    goal: str
    used: str
    warning: str
    due: str
    at_risk: bool


@dataclass(frozen=True)
class OpenCases:
    """The open cases listed, and how many more there are."""

    listed: list[OpenCase]
    more: int


def open_cases(words: Words, evaluated: ObjectiveEvaluation | None, agreement: Agreement) -> OpenCases:
    """The open cases of a case objective, nearest due first; none for other kinds."""
    if evaluated is None or not evaluated.cases:
        return OpenCases([], 0)
    objective = next((o for o in agreement.objectives if o.name == evaluated.objective), None)
    if objective is None or not isinstance(objective.indicator, CaseIndicator):
        return OpenCases([], 0)
    indicator = objective.indicator
    running = sorted((c for c in evaluated.cases if c.clock_state is not ClockState.STOPPED), key=_due_order)
    listed = [_row(words, c, indicator, agreement) for c in running[:OPEN_CASES_SHOWN]]
    return OpenCases(listed, len(running) - len(listed))


def _due_order(case: CaseOutcome) -> tuple[bool, int, str]:
    return case.due is None, case.due or 0, case.case


def _row(words: Words, case: CaseOutcome, indicator: CaseIndicator, agreement: Agreement) -> OpenCase:
    loc, minute = words.locale, timedelta(minutes=1)
    state = words(f"case.state.{case.state.value}")

    def clock_time(us: int) -> str:
        return case_duration(loc, indicator, timedelta(microseconds=us) // minute * minute, agreement)

    return OpenCase(
        case=case.case,
        priority=case.priority or "—",
        state=words("case.at_risk", state=state) if case.at_risk else state,
        elapsed=clock_time(case.elapsed),
        goal="—" if case.goal is None else clock_time(case.goal),
        used="—" if case.used is None else loc.percent(case.used),
        warning="—" if case.warning is None else loc.percent(case.warning),
        due="—" if case.due is None else loc.instant(from_us(case.due), agreement.spec.time_zone),
        at_risk=case.at_risk,
    )
