"""Results and documents over the API: credits, periods, the report (JSON, HTML, PDF) and the contract."""

from __future__ import annotations

from api_support import Api

OUTAGE = {"stream": "outages", "rows": [{"start": "2026-10-10T00:00:00Z", "end": "2026-10-10T01:00:00Z"}]}


def _outage(api: Api) -> None:
    """One hour of downtime on 10 October 2026: 60 of October's 44.64 allowed minutes (0.1% of 31 days)."""
    headers = api.as_("editor") | {"Idempotency-Key": "october-outage"}
    assert api.client.post("/api/v1/agreements/shop/incidents", json=OUTAGE, headers=headers).status_code == 201


def test_an_hour_down_in_october_owes_the_ten_percent_tier(api: Api) -> None:
    """1 − 60/44,640 = 99.8656% is below 99.9% and at least 99%: the customer sees a 10% credit for 2026-10."""
    _outage(api)
    customer = api.as_("customer")
    owed = api.client.get("/api/v1/agreements/shop/credits", headers=customer).json()
    assert owed == [
        {
            "period": "2026-10",
            "share": "10%",
            "amount": None,
            "payable": None,
            "currency": None,
            "objectives": {"uptime": "10%"},
            "triggeredBy": ["uptime"],
        }
    ]
    periods = api.client.get("/api/v1/agreements/shop/periods/2026-10", headers=customer).json()
    [uptime] = [p for p in periods if p["unit"] == "minutes"]
    assert (uptime["status"], uptime["budget"]["allowed"], uptime["budget"]["consumed"]) == ("breached", "44.64", "60")
    assert uptime["budget"]["remaining"] == "-15.36"


def test_the_report_downloads_as_json_html_and_pdf(api: Api) -> None:
    """The October report names the breach in JSON, renders as HTML, and is a PDF file."""
    _outage(api)
    customer = api.as_("customer")
    base = "/api/v1/agreements/shop/reports/2026-10"
    report = api.client.get(f"{base}?format=json", headers=customer)
    assert report.headers["content-disposition"] == 'inline; filename="shop-2026-10.json"'
    [uptime] = [o for o in report.json()["objectives"] if o["objective"] == "uptime"]
    assert uptime["results"][0]["budget"]["consumed"] == "60"
    html = api.client.get(f"{base}?format=html&lang=zh-CN", headers=customer)
    assert html.headers["content-type"] == "text/html; charset=utf-8"
    assert '<html lang="zh-CN"' in html.text
    pdf = api.client.get(f"{base}?format=pdf", headers=customer)
    assert (pdf.headers["content-type"], pdf.content[:5]) == ("application/pdf", b"%PDF-")


def test_the_contract_renders_in_each_language(api: Api) -> None:
    """The contract document carries the agreement's title and its parties."""
    english = api.client.get("/api/v1/agreements/shop/contract?format=md", headers=api.as_("viewer"))
    assert english.headers["content-type"] == "text/markdown; charset=utf-8"
    assert "Hosting SLA" in english.text
    assert "Example Shop" in english.text


def test_announcements_are_pushed_to_their_own_stream(api: Api) -> None:
    """A maintenance announcement is stored in the announcements stream."""
    row = {"start": "2026-10-20T00:00:00Z", "end": "2026-10-20T02:00:00Z", "kind": "maintenance"}
    body = {"rows": [row | {"announcedAt": "2026-10-01T00:00:00Z", "objectives": "uptime"}]}
    pushed = api.client.post(
        "/api/v1/agreements/shop/announcements", json=body, headers=api.as_("editor") | {"Idempotency-Key": "a"}
    )
    assert pushed.json()["stream"] == "announcements"
    [stored] = api.runtime.store.announcements(0, 2**62, "shop")
    assert (stored.kind.value, stored.objectives) == ("maintenance", ("uptime",))
