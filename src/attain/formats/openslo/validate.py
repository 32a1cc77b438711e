"""Semantic validation of decoded OpenSLO objects, as the reference `oslo validate` does it.

Decoding has already checked every field's type; this checks what the specification requires
beyond types: RFC 1123 names, required and mutually exclusive fields, ranges of targets, time
windows with valid start times and IANA time zones, and operators only where a threshold metric
gives them meaning. Indicators given by reference are looked up among the objects validated
together.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING

from attain.formats.openslo import legacy, v1, v2alpha
from attain.formats.openslo.checks import Checker, check_alpha_slo

if TYPE_CHECKING:
    from attain.errors import Problem
    from attain.formats.openslo.base import OpenSLOKind
    from attain.formats.openslo.decode import OpenSLOObject
    from attain.formats.source import Path

SLISpec = v1.SLISpec | v2alpha.V2SLISpec
InlineSLI = v1.InlineSLI | v2alpha.V2InlineSLI
Objective = v1.Objective | v2alpha.V2Objective
AlertPolicySpec = v1.AlertPolicySpec | v2alpha.V2AlertPolicySpec
Inline = (
    v1.PolicyCondition
    | v1.PolicyTarget
    | v1.SLOAlertPolicy
    | v2alpha.V2PolicyCondition
    | v2alpha.V2PolicyTarget
    | v2alpha.V2SLOAlertPolicy
)

_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_LABEL_HINT = "use lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63"
_ONE, _ZERO, _HUNDRED = Decimal(1), Decimal(0), Decimal(100)


def validate_openslo(objects: list[OpenSLOObject]) -> list[Problem]:
    """Check decoded objects against the OpenSLO specification.

    Args:
        objects: Objects decoded together (SLIs referenced by SLOs are looked up among them).

    Returns:
        Every problem found, in the order of the objects; empty when all are valid.
    """
    return [problem for found in validate_each(objects) for problem in found]


def validate_each(objects: list[OpenSLOObject]) -> list[list[Problem]]:
    """Check each object, keeping its problems apart from the other objects' problems.

    Args:
        objects: Objects decoded together.

    Returns:
        One list of problems per object, in the same order.
    """
    return [errors for errors, _ in findings_each(objects)]


def warn_openslo(objects: list[OpenSLOObject]) -> list[Problem]:
    """What the reference validator refuses but attain can read safely, as warnings.

    `op` or `value` on an objective of a ratio SLI (ignored: the OpenSLO specification's own
    Timeslices examples carry `op`), a name whose only fault is upper-case letters, and in the
    draft `openslo.com/v2alpha` a missing `budgetingMethod` or `objectives` (go-sdk decodes such
    objects; its codec test files have them).
    """
    return [problem for _, warnings in findings_each(objects) for problem in warnings]


def findings_each(objects: list[OpenSLOObject]) -> list[tuple[list[Problem], list[Problem]]]:
    """Each object's errors and warnings, in the order of the objects."""
    slis: dict[tuple[str, str], SLISpec] = {
        (obj.api_version, obj.name): obj.model.spec for obj in objects if isinstance(obj.model, v1.SLI | v2alpha.V2SLI)
    }
    results = []
    for obj in objects:
        checker = _Validator(obj.api_version, slis)
        checker.object(obj.model)
        errors = [obj.problem(path, message, hint) for path, message, hint in checker.found]
        results.append((errors, [obj.problem(path, message, hint) for path, message, hint in checker.warned]))
    return results


class _Validator(Checker):
    """Checks one object of openslo/v1, openslo.com/v2alpha or openslo/v1alpha."""

    def __init__(self, version: str, slis: dict[tuple[str, str], SLISpec]) -> None:
        super().__init__()
        self.version = version
        self.slis = slis
        self.v2 = version == v2alpha.V2ALPHA

    def object(self, model: OpenSLOKind) -> None:
        self.name(("metadata", "name"), model.metadata.name)
        if isinstance(model, legacy.AlphaSLO):
            check_alpha_slo(self, model.spec)
        elif isinstance(model, v1.SLO | v2alpha.V2SLO):
            self.slo(model.spec)
        elif isinstance(model, v1.SLI | v2alpha.V2SLI):
            self.sli(("spec",), model.spec)
        elif isinstance(model, v1.DataSource | v2alpha.V2DataSource):
            self.data_source(("spec",), model.spec)
        elif isinstance(model, v1.AlertPolicy | v2alpha.V2AlertPolicy):
            self.alert_policy(("spec",), model.spec)
        elif isinstance(model, v1.AlertCondition | v2alpha.V2AlertCondition):
            self.alert_condition(("spec",), model.spec)
        elif isinstance(model, v1.AlertNotificationTarget | v2alpha.V2AlertNotificationTarget):
            self.required(("spec", "target"), model.spec.target)

    def name(self, path: Path, value: str | None) -> None:
        """An RFC 1123 label, as Kubernetes and OpenSLO use for names and references."""
        if value is not None and (not _LABEL.match(value) or len(value) > 63):
            # Upper case is harmless to attain (names compare exactly); Kubernetes and oslo refuse it.
            upper = bool(_LABEL.match(value.lower())) and len(value) <= 63
            self.add(path, f"not an RFC-1123 label: {value!r} ({_LABEL.pattern})", _LABEL_HINT, warning=upper)

    def slo(self, spec: v1.SLOSpec | v2alpha.V2SLOSpec) -> None:
        inline: InlineSLI | None
        if isinstance(spec, v2alpha.V2SLOSpec):
            keys, inline, ref = ("sli", "sliRef"), spec.sli, spec.sli_ref
            if not (spec.service_ref or spec.service):
                self.add(("spec", "serviceRef"), "required but empty", "add serviceRef: <name of a Service>")
        else:
            keys, inline, ref = ("indicator", "indicatorRef"), spec.indicator, spec.indicator_ref
            self.required(("spec", "service"), spec.service)
        objectives: tuple[Objective, ...] = spec.objectives or ()
        composite = any(_own_sli(o) != (None, None) for o in objectives)
        if composite and (inline or ref):
            self.add(("spec", keys[0]), f"{keys[0]} is set both here and on objectives", "keep one of them")
        elif not composite and not (inline or ref):
            self.add(("spec",), f"{keys[0]} or {keys[1]} is required", f"add {keys[0]}: or {keys[1]}:")
        self.sli_reference(("spec",), inline, ref, keys)
        if not spec.budgeting_method:
            # go-sdk decodes v2alpha SLOs without one (its codec test files); attain reads them as Occurrences.
            self.add(("spec", "budgetingMethod"), "required but empty", "add budgetingMethod:", warning=self.v2)
        self.time_windows(spec.time_window)
        if not objectives:
            self.add(("spec", "objectives"), "required but empty", "add at least one objective", warning=self.v2)
        for index, objective in enumerate(objectives):
            path: Path = ("spec", "objectives", index)
            own = _own_sli(objective)
            sli = self._resolve(*own) if own != (None, None) else self._resolve(inline, ref)
            self.objective(path, objective, spec.budgeting_method, sli)
            self.sli_reference(path, *own, keys)
        policies: tuple[v1.SLOAlertPolicy | v2alpha.V2SLOAlertPolicy, ...] = spec.alert_policies or ()
        for index, policy in enumerate(policies):
            path = ("spec", "alertPolicies", index)
            self.reference_or_inline(path, policy, policy.alert_policy_ref, "alertPolicyRef")
            if policy.spec is not None:
                self.alert_policy((*path, "spec"), policy.spec)

    def _resolve(self, inline: InlineSLI | None, ref: str | None) -> SLISpec | None:
        if inline is not None:
            return inline.spec
        return self.slis.get((self.version, ref)) if ref else None

    def sli_reference(self, path: Path, inline: InlineSLI | None, ref: str | None, keys: tuple[str, str]) -> None:
        if inline is not None and ref is not None:
            self.add((*path, keys[1]), f"give {keys[0]} or {keys[1]}, not both", f"remove {keys[1]}")
        if inline is not None:
            self.name((*path, keys[0], "metadata", "name"), inline.metadata.name)
            self.sli((*path, keys[0], "spec"), inline.spec)
        self.name((*path, keys[1]), ref)

    def objective(self, path: Path, objective: Objective, method: str | None, sli: SLISpec | None) -> None:
        if objective.target is not None and objective.target_percent is not None:
            self.add((*path, "targetPercent"), "give target or targetPercent, not both", "remove one")
        elif objective.target is None and objective.target_percent is None:
            self.add((*path, "target"), "required but empty", "add target: 0.99 (or targetPercent: 99)")
        self.in_range((*path, "target"), objective.target, _ZERO, _ONE, "a ratio such as 0.99")
        self.in_range((*path, "targetPercent"), objective.target_percent, _ZERO, _HUNDRED, "a percentage such as 99")
        if sli is not None and sli.ratio_metric is not None:
            for key, value in (("op", objective.op), ("value", objective.value)):
                if value is not None:
                    # The specification's own Timeslices examples put op on ratio objectives: ignored.
                    reason = f"{key} is only for threshold metrics; this SLI is a ratioMetric"
                    self.add((*path, key), f"forbidden ({reason}), ignored", f"remove {key}", warning=True)
        elif sli is not None and sli.threshold_metric is not None:
            self.required((*path, "op"), objective.op, "add op: lt, lte, gt or gte")
            self.required((*path, "value"), objective.value, "add value: (the threshold)")
        self.time_slices(path, objective, method)
        weight = objective.composite_weight
        if weight is not None and weight <= 0:
            self.add((*path, "compositeWeight"), f"must be above 0, got {weight}", "write e.g. 1")

    def time_slices(self, path: Path, objective: Objective, method: str | None) -> None:
        if method == "Timeslices":
            self.required(
                (*path, "timeSliceTarget"),
                objective.time_slice_target,
                "add timeSliceTarget: 0.95",
                "required (budgetingMethod Timeslices) but empty",
            )
        if method in ("Timeslices", "RatioTimeslices"):
            self.required(
                (*path, "timeSliceWindow"),
                objective.time_slice_window,
                "add timeSliceWindow: 1m",
                f"required (budgetingMethod {method}) but empty",
            )
        target = objective.time_slice_target
        if target is not None and not _ZERO < target <= _ONE:
            self.add((*path, "timeSliceTarget"), f"must be above 0 and at most 1, got {target}", "write e.g. 0.95")

    def in_range(self, path: Path, value: Decimal | None, low: Decimal, high: Decimal, example: str) -> None:
        if value is not None and not low <= value <= high:
            self.add(path, f"must be between {low} and {high}, got {value}", f"write {example}")

    def time_windows(self, windows: tuple[v1.TimeWindow, ...] | None) -> None:
        if windows is not None and len(windows) != 1:
            self.add(("spec", "timeWindow"), f"must hold exactly one window, got {len(windows)}", "keep one window")
        for index, window in enumerate(windows or ()):
            path: Path = ("spec", "timeWindow", index)
            self.required((*path, "duration"), window.duration, "add duration: 28d")
            self.window_calendar(path, rolling=bool(window.is_rolling), calendar=window.calendar)

    def sli(self, path: Path, spec: SLISpec) -> None:
        if (spec.threshold_metric is None) == (spec.ratio_metric is None):
            self.add(path, "give exactly one of thresholdMetric and ratioMetric", "keep one of them")
        if spec.threshold_metric is not None:
            self.metric((*path, "thresholdMetric"), spec.threshold_metric)
        ratio = spec.ratio_metric
        if ratio is None:
            return
        rpath = (*path, "ratioMetric")
        if (ratio.total is None) == (ratio.raw is None):
            self.add(rpath, "give exactly one of total (with good or bad) and raw", "keep one of them")
        if ratio.total is not None and (ratio.good is None) == (ratio.bad is None):
            self.add(rpath, "give exactly one of good and bad with total", "keep one of them")
        if ratio.raw is not None:
            if ratio.good is not None or ratio.bad is not None:
                self.add(rpath, "raw takes no good or bad", "remove good and bad, or raw")
            self.required((*rpath, "rawType"), ratio.raw_type, "add rawType: success or failure")
        for key, metric in (("good", ratio.good), ("bad", ratio.bad), ("total", ratio.total), ("raw", ratio.raw)):
            if metric is not None:
                self.metric((*rpath, key), metric)

    def metric(self, path: Path, metric: v1.MetricSpec | v2alpha.V2MetricSpec) -> None:
        if isinstance(metric, v2alpha.V2MetricSpec):
            if (metric.data_source_ref is None) == (metric.data_source_spec is None):
                self.add(path, "give exactly one of dataSourceRef and dataSourceSpec", "keep one of them")
            self.name((*path, "dataSourceRef"), metric.data_source_ref)
            if metric.data_source_spec is not None:
                self.data_source((*path, "dataSourceSpec"), metric.data_source_spec)
            return
        source = metric.metric_source
        self.name((*path, "metricSource", "metricSourceRef"), source.metric_source_ref)
        if not source.spec:
            self.add((*path, "metricSource", "spec"), "required but empty", "add spec: with the query fields")

    def alert_policy(self, path: Path, spec: AlertPolicySpec) -> None:
        conditions: tuple[v1.PolicyCondition | v2alpha.V2PolicyCondition, ...] = spec.conditions or ()
        targets: tuple[v1.PolicyTarget | v2alpha.V2PolicyTarget, ...] = spec.notification_targets or ()
        if len(conditions) != 1:
            self.add((*path, "conditions"), f"must hold exactly one condition, got {len(conditions)}", "keep one")
        if not targets:
            self.add((*path, "notificationTargets"), "required but empty", "add at least one notification target")
        for index, condition in enumerate(conditions):
            cpath = (*path, "conditions", index)
            self.reference_or_inline(cpath, condition, condition.condition_ref, "conditionRef")
            if condition.spec is not None:
                self.alert_condition((*cpath, "spec"), condition.spec)
        for index, target in enumerate(targets):
            tpath = (*path, "notificationTargets", index)
            self.reference_or_inline(tpath, target, target.target_ref, "targetRef")
            if target.spec is not None:
                self.required((*tpath, "spec", "target"), target.spec.target)

    def reference_or_inline(self, path: Path, item: Inline, ref: str | None, ref_key: str) -> None:
        inline = item.kind is not None or item.metadata is not None or item.spec is not None
        if ref is not None and inline:
            self.add((*path, ref_key), f"give {ref_key} or an inline object, not both", "keep one")
        elif ref is None and not inline:
            self.add(path, f"{ref_key} or an inline object is required", f"add {ref_key}:")
        self.name((*path, ref_key), ref)
        if inline:
            for key, value in (("kind", item.kind), ("metadata", item.metadata), ("spec", item.spec)):
                self.required((*path, key), value)
            if item.metadata is not None:
                self.name((*path, "metadata", "name"), item.metadata.name)


def _own_sli(objective: Objective) -> tuple[InlineSLI | None, str | None]:
    if isinstance(objective, v2alpha.V2Objective):
        return objective.sli, objective.sli_ref
    return objective.indicator, objective.indicator_ref
