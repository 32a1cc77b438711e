"""Prometheus recording and alerting rules for SLOs, laid out exactly as Sloth lays them out.

Per SLO, three rule groups:

- `sloth-slo-sli-recordings-<id>`: the error ratio `slo:sli_error:ratio_rate<W>` over every alert
  window W, plus the whole period, averaged from the shortest window's recordings;
- `sloth-slo-meta-recordings-<id>`: objective, error budget, period, current and period burn
  rates, budget remaining, and `sloth_slo_info`;
- `sloth-slo-alerts-<id>`: the page and ticket multi-window, multi-burn-rate alerts
  (`attain.rules.burn_rate` gives the factors).

The functions here build plain data (dicts and lists); `attain.rules.render` writes it as YAML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from attain.formats.sloth.windows import AlertWindow, AlertWindows
from attain.rules.burn_rate import burn_rate_factor
from attain.rules.slo import AlertMeta, EventsSLI, PromSLO, RawSLI, SLOGroup, labels

ID_LABEL, SERVICE_LABEL, SLO_LABEL = "sloth_id", "sloth_service", "sloth_slo"
WINDOW_LABEL, SEVERITY_LABEL = "sloth_window", "sloth_severity"

Rule = dict[str, Any]
Group = dict[str, Any]


@dataclass(frozen=True, slots=True)
class RuleOptions:
    """What to generate.

    Attributes:
        version: The generator's version, written to the `sloth_version` label.
        extra_labels: Labels added to (and overriding) every SLO's labels.
        disable_alerts: Leave out the alert groups.
        disable_recordings: Leave out the SLI and metadata recording groups.
    """

    version: str
    extra_labels: dict[str, str] = field(default_factory=dict)
    disable_alerts: bool = False
    disable_recordings: bool = False


def prometheus_duration(value: timedelta) -> str:
    """Write a duration as Prometheus does: `5m`, `1h`, `30d`, `4w` (28 d), `1d12h` (36 h)."""
    ms = int(value / timedelta(milliseconds=1))
    if ms == 0:
        return "0s"
    text = ""
    for unit, size, exact in (
        ("y", 365 * 86_400_000, True),
        ("w", 7 * 86_400_000, True),
        ("d", 86_400_000, False),
        ("h", 3_600_000, False),
        ("m", 60_000, False),
        ("s", 1000, False),
        ("ms", 1, False),
    ):
        if exact and ms % size:
            continue
        count, ms = divmod(ms, size)
        if count:
            text += f"{count}{unit}"
    return text


def promql_number(value: Fraction | Decimal) -> str:
    """Write a number for PromQL: exact when its decimal expansion ends, else to 17 digits."""
    fraction = Fraction(value)
    denominator = fraction.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    if denominator != 1:
        return repr(float(fraction))
    exact = Decimal(fraction.numerator) / Decimal(fraction.denominator)
    return f"{exact.normalize():f}"


def sli_metric(window: timedelta) -> str:
    """The name of the error-ratio recording over `window`: `slo:sli_error:ratio_rate5m`."""
    return f"slo:sli_error:ratio_rate{prometheus_duration(window)}"


def id_labels(slo: PromSLO) -> dict[str, str]:
    """The labels that identify an SLO's series."""
    return {ID_LABEL: slo.id, SERVICE_LABEL: slo.service, SLO_LABEL: slo.name}


def label_filter(values: dict[str, str]) -> str:
    """A PromQL label matcher, keys sorted: `{sloth_id="a", sloth_service="b", sloth_slo="c"}`."""
    inner = ", ".join(f'{key}="{_escaped(values[key])}"' for key in sorted(values))
    return "{" + inner + "}"


def _escaped(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def slo_groups(slo: PromSLO, period: timedelta, windows: AlertWindows, info: dict[str, str]) -> list[Group]:
    """The three rule groups of one SLO (fewer when recordings or alerts are disabled by the caller).

    Args:
        slo: The SLO, with labels already merged with any extra labels.
        period: The SLO period.
        windows: The alert windows for that period.
        info: The `sloth_slo_info` labels that are not the SLO's own (version, mode, spec).
    """
    return [
        {"name": f"sloth-slo-sli-recordings-{slo.id}", "rules": sli_rules(slo, period, windows)},
        {"name": f"sloth-slo-meta-recordings-{slo.id}", "rules": meta_rules(slo, period, windows, info)},
        {"name": f"sloth-slo-alerts-{slo.id}", "rules": alert_rules(slo, windows)},
    ]


def sli_rules(slo: PromSLO, period: timedelta, windows: AlertWindows) -> list[Rule]:
    """The error-ratio recordings over each alert window, then over the period (optimised)."""
    rules = [_sli_rule(slo, window, _sli_expr(slo, window)) for window in windows.recording_windows()]
    source = sli_metric(windows.page_quick.short_window) + label_filter(id_labels(slo))
    span = prometheus_duration(period)
    period_expr = f"sum_over_time({source}[{span}])\n/ ignoring ({WINDOW_LABEL})\ncount_over_time({source}[{span}])\n"
    rules.append(_sli_rule(slo, period, period_expr))
    return rules


def _sli_rule(slo: PromSLO, window: timedelta, expr: str) -> Rule:
    merged = id_labels(slo) | {WINDOW_LABEL: prometheus_duration(window)} | dict(slo.labels)
    return {"record": sli_metric(window), "expr": expr, "labels": _sorted(merged)}


def _sli_expr(slo: PromSLO, window: timedelta) -> str:
    """The SLI query for `window`, with `{{.window}}` filled in, as Sloth assembles it."""
    if isinstance(slo.sli, EventsSLI):
        text = f"({slo.sli.error_query})\n/\n({slo.sli.total_query})\n"
    elif isinstance(slo.sli, RawSLI):
        text = f"({slo.sli.error_ratio_query})"
    else:
        raise TypeError(f"SLO {slo.id} has no SLI")
    return fill_window(text, prometheus_duration(window))


def fill_window(template: str, window: str) -> str:
    """Replace every `{{.window}}` (spaces allowed inside the braces) by `window`."""
    return re.sub(r"{{\s*\.window\s*}}", window, template)


def meta_rules(slo: PromSLO, period: timedelta, windows: AlertWindows, info: dict[str, str]) -> list[Rule]:
    """Objective, budget, period, burn rates, budget remaining and the info series."""
    own = _sorted(id_labels(slo) | dict(slo.labels))
    objective = promql_number(slo.objective / 100)
    selector = label_filter(id_labels(slo))
    on = f"/ on({ID_LABEL}, {SLO_LABEL}, {SERVICE_LABEL}) group_left\n"
    current = f"{sli_metric(windows.page_quick.short_window)}{selector}\n{on}slo:error_budget:ratio{selector}\n"
    whole = f"{sli_metric(period)}{selector}\n{on}slo:error_budget:ratio{selector}\n"
    objective_text = f"{slo.objective.normalize():f}"
    info_labels = own | info | {"sloth_objective": objective_text} | dict(slo.info_labels)
    rows = (
        ("slo:objective:ratio", f"vector({objective})", own),
        ("slo:error_budget:ratio", f"vector(1-{objective})", own),
        ("slo:time_period:days", f"vector({promql_number(Fraction(period / timedelta(days=1)))})", own),
        ("slo:current_burn_rate:ratio", current, own),
        ("slo:period_burn_rate:ratio", whole, own),
        ("slo:period_error_budget_remaining:ratio", f"1 - slo:period_burn_rate:ratio{selector}", own),
        ("sloth_slo_info", "vector(1)", _sorted(info_labels)),
    )
    return [{"record": record, "expr": expr, "labels": values} for record, expr, values in rows]


def alert_rules(slo: PromSLO, windows: AlertWindows) -> list[Rule]:
    """The page alert (quick and slow page windows), then the ticket alert, unless disabled."""
    rules = []
    budget = (100 - slo.objective) / 100
    for severity, meta, quick, slow in (
        ("page", slo.page, windows.page_quick, windows.page_slow),
        ("ticket", slo.ticket, windows.ticket_quick, windows.ticket_slow),
    ):
        if not meta.disabled:
            rules.append(_alert(slo, meta, severity, (quick, slow), windows.period, budget))
    return rules


def _alert(
    slo: PromSLO,
    meta: AlertMeta,
    severity: str,
    pair: tuple[AlertWindow, AlertWindow],
    period: timedelta,
    budget: Decimal,
) -> Rule:
    selector = label_filter(id_labels(slo))
    blocks = []
    for window in pair:
        threshold = f"({promql_number(burn_rate_factor(window, period))} * {promql_number(budget)})"
        lines = [
            f"    max({sli_metric(span)}{selector} > {threshold}) without ({WINDOW_LABEL})"
            for span in (window.short_window, window.long_window)
        ]
        blocks.append("(\n" + "\n    and\n".join(lines) + "\n)")
    who = f"{{{{$labels.{SERVICE_LABEL}}}}} {{{{$labels.{SLO_LABEL}}}}}"
    annotations = {
        "title": f"({severity}) {who} SLO error budget burn rate is too fast.",
        "summary": f"{who} SLO error budget burn rate is over expected.",
    } | dict(meta.annotations)
    return {
        "alert": meta.name,
        "expr": "\nor\n".join(blocks) + "\n",
        "labels": _sorted({SEVERITY_LABEL: severity} | dict(meta.labels)),
        "annotations": _sorted(annotations),
    }


def _sorted(values: dict[str, str]) -> dict[str, str]:
    return {key: values[key] for key in sorted(values)}


def group_rules(
    group: SLOGroup, resolved: list[tuple[PromSLO, timedelta, AlertWindows]], options: RuleOptions
) -> list[Group]:
    """Every rule group of one input object, honouring the options' extra labels and switches.

    Args:
        group: The input object, for its spec and mode.
        resolved: Each SLO with its period and alert windows.
        options: What to generate.
    """
    groups: list[Group] = []
    for slo, period, windows in resolved:
        merged = with_extra_labels(slo, options.extra_labels)
        info = {"sloth_version": options.version, "sloth_mode": group.mode, "sloth_spec": group.spec}
        sli, meta, alerts = slo_groups(merged, period, windows, info)
        if not options.disable_recordings:
            groups += [sli, meta]
        if not options.disable_alerts and alerts["rules"]:
            groups.append(alerts)
    return groups


def with_extra_labels(slo: PromSLO, extra: dict[str, str]) -> PromSLO:
    """A copy of `slo` whose labels are its own overridden by `extra` (the command line's)."""
    return replace(slo, labels=labels(dict(slo.labels) | extra)) if extra else slo
