"""Every YAML writer escapes NEL, LS and PS, so its text reads back exactly (the reader refuses them raw).

NEL is a C1 control character, which the reader refuses even escaped (issue 19): the round trips
hold LS and PS, and NEL only where it may stand, in a comment.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from attain.formats.bundle import load_bundle_text
from attain.formats.emitter import comment_text
from attain.formats.imports import draft_agreement
from attain.formats.native import dump_agreement, dump_yaml, parse_agreement
from attain.formats.openslo import decode, dump_openslo
from attain.formats.openslo.export import export_objects, import_agreement
from attain.formats.source import read_text
from attain.model import Agreement
from attain.rules import render_rules

RAW = re.compile("[\x85\u2028\u2029]")
NEL, LS, PS = "\x85", "\u2028", "\u2029"


def _agreement() -> Agreement:
    """An agreement whose title, purpose, parties, service, objective texts and a selector key hold LS and PS."""
    return Agreement.model_validate(
        {
            "apiVersion": "attain/v1",
            "kind": "Agreement",
            "metadata": {"name": "shop"},
            "spec": {
                "title": f"Shop{LS}SLA",
                "parties": {"provider": {"name": f"ACME{LS}Corp"}, "customer": {"name": f"Shop{PS}Ltd"}},
                "purpose": f"Keeps{PS}the shop{LS}online.{PS}",
                "effective": {"from": "2027-01-01"},
                "services": [{"name": "web", "description": f"The{LS}web shop"}],
                "objectives": [
                    {
                        "name": "success",
                        "title": f"Success{PS}rate",
                        "description": f"Line one\nline{LS}two",
                        "service": "web",
                        "indicator": {"kind": "ratio", "events": "requests", "good": {"where": {f"out{LS}come": "ok"}}},
                        "target": "99%",
                        "window": "month",
                    }
                ],
            },
        },
        by_alias=True,
        by_name=False,
    )


def test_the_agreement_writer_round_trips_the_characters_escaped() -> None:
    """`attain/v1` YAML holds no raw LS or PS (keys included), and reads back to an equal agreement."""
    agreement = _agreement()
    text = dump_agreement(agreement)
    assert RAW.search(text) is None
    assert "Shop\\LSLA" in text
    assert parse_agreement(read_text(text)[0]) == agreement


def test_the_openslo_writer_round_trips_the_characters_escaped() -> None:
    """OpenSLO export holds no raw LS or PS; decoded and imported it equals the agreement."""
    agreement = _agreement()
    text = dump_openslo(export_objects(agreement))
    assert RAW.search(text) is None
    assert import_agreement(decode(read_text(text))) == agreement


OPENSLO = """\
apiVersion: openslo/v1
kind: SLO
metadata:
  name: checkout
  displayName: "Checkout\\Lavailability"
  labels: {team: "pay\\Pments"}
spec:
  description: "Share of\\Pgood\\u2028checkouts"
  service: shop
  budgetingMethod: Occurrences
  timeWindow: [{duration: 28d, isRolling: true}]
  indicator:
    metadata: {name: ok}
    spec:
      ratioMetric:
        good: {metricSource: {type: Prometheus, spec: {query: 'sum(rate(ok[5m]))'}}}
        total: {metricSource: {type: Prometheus, spec: {query: 'sum(rate(all[5m]))'}}}
  objectives: [{target: 0.99}]
"""


def test_the_import_writer_round_trips_the_characters_escaped() -> None:
    """`attain import` of an OpenSLO SLO whose texts hold escaped LS and PS writes YAML that reads back with them."""
    imported = draft_agreement(read_text(OPENSLO, "slo.yaml"), name="shop", today=date(2027, 1, 1))
    text = imported.text()
    assert RAW.search(text) is None
    bundle = load_bundle_text(text, "imported.yaml")
    assert bundle.problems == []
    [agreement] = bundle.agreements
    [objective] = agreement.objectives
    assert (objective.title, objective.description) == (f"Checkout{LS}availability", f"Share of{PS}good{LS}checkouts")


def test_comment_lines_write_the_characters_as_text_escapes() -> None:
    r"""A comment cannot escape: NEL, LS and PS become `\u0085`, `\u2028`, `\u2029`, line feeds spaces."""
    assert comment_text(f"# a{NEL}b{LS}c{PS}d\ne") == "# a\\u0085b\\u2028c\\u2029d e"


@pytest.mark.parametrize("expr", [f"sum(rate(a[5m])){LS}", f"sum(rate(a[5m]))\n/{PS}\nsum(rate(b[5m]))"])
def test_the_rules_writer_round_trips_the_characters_escaped(expr: str) -> None:
    """Rule files hold no raw LS or PS (not even in a multi-line expression) and read back equal."""
    document: dict[str, Any] = {
        "groups": [
            {
                "name": f"slo{LS}group",
                "rules": [{"record": "r", "expr": expr, "labels": {"team": f"pay{PS}ments"}}],
                "annotations": {f"sum{LS}mary": "x"},
            }
        ]
    }
    text = render_rules([document], "test")
    assert RAW.search(text) is None
    [read] = read_text(text)
    assert read.data == document


def test_an_object_met_twice_is_written_twice_not_as_an_alias() -> None:
    """The same mapping under two keys is written out in full both times (the reader refuses aliases)."""
    shared = {"where": {"region": "eu"}}
    text = dump_yaml({"a": shared, "b": shared})
    assert "&" not in text
    assert "*" not in text
    assert read_text(text)[0].data == {"a": shared, "b": shared}
