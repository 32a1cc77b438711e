"""Loading a set of files together: agreements and OpenSLO objects, with references resolved.

An agreement's objective may say `openslo: <SLO name>` instead of spelling out its indicator,
target and window; the SLO is looked up among the OpenSLO objects of all files loaded with it.
Every problem in every file is collected, so that one run reports them all.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from attain.errors import InvalidInput, Problem
from attain.formats.native import agreement_warnings, is_agreement, parse_agreement
from attain.formats.source import SourceDocument, read_file, read_text
from attain.model import Agreement

if TYPE_CHECKING:
    from attain.formats.openslo import OpenSLOObject

_OBJECTIVE_REF_KEYS = ("openslo", "objective")


@dataclass
class FileContents:
    """What one file of a bundle holds: how many agreements, which OpenSLO objects, where it begins.

    Attributes:
        file: The file as problems name it.
        agreements: How many `attain/v1` Agreement documents it holds (valid or not).
        openslo: The OpenSLO objects decoded from it.
        documents: How many non-empty documents it holds, of any kind.
    """

    file: str
    agreements: int = 0
    openslo: list[OpenSLOObject] = field(default_factory=list)
    documents: int = 0


@dataclass
class Bundle:
    """What a set of files holds, and everything wrong with it.

    `warnings` are doubtful but valid: they never make a bundle invalid (a gap between credit
    tiers; OpenSLO that `oslo validate` refuses and attain reads, see `openslo.warn_openslo`).
    `contents` says what each readable file held and `used` which OpenSLO objects the agreements
    took objectives from, as (kind, name): an SLO an objective names (`openslo: <SLO name>`) and
    the SLI that SLO names as `indicatorRef`. A caller can so tell a file that gives it nothing
    (`attain apply` refuses one).
    """

    agreements: list[Agreement] = field(default_factory=list)
    openslo: list[OpenSLOObject] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    files: int = 0
    contents: list[FileContents] = field(default_factory=list)
    used: set[tuple[str, str]] = field(default_factory=set)


def load_bundle(paths: Sequence[str | Path]) -> Bundle:
    """Read, decode and validate every file; resolve agreements' references to OpenSLO SLOs."""
    bundle = Bundle(files=len(paths))
    agreement_docs: list[SourceDocument] = []
    for path in paths:
        agreement_docs += _read_one(path, bundle)
    _parse_agreements(bundle, agreement_docs)
    return bundle


def load_bundle_text(text: str, display: str) -> Bundle:
    """Like `load_bundle`, for one document text (an upload) shown in problems as `display`."""
    bundle = Bundle(files=1)
    try:
        documents = read_text(text, display)
    except InvalidInput as error:
        bundle.problems.extend(error.problems)
        return bundle
    _parse_agreements(bundle, _held(display, documents, bundle))
    return bundle


def _parse_agreements(bundle: Bundle, agreement_docs: list[SourceDocument]) -> None:
    if bundle.openslo:
        from attain.formats import openslo  # noqa: PLC0415 - its models load only when OpenSLO is read

        for errors, warnings in openslo.findings_each(bundle.openslo):
            bundle.problems.extend(errors)
            bundle.warnings.extend(warnings)
    for document in agreement_docs:
        try:
            resolved = _resolve_references(document, bundle.openslo, bundle.used)
            bundle.warnings.extend(agreement_warnings(resolved))
            bundle.agreements.append(parse_agreement(resolved))
        except InvalidInput as error:
            bundle.problems.extend(error.problems)


def _read_one(path: str | Path, bundle: Bundle) -> list[SourceDocument]:
    """Read a file: decode its OpenSLO objects into the bundle, return its agreement documents."""
    try:
        documents = read_file(path)
    except InvalidInput as error:
        bundle.problems.extend(error.problems)
        return []
    return _held(str(path), documents, bundle)


def _held(file: str, documents: list[SourceDocument], bundle: Bundle) -> list[SourceDocument]:
    """Sort one file's documents into the bundle and note what it held; return its agreement documents."""
    before = len(bundle.openslo)
    agreements = _sort_documents(documents, bundle)
    held = [d for d in documents if d.data is not None]
    bundle.contents.append(FileContents(file, len(agreements), bundle.openslo[before:], len(held)))
    return agreements


def _sort_documents(documents: list[SourceDocument], bundle: Bundle) -> list[SourceDocument]:
    """Decode the OpenSLO documents into the bundle; return the agreement documents."""
    agreements = [d for d in documents if is_agreement(d.data)]
    slo_docs = [d for d in documents if not is_agreement(d.data) and _is_openslo(d.data)]
    bundle.problems += [_unknown(d) for d in documents if d not in agreements + slo_docs and d.data is not None]
    if slo_docs:
        try:
            from attain.formats import openslo  # noqa: PLC0415 - its models load only when OpenSLO is read

            bundle.openslo.extend(openslo.decode(slo_docs))
        except InvalidInput as error:
            bundle.problems.extend(error.problems)
    return agreements


def load_agreement(path: str | Path) -> Agreement:
    """Load the single agreement in a file (with any OpenSLO objects beside it), or raise."""
    bundle = load_bundle([path])
    if bundle.problems:
        raise InvalidInput(bundle.problems)
    if len(bundle.agreements) != 1:
        found = len(bundle.agreements)
        raise InvalidInput([Problem(str(path), 1, 1, "", f"holds {found} agreements", "give a file with one")])
    return bundle.agreements[0]


def _is_openslo(data: Any) -> bool:
    if isinstance(data, list):
        return bool(data) and all(isinstance(item, dict) for item in data)
    return isinstance(data, dict) and "openslo" in str(data.get("apiVersion", ""))


def _unknown(document: SourceDocument) -> Problem:
    from attain.formats.pyrra import is_pyrra  # noqa: PLC0415 - their models load only for a foreign document
    from attain.formats.sloth.spec import is_sloth  # noqa: PLC0415

    data = document.data
    if is_sloth(data) or is_pyrra(data):
        sloth = is_sloth(data)
        what = "a Sloth spec" if sloth else "a Pyrra spec"
        where = ("version",) if sloth and "version" in data else ("apiVersion",)
        also = "`attain rules` reads Sloth specs; " if sloth else ""
        drafts = f"`attain import {document.file} --out agreement.yaml` drafts an attain/v1 Agreement from it"
        hint = f"{also}{drafts}, to validate or apply"
        return document.problem(where, f"{what}, not an attain/v1 Agreement or OpenSLO object", hint)
    version = data.get("apiVersion") if isinstance(data, dict) else None
    message = f"unsupported apiVersion {version!r}" if version else "not an agreement or OpenSLO object"
    return document.problem(("apiVersion",), message, "use apiVersion attain/v1 or openslo/v1")


def _resolve_references(
    document: SourceDocument, objects: list[OpenSLOObject], used: set[tuple[str, str]]
) -> SourceDocument:
    """Replace each `openslo:` objective entry by the objective converted from that SLO; add what it used to `used`."""
    objectives = _objective_list(document.data)
    if not any(isinstance(o, dict) and "openslo" in o for o in objectives):
        return document
    slos = {o.metadata.name: o for o in objects if o.kind == "SLO" and o.api_version == "openslo/v1"}
    slis = {o.metadata.name: o for o in objects if o.kind == "SLI" and o.api_version == "openslo/v1"}
    data = copy.deepcopy(document.data)
    problems = []
    for index, entry in enumerate(_objective_list(data)):
        if not isinstance(entry, dict) or "openslo" not in entry:
            continue
        path = ("spec", "objectives", index, "openslo")
        name = entry["openslo"]
        if name not in slos:
            known = ", ".join(sorted(slos)) or "none was loaded"
            problems.append(
                document.problem(
                    path, f"no openslo/v1 SLO named {name!r}", f"pass the file that defines it (SLOs: {known})"
                )
            )
            continue
        from attain.formats import openslo  # noqa: PLC0415
        from attain.formats.openslo import v1  # noqa: PLC0415

        model = slos[name].model
        used.add(("SLO", name))
        if isinstance(model, v1.SLO) and model.spec.indicator_ref:
            used.add(("SLI", model.spec.indicator_ref))
        try:
            converted = openslo.objective_data(slos[name], slis)
        except InvalidInput as error:
            problems.extend(error.problems)
            continue
        chosen = _choose(converted, entry.get("objective"))
        if chosen is None:
            names = ", ".join(repr(n) for n, _ in converted)
            wanted = entry.get("objective")
            what = (
                f"SLO {name!r} has several objectives"
                if wanted is None
                else f"SLO {name!r} has no objective {wanted!r}"
            )
            problems.append(document.problem(path, what, f"add objective: one of {names}"))
            continue
        overrides = {k: v for k, v in entry.items() if k not in _OBJECTIVE_REF_KEYS}
        _objective_list(data)[index] = {**chosen, **overrides}
    if problems:
        raise InvalidInput(problems)
    return SourceDocument(document.file, document.index, data, document.marks, document.key_marks)


def _objective_list(data: Any) -> list[Any]:
    spec = data.get("spec") if isinstance(data, dict) else None
    objectives = spec.get("objectives") if isinstance(spec, dict) else None
    return objectives if isinstance(objectives, list) else []


def _choose(converted: list[tuple[str | None, dict[str, Any]]], wanted: Any) -> dict[str, Any] | None:
    if wanted is None:
        return converted[0][1] if len(converted) == 1 else None
    for display_name, data in converted:
        if display_name == wanted:
            return data
    return None
