"""The model JSON stored beside each version's YAML: the same agreement back, and never trusted across revisions."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import attain.model as model_package
from attain.formats.bundle import load_bundle
from attain.formats.model_json import dump_model, load_model, model_revision
from attain.formats.native import dump_agreement
from attain.lifecycle.versions import parse_version
from attain.model import Agreement
from attain.ports import AgreementVersion

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests/reports/golden"
AGREEMENTS = sorted(
    [
        *(ROOT / "src/attain/formats/templates").glob("*/*.yaml"),
        *(ROOT / "examples").glob("*.yaml"),
        *GOLDEN.glob("agreement.*.yaml"),
    ]
)


def _agreements(path: Path) -> list[Agreement]:
    bundle = load_bundle([path])
    assert not bundle.problems, bundle.problems
    return list(bundle.agreements)


@pytest.mark.parametrize("path", AGREEMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_template_comes_back_equal_from_its_model_json(path: Path) -> None:
    """Every template (en, zh-CN), example and golden agreement round-trips through the model JSON exactly."""
    for agreement in _agreements(path):
        assert load_model(dump_model(agreement)) == agreement


def _version(document: str, model: str | None, revision: str | None) -> AgreementVersion:
    return AgreementVersion("a", 1, document, "d", date(2026, 1, 1), None, "active", 0, model, revision)


def test_a_version_loads_from_its_json_only_under_the_same_revision() -> None:
    """Under this revision the JSON is what loads (here deliberately another agreement); else the YAML."""
    one, other = (
        _agreements(ROOT / "src/attain/formats/templates/en" / f"{name}.yaml")[0]
        for name in ("cloud-uptime", "ecommerce")
    )
    document = dump_agreement(one)
    assert parse_version(_version(document, dump_model(other), model_revision())) == other
    assert parse_version(_version(document, dump_model(other), "an older revision")) == one
    assert parse_version(_version(document, None, None)) == one


def test_the_revision_changes_with_any_change_to_the_model_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A byte-for-byte copy of the model package has the same revision; one changed byte gives another."""
    source = Path(model_package.__file__).parent
    for copy, edit in (("same", False), ("edited", True)):
        folder = tmp_path / copy
        folder.mkdir()
        for path in source.glob("*.py"):
            (folder / path.name).write_bytes(path.read_bytes())
        if edit:
            window = folder / "window.py"
            window.write_bytes(window.read_bytes() + b"\n")
        monkeypatch.setattr(model_package, "__file__", str(folder / "__init__.py"))
        model_revision.cache_clear()
        found = model_revision()
        monkeypatch.undo()
        model_revision.cache_clear()
        assert (found == model_revision()) is not edit
