"""Every entry of the shared conformance manifest, honoured by a test generated from the manifest itself.

The entry lists are read when pytest collects this module, so an entry added to manifest.json
becomes a test; an `expect` value or a folder this harness does not know fails, never skips.
"""

from __future__ import annotations

import importlib.util
import json
import os
from datetime import timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from attain.errors import InvalidInput
from attain.formats import openslo, slo_generator
from attain.formats.foreign import objectives_from_pyrra
from attain.formats.source import read_file
from attain.services.rules import load_catalog, load_inputs
from cli_support import Cli


def _conformance_dir() -> Path:
    """The shared conformance files: an unchanged copy in tests/conformance/data, or ATTAIN_CONFORMANCE_DIR."""
    configured = os.environ.get("ATTAIN_CONFORMANCE_DIR")
    return Path(configured) if configured else Path(__file__).resolve().parent / "data"


CONFORMANCE = _conformance_dir()
MANIFEST: dict[str, Any] = json.loads((CONFORMANCE / "manifest.json").read_text(encoding="utf-8"))
SECTIONS = ("files", "sloth_generate_pairs", "sloth_validate_cases", "openslo_equivalence_pairs")

# Warnings (not errors) attain gives where `oslo validate` refuses, by file: (object index, property).
# The OpenSLO specification's own examples put `op` on ratio objectives; go-sdk's codec files have
# an upper-case name and v2alpha SLOs without budgetingMethod (and one without objectives).
OPENSLO_WARNINGS: dict[str, set[tuple[int, str]]] = {
    "openslo/go-sdk-examples/v1/slos.yaml": {(0, "spec.objectives[0].op")},
    "openslo/go-sdk-examples/v2alpha/slos.yaml": {(0, "spec.objectives[0].op")},
    "openslo/spec-examples/v1/budgeting-method/ratio-timeslices.yaml": {(0, "spec.objectives[0].op")},
    "openslo/spec-examples/v1/budgeting-method/timeslices-slo.yaml": {(0, "spec.objectives[0].op")},
    "openslo/spec-examples/v1/treat-low-traffic-as-equally-important/timeslices-slo.yaml": {
        (0, "spec.objectives[0].op")
    },
    "openslo/go-sdk-codec/decode/v2alpha_data_source.yaml": {(0, "metadata.name")},
    "openslo/go-sdk-codec/decode/v2alpha_slos.yaml": {
        (0, "spec.budgetingMethod"),
        (1, "spec.budgetingMethod"),
        (1, "spec.objectives"),
    },
    # Reported as warnings here, as errors by oslo (the manifest's errors[] for these files).
    "openslo/oslo-validate-invalid/v1.yaml": {(0, "spec.objectives[0].op")},
    "openslo/oslo-validate-invalid/v2alpha.yaml": {(0, "spec.objectives[0].op")},
}


def _id(entry: dict[str, Any]) -> str:
    return str(entry.get("id") or entry["path"])


def test_every_section_is_known_and_non_empty() -> None:
    """The manifest holds exactly the four sections this harness honours, none empty."""
    assert set(MANIFEST) - {"description"} == set(SECTIONS)
    assert [len(MANIFEST[s]) for s in SECTIONS] == [130, 22, 23, 4]


def _openslo(entry: dict[str, Any]) -> None:
    path, expect = CONFORMANCE / entry["path"], entry["expect"]
    if expect == "reject_on_decode":
        with pytest.raises(InvalidInput):
            openslo.load_openslo_file(path)
        return
    objects = openslo.load_openslo_file(path)
    assert [(o.api_version, o.kind, o.name) for o in objects] == [
        (o["apiVersion"], o["kind"], o["name"]) for o in entry["objects"]
    ]
    findings = openslo.findings_each(objects)
    errors = [{(i, p.path) for p in found} for i, (found, _) in enumerate(findings)]
    warnings = {(i, p.path) for i, (_, found) in enumerate(findings) for p in found}
    assert warnings == OPENSLO_WARNINGS.get(entry["path"], set())
    if expect == "parse":
        assert not any(errors), errors
        return
    assert expect == "parse_then_invalid", f"unknown expect {expect!r}"
    assert any(errors)
    for error in entry["errors"]:
        where = (error["object_index"], error["property"])
        assert where in errors[where[0]] | warnings
    for index in entry["valid_objects"]:
        assert errors[index] == set()


def _slo_generator(entry: dict[str, Any]) -> None:
    assert entry["expect"] == "parse", f"unknown expect {entry['expect']!r}"
    [document] = read_file(CONFORMANCE / entry["path"])
    [listed] = entry["objects"]
    if listed["apiVersion"] is None:
        assert slo_generator.is_slo_generator_config(document.data)
        slo_generator.read_policies(document, slo_generator.Policies())
        # ${VAR} placeholders stay text: as many in the data as in the file.
        placeholders = (CONFORMANCE / entry["path"]).read_text(encoding="utf-8").count("${")
        assert json.dumps(document.data, default=str).count("${") == placeholders
        return
    assert (document.data["apiVersion"], document.data["kind"]) == (listed["apiVersion"], listed["kind"])
    [objective] = slo_generator.objectives_from_slo_generator(document, slo_generator.Policies()).objectives
    assert objective["name"] == listed["name"]


def _sloth(entry: dict[str, Any]) -> None:
    path, expect = CONFORMANCE / entry["path"], entry["expect"]
    if expect == "reject":
        with pytest.raises(InvalidInput):
            load_inputs([path], timedelta(days=30))
        return
    assert expect == "parse", f"unknown expect {expect!r}"
    if entry["path"].startswith("sloth/alert-windows/"):
        load_catalog([path])
        return
    loaded = load_inputs([path], timedelta(days=30))
    assert any(group.slos for group in loaded.groups)


def _pyrra(entry: dict[str, Any]) -> None:
    assert entry["expect"] == "parse", f"unknown expect {entry['expect']!r}"
    names = [
        data["name"] for d in read_file(CONFORMANCE / entry["path"]) for data in objectives_from_pyrra(d).objectives
    ]
    assert names == [o["name"] for o in entry["objects"]]


CHECKS = {"openslo": _openslo, "slo-generator": _slo_generator, "sloth": _sloth, "pyrra": _pyrra}


@pytest.mark.parametrize("entry", MANIFEST["files"], ids=_id)
def test_file_entry(entry: dict[str, Any]) -> None:
    """Each file loads, is refused, or validates as its manifest entry expects, by the reader of its folder."""
    folder = entry["path"].split("/")[0]
    assert folder in CHECKS, f"no check for folder {folder!r}"
    CHECKS[folder](entry)


@pytest.mark.parametrize("entry", MANIFEST["sloth_validate_cases"], ids=_id)
def test_sloth_validate_case_through_the_cli(entry: dict[str, Any], attain: Cli) -> None:
    """`attain rules --validate` with the case's options exits 0 exactly when Sloth's validate accepts."""
    assert set(entry["options"]) <= {"ignore_slo_duplicates"}, entry["options"]
    flags = ["--ignore-slo-duplicates"] if entry["options"].get("ignore_slo_duplicates") else []
    inputs = [str(CONFORMANCE / path) for path in entry["inputs"]]
    result = attain("rules", "--validate", *flags, *inputs)
    assert result.returncode == (0 if entry["expect_valid"] else 2), result.stderr


def _sibling(name: str) -> ModuleType:
    """A sibling suite of this folder, loaded from its file (pytest imports test files by path)."""
    spec = importlib.util.spec_from_file_location(f"_manifest_{name}", Path(__file__).with_name(f"{name}.py"))
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_other_sections_are_parametrized_over_every_entry() -> None:
    """The generate and equivalence pairs are parametrized, all of them and no deviation, in the suites that check them."""
    sloth, opens = _sibling("test_sloth_manifest"), _sibling("test_openslo_manifest")
    assert [e["id"] for e in sloth._PAIRS] == [e["id"] for e in MANIFEST["sloth_generate_pairs"]]
    assert [e["id"] for e in sloth._CASES] == [e["id"] for e in MANIFEST["sloth_validate_cases"]]
    assert sloth.EXPECTED_DEVIATIONS == {}
    known = {"default_slo_period", "extra_labels", "disable_alerts", "disable_recordings", "alert_windows_dir"}
    assert all(set(e["options"]) <= known for e in MANIFEST["sloth_generate_pairs"])
    assert [e["id"] for e in opens._PAIRS] == [e["id"] for e in MANIFEST["openslo_equivalence_pairs"]]


_OPENSLO_PARSE = [e for e in MANIFEST["files"] if e["path"].startswith("openslo/") and e["expect"] == "parse"]


@pytest.mark.parametrize("entry", _OPENSLO_PARSE, ids=_id)
def test_attain_validate_accepts_every_openslo_file_expected_to_parse(entry: dict[str, Any], attain: Cli) -> None:
    """`attain validate FILE` exits 0 on each such file; what oslo refuses there is a `FILE:LINE:COL: warning: ` line on stderr."""
    done = attain("validate", CONFORMANCE / entry["path"], "--output", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert (data["valid"], data["problems"]) == (True, [])
    assert {w["path"] for w in data["warnings"]} == {p for _, p in OPENSLO_WARNINGS.get(entry["path"], set())}
    text = attain("validate", CONFORMANCE / entry["path"])
    warned = [line for line in text.stderr.splitlines() if ": warning: " in line]
    assert len(warned) == len(data["warnings"])
