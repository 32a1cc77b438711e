"""Cross-references inside an agreement: names that must point at something that exists.

Problems are collected, not raised one by one, so that a user sees all of them at once; each
carries the path (relative to `spec`) of the field that holds the dangling name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic_core import PydanticCustomError

from attain.model.indicator import CaseIndicator
from attain.model.notify import CUSTOMER_FACING, PartyRole

if TYPE_CHECKING:
    from attain.model.agreement import AgreementSpec

Path = tuple[str | int, ...]
Problem = tuple[Path, str, str]


def find_reference_problems(spec: AgreementSpec) -> list[Problem]:
    """Return (path, what is wrong, what would be valid) for each dangling or repeated name."""
    objective_names = [o.name for o in spec.objectives]
    problems = _duplicates("objectives", objective_names, "objective")
    problems += _duplicates("services", [s.name for s in spec.services], "service")
    problems += _objective_references(spec)
    known = _choices(objective_names)
    for index, exclusion in enumerate(spec.exclusions):
        problems += [
            (("exclusions", index, "objectives", position), f"no objective named {name!r}", f"use one of {known}")
            for position, name in enumerate(exclusion.objectives)
            if name not in objective_names
        ]
    rights = spec.termination.rights if spec.termination is not None else ()
    problems += [
        (
            ("termination", "rights", index, "when", "objective"),
            f"no objective named {rule.when.objective!r}",
            f"use one of {known}, or leave it out for any objective",
        )
        for index, rule in enumerate(rights)
        if rule.when.objective is not None and rule.when.objective not in objective_names
    ]
    problems += _notify_problems(spec, objective_names)
    return problems


_CUSTOMER_EVENTS = ", ".join(sorted(kind.value for kind in CUSTOMER_FACING))


def _notify_problems(spec: AgreementSpec, objective_names: list[str]) -> list[Problem]:
    """Receivers named twice; routes naming unknown receivers or objectives, or sending a customer internal events."""
    notify = spec.notify
    if notify is None:
        return []
    names = [r.name for r in notify.receivers]
    problems = [(("notify", *path), what, valid) for path, what, valid in _duplicates("receivers", names, "receiver")]
    receivers = {r.name: r for r in notify.receivers}
    for index, route in enumerate(notify.routes):
        at: Path = ("notify", "routes", index)
        for position, name in enumerate(route.receivers):
            receiver = receivers.get(name)
            if receiver is None:
                hint = f"use one of {_choices(names)}" if names else "declare it under notify.receivers"
                problems.append(((*at, "receivers", position), f"no receiver named {name!r}", hint))
                continue
            internal = [kind.value for kind in route.events if kind not in CUSTOMER_FACING]
            if receiver.party is PartyRole.CUSTOMER and internal:
                problems.append(
                    (
                        (*at, "receivers", position),
                        f"customer receiver {name!r} would be sent internal events: {', '.join(internal)}",
                        f"route only {_CUSTOMER_EVENTS} to a customer receiver",
                    )
                )
        problems += [
            ((*at, "objectives", position), f"no objective named {name!r}", f"use one of {_choices(objective_names)}")
            for position, name in enumerate(route.objectives)
            if name not in objective_names
        ]
    return problems


def _duplicates(field: str, names: list[str], noun: str) -> list[Problem]:
    """A problem at the second and later definitions of each repeated name."""
    seen: set[str] = set()
    problems: list[Problem] = []
    for index, name in enumerate(names):
        if name in seen:
            problems.append(((field, index, "name"), f"{noun} {name!r} is defined twice", "rename one"))
        seen.add(name)
    return problems


def _objective_references(spec: AgreementSpec) -> list[Problem]:
    """Objectives naming a service or business calendar that the agreement does not declare."""
    services = [s.name for s in spec.services]
    problems: list[Problem] = []
    for index, objective in enumerate(spec.objectives):
        if objective.service is not None and objective.service not in services:
            hint = f"use one of {_choices(services)}" if services else "declare it under spec.services"
            problems.append((("objectives", index, "service"), f"no service named {objective.service!r}", hint))
        calendar = getattr(objective.indicator, "calendar", None)
        if isinstance(objective.indicator, CaseIndicator) and calendar is not None and calendar not in spec.calendars:
            hint = (
                f"use one of {_choices(list(spec.calendars))}" if spec.calendars else "declare it under spec.calendars"
            )
            problems.append((("objectives", index, "indicator", "calendar"), f"no calendar named {calendar!r}", hint))
        hours = objective.service_hours
        if hours is not None and hours not in spec.calendars:
            hint = (
                f"use one of {_choices(list(spec.calendars))}" if spec.calendars else "declare it under spec.calendars"
            )
            problems.append((("objectives", index, "serviceHours"), f"no calendar named {hours!r}", hint))
    return problems


def check_references(spec: AgreementSpec) -> None:
    """Raise one error carrying every reference problem, or return when there is none."""
    problems = find_reference_problems(spec)
    if problems:
        raise PydanticCustomError(
            "attain_references",
            "{what}",
            {"what": problems[0][1], "valid": problems[0][2], "problems": problems},
        )


def _choices(names: list[str]) -> str:
    return ", ".join(repr(n) for n in names)
