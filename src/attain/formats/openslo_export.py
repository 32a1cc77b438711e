"""OpenSLO v1 export of an agreement, and its inverse, so that export → import gives it back.

`export_agreement` writes one `Service` per agreement service, one for the agreement itself
(unless a service already bears its name) and one `SLO` per objective. What OpenSLO can state
is written in OpenSLO's own fields: a `ratio` indicator counted by metric queries becomes an
inline SLI with `ratioMetric` good/bad/total; the target, the window and the budgeting method
become `target`, `timeWindow` and `budgetingMethod`. Everything else is carried, JSON-encoded,
in `metadata.annotations` under the prefix `attain.dev/`:

- on the agreement's Service: `attain.dev/agreement` (apiVersion, kind, metadata and the spec's
  remaining fields), `attain.dev/parties`, `attain.dev/calendars`, `attain.dev/exclusions`,
  `attain.dev/termination`, `attain.dev/credit-policy` (each only when the agreement has it);
- on each service's Service: `attain.dev/service`, the attain service;
- on an SLO whose indicator OpenSLO cannot state (ratio by event filters, threshold, statistic,
  availability, freshness, case): `attain.dev/objective`, the whole attain objective; its
  OpenSLO indicator is then a raw ratio from metric source type `attain`, a placeholder;
- on any other SLO: `attain.dev/fields`, the objective's fields that the OpenSLO fields do not
  reproduce exactly (credits, alerting, a calendar window's own time zone, ...).

Every object also carries the label `attain.dev/agreement: <agreement name>`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import timedelta
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from attain.errors import InvalidAgreement, Problem
from attain.formats.native import agreement_data
from attain.formats.openslo import OpenSLOObject, encode, objective_data, v1, validate_openslo
from attain.model import Agreement, Objective, RatioIndicator, Selector
from attain.model.window import CalendarWindow

PREFIX = "attain.dev/"
AGREEMENT_KEY = f"{PREFIX}agreement"
SERVICE_KEY = f"{PREFIX}service"
OBJECTIVE_KEY = f"{PREFIX}objective"
FIELDS_KEY = f"{PREFIX}fields"
SPLIT_KEYS: dict[str, str] = {
    "parties": f"{PREFIX}parties",
    "calendars": f"{PREFIX}calendars",
    "exclusions": f"{PREFIX}exclusions",
    "termination": f"{PREFIX}termination",
    "creditPolicy": f"{PREFIX}credit-policy",
}
"""Agreement spec fields carried under their own annotation key, by their document name."""

_CALENDAR_SHORTHAND = {"day": "1d", "week": "1w", "month": "1M", "quarter": "1Q", "year": "1Y"}
_UNITS = ((timedelta(days=1), "d"), (timedelta(hours=1), "h"), (timedelta(minutes=1), "m"))
_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff]")


def export_agreement(agreement: Agreement) -> list[dict[str, Any]]:
    """Export an agreement as OpenSLO v1 objects in plain data.

    Args:
        agreement: The agreement to export.

    Returns:
        The Service and SLO objects, in OpenSLO spelling, ready to be written as YAML or JSON.
    """
    return encode(export_objects(agreement))


def export_objects(agreement: Agreement) -> list[OpenSLOObject]:
    """Export an agreement as decoded OpenSLO v1 objects (see `export_agreement`).

    Args:
        agreement: The agreement to export.

    Returns:
        The agreement's Service (unless a service bears its name), one Service per service, and
        one SLO per objective, in that order.
    """
    labels = {AGREEMENT_KEY: agreement.name}
    services = []
    merged = False
    for service in agreement.spec.services:
        annotations = {SERVICE_KEY: _json(service.model_dump(mode="json", by_alias=True, exclude_defaults=True))}
        if service.name == agreement.name:
            annotations |= _agreement_annotations(agreement)
            merged = True
        meta = _metadata(service.name, service.title, labels, annotations)
        services.append(_service(meta, service.description))
    if not merged:
        meta = _metadata(agreement.name, agreement.spec.title, labels, _agreement_annotations(agreement))
        services.insert(0, _service(meta, None))
    names = {service.name for service in agreement.spec.services}
    slos = [_slo(agreement, objective, names, labels) for objective in agreement.spec.objectives]
    return [OpenSLOObject(v1.Service.model_validate(data)) for data in services] + slos


def import_agreement(objects: Sequence[OpenSLOObject | dict[str, Any]]) -> Agreement:
    """Rebuild the agreement that `export_agreement` exported.

    Args:
        objects: The exported objects, decoded (`attain.formats.openslo.decode`) or as plain data.

    Returns:
        The agreement, equal to the one exported.

    Raises:
        InvalidAgreement: If the objects hold no exported agreement, several, or an annotation
            that does not read back to valid attain data.
    """
    decoded = [_decoded(item) for item in objects]
    carriers = [o for o in decoded if AGREEMENT_KEY in _annotations(o)]
    if len(carriers) != 1:
        hint = f"import the objects of one `attain export` (annotation {AGREEMENT_KEY})"
        raise InvalidAgreement([_problem(f"found {len(carriers)} exported agreements, expected 1", hint)])
    data = _loads(_annotations(carriers[0])[AGREEMENT_KEY])
    spec = data.setdefault("spec", {})
    for field, key in SPLIT_KEYS.items():
        if key in _annotations(carriers[0]):
            spec[field] = _loads(_annotations(carriers[0])[key])
    services = [_loads(_annotations(o)[SERVICE_KEY]) for o in decoded if SERVICE_KEY in _annotations(o)]
    if services:
        spec["services"] = services
    names = {service.get("name") for service in services}
    spec["objectives"] = [_objective_from(o, names) for o in decoded if isinstance(o.model, v1.SLO)]
    try:
        return Agreement.model_validate(data)
    except ValidationError as error:
        raise InvalidAgreement([_problem(f"the imported agreement is not valid: {error}", "re-export it")]) from None


def _agreement_annotations(agreement: Agreement) -> dict[str, str]:
    data = agreement_data(agreement)
    spec = data.pop("spec")
    spec.pop("objectives", None)
    spec.pop("services", None)
    annotations = {key: _json(spec.pop(field)) for field, key in SPLIT_KEYS.items() if field in spec}
    return {AGREEMENT_KEY: _json({**data, "spec": spec}), **annotations}


def _slo(agreement: Agreement, objective: Objective, services: set[str], labels: dict[str, str]) -> OpenSLOObject:
    ratio = _ratio_metric(objective.indicator)
    if ratio is not None:
        exported = _slo_object(agreement, objective, labels, ratio, {})
        problems = validate_openslo([exported])
        derived = _derived(exported, services) if not problems else {}
        if derived.get("indicator") is not None:
            fields = _differing(objective, derived)
            if fields is not None:
                annotations = {FIELDS_KEY: _json(fields)} if fields else {}
                return _slo_object(agreement, objective, labels, ratio, annotations)
    placeholder = {"rawType": "success", "raw": _metric("attain", objective.indicator.model_dump(mode="json"))}
    full = {OBJECTIVE_KEY: _json(objective.model_dump(mode="json", by_alias=True, exclude_defaults=True))}
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
        "metadata": _metadata(objective.name, objective.title, labels, annotations),
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


def _objective_from(slo: OpenSLOObject, services: set[Any]) -> dict[str, Any]:
    annotations = _annotations(slo)
    if OBJECTIVE_KEY in annotations:
        data: dict[str, Any] = _loads(annotations[OBJECTIVE_KEY])
        return data
    derived = _derived(slo, {s for s in services if isinstance(s, str)})
    if not derived:
        hint = f"export it with attain, or add the annotation {OBJECTIVE_KEY}"
        raise InvalidAgreement([slo.problem(("spec",), "the SLO cannot be read as an attain objective", hint)])
    return {**derived, **_loads(annotations.get(FIELDS_KEY, "{}"))}


def _service(metadata: dict[str, Any], description: str | None) -> dict[str, Any]:
    data = {"apiVersion": v1.API_VERSION, "kind": "Service", "metadata": metadata, "spec": {}}
    if description is not None:
        data["spec"] = {"description": description}
    return data


def _metadata(name: str, title: str | None, labels: dict[str, str], annotations: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {"name": name, "labels": dict(labels)}
    if title is not None:
        data["displayName"] = title
    if annotations:
        data["annotations"] = annotations
    return data


def _annotations(obj: OpenSLOObject) -> dict[str, str]:
    metadata = obj.model.metadata
    return metadata.annotations or {} if isinstance(metadata, v1.Metadata) else {}


def _decoded(item: OpenSLOObject | dict[str, Any]) -> OpenSLOObject:
    if isinstance(item, OpenSLOObject):
        return item
    kind = v1.KINDS.get(str(item.get("kind")), v1.Service)
    try:
        return OpenSLOObject(kind.model_validate(item))
    except ValidationError as error:
        raise InvalidAgreement([_problem(f"not an openslo/v1 object: {error}", "decode the export")]) from None


def _json(value: Any) -> str:
    """Compact JSON, non-ASCII kept, with characters YAML folds or refuses written as escapes."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return _UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def _loads(text: str) -> Any:
    """JSON text with decimals read exactly, as attain's ratios and money require."""
    try:
        return json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as error:
        raise InvalidAgreement([_problem(f"an annotation is not JSON: {error}", "re-export it")]) from None


def _problem(message: str, hint: str) -> Problem:
    return Problem("<openslo>", None, None, "metadata.annotations", message, hint)
