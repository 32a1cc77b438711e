"""An agreement explained in plain words: what each objective measures and what it allows.

The explanation is data (dataclasses of strings), so the CLI can print it as a table or JSON
and later documents can reuse the sentences.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
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
    CreditTier,
    Exclusion,
    FreshnessIndicator,
    Objective,
    RatioIndicator,
    Selector,
    StatisticIndicator,
    StatisticName,
    TerminationRule,
    ThresholdIndicator,
    TimeBasis,
)
from attain.model.quantity import format_duration, format_number, format_ratio


@dataclass(frozen=True)
class ObjectiveExplanation:
    """One objective in words."""

    name: str
    title: str
    measured: str
    target: str
    window: str
    budget: str
    allows: list[str]
    credits: list[str]


@dataclass(frozen=True)
class Explanation:
    """The whole agreement in words."""

    name: str
    title: str
    version: int
    status: str
    parties: str
    effective: str
    objectives: list[ObjectiveExplanation] = field(default_factory=list)
    exclusions: list[str] = field(default_factory=list)
    credit_policy: list[str] = field(default_factory=list)
    termination: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return asdict(self)


def explain(agreement: Agreement) -> Explanation:
    """Explain every objective, credit rule and termination rule of an agreement."""
    spec = agreement.spec
    until = spec.effective.until.isoformat() if spec.effective.until else "until terminated"
    fee = spec.fee
    return Explanation(
        name=agreement.name,
        title=spec.title,
        version=spec.version,
        status=spec.status.value,
        parties=f"{spec.parties.provider.name} (provider) to {spec.parties.customer.name} (customer)",
        effective=f"from {spec.effective.from_.isoformat()} {'to ' + until if spec.effective.until else until}",
        objectives=[_objective(o, agreement) for o in spec.objectives],
        exclusions=[_exclusion(e) for e in spec.exclusions],
        credit_policy=_credit_policy(agreement) if fee or any(o.credits for o in spec.objectives) else [],
        termination=[_termination(rule) for rule in spec.termination.rights] if spec.termination else [],
    )


def _objective(objective: Objective, agreement: Agreement) -> ObjectiveExplanation:
    ind = objective.indicator
    if isinstance(ind, StatisticIndicator):
        target = f"{_statistic(ind, short=True)} {ind.op.symbol} {format_number(ind.bound)}{_unit(ind.unit)}"
    else:
        target = format_ratio(objective.target or Decimal(0))
    return ObjectiveExplanation(
        name=objective.name,
        title=objective.title or objective.name,
        measured=measured(objective),
        target=target,
        window=_window(objective, agreement.spec.time_zone),
        budget=budget_summary(objective),
        allows=allows(objective),
        credits=[_tier(t, agreement) for t in objective.credits],
    )


def _where(selector: Selector | None = None, **filters: Any) -> str:
    parts = []
    where = dict(selector.where) if selector else {}
    where_not = dict(selector.where_not) if selector else {}
    where |= filters.get("where", {})
    where_not |= filters.get("where_not", {})
    parts += [f"{k} {'in' if isinstance(v, tuple) else '='} {_value(v)}" for k, v in where.items()]
    parts += [f"{k} {'not in' if isinstance(v, tuple) else '≠'} {_value(v)}" for k, v in where_not.items()]
    if selector and selector.metric:
        query = selector.metric.spec.get("query") or selector.metric.spec
        parts.append(f"{selector.metric.type} query {query}")
    return " and ".join(parts)


def _value(value: Any) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return str(value).lower() if isinstance(value, bool) else str(value)


def measured(objective: Objective) -> str:
    """What the objective's indicator measures, in one sentence."""
    ind = objective.indicator
    if isinstance(ind, RatioIndicator):
        return _ratio(ind)
    if isinstance(ind, ThresholdIndicator):
        return _threshold(ind)
    if isinstance(ind, StatisticIndicator):
        bound = f"{ind.op.symbol} {format_number(ind.bound)}{_unit(ind.unit)}"
        return f"{_statistic(ind)} of {ind.value} per period, which must be {bound}"
    if isinstance(ind, AvailabilityIndicator):
        return _availability(ind)
    if isinstance(ind, FreshnessIndicator):
        what = _where(where=ind.where, where_not=ind.where_not)
        gap = format_duration(ind.max_gap)
        return (
            f"share of time within {gap} of the last {ind.events or 'event'}"
            f"{' with ' + what if what else ''}: a gap longer than {gap} is a violation"
        )
    return _case(ind)


def _ratio(ind: RatioIndicator) -> str:
    valid = _where(ind.valid)
    chosen = f"good ({_where(ind.good)})" if ind.good else f"not bad (bad: {_where(ind.bad)})"
    return f"share of {ind.events or 'events'}{' with ' + valid if valid else ''} that are {chosen}"


def _threshold(ind: ThresholdIndicator) -> str:
    where = _where(where=ind.where, where_not=ind.where_not)
    missing = {"bad": "count as bad", "good": "count as good", "invalid": "do not count"}[ind.missing.value]
    return (
        f"share of {ind.events or 'events'}{' with ' + where if where else ''} whose {ind.value} is "
        f"{ind.op.symbol} {format_number(ind.bound)}{_unit(ind.unit)}; events without a value {missing}"
    )


def _availability(ind: AvailabilityIndicator) -> str:
    if ind.from_ is AvailabilitySource.PROBES:
        return f"share of time the service is up, from probes ({_where(ind.up)} means up)"
    floor = ""
    if ind.minimum_downtime:
        floor = f"; down runs shorter than {format_duration(ind.minimum_downtime)} do not count"
    return (
        f"share of time the service is up, from incident records (overlaps merged{floor}; excluded time is not counted)"
    )


def _case(ind: CaseIndicator) -> str:
    clock = f"from {ind.clock.start} to {ind.clock.stop}"
    if ind.clock.pause:
        clock += f", paused from {'/'.join(ind.clock.pause)} until {'/'.join(ind.clock.resume)}"
    basis = f"business hours of calendar {ind.calendar!r}" if ind.time is TimeBasis.BUSINESS else "calendar time"
    goals = ", ".join(f"{p} {_goal(g, ind.time)}" for p, g in ind.goals.items())
    met = "within" if ind.op.value == "le" else "strictly under"
    warn = ", ".join(format_ratio(w) for w in ind.warn_at)
    return (
        f"share of {ind.events or 'cases'} whose clock ({clock}) stops {met} the goal for their "
        f"{ind.priority} in {basis}: {goals}; warnings at {warn} of the goal"
    )


def _goal(goal: timedelta, basis: TimeBasis) -> str:
    """A goal in words; business time counts hours, since a business day is not 24 hours."""
    if basis is TimeBasis.CALENDAR or goal < timedelta(hours=24):
        return format_duration(goal)
    hours, seconds = divmod(int(goal.total_seconds()), 3600)
    return f"{hours}h{format_duration(timedelta(seconds=seconds)) if seconds else ''} of business time"


def _statistic(ind: StatisticIndicator, *, short: bool = False) -> str:
    if short:
        name = ind.statistic.value
        return f"p{format_number(ind.percentile or Decimal(0))}" if ind.statistic is StatisticName.PERCENTILE else name
    if ind.statistic is StatisticName.PERCENTILE:
        method = ind.method.value if ind.method else ""
        return f"the {format_number(ind.percentile or Decimal(0))}th percentile ({method})"
    return f"the {ind.statistic.value}"


def _unit(unit: str | None) -> str:
    return f" {unit}" if unit else ""


def _window(objective: Objective, default_zone: str) -> str:
    window = objective.window
    if isinstance(window, CalendarWindow):
        return f"each calendar {window.calendar.value} in {window.time_zone or default_zone}"
    return f"any rolling {format_duration(window.rolling)}"


def allows(objective: Objective) -> list[str]:
    """What the target allows per period: bad minutes, bad slices or a share of bad events."""
    ind = objective.indicator
    if isinstance(ind, StatisticIndicator):
        return ["met or missed per period as a whole; there is no error budget to spend"]
    lines = []
    for length in period_lengths(objective):
        budget = allowance(objective, length)
        label = _period_label(objective, length)
        if objective.budgeting.method is BudgetingMethod.TIMESLICES and budget.bad_slices is not None:
            slice_text = format_duration(objective.budgeting.slice or timedelta(0))
            whole = int(budget.bad_slices)
            exact = "" if whole == budget.bad_slices else f" (budget {format_number(budget.bad_slices)})"
            lines.append(f"{whole} bad {slice_text} slices per {label}{exact}")
        elif budget.bad_minutes is not None:
            noun = {AvailabilityIndicator: "of downtime", FreshnessIndicator: "of violation"}.get(
                type(ind), "of bad time (slice ratios below 100%)"
            )
            lines.append(f"{_minutes(budget.bad_minutes)} {noun} per {label}")
    if not is_time_based(objective):
        lines.append(_event_share(objective))
    return lines


def budget_summary(objective: Objective) -> str:
    """The error budget per period in a few words: "40.32–44.64 min down", "5% of events"."""
    if objective.target is None:
        return "none (a statistic)"
    budgets = [allowance(objective, length) for length in period_lengths(objective)]
    if objective.budgeting.method is BudgetingMethod.TIMESLICES:
        counts = sorted({int(b.bad_slices or 0) for b in budgets})
        return f"{_span([Decimal(c) for c in counts])} bad slices"
    if is_time_based(objective):
        noun = "down" if isinstance(objective.indicator, AvailabilityIndicator) else "bad"
        return f"{_span([b.bad_minutes or Decimal(0) for b in budgets])} min {noun}"
    noun = "cases" if isinstance(objective.indicator, CaseIndicator) else "events"
    return f"{format_ratio(budgets[0].bad_share)} of {noun}"


def _span(values: list[Decimal]) -> str:
    low, high = min(values), max(values)
    return format_number(low) if low == high else f"{format_number(low)}–{format_number(high)}"


def _event_share(objective: Objective) -> str:
    share = Decimal(1) - (objective.target or Decimal(1))
    noun = "cases" if isinstance(objective.indicator, CaseIndicator) else "valid events"
    if share == 0:
        return f"no bad {noun} at all"
    one_in = Decimal(1) / share
    ratio = f" (1 in every {int(one_in):,})" if one_in == one_in.to_integral_value() else ""
    return f"{format_ratio(share)} of {noun} may be bad{ratio}, in each period"


def _period_label(objective: Objective, length: timedelta) -> str:
    if isinstance(objective.window, CalendarWindow):
        hours = int(length.total_seconds()) // 3600
        if length < timedelta(days=2):
            return f"{hours}-hour day" + (" (daylight-saving change)" if hours != 24 else "")
        days = length.days
        return {7: "week", 365: "365-day year", 366: "366-day year"}.get(
            days, f"{days}-day {objective.window.calendar.value}"
        )
    return f"rolling {format_duration(length)}"


def _minutes(minutes: Decimal) -> str:
    text = f"{format_number(minutes)} min"
    if minutes >= 60:
        whole_seconds = int(minutes * 60)
        hours, rest = divmod(whole_seconds, 3600)
        mins, secs = divmod(rest, 60)
        text += f" ({hours} h {mins} min{f' {secs} s' if secs else ''})"
    return text


def _tier(tier: CreditTier, agreement: Agreement) -> str:
    fee = agreement.spec.fee
    amount = ""
    if fee is not None:
        money = (fee.amount * tier.credit).quantize(Decimal("0.01"))
        amount = f" = {money:,} {fee.currency}"
    per = f" {fee.per.value}ly fee" if fee else " period's fee"
    return f"{tier.describe()}: {format_ratio(tier.credit)} of the{per}{amount}"


def _credit_policy(agreement: Agreement) -> list[str]:
    policy = agreement.spec.credit_policy
    lines = [f"remedy: {policy.remedy.value}; credits of several objectives combine by {policy.combine.value}"]
    lines.append(f"capped at {format_ratio(policy.cap)} of the fee per period")
    currency = agreement.spec.fee.currency if agreement.spec.fee else ""
    if policy.minimum_payout:
        lines.append(f"credits below {policy.minimum_payout:,} {currency} are not paid".replace("  ", " "))
    if policy.claim_within is not None:
        lines.append(f"claim within {policy.claim_within} after the period ends")
    if policy.claim_how:
        lines.append(policy.claim_how)
    return lines


def _exclusion(exclusion: Exclusion) -> str:
    text = exclusion.kind.value
    start = exclusion.start
    if start is not None and exclusion.every:
        each = format_duration(exclusion.duration or timedelta(0))
        text += f": {exclusion.every} from {start:%Y-%m-%d %H:%M}, {each} each"
    elif start is not None:
        length = exclusion.duration or ((exclusion.end or start) - start)
        text += f": from {start:%Y-%m-%d %H:%M} for {format_duration(length)}"
    elif exclusion.description:
        text += f": {' '.join(exclusion.description.split())}"
    if exclusion.minimum_notice is not None:
        text += f"; counts only if announced {format_duration(exclusion.minimum_notice)} in advance"
    return text


def _termination(rule: TerminationRule) -> str:
    when = rule.when
    subject = f"objective {when.objective!r}" if when.objective else "any objective"
    if when.breached_consecutive_periods is not None:
        condition = f"{subject} is breached in {when.breached_consecutive_periods} consecutive periods"
    elif when.breached_periods is not None:
        count, periods = when.breached_periods.count, when.breached_periods.periods
        condition = f"{subject} is breached in {count} of the last {periods} periods"
    else:
        condition = f"{subject} falls below {format_ratio(when.attainment_below or Decimal(0))} in any period"
    grants = rule.grants.value.replace("-", " ")
    notice = f" on {format_duration(rule.notice)} notice" if rule.notice else ""
    return f"if {condition}, the customer may {grants}{notice}"
