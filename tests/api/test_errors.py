"""One JSON error shape for every failure: 401, 403, 404, 405, 409, 413, 422 and 500."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api_support import Api
from cli_support import Cli

SHAPE = {"status", "code", "message", "problems"}
PROBLEM = {"file", "line", "column", "path", "message", "hint"}


def _error(response: Any, status: int, code: str) -> dict[str, Any]:
    """Check the response is the error document for `status` and return its `error` object."""
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == SHAPE
    assert (body["error"]["status"], body["error"]["code"]) == (status, code)
    assert all(set(p) == PROBLEM for p in body["error"]["problems"])
    return dict(body["error"])


def test_each_failure_has_the_one_shape(api: Api) -> None:
    """Missing token, forbidden role, unknown agreement, wrong method and invalid YAML all answer alike."""
    client, editor = api.client, api.as_("editor")
    _error(client.get("/api/v1/agreements"), 401, "unauthorized")
    _error(client.get("/api/v1/tokens", headers=editor), 403, "forbidden")
    _error(client.get("/api/v1/agreements/nope", headers=editor), 404, "not_found")
    _error(client.get("/api/v1/no-such-route", headers=editor), 404, "not_found")
    _error(client.delete("/api/v1/agreements", headers=editor), 405, "method_not_allowed")
    bad_yaml = client.post(
        "/api/v1/agreements", content="spec: [", headers=editor | {"content-type": "application/yaml"}
    )
    error = _error(bad_yaml, 422, "invalid_input")
    assert error["problems"][0]["line"] == 1
    assert error["problems"][0]["file"] == "<request>"


def test_schema_violations_name_the_field(api: Api) -> None:
    """A body that does not fit the schema names each field's location."""
    response = api.client.post(
        "/api/v1/agreements/shop/events",
        json={"stream": 5, "rows": [], "extra": 1},
        headers=api.as_("editor") | {"Idempotency-Key": "k"},
    )
    error = _error(response, 422, "invalid_input")
    assert sorted(p["path"] for p in error["problems"]) == ["body.extra", "body.rows", "body.stream"]


def test_an_invalid_agreement_names_line_and_field(api: Api) -> None:
    """An agreement with a target over 100% is refused with its line and field; nothing is stored."""
    text = (
        "apiVersion: attain/v1\nkind: Agreement\nmetadata: {name: bad}\nspec:\n  title: T\n"
        "  parties: {provider: {name: P}, customer: {name: C}}\n  purpose: x\n  effective: {from: 2026-10-01}\n"
        "  objectives:\n    - {name: up, indicator: {kind: availability, from: incidents}, target: 120%, window: month}\n"
    )
    response = api.client.post("/api/v1/agreements", content=text, headers=api.as_("editor"))
    error = _error(response, 422, "invalid_input")
    [problem] = error["problems"]
    assert (problem["line"], problem["path"]) == (10, "spec.objectives[0].target")
    assert [v.name for v in api.runtime.store.agreements()] == ["clinic", "shop"]


def test_an_agreement_whose_title_hides_a_bidi_override_is_refused(api: Api) -> None:
    """A right-to-left override in the title would make the contract read differently: 422, located, nothing stored."""
    text = (
        'apiVersion: attain/v1\nkind: Agreement\nmetadata: {name: spoof}\nspec:\n  title: "Credit 10\u202e%05"\n'
        "  parties: {provider: {name: P}, customer: {name: C}}\n  purpose: x\n  effective: {from: 2026-10-01}\n"
        "  objectives:\n    - {name: up, indicator: {kind: availability, from: incidents}, target: 99%, window: month}\n"
    )
    response = api.client.post("/api/v1/agreements", content=text, headers=api.as_("editor"))
    [problem] = _error(response, 422, "invalid_input")["problems"]
    assert (problem["line"], problem["column"]) == (5, 10)
    assert problem["message"] == (
        "character U+202E (RIGHT-TO-LEFT OVERRIDE) is not allowed: it can make text read differently from what is stored"
    )
    assert [v.name for v in api.runtime.store.agreements()] == ["clinic", "shop"]


def test_an_unexpected_failure_is_a_500_in_the_same_shape(api: Api) -> None:
    """A bug inside a route answers 500 with the shape, and no details leak."""

    def broken() -> None:
        raise RuntimeError("secret detail")

    api.runtime.store.agreements = broken  # type: ignore[method-assign]
    client = TestClient(api.app, raise_server_exceptions=False)
    error = _error(client.get("/api/v1/agreements", headers=api.as_("viewer")), 500, "internal_error")
    assert "secret" not in error["message"]


OPENSLO_SLO = (
    Path(__file__).resolve().parents[1]
    / "conformance/data/openslo/spec-examples/v1/budgeting-method/occurences-slo.yaml"
)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            OPENSLO_SLO.read_text(encoding="utf-8"),
            ("holds OpenSLO SLO 'search-slo' and no attain/v1 Agreement, so there is nothing to store"),
        ),
        ("", "empty: no attain/v1 Agreement to store"),
        ("# only a comment\n", "empty: no attain/v1 Agreement to store"),
    ],
)
def test_a_body_without_an_agreement_is_refused_as_apply_refuses_such_a_file(
    api: Api, attain: Cli, tmp_path: Path, text: str, message: str
) -> None:
    """POST /agreements and `attain apply` run the same check and give the same message and hint; nothing is stored."""
    response = api.client.post("/api/v1/agreements", content=text, headers=api.as_("editor"))
    [problem] = _error(response, 422, "invalid_input")["problems"]
    assert problem["message"] == message
    path = tmp_path / "upload.yaml"
    path.write_text(text, encoding="utf-8")
    applied = attain("apply", path)
    assert applied.returncode == 2
    hint = problem["hint"].replace("attain import FILE ", f"attain import {path} ")  # the CLI names the file
    assert f": (document): {problem['message']}; {hint}" in applied.stderr
    assert [v.name for v in api.runtime.store.agreements()] == ["clinic", "shop"]
