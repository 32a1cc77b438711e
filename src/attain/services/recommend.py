"""Realistic targets from stored history (`attain recommend`, the API's recommendations).

For each objective of a stored agreement with a target, the last N whole periods before `at`
(calendar periods of its window, or back-to-back rolling windows ending at `at`), from the
agreement's first effective date on, are measured and handed to `attain.engine.recommend`.

Two ways to the periods' good and valid, giving the same numbers:

- event objectives budgeted by occurrences without service hours (ratio, threshold, probes) read
  the store's exact day, hour and minute rollups at the period edges (`attain.engine.rollup`), so a
  year of minutes costs a few hundred rows per objective; the hour rollups of the last 13 weeks
  of their periods also give the weekday and hour seasonality (`attain.engine.seasonality`);
- every other objective (availability from incidents, cases, freshness, time slices, service
  hours) is evaluated on the stored data by the engine (`evaluate_stored`), once for calendar
  windows and once per rolling window.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext
from fractions import Fraction
from typing import Any

import numpy as np

from attain.engine.classify import minute_floor
from attain.engine.instant import US_PER_DAY, US_PER_MINUTE, duration_us, iso_utc
from attain.engine.period import Period, periods_between, rolling
from attain.engine.rate import occurrence_ratio
from attain.engine.recommend import PastPeriod, Recommendation, Terms, recommend, retarget_tiers
from attain.engine.result import PeriodResult
from attain.engine.seasonality import Seasonality, seasonalities
from attain.errors import InvalidInput, Problem
from attain.lifecycle.versions import parse_version, stored_versions, versions_in_force
from attain.model import (
    Agreement,
    BudgetingMethod,
    CalendarWindow,
    CaseIndicator,
    FreshnessIndicator,
    Objective,
    StatisticIndicator,
)
from attain.ports import Store
from attain.services.summary import stored_prefixes

DEFAULT_PERIODS = 12
"""Past periods looked at when the caller names no number."""

NO_TARGET = "no-target"
"""Why an objective is skipped: a statistic objective has its bound, not a target."""

SEASON_US = 91 * US_PER_DAY
"""Seasonality looks at the last 13 weeks of the measured periods: each weekday 13 times, each hour 91 times."""


@dataclass(frozen=True)
class ObjectiveAdvice:
    """One objective's recommendation with how it is measured and, for events, when bad events happen."""

    objective: str
    kind: str
    window: str
    recommendation: Recommendation
    seasonality: Seasonality | None


@dataclass(frozen=True)
class RecommendationReport:
    """The recommendations for one agreement at an instant."""

    agreement: str
    version: int
    at: int
    periods: int
    currency: str | None
    objectives: tuple[ObjectiveAdvice, ...]
    skipped: tuple[tuple[str, str], ...]
    """(objective, why) for objectives without a target to recommend; why is `NO_TARGET`."""


def recommendations(
    store: Store, name: str, at: int, *, objective: str | None = None, periods: int = DEFAULT_PERIODS
) -> RecommendationReport:
    """The recommendations for agreement `name` from its last `periods` whole periods before `at`.

    Raises:
        InvalidInput: no such agreement, no such objective, or `periods` below 1.
    """
    if periods < 1:
        raise InvalidInput(
            [Problem("<request>", None, None, "periods", f"must be 1 or more, got {periods}", "e.g. 12")]
        )
    stored = stored_versions(store, name)
    versions = versions_in_force(stored)
    at = minute_floor(at)
    # The targets are compared with the version in force at `at` ("current"), not with a later one
    # agreed but not yet in force; before the first version takes effect, the latest.
    index = next((i for i, v in enumerate(versions) if v.holds(at)), len(versions) - 1)
    agreement, first = versions[index].agreement, versions[0].start
    chosen = _chosen(agreement, objective)
    skipped = tuple((o.name, NO_TARGET) for o in chosen if o.target is None)
    targeted = [o for o in chosen if o.target is not None]
    windows = {o.name: _windows(agreement, o, first, at, periods) for o in targeted}
    counted = [o for o in targeted if _counted(o)]
    pasts = _counted_periods(store, name, counted, windows)
    pasts |= _evaluated_periods(store, name, [o for o in targeted if not _counted(o)], windows, at)
    seasons = _seasonality(store, name, agreement.spec.time_zone, counted, windows)
    advice = tuple(
        ObjectiveAdvice(
            o.name,
            o.indicator.kind,
            _window_label(o),
            recommend(o.name, pasts[o.name][0], pasts[o.name][1], _terms(agreement, o)),
            seasons.get(o.name),
        )
        for o in targeted
    )
    fee = agreement.spec.fee
    return RecommendationReport(
        name, stored[index].version, at, periods, None if fee is None else fee.currency, advice, skipped
    )


def _chosen(agreement: Agreement, objective: str | None) -> list[Objective]:
    if objective is None:
        return list(agreement.objectives)
    names = [o.name for o in agreement.objectives]
    if objective not in names:
        hint = f"one of: {', '.join(names)}"
        problem = f"{agreement.name} has no objective {objective!r}"
        raise InvalidInput([Problem("<request>", None, None, "objective", problem, hint)])
    return [agreement.spec.objective(objective)]


def _counted(objective: Objective) -> bool:
    """Whether the objective's periods follow from its stored per-minute counts alone."""
    indicator = objective.indicator
    return (
        objective.service_hours is None
        and objective.budgeting.method is BudgetingMethod.OCCURRENCES
        and indicator.rows == "events"
        and not isinstance(indicator, StatisticIndicator | FreshnessIndicator | CaseIndicator)
    )


def _windows(agreement: Agreement, objective: Objective, first: int, at: int, count: int) -> list[Period]:
    """The last `count` whole periods of the objective inside `[first, at)`, oldest first."""
    window = objective.window
    if isinstance(window, CalendarWindow):
        zone = window.time_zone or agreement.spec.time_zone
        found = periods_between(window.calendar, zone, first, at, window.week_start)
        return [p for p in found if p.start >= first and p.end <= at][-count:]
    length = duration_us(window.rolling)
    ends = [at - k * length for k in range(count) if at - (k + 1) * length >= first]
    return [rolling(length, end) for end in reversed(ends)]


def _window_label(objective: Objective) -> str:
    window = objective.window
    if isinstance(window, CalendarWindow):
        return window.calendar.value
    minutes = duration_us(window.rolling) // US_PER_MINUTE
    return f"rolling {minutes // 1440}d" if minutes % 1440 == 0 else f"rolling {minutes}m"


def _terms(agreement: Agreement, objective: Objective) -> Terms:
    assert objective.target is not None
    window = objective.window
    unit = window.calendar.value if isinstance(window, CalendarWindow) else None
    return Terms(objective.target, objective.credits, agreement.spec.credit_policy, agreement.spec.fee, unit)


Pasts = dict[str, tuple[str, list[PastPeriod]]]
"""Per objective: its budget unit and its measured past periods."""


Windows = dict[str, list[Period]]
"""Per objective: the periods to measure, oldest first."""


def _counted_periods(store: Store, name: str, objectives: Sequence[Objective], windows: Windows) -> Pasts:
    """Good and valid of each period of event objectives, from the rollups at the period edges."""
    if not objectives:
        return {}
    edges = sorted({edge for o in objectives for p in windows[o.name] for edge in (p.start, p.end)})
    listed = [o.name for o in objectives]
    good, valid = stored_prefixes(store, name, listed, edges)
    column = {edge: i for i, edge in enumerate(edges)}
    found: Pasts = {}
    for row, objective in enumerate(objectives):
        pasts = []
        for period in windows[objective.name]:
            g = good[row][column[period.end]] - good[row][column[period.start]]
            v = valid[row][column[period.end]] - valid[row][column[period.start]]
            ratio = occurrence_ratio(g, v)
            if ratio is not None:
                exact = Fraction(g, v)
                pasts.append(PastPeriod(period.label, period.start, period.end, Decimal(g), Decimal(v), ratio, exact))
        found[objective.name] = ("events", pasts)
    return found


def _evaluated_periods(store: Store, name: str, objectives: Sequence[Objective], windows: Windows, at: int) -> Pasts:
    """The periods of every other objective as the engine evaluates them on the stored data."""
    from attain.services.store import evaluate_stored  # noqa: PLC0415 - SQLAlchemy only when evaluating

    found: Pasts = {}
    calendar = [o for o in objectives if isinstance(o.window, CalendarWindow) and windows[o.name]]
    if calendar:
        since = min(windows[o.name][0].start for o in calendar)
        evaluation = evaluate_stored(store, name, at, since).evaluation
        by_name = {e.objective: e for e in evaluation.objectives}
        for objective in calendar:
            wanted = {p.label for p in windows[objective.name]}
            judged = by_name[objective.name].periods if objective.name in by_name else ()  # absent from older versions
            results = [p for p in judged if p.period in wanted and p.closed]
            found[objective.name] = (_unit(results), [_past(p) for p in results if p.ratio is not None])
    for objective in objectives:
        if objective.name in found:
            continue
        results = []
        for period in windows[objective.name]:
            evaluated = evaluate_stored(store, name, period.end, period.start).evaluation
            mine = [p for e in evaluated.objectives if e.objective == objective.name for p in e.periods]
            results += [p for p in mine if p.ratio is not None]
        found[objective.name] = (_unit(results), [_past(p) for p in results])
    return found


def _unit(results: Sequence[PeriodResult]) -> str:
    return str(results[-1].unit) if results else "events"


def _past(result: PeriodResult) -> PastPeriod:
    """A period as the engine judged it; a time-based one counts the minutes its budget is a share of."""
    assert result.ratio is not None
    good, valid = result.good, result.valid
    if valid is None or good is None:
        valid = _minutes(result)
        good = valid - (result.budget.consumed if result.budget is not None else Decimal(0))
    return PastPeriod(result.period, result.start, result.end, good, valid, result.ratio, result.exact_ratio)


def _minutes(result: PeriodResult) -> Decimal:
    """The minutes a time-based period counted: allowed ÷ (1 − target), else its measured span."""
    budget, target = result.budget, result.target
    with localcontext(prec=28):
        if budget is not None and target is not None and target < 1:
            return budget.allowed / (1 - target)
        return Decimal(result.measured_until - result.measured_from) / US_PER_MINUTE


def _seasonality(
    store: Store, name: str, zone: str, objectives: Sequence[Objective], windows: Windows
) -> dict[str, Seasonality]:
    """Weekday and hour seasonality of each event objective over its last `SEASON_US` measured, from hour rollups."""
    spans = [(o, windows[o.name][-1].end) for o in objectives if windows[o.name]]
    if not spans:
        return {}
    listed = [o.name for o, _ in spans]
    high = max(end for _, end in spans)
    low = min(max(windows[o.name][0].start, end - SEASON_US) for o, end in spans)
    index, start, good, valid = store.count_rows(name, listed, "hour", low, high)
    keep = np.zeros(index.size, dtype=bool)
    for row, (objective, end) in enumerate(spans):
        first = max(windows[objective.name][0].start, end - SEASON_US)
        keep |= (index == row) & (start >= first) & (start < end)
    found = seasonalities(index[keep], start[keep], good[keep], valid[keep], zone, len(spans))
    return {objective.name: season for (objective, _), season in zip(spans, found, strict=True)}


def amended_stored(store: Store, report: RecommendationReport) -> Agreement:
    """The version the report judged (the one in force at its instant), amended (see `amended`).

    Refused when a later version is stored: the recommendations compare targets with the judged
    version, and a version built on it would undo the later version's agreed changes once it took
    effect after them (or be overtaken by them before). Amending the later version instead would
    put targets judged against other terms into it.

    Raises:
        InvalidInput: a later version is stored (the message names it and its effective date), or
            no recommendation differs from the current target.
    """
    stored = stored_versions(store, report.agreement)
    judged = next(v for v in stored if v.version == report.version)
    latest = stored[-1]
    if latest.version != judged.version:
        starts = parse_version(latest).spec.effective.from_.isoformat()
        at = iso_utc(report.at)
        problem = (
            f"the recommendation judged version {judged.version}, in force at {at}, but version "
            f"{latest.version} is stored and takes effect on {starts}: an amendment of version "
            f"{judged.version} would undo it"
        )
        hint = f"recommend again once version {latest.version} is in force, or edit version {latest.version} yourself"
        raise InvalidInput([Problem(report.agreement, None, None, "--propose", problem, hint)])
    return amended(parse_version(judged), report)


def amended(agreement: Agreement, report: RecommendationReport) -> Agreement:
    """The agreement with each recommended target that differs from the current one, tiers moved with it.

    Raises:
        InvalidInput: no recommendation differs from the current target (nothing to propose).
    """
    changes = {
        a.objective: a.recommendation.recommended.target
        for a in report.objectives
        if a.recommendation.recommended is not None and a.recommendation.recommended.target != a.recommendation.target
    }
    if not changes:
        problem = "every recommended target is the current one"
        raise InvalidInput([Problem(agreement.name, None, None, "--propose", problem, "nothing to propose")])
    objectives = []
    for objective in agreement.spec.objectives:
        target = changes.get(objective.name)
        if target is not None and objective.target is not None:
            tiers = retarget_tiers(objective.credits, objective.target, target)
            objectives.append(objective.model_copy(update={"target": target, "credits": tiers}))
        else:
            objectives.append(objective)
    spec = agreement.spec.model_copy(update={"objectives": tuple(objectives)})
    moved = agreement.model_copy(update={"spec": spec})
    return Agreement.model_validate(moved.model_dump(by_alias=True), by_alias=True)


def _text(value: object) -> str:
    """A decimal as plain text without trailing zeros or an exponent ("43200", not "4.32E+4"); else `str`."""
    return format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)


def report_data(report: RecommendationReport) -> dict[str, Any]:
    """The report as JSON-ready data: decimals as text, instants as ISO 8601 UTC, shares as decimals."""
    return {
        "agreement": report.agreement,
        "version": report.version,
        "at": iso_utc(report.at),
        "periods": report.periods,
        "currency": report.currency,
        "objectives": [_advice_data(a) for a in report.objectives],
        "skipped": [{"objective": o, "reason": why} for o, why in report.skipped],
    }


def _advice_data(advice: ObjectiveAdvice) -> dict[str, Any]:
    r = advice.recommendation
    return {
        "objective": advice.objective,
        "kind": advice.kind,
        "window": advice.window,
        "unit": r.unit,
        "target": _text(r.target),
        "periods": [
            {
                "period": v.past.period,
                "start": iso_utc(v.past.start),
                "end": iso_utc(v.past.end),
                "good": _text(v.past.good),
                "valid": _text(v.past.valid),
                "attainment": _text(v.past.ratio),
                "met": v.met,
                "interval": None if v.interval is None else [_text(v.interval[0]), _text(v.interval[1])],
                "lowVolume": v.low_volume,
            }
            for v in r.periods
        ],
        "distribution": None
        if r.distribution is None
        else {
            "least": _text(r.distribution.least),
            "percentiles": {f"p{int(q * 100)}": _text(value) for q, value in r.distribution.percentiles},
            "most": _text(r.distribution.most),
            "mean": _text(r.distribution.mean),
        },
        "trend": None if r.trend is None else {"slope": _text(r.trend.slope), "direction": r.trend.direction},
        "candidates": [_candidate_data(c) for c in r.candidates],
        "recommended": None if r.recommended is None else _text(r.recommended.target),
        "tooLoose": r.too_loose,
        "tooStrict": r.too_strict,
        "lowVolume": list(r.low_volume),
        "seasonality": None if advice.seasonality is None else _season_data(advice.seasonality),
    }


def _candidate_data(candidate: Any) -> dict[str, Any]:
    share = candidate.share_met
    return {
        "target": _text(candidate.target),
        "current": candidate.current,
        "met": candidate.met,
        "periods": candidate.periods,
        "shareMet": _text(Decimal(share.numerator) / Decimal(share.denominator)),
        "creditShare": _text(candidate.credit_share),
        "creditAmount": None if candidate.credit_amount is None else _text(candidate.credit_amount),
        "errorBudget": _text(candidate.budget),
    }


def _season_data(season: Seasonality) -> dict[str, Any]:
    def slots(found: Sequence[Any]) -> list[dict[str, Any]]:
        return [
            {
                "index": s.index,
                "good": s.good,
                "valid": s.valid,
                "attainment": None if s.ratio is None else _text(s.ratio),
            }
            for s in found
        ]

    worst_day, worst_hour = season.worst(season.weekdays), season.worst(season.hours)
    return {
        "weekdays": slots(season.weekdays),
        "hours": slots(season.hours),
        "worstWeekday": None if worst_day is None else worst_day.index,
        "worstHour": None if worst_hour is None else worst_hour.index,
    }


__all__ = [
    "DEFAULT_PERIODS",
    "ObjectiveAdvice",
    "RecommendationReport",
    "amended",
    "amended_stored",
    "recommendations",
    "report_data",
]
