"""Converting an `openslo/v1` SLO into attain objectives (plain data in attain's spelling).

Each OpenSLO objective becomes one attain objective:

- `ratioMetric` good/bad/total becomes a `ratio` indicator whose good (or bad) and valid events
  are counted by the metric queries; `total` becomes `valid`.
- A raw `ratioMetric` (a precomputed ratio) is approximated: its query becomes the `good`
  metric (or `bad` for `rawType: failure`), with no `valid` metric. attain cannot recompute
  the ratio from events, so it must read the query's value as the ratio itself.
- `thresholdMetric` becomes a `threshold` indicator: `value` names the SLI, `op` maps
  lt/lte/gt/gte to lt/le/gt/ge, and the objective's `value` is the `bound`.
- A rolling `timeWindow` of minutes, hours, days or weeks becomes `rolling`; months, quarters
  and years have no fixed length and are refused. A calendar window (`isRolling: false`) of one
  day, week, month, quarter or year becomes `calendar` in its `timeZone`; the calendar's
  `startTime` is dropped (attain aligns calendar windows to the start of the unit). Any other
  calendar window, e.g. `1m` (one minute, not a month), is refused.
- `budgetingMethod`, `timeSliceWindow` and `timeSliceTarget` become `budgeting`.
- The SLO's `service` is not carried over: attain services are declared by the agreement.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from attain.errors import InvalidAgreement, Problem
from attain.formats.openslo import v1
from attain.formats.openslo.base import parse_shorthand
from attain.formats.openslo.decode import OpenSLOObject
from attain.formats.source import Path

_OPS = {"lt": "lt", "lte": "le", "gt": "gt", "gte": "ge"}
_FIXED = {"minute": "m", "hour": "h", "day": "d", "week": "w"}
_CALENDAR = {"day", "week", "month", "quarter", "year"}


class _Refused(Exception):
    def __init__(self, path: Path, message: str, hint: str) -> None:
        super().__init__(message)
        self.where = (path, message, hint)


def objective_data(
    slo: OpenSLOObject, slis_by_name: Mapping[str, OpenSLOObject]
) -> list[tuple[str | None, dict[str, Any]]]:
    """Convert an `openslo/v1` SLO into attain objective documents, one per OpenSLO objective.

    Args:
        slo: A decoded `openslo/v1` SLO.
        slis_by_name: `openslo/v1` SLIs by name, for resolving `indicatorRef`.

    Returns:
        For each objective, its displayName (or None) and the attain objective as plain data,
        which validates with `attain.model.Objective`.

    Raises:
        InvalidAgreement: If the SLO is not an `openslo/v1` SLO, or an objective cannot be
            expressed in attain (an unresolved SLI, an unsupported window); every problem is listed.
    """
    model = slo.model
    if not isinstance(model, v1.SLO):
        raise InvalidAgreement(
            [slo.problem(("kind",), f"cannot convert {slo.api_version} {slo.kind}", "convert openslo/v1 SLOs")]
        )
    spec = model.spec
    objectives = spec.objectives or ()
    problems: list[Problem] = []
    results: list[tuple[str | None, dict[str, Any]]] = []
    for index, objective in enumerate(objectives):
        try:
            data = _objective(model, index, objective, slis_by_name)
        except _Refused as refused:
            problem = slo.problem(*refused.where)
            if problem not in problems:
                problems.append(problem)
            continue
        if len(objectives) > 1:
            data["name"] = _suffixed(model.metadata.name, objective.display_name, index)
        results.append((objective.display_name, data))
    if problems:
        raise InvalidAgreement(problems)
    return results


def _objective(slo: v1.SLO, index: int, objective: v1.Objective, slis: Mapping[str, OpenSLOObject]) -> dict[str, Any]:
    spec = slo.spec
    path: Path = ("spec", "objectives", index)
    sli_name, sli = _sli(objective, spec, path, slis)
    data: dict[str, Any] = {"name": slo.metadata.name}
    title = objective.display_name or slo.metadata.display_name
    if title:
        data["title"] = title
    if spec.description:
        data["description"] = spec.description
    data["indicator"] = _indicator(sli, sli_name, objective, path)
    if objective.target is not None:
        data["target"] = objective.target
    elif objective.target_percent is not None:
        data["target"] = objective.target_percent.scaleb(-2)
    else:
        raise _Refused((*path, "target"), "target is required", "add target: 0.99")
    data["window"] = _window(spec.time_window)
    data["budgeting"] = _budgeting(spec.budgeting_method or "Occurrences", objective, path)
    return data


def _sli(
    objective: v1.Objective, spec: v1.SLOSpec, path: Path, slis: Mapping[str, OpenSLOObject]
) -> tuple[str | None, v1.SLISpec]:
    for inline, ref, where in (
        (objective.indicator, objective.indicator_ref, path),
        (spec.indicator, spec.indicator_ref, ("spec",)),
    ):
        if inline is not None:
            return inline.metadata.name, inline.spec
        if ref is not None:
            found = slis.get(ref)
            if found is None or not isinstance(found.model, v1.SLI):
                raise _Refused(
                    (*where, "indicatorRef"),
                    f"indicatorRef {ref!r} names no openslo/v1 SLI",
                    "load the SLI's file together with the SLO",
                )
            return ref, found.model.spec
    raise _Refused(("spec",), "the SLO has no indicator", "add indicator: or indicatorRef:")


def _indicator(sli: v1.SLISpec, name: str | None, objective: v1.Objective, path: Path) -> dict[str, Any]:
    ratio = sli.ratio_metric
    if ratio is not None:
        data: dict[str, Any] = {"kind": "ratio"}
        if ratio.raw is not None:
            data["bad" if ratio.raw_type == "failure" else "good"] = {"metric": _metric(ratio.raw, path)}
            return data
        for key, metric in (("good", ratio.good), ("bad", ratio.bad), ("valid", ratio.total)):
            if metric is not None:
                data[key] = {"metric": _metric(metric, path)}
        return data
    if sli.threshold_metric is None:
        raise _Refused(path, "the SLI has neither ratioMetric nor thresholdMetric", "give the SLI a metric")
    if objective.op is None or objective.value is None:
        raise _Refused(path, "a threshold objective needs op and value", "add op: lte and value: 500")
    return {
        "kind": "threshold",
        "value": name or "value",
        "op": _OPS[objective.op],
        "bound": objective.value,
        "metric": _metric(sli.threshold_metric, path),
    }


def _metric(metric: v1.MetricSpec, path: Path) -> dict[str, Any]:
    source = metric.metric_source
    if not source.type:
        raise _Refused(path, "a metricSource without type cannot be converted", "add type: Prometheus (or the source)")
    data: dict[str, Any] = {"type": source.type, "spec": dict(source.spec or {})}
    if source.metric_source_ref:
        data["metricSourceRef"] = source.metric_source_ref
    return data


def _window(windows: tuple[v1.TimeWindow, ...] | None) -> dict[str, Any]:
    path: Path = ("spec", "timeWindow")
    if not windows or windows[0].duration is None:
        raise _Refused(path, "the SLO has no timeWindow", "add timeWindow: [{duration: 28d, isRolling: true}]")
    window = windows[0]
    duration = str(window.duration)
    count, unit = parse_shorthand(duration)
    if window.is_rolling:
        if unit not in _FIXED:
            raise _Refused(
                (*path, 0, "duration"),
                f"a rolling window of {count} {unit}(s) has no fixed length",
                "use days or weeks (e.g. 28d or 4w), or a calendar window (isRolling: false)",
            )
        return {"rolling": f"{count}{_FIXED[unit]}"}
    if count != 1 or unit not in _CALENDAR:
        raise _Refused(
            (*path, 0, "duration"),
            f"calendar window {duration!r} ({count} {unit}{'s' if count > 1 else ''}) is not supported",
            "use 1d, 1w, 1M, 1Q or 1Y (lower-case m is a minute, upper-case M a month)",
        )
    data: dict[str, Any] = {"calendar": unit}
    if window.calendar is not None and window.calendar.time_zone:
        data["timeZone"] = window.calendar.time_zone
    return data


def _budgeting(method: str, objective: v1.Objective, path: Path) -> dict[str, Any]:
    data: dict[str, Any] = {"method": method}
    if method == "Occurrences":
        return data
    if objective.time_slice_window is None:
        raise _Refused((*path, "timeSliceWindow"), f"{method} needs timeSliceWindow", "add timeSliceWindow: 1m")
    count, unit = parse_shorthand(objective.time_slice_window)
    if unit not in _FIXED:
        raise _Refused(
            (*path, "timeSliceWindow"),
            f"a time slice of {count} {unit}(s) has no fixed length",
            "use minutes, hours, days or weeks, e.g. 1m or 5m",
        )
    data["slice"] = f"{count}{_FIXED[unit]}"
    if method == "Timeslices":
        if objective.time_slice_target is None:
            raise _Refused((*path, "timeSliceTarget"), "Timeslices needs timeSliceTarget", "add timeSliceTarget: 0.95")
        data["sliceTarget"] = objective.time_slice_target
    return data


def _suffixed(name: str, display_name: str | None, index: int) -> str:
    """The SLO's name with the objective's slugified displayName (or index) appended."""
    slug = re.sub(r"[^a-z0-9]+", "-", (display_name or "").lower()).strip("-") or str(index)
    return f"{name[: 62 - min(len(slug), 30)]}-{slug[:30]}".strip("-")
