"""The overview: one row per objective of every agreement the viewer may see, filtered and sorted.

Rows come from the cached status (`Runtime.status`, or a status the caller already holds): the
current period of each objective, its attainment against the target (shown by the one display
rule, `attain.model.ratio.shown_ratio`), the error budget left and the burn-rate alerts firing
now. Credits are owed per agreement and period (`attain.engine.credit.PeriodCredit`), not per
objective, so they are lines of their own: one per agreement and period, with the amount in the
fee's currency and the objectives whose tiers triggered it.
Filters and sorting are plain query parameters, so the page works without JavaScript.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from attain.engine.result import Evaluation, ObjectiveEvaluation, PeriodResult
from attain.model import Agreement, Objective, StatisticIndicator
from attain.reports import wording
from attain.reports.phrases import PHRASES as REPORT_PHRASES
from attain.services.runtime import Runtime
from attain.services.store import StoredEvaluation
from attain.services.tokens import Principal
from attain.web.language import Words

STATUS_ORDER = {"breached": 0, "at_risk": 1, "no_data": 2, "met": 3}
"""Worst first: the order of the status column when sorting."""
SORT_KEYS = ("agreement", "customer", "service", "objective", "status", "attainment", "budget", "alerts")
"""The columns the overview sorts by (`?sort=budget`, or `?sort=-budget` for descending)."""


@dataclass(frozen=True)
class ObjectiveRow:
    """One objective of one agreement, as the overview shows it."""

    agreement: str
    title: str
    customer: str
    service: str
    objective: str
    objective_title: str
    period: str
    status: str
    status_text: str
    attainment: Decimal | None
    attainment_text: str
    target_text: str
    budget_left: Decimal | None
    budget_text: str
    alerts: tuple[str, ...]

    @property
    def budget_bar(self) -> int:
        """The budget left as a bar width in percent, 0 to 100."""
        if self.budget_left is None:
            return 0
        return int(max(Decimal(0), min(Decimal(100), self.budget_left * 100)))


@dataclass(frozen=True)
class CreditLine:
    """The credit one agreement owes for one period, as the overview and the agreement page show it."""

    agreement: str
    customer: str
    period: str
    share_text: str
    amount_text: str
    """The payable amount with its currency (US$123.45), or a dash when the fee does not price it."""
    objectives: tuple[str, ...]
    """The titles of the objectives whose attainment fell in a credit tier, in the agreement's order."""


def visible_agreements(runtime: Runtime, principal: Principal) -> list[str]:
    """The names of the agreements the viewer may see, in name order."""
    return sorted(v.name for v in runtime.store.agreements() if principal.sees(runtime.customer(v)))


def result_text(words: Words, result: PeriodResult | None) -> str:
    """A period's attainment (a percentage) or statistic, or a dash."""
    if result is None:
        return "—"
    if result.ratio is not None:
        return words.attainment(result.ratio, result.target)
    return "—" if result.statistic is None else words.locale.number(result.statistic, 3)


def target_text(words: Words, objective: Objective, judged: PeriodResult | None = None) -> str:
    """The target as a percentage, or a statistic's bound with its operator.

    With `judged`, the target of the version that judged that period (a later version agreed
    but not yet in force does not move the current period's target).
    """
    indicator = objective.indicator
    if isinstance(indicator, StatisticIndicator):
        return f"{indicator.op.symbol} {wording.bound(words.locale, indicator.bound, indicator.unit)}"
    target = judged.target if judged is not None and judged.target is not None else objective.target
    return "—" if target is None else words.locale.percent(target)


def severity_text(words: Words, severity: str) -> str:
    """An alert severity in the page's language: the built-in `page` and `ticket`, other labels as written."""
    key = f"severity.{severity}"
    return words(key) if key in REPORT_PHRASES[words.code] else severity


def budget_left(result: PeriodResult | None) -> Decimal | None:
    """The share of the period's error budget left (negative when overspent); None without a budget."""
    if result is None or result.budget is None or result.budget.allowed <= 0:
        return None
    return result.budget.remaining / result.budget.allowed


def period_text(words: Words, result: PeriodResult | None) -> str:
    """The period's label, marked open while it runs; a rolling window as its length ("last 28 days")."""
    if result is None:
        return "—"
    if result.period.startswith("rolling"):
        length = timedelta(microseconds=result.end - result.start)
        return words("period.last", duration=words.locale.duration(length))
    return result.period if result.closed else words("period.open", period=result.period)


def credit_lines(name: str, agreement: Agreement, evaluation: Evaluation, words: Words) -> list[CreditLine]:
    """One line per period of the evaluated range that owes a credit, oldest first."""
    titles = {o.name: o.title or o.name for o in agreement.objectives}
    return [
        CreditLine(
            agreement=name,
            customer=agreement.spec.parties.customer.name,
            period=c.period,
            share_text=words.locale.percent(c.share),
            amount_text="—" if c.payable is None or c.currency is None else words.money(c.payable, c.currency),
            objectives=tuple(titles.get(o, o) for o in c.triggered_by),
        )
        for c in evaluation.credits
        if c.share > 0
    ]


def agreement_credits(runtime: Runtime, name: str, words: Words) -> list[CreditLine]:
    """The credit lines of one agreement, from its cached status."""
    state = runtime.status(name)
    return credit_lines(name, state.agreement, state.evaluation, words)


def objective_rows(runtime: Runtime, name: str, words: Words) -> list[ObjectiveRow]:
    """The rows of one agreement, from its cached status."""
    return status_rows(name, runtime.status(name), words)


def status_rows(name: str, state: StoredEvaluation, words: Words) -> list[ObjectiveRow]:
    """The rows of agreement `name` from its status `state`."""
    agreement = state.agreement
    services = ", ".join(s.name for s in agreement.spec.services)
    by_name = {o.objective: o for o in state.evaluation.objectives}
    rows = []
    for objective in agreement.objectives:
        evaluated: ObjectiveEvaluation | None = by_name.get(objective.name)
        current = evaluated.current if evaluated else None
        left = budget_left(current)
        status = "no_data" if current is None else current.status.value
        rows.append(
            ObjectiveRow(
                agreement=name,
                title=agreement.spec.title,
                customer=agreement.spec.parties.customer.name,
                service=objective.service or services,
                objective=objective.name,
                objective_title=objective.title or objective.name,
                period=period_text(words, current),
                status=status,
                status_text=words(f"r.{status}"),
                attainment=None
                if current is None
                else (current.ratio if current.ratio is not None else current.statistic),
                attainment_text=result_text(words, current),
                target_text=target_text(words, objective, current),
                budget_left=left,
                budget_text="—" if left is None else words.locale.percent(left),
                alerts=tuple(
                    severity_text(words, a.severity) for a in (evaluated.alerts if evaluated else ()) if a.firing
                ),
            )
        )
    return rows


def _sort_value(row: ObjectiveRow, key: str) -> Any:
    values: dict[str, Callable[[ObjectiveRow], Any]] = {
        "customer": lambda r: r.customer.casefold(),
        "service": lambda r: r.service.casefold(),
        "objective": lambda r: r.objective,
        "status": lambda r: STATUS_ORDER.get(r.status, 9),
        "attainment": lambda r: r.attainment,
        "budget": lambda r: r.budget_left,
        "alerts": lambda r: len(r.alerts),
    }
    chosen = values.get(key)
    return row.agreement if chosen is None else chosen(row)


def sort_rows(rows: Sequence[ObjectiveRow], sort: str) -> list[ObjectiveRow]:
    """Rows sorted by a column of `SORT_KEYS` (`-` first: descending); rows without a value go last."""
    key = sort.removeprefix("-")
    descending = sort.startswith("-")
    stable = sorted(rows, key=lambda r: (r.agreement, r.objective))
    present = [r for r in stable if _sort_value(r, key) is not None]
    missing = [r for r in stable if _sort_value(r, key) is None]
    return sorted(present, key=lambda r: _sort_value(r, key), reverse=descending) + missing


def filter_rows(rows: Sequence[ObjectiveRow], service: str, customer: str, status: str) -> list[ObjectiveRow]:
    """The rows whose service, customer and status match the filters that are set (empty: any)."""
    return [
        r
        for r in rows
        if (not service or service in {s.strip() for s in r.service.split(",")})
        and (not customer or r.customer == customer)
        and (not status or r.status == status)
    ]


def status_summary(rows: list[ObjectiveRow]) -> list[tuple[str, int]]:
    """How many objectives are healthy (met), at risk, breached and without data, in that order (all four)."""
    return [(status, sum(r.status == status for r in rows)) for status in ("met", "at_risk", "breached", "no_data")]
