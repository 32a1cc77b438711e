"""schemathesis against the OpenAPI document, in process, as an admin and as a customer: no server errors, no schema violations.

schemathesis's own pytest plugin does not run under pytest 9, so each operation's hypothesis
strategy is driven here directly; the checks are schemathesis's own (`call_and_validate`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks

from api_support import NOW, Api, make_api
from attain.services.tokens import issue_token

SEMANTIC = checks.positive_data_acceptance
"""Left out: a schema cannot say which YAML is a valid agreement, or which row columns an agreement's
streams take, so some schema-valid requests are rightly refused with 422 and the field named."""

DOWNLOADS = {("get", "/api/v1/agreements/{name}/reports/{period}")}
"""Left out of the field check: the periodic report is a download (HTML, PDF or the report's own
JSON document, `attain report --format json`), not an API body."""

EXAMPLES = 30
"""Generated requests per operation and role: enough to reach every status an operation has."""


@pytest.fixture(scope="module")
def module_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    """One API for the module, on a fresh SQLite store."""
    folder: Path = tmp_path_factory.mktemp("schema")
    made = make_api(f"sqlite:///{folder}/attain.db", folder)
    yield made
    made.runtime.close()


def test_the_document_is_openapi_3_1(module_api: Api) -> None:
    """The API describes itself as OpenAPI 3.1 with every route under /api/v1 (and health and metrics)."""
    document = module_api.client.get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    assert all(path.startswith("/api/v1/") or path in {"/healthz", "/metrics"} for path in document["paths"])
    assert len(document["paths"]) == 38


def documented(schema: dict[str, Any], components: dict[str, Any]) -> bool:
    """Whether a response schema (after `$ref`s) names its fields: an object's properties, or an array's items'."""
    if "$ref" in schema:
        return documented(components[schema["$ref"].rsplit("/", 1)[-1]], components)
    if schema.get("type") == "array":
        return documented(schema.get("items", {}), components)
    return bool(schema.get("properties"))


def undocumented_routes(document: dict[str, Any]) -> list[str]:
    """The JSON routes whose success response does not name its fields."""
    components = document.get("components", {}).get("schemas", {})
    return [
        f"{method.upper()} {path} {status}"
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if (method, path) not in DOWNLOADS
        for status, response in operation["responses"].items()
        if status in {"200", "201"} and "application/json" in response.get("content", {})
        if not documented(response["content"]["application/json"].get("schema", {}), components)
    ]


def test_every_json_route_documents_its_fields(module_api: Api) -> None:
    """Every JSON route's success response is a schema with properties (or items with properties), not a bare object."""
    document = module_api.client.get("/api/v1/openapi.json").json()
    assert undocumented_routes(document) == []


@pytest.mark.parametrize(
    "schema",
    [{"type": "object"}, {}, {"type": "array", "items": {"type": "object"}}, {"$ref": "#/components/schemas/Bare"}],
)
def test_a_bare_object_is_reported(schema: dict[str, Any]) -> None:
    """The field check fails on a response schema that names no field, as the status had before (`{"type": "object"}`)."""
    response = {"200": {"content": {"application/json": {"schema": schema}}}}
    document = {"paths": {"/api/v1/x": {"get": {"responses": response}}}, "components": {"schemas": {"Bare": {}}}}
    assert undocumented_routes(document) == ["GET /api/v1/x 200"]


@pytest.mark.parametrize(("role", "party"), [("admin", None), ("customer", "Example Shop")])
def test_generated_requests_pass_every_check(module_api: Api, role: str, party: str | None) -> None:
    """Requests generated from the schema for every operation get no 5xx and answers that fit the schema."""
    loaded = schemathesis.openapi.from_asgi("/api/v1/openapi.json", module_api.app)
    operations = [result.ok() for result in loaded.get_all_operations()]
    assert len(operations) == 43

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case: schemathesis.Case) -> None:
            secret = issue_token(module_api.runtime.access, role, party, "schemathesis", NOW, None).secret
            case.call_and_validate(headers={"Authorization": f"Bearer {secret}"}, excluded_checks=[SEMANTIC])

        check()
