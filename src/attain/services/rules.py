"""`attain rules` on files: read the inputs, tell their kind, and generate their rules.

Inputs are files or folders (walked recursively for `.yaml`, `.yml` and `.json`); each document
is a Sloth `prometheus/v1` spec, a `PrometheusServiceLevel` resource, an OpenSLO `v1alpha` SLO or
an attain agreement. Every problem of every input is collected before anything is generated.
Files are read here; the SLOs of each document and the rule documents made from them come from
the pure `attain.rules` modules.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from attain.errors import InvalidInput, Problem
from attain.formats import openslo
from attain.formats.native import is_agreement, parse_agreement
from attain.formats.sloth.spec import is_sloth, parse_sloth
from attain.formats.sloth.windows import DEFAULT_CATALOG, AlertWindows, WindowCatalog, parse_alert_windows
from attain.formats.source import SourceDocument, read_file
from attain.rules.agreement import agreement_group
from attain.rules.document import DEFAULT_PERIOD, RuleFormat, rule_documents
from attain.rules.openslo import openslo_group
from attain.rules.prometheus import RuleOptions
from attain.rules.render import render_rules
from attain.rules.slo import OPENSLO_V1ALPHA, SLOGroup
from attain.rules.sloth import sloth_group
from attain.rules.validate import validate_groups

_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass(frozen=True, slots=True)
class Loaded:
    """The SLO groups read from the inputs, and the agreement objectives left out."""

    groups: list[SLOGroup]
    skipped: list[str] = field(default_factory=list)


def input_files(paths: Sequence[str | Path]) -> list[Path]:
    """Each path, or for a folder every YAML and JSON file below it, in sorted order."""
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in _SUFFIXES)
        else:
            files.append(path)
    return files


def load_inputs(paths: Sequence[str | Path], period: timedelta | None) -> Loaded:
    """Read every input into SLO groups.

    Args:
        paths: Files and folders.
        period: The SLO period asked for; None is 30 days for Sloth and OpenSLO inputs and each
            objective's rolling window for agreements.

    Raises:
        InvalidInput: Listing every problem of every input.
    """
    loaded, problems = _load(paths, period)
    if problems:
        raise InvalidInput(problems)
    return loaded


def _load(paths: Sequence[str | Path], period: timedelta | None) -> tuple[Loaded, list[Problem]]:
    """The groups of every readable input, and the problems of the others."""
    groups: list[SLOGroup] = []
    skipped: list[str] = []
    problems: list[Problem] = []
    for file in input_files(paths):
        try:
            documents = read_file(file)
        except InvalidInput as error:
            problems += error.problems
            continue
        for document in documents:
            try:
                groups += _document_groups(document, period, skipped)
            except InvalidInput as error:
                problems += error.problems
    return Loaded(groups, skipped), problems


def _document_groups(document: SourceDocument, period: timedelta | None, skipped: list[str]) -> list[SLOGroup]:
    data = document.data
    if data is None:
        return []
    if is_sloth(data):
        return [sloth_group(parse_sloth(document), document)]
    if is_agreement(data):
        found = agreement_group(parse_agreement(document), period, document.file)
        skipped += found.skipped
        return [found.group]
    if isinstance(data, dict) and data.get("apiVersion") == OPENSLO_V1ALPHA:
        objects = openslo.decode([document])
        return [openslo_group(obj, period or DEFAULT_PERIOD) for obj in objects if obj.kind == "SLO"]
    version = data.get("apiVersion") if isinstance(data, dict) else None
    hint = "give a Sloth prometheus/v1 spec, a PrometheusServiceLevel, an openslo/v1alpha SLO or an agreement"
    message = f"unsupported apiVersion {version!r}" if version else "not an SLO spec"
    raise InvalidInput([document.problem(("apiVersion",), message, hint)])


def load_catalog(paths: Sequence[str | Path]) -> WindowCatalog:
    """Read Sloth `AlertWindows` files (or folders of them) into a catalog, one set per period.

    Raises:
        InvalidInput: If a file is invalid or two files give different windows for one period.
    """
    found: dict[timedelta, AlertWindows] = {}
    problems: list[Problem] = []
    for file in input_files(paths):
        try:
            for document in read_file(file):
                if document.data is None:
                    continue
                windows = parse_alert_windows(document)
                if found.get(windows.period, windows) != windows:
                    hint = "keep one AlertWindows file per sloPeriod"
                    problems.append(document.problem(("spec", "sloPeriod"), "this period is already defined", hint))
                found[windows.period] = windows
        except InvalidInput as error:
            problems += error.problems
    if problems:
        raise InvalidInput(problems)
    return WindowCatalog(found)


def validate_inputs(
    paths: Sequence[str | Path],
    period: timedelta | None = None,
    *,
    ignore_duplicates: bool = False,
    exclude: str | None = None,
    include: str | None = None,
) -> list[Problem]:
    """Every problem `sloth validate` would report on the inputs (none when they are valid).

    As Sloth's `--fs-exclude` and `--fs-include`, `exclude` and `include` are regular expressions
    searched in the paths of the files found in folders: a match of `exclude` leaves a file out
    (its SLO ids are then no duplicates either), and with `include` only matching files are read;
    `exclude` wins. Files named directly are always read.
    """
    try:
        dropped, kept = (re.compile(e) if e else None for e in (exclude, include))
    except re.error as error:
        raise InvalidInput([Problem("--fs-exclude/--fs-include", None, None, "", str(error), "a regex")]) from None
    chosen: list[str | Path] = []
    for path in map(Path, paths):
        found = input_files([path]) if path.is_dir() else [path]
        chosen += [
            f
            for f in found
            if not path.is_dir() or not ((dropped and dropped.search(str(f))) or (kept and not kept.search(str(f))))
        ]
    loaded, problems = _load(chosen, period)
    if not chosen:
        problems.append(Problem(", ".join(map(str, paths)), None, None, "", "no file left to validate", ""))
    return problems + validate_groups(loaded.groups, ignore_duplicates=ignore_duplicates)


@dataclass(frozen=True, slots=True)
class Generated:
    """Rule text, and the agreement objectives left out (with the reason)."""

    text: str
    skipped: list[str]


def generate_rules(
    paths: Sequence[str | Path],
    options: RuleOptions,
    *,
    period: timedelta | None = None,
    alert_windows: Sequence[str | Path] = (),
    output: RuleFormat | None = None,
) -> Generated:
    """Read the inputs and write their rules as YAML text (what `attain rules` does).

    Args:
        paths: Input files and folders.
        options: Version, extra labels, and what to leave out.
        period: The SLO period; None: 30 days, or each agreement objective's rolling window.
        alert_windows: Sloth `AlertWindows` files or folders replacing the workbook's windows.
        output: The shape of every document; None: `PrometheusRule` for Kubernetes inputs only.

    Raises:
        InvalidInput: Listing every problem of the inputs or the alert windows.
    """
    catalog = load_catalog(alert_windows) if alert_windows else DEFAULT_CATALOG
    loaded = load_inputs(paths, period)
    if not any(group.slos for group in loaded.groups):
        hint = "give Sloth specs, OpenSLO v1alpha SLOs, or agreements with Prometheus ratio indicators"
        raise InvalidInput([Problem(", ".join(map(str, paths)), None, None, "", "no SLO found", hint)])
    documents = rule_documents(loaded.groups, options, period, catalog, output)
    return Generated(render_rules(documents, options.version), loaded.skipped)
