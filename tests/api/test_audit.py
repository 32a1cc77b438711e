"""The audit trail through the API: each change names the token that made it; customers see their own chain only."""

from __future__ import annotations

import hashlib

from api_support import NOW, OWN, Api, agreement_text
from attain.engine.instant import iso_utc


def test_a_new_version_posted_by_an_editor_is_recorded_as_that_token(api: Api) -> None:
    """The editor's new version is entry 2 of the shop's chain, by the editor's token; the customer reads that chain."""
    editor_id = next(t.id for t in api.runtime.access.tokens() if t.role == "editor")
    text = agreement_text(OWN, "Example Shop").replace("2026-10-01", "2026-12-01").replace("target: 99%", "target: 98%")
    posted = api.client.post("/api/v1/agreements", content=text, headers=api.as_("editor"))
    assert posted.status_code == 201, posted.text
    entries = api.client.get(f"/api/v1/agreements/{OWN}/audit", headers=api.as_("customer")).json()
    assert [(e["chain"], e["position"], e["actor"], e["action"], e["subject"], e["at"]) for e in entries] == [
        (OWN, 1, "system", "version.stored", "shop v1", iso_utc(NOW)),
        (OWN, 2, f"token:{editor_id}", "version.stored", "shop v2", iso_utc(NOW)),
        # Storing a version recounts the measurements under it: a change of its own.
        (OWN, 3, f"token:{editor_id}", "version.recounted", "shop v2", iso_utc(NOW)),
    ]
    stored = {v.version: v.digest for v in api.runtime.store.versions(OWN)}
    assert (entries[1]["before"], entries[1]["after"]) == (stored[1], stored[2])
    assert stored[2] == hashlib.sha256(api.runtime.store.versions(OWN)[1].document.encode()).hexdigest()
    checked = api.client.get("/api/v1/audit/verify", headers=api.as_("viewer")).json()
    assert checked["ok"] is True
    assert checked["breaks"] == []
    assert checked["heads"][OWN]["position"] == 3
    assert checked["heads"][OWN]["hash"] == entries[2]["hash"]
    # Four tokens were created at set-up: the store's own chain holds them.
    assert checked["heads"]["*"]["position"] == 4
    assert checked["entries"] == 3 + 1 + 4


def test_a_customer_sees_only_its_own_chain(api: Api) -> None:
    """Another customer's chain answers 404, as an unknown agreement does; the whole trail is for operators."""
    assert api.client.get("/api/v1/agreements/clinic/audit", headers=api.as_("customer")).status_code == 404
    assert api.client.get("/api/v1/audit", headers=api.as_("customer")).status_code == 403
    every = api.client.get("/api/v1/audit", params={"chain": "*"}, headers=api.as_("viewer")).json()
    assert [(e["action"], e["actor"]) for e in every] == [("token.created", "system")] * 4
