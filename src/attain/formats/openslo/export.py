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

The SLO of each objective is built in `attain.formats.openslo.slo`; the annotation keys and their
JSON in `attain.formats.openslo.annotation`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from attain.errors import InvalidAgreement
from attain.formats.native import agreement_data
from attain.formats.openslo import v1
from attain.formats.openslo.annotation import (
    AGREEMENT_KEY,
    SERVICE_KEY,
    SPLIT_KEYS,
    annotation_problem,
    annotations_of,
    dump_annotation,
    load_annotation,
    object_metadata,
)
from attain.formats.openslo.decode import OpenSLOObject, encode
from attain.formats.openslo.slo import export_slo, import_objective
from attain.model import Agreement


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
        annotations = {
            SERVICE_KEY: dump_annotation(service.model_dump(mode="json", by_alias=True, exclude_defaults=True))
        }
        if service.name == agreement.name:
            annotations |= _agreement_annotations(agreement)
            merged = True
        meta = object_metadata(service.name, service.title, labels, annotations)
        services.append(_service(meta, service.description))
    if not merged:
        meta = object_metadata(agreement.name, agreement.spec.title, labels, _agreement_annotations(agreement))
        services.insert(0, _service(meta, None))
    names = {service.name for service in agreement.spec.services}
    slos = [export_slo(agreement, objective, names, labels) for objective in agreement.spec.objectives]
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
    carriers = [o for o in decoded if AGREEMENT_KEY in annotations_of(o)]
    if len(carriers) != 1:
        hint = f"import the objects of one `attain export` (annotation {AGREEMENT_KEY})"
        raise InvalidAgreement([annotation_problem(f"found {len(carriers)} exported agreements, expected 1", hint)])
    data = load_annotation(annotations_of(carriers[0])[AGREEMENT_KEY])
    spec = data.setdefault("spec", {})
    for field, key in SPLIT_KEYS.items():
        if key in annotations_of(carriers[0]):
            spec[field] = load_annotation(annotations_of(carriers[0])[key])
    services = [load_annotation(annotations_of(o)[SERVICE_KEY]) for o in decoded if SERVICE_KEY in annotations_of(o)]
    if services:
        spec["services"] = services
    names = {service.get("name") for service in services}
    spec["objectives"] = [import_objective(o, names) for o in decoded if isinstance(o.model, v1.SLO)]
    try:
        return Agreement.model_validate(data)
    except ValidationError as error:
        raise InvalidAgreement(
            [annotation_problem(f"the imported agreement is not valid: {error}", "re-export it")]
        ) from None


def _agreement_annotations(agreement: Agreement) -> dict[str, str]:
    data = agreement_data(agreement)
    spec = data.pop("spec")
    spec.pop("objectives", None)
    spec.pop("services", None)
    annotations = {key: dump_annotation(spec.pop(field)) for field, key in SPLIT_KEYS.items() if field in spec}
    return {AGREEMENT_KEY: dump_annotation({**data, "spec": spec}), **annotations}


def _service(metadata: dict[str, Any], description: str | None) -> dict[str, Any]:
    data = {"apiVersion": v1.API_VERSION, "kind": "Service", "metadata": metadata, "spec": {}}
    if description is not None:
        data["spec"] = {"description": description}
    return data


def _decoded(item: OpenSLOObject | dict[str, Any]) -> OpenSLOObject:
    if isinstance(item, OpenSLOObject):
        return item
    kind = v1.KINDS.get(str(item.get("kind")), v1.Service)
    try:
        return OpenSLOObject(kind.model_validate(item))
    except ValidationError as error:
        raise InvalidAgreement(
            [annotation_problem(f"not an openslo/v1 object: {error}", "decode the export")]
        ) from None
