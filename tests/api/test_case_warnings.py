"""The API's status gives each case's warnings, due instant and elapsed business minutes, worked by hand."""

from __future__ import annotations

from typing import Any

from api_support import Api
from attain.api.schemas.results import StatusOut
from attain.formats.bundle import load_bundle_text
from attain.services.store import apply_bundle
from helpdesk_support import CASES, COUNTS, HELPDESK, TICKET_ROWS


def _helpdesk_status(api: Api) -> dict[str, Any]:
    """The help desk applied, its tickets pushed, and its status (at 15 Nov 12:00:30, evaluated at 12:00)."""
    apply_bundle(api.runtime.store, load_bundle_text(HELPDESK, "helpdesk.yaml"), api.runtime.now())
    rows = [{"case": c, "type": t, "timestamp": at} | ({"priority": p} if p else {}) for c, t, at, p in TICKET_ROWS]
    pushed = api.client.post(
        "/api/v1/agreements/helpdesk/cases",
        json={"stream": "tickets", "rows": rows},
        headers=api.as_("editor") | {"Idempotency-Key": "tickets-1"},
    )
    assert pushed.status_code == 201, pushed.text
    body = api.client.get("/api/v1/agreements/helpdesk/status", headers=api.as_("customer")).content
    assert StatusOut.model_validate_json(body).model_dump_json(by_alias=True).encode() == body
    return StatusOut.model_validate_json(body).model_dump(by_alias=True)


def test_the_status_gives_each_case_its_warnings_and_due_instant(api: Api) -> None:
    """Over a weekend of closed business hours: w3 at 75%, w2 at 50%, due Monday; b1 breached; s1 not started counting."""
    [resolution] = _helpdesk_status(api)["objectives"]
    assert resolution["cases"] == {"counts": COUNTS, "atRisk": 2, "items": CASES}
