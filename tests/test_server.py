"""The server puts the API and the dashboard together; neither package imports the other."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute

import attain
from attain.api.app import create_app
from attain.server import create_server
from attain.services.runtime import create_runtime
from attain.settings import Settings

SOURCE = Path(attain.__file__).parent


def _imports(package: str) -> set[str]:
    """Every module named by an import statement in the package's modules, lazy imports included."""
    found: set[str] = set()
    for path in (SOURCE / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module is not None:
                found.add(node.module)
    return found


@pytest.mark.parametrize(("package", "other"), [("api", "attain.web"), ("web", "attain.api")])
def test_the_api_and_the_dashboard_do_not_import_each_other(package: str, other: str) -> None:
    """No module of attain.api imports attain.web, and no module of attain.web imports attain.api."""
    crossing = sorted(m for m in _imports(package) if m == other or m.startswith(f"{other}."))
    assert crossing == []


def _paths(routes: list[Any], prefix: str = "") -> set[str]:
    """The full path of every route, through included routers (FastAPI keeps them nested)."""
    found: set[str] = set()
    for route in routes:
        if hasattr(route, "original_router"):
            found |= _paths(route.original_router.routes, prefix + route.include_context.prefix)
        elif isinstance(route, APIRoute):
            found.add(prefix + route.path)
    return found


def test_the_server_serves_the_api_and_the_dashboard_while_the_api_alone_has_no_pages(tmp_path: Path) -> None:
    """create_server has the API's routes and the dashboard's pages; create_app has the API's routes only."""
    runtime = create_runtime(Settings(f"sqlite:///{tmp_path}/attain.db", tmp_path))
    try:
        api = _paths(create_app(runtime=runtime).routes)
        server = _paths(create_server(runtime=runtime).routes)
    finally:
        runtime.close()
    pages = {
        "/",
        "/agreements/{name}",
        "/agreements/{name}/dealings",
        "/agreements/{name}/objectives/{objective}",
        "/login",
        "/logout",
        "/lang/{code}",
    }
    assert {"/api/v1/agreements/{name}/status", "/healthz", "/metrics"} <= api
    assert not pages & api
    assert server == api | pages | {"/agreements/{name}/contract", "/agreements/{name}/reports/{period}"}
