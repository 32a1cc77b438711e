"""Objectives in words, in the document's language: what is measured, how, and what the target allows.

The same facts as `attain.reports.objective_explanation` (short sentences for the terminal),
written as the contract's full sentences from the fixed phrases of `attain.reports.phrases` and
formatted by babel. The budget arithmetic is the engine's (`attain.engine.allowance`), never
repeated here. Unlike the explanation, the contract's sentences name no identifier of the
measurement (stream, attribute, event type, calendar): the objective's title and description say
what it is about, and these sentences say how it is counted. Business time is written in business
hours and days (`attain.reports.business_time`).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from attain.engine.allowance import allowance, is_time_based, period_lengths
from attain.model import (
    Agreement,
    AvailabilityIndicator,
    AvailabilitySource,
    BudgetingMethod,
    CalendarWindow,
    CaseIndicator,
    FreshnessIndicator,
    MissingStatistic,
    Objective,
    RatioIndicator,
    Selector,
    StatisticIndicator,
    StatisticName,
    ThresholdIndicator,
    TimeBasis,
)
from attain.model.quantity import format_number
from attain.reports.business_time import case_duration
from attain.reports.locale import Locale
from attain.reports.phrases import PHRASES


def conditions(
    loc: Locale, selector: Selector | None = None, *, conjunction: str = "filter.and", **filters: Any
) -> str:
    """Attribute filters in words (`status = success and tier in [gold, silver]`); empty when none.

    Args:
        loc: the language.
        selector: a selector's `where`, `whereNot` and metric query.
        conjunction: the phrase that joins the conditions.
        **filters: `where` and `where_not` mappings of an indicator, added to the selector's.
    """
    chosen = dict(selector.where) if selector else {}
    rejected = dict(selector.where_not) if selector else {}
    chosen |= filters.get("where", {})
    rejected |= filters.get("where_not", {})
    parts = [
        loc.text("filter.in" if isinstance(v, tuple) else "filter.eq", key=k, value=_value(v))
        for k, v in chosen.items()
    ]
    parts += [
        loc.text("filter.not_in" if isinstance(v, tuple) else "filter.ne", key=k, value=_value(v))
        for k, v in rejected.items()
    ]
    if selector and selector.metric:
        query = selector.metric.spec.get("query") or selector.metric.spec
        parts.append(loc.text("filter.query", system=selector.metric.type, query=query))
    return loc.text(conjunction).join(parts)


def _value(value: Any) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return str(value).lower() if isinstance(value, bool) else str(value)


def bound(loc: Locale, value: Decimal, unit: str | None) -> str:
    """A bound with its unit in the language's words where it is a known unit: 5,000 ms / 5,000毫秒."""
    number = loc.number(value, 6)
    if unit and f"value.{unit}" in PHRASES[loc.language.value]:
        return loc.text(f"value.{unit}", n=number)
    return f"{number}{' ' + unit if unit else ''}"


def scope(loc: Locale, selector: Selector | None = None, **filters: Any) -> str:
    """Which events count, without naming attributes: all events, or those the objective's conditions select."""
    return loc.text("scope.filtered" if conditions(loc, selector, **filters) else "all_events")


def statistic_name(loc: Locale, indicator: StatisticIndicator) -> str:
    """The statistic in words: mean, 90th percentile (nearest rank)."""
    if indicator.statistic is StatisticName.PERCENTILE:
        method = loc.text(f"method.{indicator.method.value}") if indicator.method else ""
        return loc.text("stat.percentile", p=format_number(indicator.percentile or Decimal(0)), method=method)
    return loc.text(f"stat.{indicator.statistic.value}")


def measured(loc: Locale, objective: Objective) -> str:
    """What the indicator measures, in one sentence naming no stream, attribute or event identifier."""
    ind = objective.indicator
    if isinstance(ind, RatioIndicator):
        return loc.text("m.ratio.good" if ind.good is not None else "m.ratio.bad", scope=scope(loc, ind.valid))
    if isinstance(ind, ThresholdIndicator):
        return loc.text(
            "m.threshold",
            scope=scope(loc, where=ind.where, where_not=ind.where_not),
            op=ind.op.symbol,
            bound=bound(loc, ind.bound, ind.unit),
            missing=loc.text(f"missing.{ind.missing.value}"),
        )
    if isinstance(ind, StatisticIndicator):
        chosen = scope(loc, where=ind.where, where_not=ind.where_not)
        return loc.text("m.statistic", statistic=statistic_name(loc, ind), scope=chosen)
    if isinstance(ind, AvailabilityIndicator):
        return loc.text("m.probes" if ind.from_ is AvailabilitySource.PROBES else "m.incidents")
    if isinstance(ind, FreshnessIndicator):
        return loc.text("m.freshness", gap=loc.duration(ind.max_gap))
    return loc.text("m.case", met=loc.text(f"met.{ind.op.value}"))


def how(loc: Locale, objective: Objective, agreement: Agreement | None = None) -> list[str]:
    """How the indicator is measured and counted, in sentences.

    Args:
        loc: the language.
        objective: the objective.
        agreement: the agreement, whose business calendars give a case objective's goals in
            business days; without it business goals are written in business hours.
    """
    ind = objective.indicator
    lines: list[str] = []
    if isinstance(ind, AvailabilityIndicator):
        if ind.from_ is AvailabilitySource.PROBES:
            lines.append(loc.text("how.probes"))
        else:
            lines.append(loc.text("how.incidents"))
            if ind.minimum_downtime:
                lines.append(loc.text("how.minimum_downtime", duration=loc.duration(ind.minimum_downtime)))
    elif isinstance(ind, FreshnessIndicator):
        lines.append(loc.text("how.freshness", gap=loc.duration(ind.max_gap)))
    elif isinstance(ind, CaseIndicator):
        lines += _case(loc, ind, agreement)
    elif isinstance(ind, StatisticIndicator):
        lines += _statistic(loc, ind)
    lines += _service_hours(loc, objective)
    budgeting = objective.budgeting
    slice_text = loc.duration(budgeting.slice or timedelta(0))
    if budgeting.method is BudgetingMethod.TIMESLICES:
        target = loc.percent(budgeting.slice_target or Decimal(0))
        lines.append(loc.text("how.timeslices", slice=slice_text, slice_target=target))
    elif budgeting.method is BudgetingMethod.RATIO_TIMESLICES:
        lines.append(loc.text("how.ratio_timeslices", slice=slice_text))
    elif isinstance(ind, RatioIndicator | ThresholdIndicator):
        lines.append(loc.text("how.occurrences"))
    return lines


def _service_hours(loc: Locale, objective: Objective) -> list[str]:
    """What counts when only service hours do: time (availability from incidents) or events."""
    if objective.service_hours is None:
        return []
    ind = objective.indicator
    timed = isinstance(ind, AvailabilityIndicator) and ind.from_ is AvailabilitySource.INCIDENTS
    return [loc.text(f"how.service_hours.{'time' if timed else 'events'}", calendar=objective.service_hours)]


def _statistic(loc: Locale, ind: StatisticIndicator) -> list[str]:
    """The statistic's rule, and how events without a value count unless they are left out."""
    lines = [loc.text("how.statistic")]
    if ind.missing is not MissingStatistic.IGNORE:
        timeout = bound(loc, ind.timeout, ind.unit) if ind.timeout is not None else ""
        lines.append(loc.text(f"how.statistic.{ind.missing.value}", timeout=timeout))
    return lines


def _case(loc: Locale, ind: CaseIndicator, agreement: Agreement | None) -> list[str]:
    basis = loc.text("basis.business" if ind.time is TimeBasis.BUSINESS else "basis.calendar")
    goals = loc.join(
        [
            f"{loc.text('priority.any') if priority == '*' else priority}{loc.text('colon')}"
            f"{case_duration(loc, ind, value, agreement)}"
            for priority, value in ind.goals.items()
        ]
    )
    lines = [loc.text("how.case", basis=basis, goals=goals)]
    if ind.clock.pause:
        lines.append(loc.text("how.case.pause"))
    if ind.warn_at:
        lines.append(loc.text("how.case.warn", shares=loc.join([loc.percent(w) for w in ind.warn_at])))
    return lines


def window(loc: Locale, objective: Objective, default_zone: str) -> str:
    """The window in words: each calendar month in the Asia/Shanghai time zone; any rolling 28 days."""
    win = objective.window
    if isinstance(win, CalendarWindow):
        unit = loc.text(f"calendar.{win.calendar.value}")
        return loc.text("window.calendar", unit=unit, zone=win.time_zone or default_zone)
    return loc.text("window.rolling", duration=loc.duration(win.rolling))


def target(loc: Locale, objective: Objective, default_zone: str) -> str:
    """The target with its window: At least 99.9% in each calendar month in the UTC time zone."""
    ind = objective.indicator
    win = window(loc, objective, default_zone)
    if isinstance(ind, StatisticIndicator):
        return loc.text(
            "target.statistic",
            statistic=statistic_name(loc, ind),
            value=ind.value,
            op=ind.op.symbol,
            bound=bound(loc, ind.bound, ind.unit),
            window=win,
        )
    return loc.text("target.ratio", target=loc.percent(objective.target or Decimal(0)), window=win)


def allows(loc: Locale, objective: Objective) -> list[str]:
    """What the target allows per period: bad minutes, bad slices or a share of bad events."""
    ind = objective.indicator
    if isinstance(ind, StatisticIndicator):
        return [loc.text("allows.statistic")]
    if objective.target == 1:
        noun = {AvailabilityIndicator: "noun.downtime", FreshnessIndicator: "noun.violation"}.get(
            type(ind), "noun.events"
        )
        return [loc.text("allows.none", noun=loc.text("noun.cases" if isinstance(ind, CaseIndicator) else noun))]
    if objective.service_hours is not None and is_time_based(objective):
        # The budget is a share of service time, whose length differs from period to period.
        noun = "noun.downtime" if isinstance(ind, AvailabilityIndicator) else "noun.bad_time"
        share = loc.percent(Decimal(1) - (objective.target or Decimal(1)))
        return [loc.text("allows.service_hours", share=share, noun=loc.text(noun))]
    lines = []
    for length in period_lengths(objective):
        budget = allowance(objective, length)
        period = _period(loc, objective, length)
        if objective.budgeting.method is BudgetingMethod.TIMESLICES and budget.bad_slices is not None:
            slice_text = loc.duration(objective.budgeting.slice or timedelta(0))
            lines.append(
                loc.text("allows.slices", count=loc.number(budget.bad_slices), slice=slice_text, period=period)
            )
        elif budget.bad_minutes is not None:
            noun = {AvailabilityIndicator: "noun.downtime", FreshnessIndicator: "noun.violation"}.get(
                type(ind), "noun.bad_time"
            )
            lines.append(
                loc.text("allows.time", amount=loc.minutes(budget.bad_minutes), noun=loc.text(noun), period=period)
            )
    if not is_time_based(objective):
        lines.append(_event_share(loc, objective))
    return lines


def _period(loc: Locale, objective: Objective, length: timedelta) -> str:
    win = objective.window
    if not isinstance(win, CalendarWindow):
        return loc.text("period.rolling", duration=loc.duration(length))
    if length < timedelta(days=2):
        return loc.text("period.day", hours=int(length.total_seconds()) // 3600)
    if length.days == 7:
        return loc.text("period.week")
    return loc.text("period.days", days=length.days, unit=loc.text(f"period.unit.{win.calendar.value}"))


def _event_share(loc: Locale, objective: Objective) -> str:
    share = Decimal(1) - (objective.target or Decimal(1))
    noun = loc.text("noun.cases" if isinstance(objective.indicator, CaseIndicator) else "noun.events")
    if share == 0:
        return loc.text("allows.none", noun=noun)
    one_in = Decimal(1) / share
    whole = one_in == one_in.to_integral_value()
    extra = loc.text("allows.one_in", n=loc.number(int(one_in), 0)) if whole else ""
    return loc.text("allows.events", share=loc.percent(share), noun=noun, one_in=extra)


def calendar_lines(loc: Locale, agreement: Agreement, objective: Objective) -> list[str]:
    """The business calendar of a business-time case clock or of service hours, in sentences (else none)."""
    ind = objective.indicator
    name = objective.service_hours
    if isinstance(ind, CaseIndicator) and ind.time is TimeBasis.BUSINESS:
        name = ind.calendar
    if name is None:
        return []
    calendar = agreement.spec.calendars[name]
    days = []
    for index, ranges in enumerate(calendar.weekly_hours()):
        hours = loc.join([f"{s:%H:%M}–{e:%H:%M}" if e else f"{s:%H:%M}–24:00" for s, e in ranges])
        days.append(f"{loc.weekday(index)} {hours or loc.text('calendar.closed')}")
    lines = [loc.text("calendar.line", zone=calendar.time_zone, hours=loc.join(days))]
    if calendar.holidays is not None:
        country = loc.territory(calendar.holidays.country) + (
            f" ({calendar.holidays.subdivision})" if calendar.holidays.subdivision else ""
        )
        lines.append(loc.text("calendar.holidays", country=country))
    if calendar.extra_holidays:
        lines.append(loc.text("calendar.extra_holidays", days=loc.join([loc.date(d) for d in calendar.extra_holidays])))
    if calendar.extra_working_days:
        extra = loc.join([loc.date(d) for d in calendar.extra_working_days])
        lines.append(loc.text("calendar.extra_working", days=extra))
    return lines
