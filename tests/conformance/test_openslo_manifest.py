"""The OpenSLO entries of the shared conformance manifest, checked against attain's OpenSLO support."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from attain.errors import InvalidAgreement
from attain.formats.openslo import decode, dump_openslo, encode, findings_each, load_openslo_file
from attain.formats.source import SourceDocument, read_text


def _conformance_dir() -> Path:
    """The shared conformance files: an unchanged copy in tests/conformance/data, or ATTAIN_CONFORMANCE_DIR."""
    configured = os.environ.get("ATTAIN_CONFORMANCE_DIR")
    return Path(configured) if configured else Path(__file__).resolve().parent / "data"


CONFORMANCE = _conformance_dir()
MANIFEST = CONFORMANCE / "manifest.json"


def _manifest() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(MANIFEST.read_text(encoding="utf-8"))
    return data


_DATA = _manifest()
_FILES = [entry for entry in _DATA["files"] if entry["path"].startswith("openslo/")]
_PAIRS = _DATA.get("openslo_equivalence_pairs", [])


def test_the_manifest_is_there_and_covers_openslo() -> None:
    """The harness really runs: 35 OpenSLO file entries and 4 equivalence pairs are in the manifest."""
    assert len(_FILES) == 35
    assert len(_PAIRS) == 4


# Problems a strict validator reports on files the manifest expects to parse (decoding succeeds):
# (object index, property). attain reports them as warnings, so the files validate (test_manifest.py
# checks that they are warnings). Anything else reported on a `parse` file is a failure.
EXPECTED_DEVIATIONS: dict[str, set[tuple[int, str]]] = {
    # op on an objective whose SLI is a ratioMetric: the manifest notes this for go-sdk slos.yaml;
    # the spec examples have the same construct and the same strict validator reports it there.
    "openslo/go-sdk-examples/v1/slos.yaml": {(0, "spec.objectives[0].op")},
    "openslo/go-sdk-examples/v2alpha/slos.yaml": {(0, "spec.objectives[0].op")},
    "openslo/spec-examples/v1/budgeting-method/ratio-timeslices.yaml": {(0, "spec.objectives[0].op")},
    "openslo/spec-examples/v1/budgeting-method/timeslices-slo.yaml": {(0, "spec.objectives[0].op")},
    "openslo/spec-examples/v1/treat-low-traffic-as-equally-important/timeslices-slo.yaml": {
        (0, "spec.objectives[0].op")
    },
    # 'cloudWatch-prod' has an upper-case letter: not an RFC 1123 label (go-sdk reports it too).
    "openslo/go-sdk-codec/decode/v2alpha_data_source.yaml": {(0, "metadata.name")},
    # The codec's v2alpha SLOs omit budgetingMethod (required by go-sdk); bar-slo has no objectives.
    "openslo/go-sdk-codec/decode/v2alpha_slos.yaml": {
        (0, "spec.budgetingMethod"),
        (1, "spec.budgetingMethod"),
        (1, "spec.objectives"),
    },
}


def _ids(entries: list[dict[str, Any]], key: str) -> list[str]:
    return [entry[key] for entry in entries]


def _found(path: Path) -> list[set[tuple[int, str]]]:
    """What is reported on each object, errors and warnings (test_manifest.py tells them apart)."""
    objects = load_openslo_file(path)
    return [
        {(index, problem.path) for problem in errors + warnings}
        for index, (errors, warnings) in enumerate(findings_each(objects))
    ]


@pytest.mark.parametrize("entry", _FILES, ids=_ids(_FILES, "path"))
def test_manifest_entry(entry: dict[str, Any]) -> None:
    """Each OpenSLO file decodes, is refused, or validates exactly as its manifest entry expects."""
    path = CONFORMANCE / entry["path"]
    expect = entry["expect"]
    if expect == "reject_on_decode":
        with pytest.raises(InvalidAgreement) as raised:
            load_openslo_file(path)
        text = str(raised.value)
        key_words = {
            "invalid-apiversion.yaml": ["unsupported apiVersion", "'foo'"],
            "unknown-field.yaml": ["unknown field", "spec.markdown", "openslo/v1 Service"],
        }
        for word in key_words[path.name]:
            assert word in text
        return
    objects = load_openslo_file(path)
    expected = [(o["apiVersion"], o["kind"], o["name"]) for o in entry["objects"]]
    assert [(o.api_version, o.kind, o.name) for o in objects] == expected
    found = _found(path)
    reported = {item for per_object in found for item in per_object}
    if expect == "parse":
        assert reported == EXPECTED_DEVIATIONS.get(entry["path"], set())
        return
    assert expect == "parse_then_invalid"
    for error in entry["errors"]:
        assert (error["object_index"], error["property"]) in found[error["object_index"]]
    for index in entry["valid_objects"]:
        assert found[index] == set()


@pytest.mark.parametrize("pair", _PAIRS, ids=_ids(_PAIRS, "id"))
def test_equivalence_pair(pair: dict[str, Any]) -> None:
    """Both files of a pair decode to equal objects, and encoding then re-decoding keeps them equal."""
    first = load_openslo_file(CONFORMANCE / pair["a"])
    second = load_openslo_file(CONFORMANCE / pair["b"])
    assert first == second
    assert first
    again = decode([SourceDocument("<encoded>", 0, encode(first))])
    assert again == first
    assert decode(read_text(dump_openslo(first))) == first


@pytest.mark.parametrize(
    "entry",
    [e for e in _FILES if e["expect"] != "reject_on_decode"],
    ids=_ids([e for e in _FILES if e["expect"] != "reject_on_decode"], "path"),
)
def test_round_trip_every_decodable_file(entry: dict[str, Any]) -> None:
    """Every decodable OpenSLO file survives encode + decode and YAML dump + decode unchanged."""
    objects = load_openslo_file(CONFORMANCE / entry["path"])
    assert decode([SourceDocument("<encoded>", 0, encode(objects))]) == objects
    assert decode(read_text(dump_openslo(objects))) == objects


def test_manifest_lists_openslo_entries() -> None:
    """The manifest indexes the OpenSLO files and pairs this suite is driven by."""
    assert len(_FILES) == 35
    assert len(_PAIRS) == 4
