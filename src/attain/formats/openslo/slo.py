"""One attain objective as an OpenSLO v1 `SLO`, and back: OpenSLO's own fields first, annotations for the rest.

A `ratio` indicator counted by metric queries becomes an inline SLI with `ratioMetric`
good/bad/total; the target, the window and the budgeting method become `target`, `timeWindow`
and `budgetingMethod`. The fields these do not reproduce exactly go in `attain.dev/fields`; an
indicator OpenSLO cannot state puts the whole objective in `attain.dev/objective`, with a raw
ratio from metric source type `attain` as a placeholder.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from attain.errors import InvalidAgreement
from attain.formats.openslo import v1
from attain.formats.openslo.annotation import (
    FIELDS_KEY,
    OBJECTIVE_KEY,
    annotations_of,
    dump_annotation,
    load_annotation,
    object_metadata,
)
from attain.formats.openslo.convert import objective_data
from attain.formats.openslo.decode import OpenSLOObject
from attain.formats.openslo.validate import validate_openslo
from attain.model import Agreement, Objective, RatioIndicator, Selector
from attain.model.window import CalendarWindow

_CALENDAR_SHORTHAND = {"day": "1d", "week": "1w", "month": "1M", "quarter": "1Q", "year": "1Y"}
_UNITS = ((timedelta(days=1), "d"), (timedelta(hours=1), "h"), (timedelta(minutes=1), "m"))


def export_slo(agreement: Agreement, objective: Objective, services: set[str], labels: dict[str, str]) -> OpenSLOObject:
    """The SLO of an objective: OpenSLO's fields where they state it exactly, else the whole objective annotated.

    Args:
        agreement: The agreement the objective belongs to (its name is the default service).
        objective: The objective to export.
        services: The names of the agreement's services.
        labels: The labels every exported object carries.
    """
    ratio = _ratio_metric(objective.indicator)
    if ratio is not None:
        exported = _slo_object(agreement, objective, labels, ratio, {})
        problems = validate_openslo([exported])
        derived = _derived(exported, services) if not problems else {}
        if derived.get("indicator") is not None:
            fields = _differing(objective, derived)
            if fields is not None:
                annotations = {FIELDS_KEY: dump_annotation(fields)} if fields else {}
                return _slo_object(agreement, objective, labels, ratio, annotations)
    placeholder = {"rawType": "success", "raw": _metric("attain", objective.indicator.model_dump(mode="json"))}
    full = {OBJECTIVE_KEY: dump_annotation(objective.model_dump(mode="json", by_alias=True, exclude_defaults=True))}
    return _slo_object(agreement, objective, labels, placeholder, full)


def _slo_object(
    agreement: Agreement,
    objective: Objective,
    labels: dict[str, str],
    ratio: dict[str, Any],
    annotations: dict[str, str],
) -> OpenSLOObject:
    goal: dict[str, Any] = {"target": objective.target if objective.target is not None else Decimal(1)}
    method = "Occurrences"
    budgeting = objective.budgeting
    slice_ = _shorthand(budgeting.slice) if budgeting.slice is not None else None
    if slice_ is not None:
        method = budgeting.method.value
        goal["timeSliceWindow"] = slice_
        if budgeting.slice_target is not None:
            goal["timeSliceTarget"] = budgeting.slice_target
    spec: dict[str, Any] = {
        "service": objective.service or agreement.name,
        "indicator": {"metadata": {"name": objective.name}, "spec": {"ratioMetric": ratio}},
        "timeWindow": [_time_window(agreement, objective)],
        "budgetingMethod": method,
        "objectives": [goal],
    }
    if objective.description is not None:
        spec["description"] = objective.description
    data = {
        "apiVersion": v1.API_VERSION,
        "kind": "SLO",
        "metadata": object_metadata(objective.name, objective.title, labels, annotations),
        "spec": spec,
    }
    return OpenSLOObject(v1.SLO.model_validate(data))


def _time_window(agreement: Agreement, objective: Objective) -> dict[str, Any]:
    window = objective.window
    if isinstance(window, CalendarWindow):
        zone = window.time_zone or agreement.spec.time_zone
        start = f"{agreement.spec.effective.from_.isoformat()} 00:00:00"
        return {
            "duration": _CALENDAR_SHORTHAND[window.calendar.value],
            "isRolling": False,
            "calendar": {"startTime": start, "timeZone": zone},
        }
    return {"duration": _shorthand(window.rolling), "isRolling": True}


def _shorthand(duration: timedelta) -> str | None:
    """The OpenSLO shorthand of a duration in whole minutes (`90m`, `28d`), else None."""
    for unit, letter in _UNITS:
        if duration % unit == timedelta(0):
            return f"{duration // unit}{letter}"
    return None


def _ratio_metric(indicator: object) -> dict[str, Any] | None:
    """`ratioMetric` good/bad/total for a ratio counted by metric queries alone, else None."""
    if not isinstance(indicator, RatioIndicator) or indicator.events is not None:
        return None
    if not _metric_only(indicator.valid):
        return None
    selector, role = (indicator.good, "good") if indicator.good is not None else (indicator.bad, "bad")
    if selector is None or not _metric_only(selector):
        return None
    data: dict[str, Any] = {}
    for key, chosen in ((role, selector), ("total", indicator.valid)):
        assert chosen.metric is not None
        data[key] = _metric(chosen.metric.type, chosen.metric.spec, chosen.metric.metric_source_ref)
    return data


def _metric_only(selector: Selector) -> bool:
    return selector.metric is not None and not selector.where and not selector.where_not


def _metric(kind: str, spec: dict[str, Any], ref: str | None = None) -> dict[str, Any]:
    source: dict[str, Any] = {"type": kind, "spec": spec}
    if ref is not None:
        source["metricSourceRef"] = ref
    return {"metricSource": source}


def _derived(slo: OpenSLOObject, services: set[str]) -> dict[str, Any]:
    """The objective data that the SLO's OpenSLO fields state, read by `objective_data`."""
    try:
        [(_, data)] = objective_data(slo, {})
    except InvalidAgreement:
        return {}
    assert isinstance(slo.model, v1.SLO)
    service = slo.model.spec.service
    data["service"] = service if service in services else None
    return data


def _differing(objective: Objective, derived: dict[str, Any]) -> dict[str, Any] | None:
    """The fields where `derived` misses the objective, in document spelling; None if not readable."""
    try:
        candidate = Objective.model_validate(derived)
    except ValidationError:
        return None
    full = objective.model_dump(mode="json", by_alias=True, exclude_none=True)
    fields = {
        info.alias or name: full.get(info.alias or name)
        for name, info in Objective.model_fields.items()
        if getattr(candidate, name) != getattr(objective, name)
    }
    if fields.get("indicator") is not None:
        return None
    try:
        rebuilt = Objective.model_validate({**derived, **fields})
    except ValidationError:
        return None
    return fields if rebuilt == objective else None


def import_objective(slo: OpenSLOObject, services: set[Any]) -> dict[str, Any]:
    """The attain objective (plain data) of an exported SLO: its annotation, or its fields plus `attain.dev/fields`.

    Raises:
        InvalidAgreement: The SLO carries no objective and its fields do not read as one.
    """
    annotations = annotations_of(slo)
    if OBJECTIVE_KEY in annotations:
        data: dict[str, Any] = load_annotation(annotations[OBJECTIVE_KEY])
        return data
    derived = _derived(slo, {s for s in services if isinstance(s, str)})
    if not derived:
        hint = f"export it with attain, or add the annotation {OBJECTIVE_KEY}"
        raise InvalidAgreement([slo.problem(("spec",), "the SLO cannot be read as an attain objective", hint)])
    return {**derived, **load_annotation(annotations.get(FIELDS_KEY, "{}"))}
