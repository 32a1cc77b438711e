"""Agreements as Prometheus SLOs: each ratio objective whose selectors are Prometheus queries.

An objective qualifies when its indicator is a `ratio` whose `valid` and whose `good` (or `bad`)
selectors carry `metric: {type: Prometheus, spec: {query: ...}}`, the queries holding `{{.window}}`.
It becomes the SLO `<service>-<objective>`: service = the objective's service, else the agreement's
name; objective = the target; period = the one asked for, else the objective's rolling window.

- bad/valid maps to Sloth's events SLI (`bad / valid`);
- good/valid maps to a raw error ratio `1 - (good / valid)`, as Sloth maps OpenSLO.

With an alert policy, the page and ticket alerts are generated: the `sre-workbook` preset (or any
tiers that are not two page and two ticket tiers) uses the workbook's windows, two page and two
ticket tiers their own. Objectives that do not qualify are listed as skipped, with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from attain.errors import InvalidAgreement, Problem
from attain.formats.sloth.windows import AlertWindow, AlertWindows, workbook_windows
from attain.model import Agreement, Objective
from attain.model.alerting import BurnRateTier
from attain.model.indicator import RatioIndicator
from attain.model.selector import Selector
from attain.model.window import RollingWindow
from attain.rules import slo as m
from attain.rules.openslo import RATIO_TEMPLATE


@dataclass(frozen=True, slots=True)
class AgreementSLOs:
    """An agreement's Prometheus SLOs, and the objectives left out with the reason."""

    group: m.SLOGroup
    skipped: list[str] = field(default_factory=list)


def agreement_group(agreement: Agreement, period: timedelta | None, file: str = "<agreement>") -> AgreementSLOs:
    """The Prometheus SLOs of an agreement.

    Args:
        agreement: The agreement.
        period: The SLO period asked for; None takes each objective's rolling window.
        file: The file the agreement came from, to locate problems.

    Raises:
        InvalidAgreement: If a qualifying objective has a calendar window and no period was asked for.
    """
    slos: list[m.PromSLO] = []
    skipped: list[str] = []
    problems: list[Problem] = []
    for index, objective in enumerate(agreement.objectives):
        where = ("spec", "objectives", index)
        queries = _queries(objective)
        if isinstance(queries, str):
            skipped.append(f"{agreement.name}/{objective.name}: {queries}")
            continue
        chosen = period or (objective.window.rolling if isinstance(objective.window, RollingWindow) else None)
        if chosen is None:
            problems.append(
                Problem(
                    file,
                    None,
                    None,
                    f"spec.objectives[{index}].window",
                    f"objective {objective.name} has a calendar window; Prometheus rules need a fixed period",
                    "pass --period, e.g. --period 30d",
                )
            )
            continue
        slos.append(_slo(agreement, objective, queries, chosen, m.Origin(None, where)))
    if problems:
        raise InvalidAgreement(problems)
    return AgreementSLOs(m.SLOGroup(m.ATTAIN_V1, tuple(slos)), skipped)


def _queries(objective: Objective) -> tuple[str, str, bool] | str:
    """(numerator query, valid query, numerator counts good), or why the objective does not qualify."""
    indicator = objective.indicator
    if not isinstance(indicator, RatioIndicator):
        return f"a {indicator.kind} indicator, not a ratio"
    if objective.service_hours is not None:
        return f"it counts only in service hours ({objective.service_hours}), which Prometheus rules cannot express"
    numerator = indicator.good or indicator.bad
    assert numerator is not None
    found = [_prometheus_query(selector) for selector in (numerator, indicator.valid)]
    top, valid = found
    if top is None or valid is None:
        return "its selectors are not Prometheus metric queries (metric: {type: Prometheus, spec: {query}})"
    return top, valid, indicator.good is not None


def _prometheus_query(selector: Selector) -> str | None:
    metric = selector.metric
    if metric is None or metric.type.lower() != "prometheus":
        return None
    query = metric.spec.get("query")
    return query if isinstance(query, str) and query.strip() else None


def _slo(
    agreement: Agreement, objective: Objective, queries: tuple[str, str, bool], period: timedelta, origin: m.Origin
) -> m.PromSLO:
    top, valid, is_good = queries
    service = objective.service or agreement.name
    sli: m.EventsSLI | m.RawSLI = (
        m.RawSLI(RATIO_TEMPLATE.format(good=top, total=valid)) if is_good else m.EventsSLI(top, valid)
    )
    assert objective.target is not None
    page = ticket = m.AlertMeta()
    windows = None
    if objective.alerting is not None:
        name = "".join(part.capitalize() for part in f"{agreement.name}-{objective.name}".split("-")) + "BudgetBurn"
        page = m.AlertMeta(disabled=False, name=name)
        ticket = page
        windows = _windows(objective.alerting.effective_tiers, period)
    return m.PromSLO(
        id=f"{service}-{objective.name}",
        name=objective.name,
        service=service,
        objective=objective.target * 100,
        sli=sli,
        period=period,
        labels=m.labels({"attain_agreement": agreement.name}),
        page=page,
        ticket=ticket,
        description=objective.description or objective.title or "",
        windows=windows,
        origin=origin,
    )


def _windows(tiers: tuple[BurnRateTier, ...], period: timedelta) -> AlertWindows:
    """Two page and two ticket tiers as alert windows (quick = the shorter long window), else the workbook's."""
    by_severity = {
        severity: sorted((t for t in tiers if t.severity == severity), key=lambda t: t.long_window)
        for severity in ("page", "ticket")
    }
    if len(tiers) != 4 or any(len(found) != 2 for found in by_severity.values()):
        return workbook_windows(period)
    (page_quick, page_slow), (ticket_quick, ticket_slow) = (
        [AlertWindow(t.budget_consumed * 100, t.short_window, t.long_window) for t in found]
        for found in by_severity.values()
    )
    return AlertWindows(period, page_quick, page_slow, ticket_quick, ticket_slow)
