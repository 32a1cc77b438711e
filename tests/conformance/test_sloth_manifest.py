"""The Sloth entries of the shared conformance manifest: generated rules and `sloth validate` verdicts."""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from attain.errors import InvalidInput
from attain.formats.sloth.windows import DEFAULT_CATALOG
from attain.model.quantity import parse_duration
from attain.rules import RuleOptions, render_rules
from attain.rules.document import VERSION, rule_documents
from attain.services.rules import load_catalog, load_inputs, validate_inputs


def _conformance_dir() -> Path:
    """The shared conformance files: an unchanged copy in tests/conformance/data, or ATTAIN_CONFORMANCE_DIR."""
    configured = os.environ.get("ATTAIN_CONFORMANCE_DIR")
    return Path(configured) if configured else Path(__file__).resolve().parent / "data"


CONFORMANCE = _conformance_dir()
_DATA: dict[str, Any] = json.loads((CONFORMANCE / "manifest.json").read_text(encoding="utf-8"))
_PAIRS: list[dict[str, Any]] = _DATA["sloth_generate_pairs"]
_CASES: list[dict[str, Any]] = _DATA["sloth_validate_cases"]

# Cases this implementation is known not to satisfy, by manifest id, with the reason. Empty: every
# pair and every case passes. A listed case must fail (pytest's xfail is strict in this project).
EXPECTED_DEVIATIONS: dict[str, str] = {}

_NUMBER = re.compile(r"(?<![A-Za-z_:\d.])\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?![A-Za-z_\d])")
_GO_STRING = re.compile(r'{{\s*"((?:[^"\\]|\\.)*)"\s*}}')


def _ids(entries: list[dict[str, Any]]) -> list[str]:
    return [entry["id"] for entry in entries]


def _marked(entries: list[dict[str, Any]]) -> list[Any]:
    """The entries as pytest params, the expected deviations marked xfail with their reason."""
    return [
        pytest.param(e, marks=pytest.mark.xfail(reason=EXPECTED_DEVIATIONS[e["id"]], strict=True))
        if e["id"] in EXPECTED_DEVIATIONS
        else e
        for e in entries
    ]


def test_the_manifest_holds_the_sloth_entries() -> None:
    """The harness really runs: 22 generate pairs and 23 validate cases are in the manifest."""
    assert len(_PAIRS) == 22
    assert len(_CASES) == 23


def _expected_text(path: Path) -> str:
    """The expected file, a `.tpl` rendered as Go's text/template would (version and quoted strings)."""
    text = path.read_text(encoding="utf-8")
    if path.suffix != ".tpl":
        return text
    text = re.sub(r"{{\s*\.version\s*}}", VERSION, text)
    return _GO_STRING.sub(lambda match: match.group(1).replace('\\"', '"'), text)


def _documents(text: str) -> list[Any]:
    return [doc for doc in YAML(typ="safe", pure=True).load_all(text) if doc is not None]


def _generate(entry: dict[str, Any]) -> str:
    """Generate rules from the entry's input with its options, as `attain rules` does."""
    options = entry["options"]
    period = parse_duration(options.get("default_slo_period", "30d"))
    windows = options.get("alert_windows_dir")
    catalog = load_catalog([CONFORMANCE / windows]) if windows else DEFAULT_CATALOG
    loaded = load_inputs([CONFORMANCE / entry["input"]], period)
    rule_options = RuleOptions(
        version=VERSION,
        extra_labels=options.get("extra_labels", {}),
        disable_alerts=options.get("disable_alerts", False),
        disable_recordings=options.get("disable_recordings", False),
    )
    return render_rules(rule_documents(loaded.groups, rule_options, period, catalog), VERSION)


def _expr_equal(ours: str, theirs: str) -> bool:
    """Equal after collapsing whitespace, numeric literals equal to a relative 1e-9."""
    ours_text, theirs_text = (" ".join(text.split()) for text in (ours, theirs))
    if _NUMBER.sub("#", ours_text) != _NUMBER.sub("#", theirs_text):
        return False
    pairs = zip(_NUMBER.findall(ours_text), _NUMBER.findall(theirs_text), strict=True)
    return all(math.isclose(float(a), float(b), rel_tol=1e-9) for a, b in pairs)


def _groups(document: dict[str, Any]) -> list[dict[str, Any]]:
    groups: list[dict[str, Any]] = document["spec"]["groups"] if "spec" in document else document["groups"]
    return groups


def _assert_equivalent(ours: dict[str, Any], theirs: dict[str, Any]) -> None:
    assert ("spec" in ours) == ("spec" in theirs), "a PrometheusRule on one side only"
    if "spec" in theirs:
        assert (ours["apiVersion"], ours["kind"]) == (theirs["apiVersion"], theirs["kind"])
        assert ours["metadata"]["name"] == theirs["metadata"]["name"]
    ours_groups, theirs_groups = _groups(ours), _groups(theirs)
    assert [g["name"] for g in ours_groups] == [g["name"] for g in theirs_groups]
    for mine, expected in zip(ours_groups, theirs_groups, strict=True):
        assert len(mine["rules"]) == len(expected["rules"]), mine["name"]
        for rule, want in zip(mine["rules"], expected["rules"], strict=True):
            name = want.get("record") or want.get("alert")
            assert (rule.get("record"), rule.get("alert")) == (want.get("record"), want.get("alert"))
            strip = {"sloth_version"}
            assert {k: v for k, v in rule.get("labels", {}).items() if k not in strip} == {
                k: v for k, v in want.get("labels", {}).items() if k not in strip
            }, name
            assert rule.get("annotations", {}) == want.get("annotations", {}), name
            assert _expr_equal(rule["expr"], want["expr"]), f"{mine['name']} {name}:\n{rule['expr']}\n{want['expr']}"


@pytest.mark.parametrize("entry", _marked(_PAIRS), ids=_ids(_PAIRS))
def test_generate_pair(entry: dict[str, Any]) -> None:
    """Each input generates rules equivalent to Sloth's expected file, or is refused when an error is expected."""
    if entry.get("expected_error"):
        with pytest.raises(InvalidInput):
            _generate(entry)
        return
    ours = _documents(_generate(entry))
    theirs = _documents(_expected_text(CONFORMANCE / entry["expected"]))
    assert len(ours) == len(theirs)
    for mine, expected in zip(ours, theirs, strict=True):
        _assert_equivalent(mine, expected)


@pytest.mark.parametrize("entry", _marked(_CASES), ids=_ids(_CASES))
def test_validate_case(entry: dict[str, Any]) -> None:
    """Validating each case's inputs succeeds exactly when the manifest expects it to."""
    inputs = [CONFORMANCE / path for path in entry["inputs"]]
    ignore = entry["options"].get("ignore_slo_duplicates", False)
    problems = validate_inputs(inputs, timedelta(days=30), ignore_duplicates=ignore)
    assert (not problems) == entry["expect_valid"], [str(p) for p in problems]


def test_sloth_version_label_is_ours() -> None:
    """The version label carries attain's own version where Sloth's expected files have theirs."""
    ours = _documents(_generate(_PAIRS[0]))
    info = [r for g in _groups(ours[0]) for r in g["rules"] if r.get("record") == "sloth_slo_info"]
    assert info[0]["labels"]["sloth_version"] == VERSION


_PROMTOOL = shutil.which("promtool")


def _rule_files(text: str, folder: Path, stem: str) -> list[Path]:
    """Each generated document as a plain rule file (a PrometheusRule's spec taken out)."""
    files = []
    for index, document in enumerate(_documents(text)):
        path = folder / f"{stem}-{index}.yaml"
        plain = {"groups": _groups(document)}
        with path.open("w", encoding="utf-8") as stream:
            YAML(typ="safe", pure=True).dump(plain, stream)
        files.append(path)
    return files


@pytest.mark.skipif(_PROMTOOL is None, reason="promtool is not installed (scripts/system-packages-prometheus)")
@pytest.mark.parametrize("entry", [e for e in _PAIRS if not e.get("expected_error")], ids=lambda e: e["id"])
def test_generated_rules_pass_promtool(entry: dict[str, Any], tmp_path: Path) -> None:
    """Every file generated from a conformance input passes `promtool check rules`."""
    assert _PROMTOOL is not None
    files = _rule_files(_generate(entry), tmp_path, entry["id"])
    result = subprocess.run(
        [_PROMTOOL, "check", "rules", *map(str, files)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
