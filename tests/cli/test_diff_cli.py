"""`attain diff`: two files or two stored versions, grouped into terms and operation, text and JSON."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from tests.cli_support import Cli

from attain.testing import agreement, agreement_yaml, ratio_objective


def _versions(tmp_path: Path) -> tuple[Path, Path]:
    first = agreement(objectives=[ratio_objective("checkout", target="99.9%", alerting="sre-workbook")])
    second: dict[str, Any] = copy.deepcopy(first)
    second["spec"]["version"] = 2
    second["spec"]["effective"] = {"from": "2026-03-01"}
    second["spec"]["objectives"][0]["target"] = "99.5%"
    del second["spec"]["objectives"][0]["alerting"]
    paths = tmp_path / "v1.yaml", tmp_path / "v2.yaml"
    for path, document in zip(paths, (first, second), strict=True):
        path.write_text(agreement_yaml(document))
    return paths


def test_diff_of_two_files_groups_terms_before_operation(attain: Cli, tmp_path: Path) -> None:
    """Diff of two files groups terms before operation."""
    v1, v2 = _versions(tmp_path)
    # The effective date changes as well: every new version has its own (the notice governs it).
    assert attain.out("diff", v1, v2).splitlines() == [
        f"Comparing {v1} with {v2}",
        "",
        "Terms (both parties must agree)",
        "  - checkout: target 99.9% → 99.5%",
        "",
        "Operation (the provider's to change)",
        "  - effective.from: January 1, 2026 → March 1, 2026",
        '  - objectives.checkout.alerting removed (was {"preset": "sre-workbook"})',
    ]


def test_diff_of_two_stored_versions_in_json_and_in_chinese(attain: Cli, tmp_path: Path) -> None:
    """Diff of two stored versions in json and in chinese."""
    v1, v2 = _versions(tmp_path)
    attain.out("apply", v1)
    attain.out("apply", v2)
    data = json.loads(attain.out("diff", "shop", "1", "2", "--output", "json"))
    assert data["agreement"] == "shop"
    assert (data["before"], data["after"]) == ({"label": "shop v1", "version": 1}, {"label": "shop v2", "version": 2})
    assert data["terms_changed"] is True
    assert [(c["field"], c["terms"]) for c in data["changes"]] == [
        ("spec.effective.from", False),
        ("spec.objectives.checkout.target", True),
        ("spec.objectives.checkout.alerting", False),
    ]
    chinese = attain.out("diff", "shop", "1", "2", "--lang", "zh-CN")
    assert chinese.splitlines()[0] == "shop 从第1版到第2版的变更"
    assert "  - checkout：目标 99.9% → 99.5%" in chinese.splitlines()


def test_a_version_that_is_not_stored_is_named_with_the_stored_ones(attain: Cli, tmp_path: Path) -> None:
    """A version that is not stored is named with the stored ones."""
    v1, _ = _versions(tmp_path)
    attain.out("apply", v1)
    done = attain("diff", "shop", "1", "3")
    assert done.returncode == 2
    assert "shop has no version 3" in done.stderr
    assert "stored versions: 1" in done.stderr


def test_the_same_file_twice_has_no_change(attain: Cli, tmp_path: Path) -> None:
    """The same file twice has no change."""
    v1, _ = _versions(tmp_path)
    assert attain.out("diff", v1, v1).splitlines()[-1] == "No change in the agreement's terms or operation."
