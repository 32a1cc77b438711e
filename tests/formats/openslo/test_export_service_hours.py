"""OpenSLO export carries `serviceHours`, which OpenSLO cannot state, so that import gives the agreement back."""

from __future__ import annotations

from attain.formats.openslo.export import export_objects, import_agreement
from attain.testing import agreement, agreement_model

QUERY = {"type": "Prometheus", "spec": {"query": "sum(rate(x[{{.window}}]))"}}


def test_service_hours_survive_export_and_import() -> None:
    """An availability and a metric ratio objective counted in office hours round-trip through OpenSLO."""
    document = agreement(
        objectives=[
            {
                "name": "portal",
                "indicator": {"kind": "availability", "from": "incidents"},
                "target": "99.5%",
                "window": "month",
                "serviceHours": "office",
            },
            {
                "name": "api",
                "indicator": {"kind": "ratio", "good": {"metric": QUERY}, "valid": {"metric": QUERY}},
                "target": "99%",
                "window": "28d",
                "serviceHours": "office",
            },
        ]
    )
    document["spec"]["calendars"] = {"office": {"timeZone": "Asia/Shanghai", "hours": {"mon-fri": ["08:00-18:00"]}}}
    original = agreement_model(document)
    back = import_agreement(export_objects(original))
    assert back == original
    assert [o.service_hours for o in back.objectives] == ["office", "office"]
