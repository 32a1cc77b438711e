"""An `attain/v1` agreement drafted from other tools' SLO files (`attain import`).

Each document is read by the reader of its format: OpenSLO (`openslo/v1` SLOs through
`openslo.objective_data`, `openslo/v1alpha` SLOs as Sloth reads them, `openslo/v1` and v1alpha
Services as services), Sloth and Pyrra specs (`attain.formats.foreign`), and slo-generator SLO
configs with their shared configs' error budget policies (`attain.formats.slo_generator`). Their
objectives become one draft agreement with placeholder parties. Everything a reader does not
carry, or carries only approximately, is an `unmapped` problem: it is listed, never dropped.
A document that cannot be read at all (an unsupported Sloth version, a broken SLO) is an error.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from attain.errors import InvalidInput, Problem
from attain.formats import foreign, pyrra, slo_generator
from attain.formats.emitter import comment_text, yaml_writer
from attain.formats.native import is_agreement, parse_agreement
from attain.formats.sloth.spec import is_sloth
from attain.formats.source import SourceDocument
from attain.model.numeral import format_number, format_ratio

PLACEHOLDER_PROVIDER = "Provider (to be named)"
PLACEHOLDER_CUSTOMER = "Customer (to be named)"
_RATIO_KEYS = frozenset({"target", "sliceTarget"})
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass
class Imported:
    """A drafted agreement and what it leaves out.

    Attributes:
        agreement: The `attain/v1` Agreement document as plain data (it validates).
        unmapped: One problem per feature of the inputs not carried, or carried approximately.
        read_as: For each document read, its file and the format it was read as.
    """

    agreement: dict[str, Any]
    unmapped: list[Problem] = field(default_factory=list)
    read_as: list[tuple[str, str]] = field(default_factory=list)

    def text(self) -> str:
        """The agreement as YAML, headed by comments that list every unmapped item."""
        lines = [
            f"# Drafted by `attain import` from {', '.join(sorted({f for f, _ in self.read_as}))}.",
            "# Edit before use: the parties, purpose and effective date are placeholders.",
        ]
        if self.unmapped:
            lines.append(f"# Not carried over, or only approximately ({len(self.unmapped)}):")
            lines += [f"#   {problem}" for problem in self.unmapped]
        stream = io.StringIO()
        yaml_writer("safe").dump(self.agreement, stream)
        return "\n".join(comment_text(line) for line in lines) + "\n" + stream.getvalue()

    def as_dict(self) -> dict[str, Any]:
        """Plain data for `--output json`."""
        return {
            "agreement": self.agreement,
            "unmapped": [p.as_dict() | {"text": str(p)} for p in self.unmapped],
            "read": [{"file": file, "format": what} for file, what in self.read_as],
        }


@dataclass
class _Draft:
    objectives: list[dict[str, Any]] = field(default_factory=list)
    services: dict[str, dict[str, Any]] = field(default_factory=dict)
    unmapped: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    read_as: list[tuple[str, str]] = field(default_factory=list)

    def take(self, result: foreign.ForeignObjectives) -> None:
        self.objectives += result.objectives
        self.unmapped += result.unrepresented


def draft_agreement(documents: Sequence[SourceDocument], *, name: str, today: date) -> Imported:
    """Draft one agreement from the objectives of every document.

    Args:
        documents: The documents of every input file, as `attain.formats.source` reads them.
        name: The agreement's `metadata.name` (an RFC 1123 label).
        today: The effective date written into the draft.

    Returns:
        The agreement and every unmapped item.

    Raises:
        InvalidInput: If a document cannot be read, or no objective results; every problem listed.
    """
    draft = _Draft()
    policies = slo_generator.Policies()
    for document in documents:
        if _is_config(document):
            _guarded(draft, document, "slo-generator config", lambda d: slo_generator.read_policies(d, policies))
    for document in documents:
        if document.data is not None and not (_is_openslo(document.data) or _is_config(document)):
            _read(draft, document, policies)
    _openslo(draft, [d for d in documents if _is_openslo(d.data)])
    if draft.errors:
        raise InvalidInput(draft.errors)
    if not draft.objectives:
        files = ", ".join(sorted({d.file for d in documents})) or "no file"
        hint = "give OpenSLO v1 SLOs, Sloth or Pyrra specs, or slo-generator SLO configs"
        raise InvalidInput([Problem(files, None, None, "", "no objective to import", hint), *draft.unmapped])
    agreement = _agreement(draft, name, today)
    try:
        parse_agreement(SourceDocument("<imported agreement>", 0, agreement))
    except InvalidInput as error:
        raise InvalidInput(draft.unmapped + error.problems) from None
    return Imported(agreement, draft.unmapped, draft.read_as)


def _guarded(draft: _Draft, document: SourceDocument, what: str, read: Callable[[SourceDocument], Any]) -> None:
    draft.read_as.append((document.file, what))
    try:
        read(document)
    except InvalidInput as error:
        draft.errors += error.problems


def _read(draft: _Draft, document: SourceDocument, policies: slo_generator.Policies) -> None:
    """Read a document that is not OpenSLO (read together) nor a slo-generator shared config (read first)."""
    data = document.data
    if is_agreement(data):
        note = "already an attain/v1 Agreement: not imported"
        draft.unmapped.append(document.problem(("apiVersion",), note, "validate or apply it as it is"))
        return
    readers: tuple[tuple[bool, str, Callable[[SourceDocument], Any]], ...] = (
        (
            slo_generator.is_slo_generator(data),
            "slo-generator SLO",
            lambda d: draft.take(slo_generator.objectives_from_slo_generator(d, policies)),
        ),
        (is_sloth(data), "Sloth spec", lambda d: _sloth(draft, d)),
        (pyrra.is_pyrra(data), "Pyrra spec", lambda d: draft.take(foreign.objectives_from_pyrra(d))),
    )
    for matches, what, read in readers:
        if matches:
            _guarded(draft, document, what, read)
            return
    hint = "give OpenSLO, Sloth, Pyrra or slo-generator documents"
    draft.errors.append(document.problem(("apiVersion",), "not a document attain import reads", hint))


def _is_config(document: SourceDocument) -> bool:
    return slo_generator.is_slo_generator_config(document.data)


def _is_openslo(data: Any) -> bool:
    items = data if isinstance(data, list) else [data]
    return bool(items) and all(isinstance(i, dict) and "openslo" in str(i.get("apiVersion", "")) for i in items)


def _sloth(draft: _Draft, document: SourceDocument) -> None:
    result = foreign.objectives_from_sloth(document)
    draft.take(result)
    for objective in result.objectives:
        service = objective.get("service")
        if service:
            draft.services.setdefault(service, {"name": service})


def _openslo(draft: _Draft, documents: list[SourceDocument]) -> None:
    if documents:
        from attain.formats.openslo.draft import draft_openslo  # noqa: PLC0415 - OpenSLO models only when read

        found = draft_openslo(documents)
        draft.objectives += found.objectives
        draft.services |= found.services
        draft.unmapped += found.unmapped
        draft.errors += found.errors
        draft.read_as += found.read_as


def _agreement(draft: _Draft, name: str, today: date) -> dict[str, Any]:
    services: dict[str, dict[str, Any]] = {}
    renamed: dict[str, str] = {}
    for original, service in {**draft.services}.items():
        slug = _slug(original) or "service"
        renamed[original] = slug
        services.setdefault(slug, {**service, "name": slug})
    for objective in draft.objectives:
        if objective.get("service") is not None:
            objective["service"] = renamed.get(objective["service"], _slug(objective["service"]))
            services.setdefault(objective["service"], {"name": objective["service"]})
    taken: set[str] = set()
    for objective in draft.objectives:
        base = _slug(objective.get("name", "")) or "objective"
        unique, count = base, 1
        while unique in taken:
            count += 1
            unique = f"{base[: 60 - len(str(count))]}-{count}"
        taken.add(unique)
        if unique != objective.get("name"):
            message = f"objective {objective.get('name')!r} is named {unique!r} (names are unique RFC 1123 labels)"
            draft.unmapped.append(Problem("<imported agreement>", None, None, "objectives", message, ""))
        objective["name"] = unique
    spec: dict[str, Any] = {
        "title": f"Service levels imported for {name}",
        "status": "draft",
        "parties": {"provider": {"name": PLACEHOLDER_PROVIDER}, "customer": {"name": PLACEHOLDER_CUSTOMER}},
        "purpose": "Drafted by attain import from other tools' SLO definitions; to be reviewed by both parties.",
        "services": list(services.values()),
        "effective": {"from": today.isoformat()},
        "objectives": draft.objectives,
    }
    if not services:
        del spec["services"]
    agreement: dict[str, Any] = _plain({"apiVersion": "attain/v1", "kind": "Agreement", "metadata": {"name": name}})
    agreement["spec"] = _plain(spec)
    return agreement


def _slug(text: str) -> str:
    return _NOT_SLUG.sub("-", str(text).lower()).strip("-")[:63].strip("-")


def _plain(value: Any, key: str = "") -> Any:
    """Data that YAML and JSON write as is: Decimals as text (ratios as percentages)."""
    if isinstance(value, Decimal):
        return format_ratio(value) if key in _RATIO_KEYS else format_number(value)
    if isinstance(value, dict):
        return {str(k): _plain(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
