"""OpenSLO objects read for `attain import`: objectives, services, and what is not carried.

Every document is decoded first, so that an SLO finds its SLI (`indicatorRef`) in any input.
`openslo/v1` SLOs become objectives through `objective_data` (an SLO it refuses is skipped and
listed with the reason); `openslo/v1alpha` SLOs are read as Sloth reads them; v1 and v1alpha
Services become services. Everything else (alert objects, DataSources, SLIs no SLO names, any
`openslo.com/v2alpha` object, what the strict validator warns about, alert policies, labels,
annotations, a calendar's startTime) is listed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from attain.errors import InvalidAgreement, InvalidInput, Problem
from attain.formats.openslo import legacy, v1
from attain.formats.openslo.convert import objective_data
from attain.formats.openslo.decode import OpenSLOObject, decode
from attain.formats.openslo.validate import warn_openslo
from attain.formats.sloth.openslo import objectives_from_openslo_alpha
from attain.formats.source import SourceDocument


@dataclass
class OpenSLODraft:
    """What the OpenSLO documents give an imported agreement.

    Attributes:
        objectives: attain objective data, in the order of the SLOs.
        services: attain service data by OpenSLO name.
        unmapped: One problem per item not carried, or carried approximately.
        errors: The problems of documents that do not decode.
        read_as: Each document's file, and `OpenSLO`.
    """

    objectives: list[dict[str, Any]] = field(default_factory=list)
    services: dict[str, dict[str, Any]] = field(default_factory=dict)
    unmapped: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    read_as: list[tuple[str, str]] = field(default_factory=list)


def draft_openslo(documents: list[SourceDocument]) -> OpenSLODraft:
    """Read the OpenSLO documents of an import together (see the module's docstring)."""
    draft = OpenSLODraft()
    decoded: list[tuple[SourceDocument, list[OpenSLOObject]]] = []
    for document in documents:
        draft.read_as.append((document.file, "OpenSLO"))
        try:
            decoded.append((document, decode([document])))
        except InvalidInput as error:
            draft.errors += error.problems
    objects = [obj for _, found in decoded for obj in found]
    slis = {o.name: o for o in objects if isinstance(o.model, v1.SLI)}
    used = {ref for o in objects if isinstance(o.model, v1.SLO) for ref in _sli_refs(o.model)}
    for document, found in decoded:
        if any(isinstance(o.model, legacy.AlphaSLO) for o in found):
            alpha = objectives_from_openslo_alpha(document)
            draft.objectives += alpha.objectives
            draft.unmapped += alpha.unrepresented
        for obj in found:
            model = obj.model
            if isinstance(model, v1.Service | legacy.AlphaService):
                title = {"title": model.metadata.display_name} if model.metadata.display_name else {}
                description = model.spec.description if model.spec is not None else None
                draft.services[obj.name] = {"name": obj.name, **title} | (
                    {"description": description} if description else {}
                )
            elif isinstance(model, v1.SLO):
                _slo(draft, obj, model, slis)
            elif isinstance(model, legacy.AlphaSLO) or (isinstance(model, v1.SLI) and obj.name in used):
                continue  # v1alpha SLOs are read above, SLIs through the SLOs that name them
            else:
                what = "no SLO read with it names it" if isinstance(model, v1.SLI) else "it is not converted"
                hint = "attain converts openslo/v1 SLOs (with their SLIs) and v1 and v1alpha Services, and v1alpha SLOs"
                draft.unmapped.append(obj.problem((), f"{obj.api_version} {obj.kind} {obj.name!r}: {what}", hint))
    return draft


def _sli_refs(slo: v1.SLO) -> set[str]:
    refs = {slo.spec.indicator_ref} | {o.indicator_ref for o in slo.spec.objectives or ()}
    return {ref for ref in refs if ref}


def _slo(draft: OpenSLODraft, obj: OpenSLOObject, model: v1.SLO, slis: dict[str, OpenSLOObject]) -> None:
    try:
        converted = objective_data(obj, slis)
    except InvalidAgreement as error:
        draft.unmapped += [
            Problem(p.file, p.line, p.column, p.path, f"SLO {obj.name!r} skipped: {p.message}", p.hint)
            for p in error.problems
        ]
        return
    for _, data in converted:
        if model.spec.service:
            data["service"] = model.spec.service
            draft.services.setdefault(model.spec.service, {"name": model.spec.service})
        draft.objectives.append(data)
    draft.unmapped += warn_openslo([obj])
    spec, meta = model.spec, model.metadata
    window = spec.time_window[0] if spec.time_window else None
    notes = (
        (("spec", "alertPolicies"), spec.alert_policies, "alert policies are not carried", "add alerting:"),
        (("metadata", "labels"), meta.labels, "labels are not carried", "attain objectives have no labels"),
        (("metadata", "annotations"), meta.annotations, "annotations are not carried", ""),
        (
            ("spec", "timeWindow", 0, "calendar", "startTime"),
            window and window.calendar and window.calendar.start_time,
            "the calendar's startTime is not carried: attain aligns calendar windows to the unit's start",
            "",
        ),
    )
    draft.unmapped += [obj.problem(path, message, hint) for path, value, message, hint in notes if value]
