"""Every module's imports follow the layer table, the core stays pure, and the document shows the same table."""

from __future__ import annotations

from pathlib import Path

import pytest

from layers import (
    DOCUMENT,
    LAYERS,
    Layer,
    clock_reads,
    document_table,
    impure_imports,
    package_cycles,
    pure_files,
    render_table,
    source_modules,
    violations,
)


def test_every_import_follows_the_layer_table() -> None:
    """No module of src/attain imports a package that its own package may not import."""
    assert violations(source_modules()) == []


def test_the_package_graph_has_no_cycle() -> None:
    """Following actual imports from package to package never leads back to the start."""
    assert package_cycles(source_modules()) == []


def test_the_table_only_points_down() -> None:
    """Each layer may import only layers drawn before it, so the table itself admits no cycle."""
    seen: set[str] = set()
    for layer in LAYERS:
        assert set(layer.imports) <= seen, f"{layer.name} may import a layer drawn above it"
        seen.add(layer.name)


def test_every_package_has_a_row() -> None:
    """Each package and top-level module of src/attain is a row of the table (the root package aside)."""
    packages = {name.split(".")[1] for name in source_modules() if name.count(".") >= 1}
    assert packages == {layer.name for layer in LAYERS}


# Today's cycles before the redesign of issue 13, as the imports that made them.
FORMER_CYCLES = {
    "reports ↔ services": (
        {"attain.reports.inputs": {"attain.services.memo"}, "attain.services.demo": {"attain.reports.period"}},
        ["reports", "services"],
    ),
    "formats ↔ rules": (
        {"attain.formats.sloth": {"attain.rules.slo"}, "attain.rules.generate": {"attain.formats.native"}},
        ["formats", "rules"],
    ),
    "api ↔ web": (
        {"attain.api.app": {"attain.web"}, "attain.web.pages": {"attain.api.deps"}},
        ["api", "web"],
    ),
}


@pytest.mark.parametrize("name", sorted(FORMER_CYCLES))
def test_each_former_cycle_fails_the_check(name: str) -> None:
    """The imports that made each of the three former package cycles are reported, as a violation and a cycle."""
    imports, cycle = FORMER_CYCLES[name]
    reported = {problem.split(" ")[0] for problem in violations(imports)}
    assert reported
    assert reported <= set(imports)
    assert package_cycles(imports) == [cycle]


def test_a_package_missing_from_the_table_is_reported() -> None:
    """A new package with no row fails the check instead of passing unchecked."""
    assert violations({"attain.plugins.x": {"attain.model"}}) == [
        "attain.plugins.x: package 'plugins' is not in the layer table"
    ]


def test_the_pure_core_imports_only_its_allow_list() -> None:
    """The model and the engine import pydantic, numpy, dateutil, holidays and the standard library minus I/O."""
    assert impure_imports(source_modules()) == []


@pytest.mark.parametrize(
    "name", ["sqlite3", "os.path", "pathlib", "time", "pyarrow", "jinja2", "rich", "typer", "httpx"]
)
def test_an_impure_import_in_the_core_is_reported(name: str) -> None:
    """An engine module that imports a file, clock, network or presentation library is reported."""
    assert impure_imports({"attain.engine.budget": {name, "numpy", "decimal"}}) == [
        f"attain.engine.budget imports {name}"
    ]


def test_the_pure_core_never_reads_the_clock() -> None:
    """No model or engine function calls datetime.now(), date.today() or a local-time conversion."""
    assert clock_reads(pure_files()) == []


def test_a_clock_read_is_reported(tmp_path: Path) -> None:
    """The clock check sees `datetime.now()` and `date.today()` where they are."""
    probe = tmp_path / "probe.py"
    probe.write_text("import datetime\nfrom datetime import date\nx = datetime.datetime.now()\ny = date.today()\n")
    assert clock_reads([probe]) == [f"{probe}:3: datetime.now()", f"{probe}:4: date.today()"]


def test_the_document_shows_the_table() -> None:
    """docs/architecture.md's layer table is the one rendered from tests/layers.py (`python tests/layers.py --write`)."""
    assert document_table(DOCUMENT.read_text(encoding="utf-8")) == render_table()


def test_the_rendered_table_lists_each_layer_once() -> None:
    """The rendered table has a header, a rule and one row per layer, each naming what it may import."""
    rows = render_table((Layer("model", "types", ("errors",)), Layer("errors", "tree"))).splitlines()
    assert rows == [
        "| package | job | may import |",
        "|---|---|---|",
        "| `model/` | types | `errors` |",
        "| `errors.py` | tree | – |",
    ]
