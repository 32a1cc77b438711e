"""/metrics: request counts by route template, evaluation time, ingestion lag and budget left per objective."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from api_support import NOW, Api


def _samples(api: Api) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    text = api.client.get("/metrics", headers=api.as_("viewer")).text
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def test_metrics_count_requests_by_route_and_report_budgets_and_lag(api: Api) -> None:
    """After an incident pushed 90 s before now, lag is 90 s, uptime has 13.2 of 43.2 minutes left, and status is cached."""
    api.runtime.clock = lambda: NOW - 90_000_000
    incident = {"stream": "outages", "rows": [{"start": "2026-11-10T00:00:00Z", "end": "2026-11-10T00:30:00Z"}]}
    pushed = api.client.post(
        "/api/v1/agreements/shop/incidents", json=incident, headers=api.as_("editor") | {"Idempotency-Key": "m"}
    )
    assert pushed.status_code == 201
    api.runtime.clock = lambda: NOW
    for _ in range(2):
        api.client.get("/api/v1/agreements/shop/status", headers=api.as_("viewer"))
    samples = _samples(api)
    route = "/api/v1/agreements/{name}/status"
    assert samples[("attain_http_requests_total", (("method", "GET"), ("route", route), ("status", "200")))] == 2
    assert samples[("attain_ingestion_lag_seconds", (("agreement", "shop"),))] == 90
    uptime = ("attain_budget_remaining_ratio", (("agreement", "shop"), ("objective", "uptime")))
    assert samples[uptime] == round(13.2 / 43.2, 9)
    assert samples[("attain_budget_remaining_ratio", (("agreement", "clinic"), ("objective", "uptime")))] == 1
    again = _samples(api)
    assert again[("attain_evaluation_duration_seconds_count", ())] == 2, "each agreement evaluated once, then cached"


def test_customers_cannot_read_metrics(api: Api) -> None:
    """Metrics span every customer, so a customer token gets 403."""
    assert api.client.get("/metrics", headers=api.as_("customer")).status_code == 403
