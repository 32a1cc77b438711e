"""The collector of validation findings, and the checks of `openslo/v1alpha` SLOs."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any
from zoneinfo import available_timezones

if TYPE_CHECKING:
    from attain.formats.openslo import legacy, v1
    from attain.formats.source import Path

_ALPHA = re.compile(r"^[A-Za-z]+$")


class Checker:
    """Collects findings as (path relative to the object, what is wrong, what would be valid)."""

    def __init__(self) -> None:
        """Start with no findings."""
        self.found: list[tuple[Path, str, str]] = []
        self.warned: list[tuple[Path, str, str]] = []

    def add(self, path: Path, message: str, hint: str, *, warning: bool = False) -> None:
        """Record one finding; a warning is reported but does not make the object invalid."""
        (self.warned if warning else self.found).append((path, message, hint))

    def required(self, path: Path, value: Any, hint: str = "", what: str = "required but empty") -> None:
        """Record a finding when `value` is missing (None or empty text)."""
        if value is None or value == "":
            self.add(path, what, hint or f"add {path[-1]}:")

    def data_source(self, path: Path, spec: v1.DataSourceSpec) -> None:
        """A DataSource names its type and connection."""
        self.required((*path, "type"), spec.type, "add type: Prometheus (or another source)")
        self.required((*path, "connectionDetails"), spec.connection_details, "add connectionDetails:")

    def alert_condition(self, path: Path, spec: v1.AlertConditionSpec) -> None:
        """An AlertCondition has a severity and a complete condition."""
        self.required((*path, "severity"), spec.severity, "add severity: page")
        self.required((*path, "condition"), spec.condition, "add condition: {kind: burnrate, ...}")
        if spec.condition is not None:
            c = spec.condition
            for key, value in (
                ("kind", c.kind),
                ("op", c.op),
                ("threshold", c.threshold),
                ("lookbackWindow", c.lookback_window),
            ):
                self.required((*path, "condition", key), value)

    def window_calendar(self, path: Path, *, rolling: bool, calendar: v1.Calendar | None) -> None:
        """Rolling windows take no calendar; calendar windows need a start time and zone."""
        if rolling and calendar is not None:
            self.add((*path, "calendar"), "calendar cannot be set when isRolling is true", "remove calendar")
        if not rolling and calendar is None:
            self.add(
                (*path, "isRolling"),
                "calendar must be set when isRolling is false",
                "add calendar: {startTime: '2022-01-01 00:00:00', timeZone: UTC} or isRolling: true",
            )
        if calendar is None:
            return
        start = calendar.start_time
        try:
            datetime.strptime(f"{start} +0000", "%Y-%m-%d %H:%M:%S %z").astimezone(UTC)
        except ValueError:
            self.add(
                (*path, "calendar", "startTime"),
                f"expected 'YYYY-MM-DD hh:mm:ss', got {start!r}",
                "write a local time such as 2022-01-01 00:00:00",
            )
        zone = calendar.time_zone
        if zone not in _zones():
            self.add((*path, "calendar", "timeZone"), f"unknown time zone {zone!r}", "use an IANA name such as UTC")


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def check_alpha_slo(checker: Checker, spec: legacy.AlphaSLOSpec) -> None:
    """Check an `openslo/v1alpha` SLO the way `oslo validate` does.

    Args:
        checker: Where findings go.
        spec: The SLO's spec.
    """
    checker.required(("spec", "service"), spec.service, "add service: <name of a Service>")
    checker.required(("spec", "budgetingMethod"), spec.budgeting_method, "add budgetingMethod: Occurrences")
    windows = spec.time_windows or ()
    if len(windows) != 1:
        checker.add(("spec", "timeWindows"), f"must hold exactly one window, got {len(windows)}", "keep one")
    for index, window in enumerate(windows):
        path: Path = ("spec", "timeWindows", index)
        checker.required((*path, "unit"), window.unit, "add unit: Day, Week, Month, Quarter or Second")
        if window.count is None or window.count <= 0:
            checker.add((*path, "count"), f"must be a whole number above 0, got {window.count}", "write e.g. 28")
        checker.window_calendar(path, rolling=bool(window.is_rolling), calendar=window.calendar)
    objectives = spec.objectives or ()
    has_ratio = any(o.ratio_metrics is not None for o in objectives)
    if has_ratio and spec.indicator is not None:
        checker.add(
            ("spec", "indicator"), "only one of indicator and objectives[*].ratioMetrics can be set", "remove one"
        )
    if not has_ratio and spec.indicator is None:
        checker.add(("spec",), "one of indicator or objectives[*].ratioMetrics must be set", "add indicator:")
    if spec.indicator is not None:
        checker.required(("spec", "indicator", "thresholdMetric"), spec.indicator.threshold_metric)
        _source(checker, ("spec", "indicator", "thresholdMetric"), spec.indicator.threshold_metric)
    if not objectives:
        checker.add(("spec", "objectives"), "is required", "add at least one objective")
    for index, objective in enumerate(objectives):
        _alpha_objective(checker, ("spec", "objectives", index), objective, spec.budgeting_method)


def _alpha_objective(checker: Checker, path: Path, objective: legacy.AlphaObjective, method: str | None) -> None:
    checker.required((*path, "value"), objective.value, "add value: (the threshold; oslo requires it)")
    checker.required((*path, "target"), objective.target, "add target: 0.99")
    target = objective.target
    if target is not None and not Decimal(0) <= target <= Decimal(1):
        checker.add((*path, "target"), f"must be between 0 and 1, got {target}", "write a ratio such as 0.99")
    if method == "Timeslices":
        checker.required(
            (*path, "timeSliceTarget"),
            objective.time_slice_target,
            "add timeSliceTarget: 0.95",
            "required (budgetingMethod Timeslices) but empty",
        )
    if objective.ratio_metrics is None:
        checker.required((*path, "op"), objective.op, "add op: lt, lte, gt or gte")
        return
    if objective.op is not None:
        message = "forbidden (op is only for threshold metrics; this objective has ratioMetrics), ignored"
        checker.add((*path, "op"), message, "remove op", warning=True)
    for key in ("good", "total"):
        sub = getattr(objective.ratio_metrics, key)
        checker.required((*path, "ratioMetrics", key), sub)
        _source(checker, (*path, "ratioMetrics", key), sub)


def _source(checker: Checker, path: Path, source: legacy.AlphaMetricSource | None) -> None:
    if source is None:
        return
    for key, value in (("source", source.source), ("queryType", source.query_type)):
        checker.required((*path, key), value)
        if value and not _ALPHA.match(value):
            checker.add((*path, key), f"must be letters only, got {value!r}", "write e.g. prometheus")
    checker.required((*path, "query"), source.query)
