"""Importing the pure core loads no I/O or presentation library, and the package exports what it says.

`tests/test_layers.py` reads the source; this test imports it: every module of `attain.model` and
`attain.engine`, each in a fresh interpreter, and looks at what ended up in `sys.modules`.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import attain.engine
import attain.model

FORBIDDEN = (
    "aiohttp",
    "alembic",
    "duckdb",
    "fastapi",
    "httpx",
    "jinja2",
    "psycopg",
    "pyarrow",
    "requests",
    "rich",
    "ruamel",
    "sqlalchemy",
    "sqlite3",
    "starlette",
    "structlog",
    "typer",
    "urllib3",
    "uvicorn",
    "vl_convert",
    "weasyprint",
)
"""Libraries for databases, networks, files, web pages and terminals: none belongs in the pure core."""


def core_modules() -> list[str]:
    """Every module of attain.model and attain.engine, found by walking the packages."""
    found = []
    for package in (attain.model, attain.engine):
        found.append(package.__name__)
        found += [info.name for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}.")]
    return sorted(found)


def loaded_forbidden(modules: list[str]) -> list[str]:
    """The forbidden libraries that are in sys.modules after a fresh interpreter imports `modules`."""
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        f"print(','.join(sorted({{m.split('.')[0] for m in sys.modules}} & set({FORBIDDEN!r}))))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return [name for name in result.stdout.strip().split(",") if name]


def test_the_walk_finds_the_core() -> None:
    """The module list is the real core, not an empty package: it holds modules both packages are known to have."""
    modules = core_modules()
    assert {"attain.engine.budget", "attain.engine.burn_rate", "attain.model.agreement"} <= set(modules)
    assert len(modules) > 30


def test_core_imports_no_io_library() -> None:
    """Importing every model and engine module loads no database, network, file-format, web or terminal library."""
    assert loaded_forbidden(core_modules()) == []


@pytest.mark.parametrize("module", ["sqlite3", "jinja2", "pyarrow", "rich"])
def test_the_check_can_fail(module: str) -> None:
    """The probe does see a forbidden library when one is imported alongside the core."""
    assert loaded_forbidden(["attain.engine.budget", module]) == [module]


def test_model_exports_are_complete() -> None:
    """Every name in attain.model.__all__ exists, once."""
    assert all(hasattr(attain.model, name) for name in attain.model.__all__)
    assert len(set(attain.model.__all__)) == len(attain.model.__all__)
