"""Model → YAML → model gives back the same agreement, for generated agreements."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from attain.formats.native import dump_agreement, parse_agreement
from attain.formats.source import read_text, spoofing_character
from attain.model import Agreement
from attain.model.quantity import format_ratio

durations = st.sampled_from(["1m", "5m", "90m", "1h", "6h", "1d", "7d", "28d", "4w", "PT8H"])
windows = st.one_of(
    st.builds(lambda d: {"rolling": d}, st.sampled_from(["5m", "1h", "7d", "28d", "30d"])),
    st.builds(
        lambda unit, zone: {"calendar": unit, "timeZone": zone},
        st.sampled_from(["day", "week", "month", "quarter", "year"]),
        st.sampled_from(["UTC", "Europe/Berlin", "Asia/Shanghai", "America/New_York"]),
    ),
)
indicators = st.one_of(
    st.just({"kind": "ratio", "events": "requests", "good": {"where": {"status": ["200", "204"]}}}),
    st.builds(
        lambda op, bound: {"kind": "threshold", "value": "latency_ms", "op": op, "bound": bound, "unit": "ms"},
        st.sampled_from(["lt", "le", "gt", "ge"]),
        st.integers(min_value=1, max_value=60_000),
    ),
    st.builds(lambda floor: {"kind": "availability", "from": "incidents", "minimumDowntime": floor}, durations),
    st.builds(
        lambda gap: {"kind": "freshness", "events": "backups", "where": {"status": "success"}, "maxGap": gap}, durations
    ),
    st.builds(
        lambda p1, p2: {
            "kind": "case",
            "clock": {"start": "created", "stop": "resolved"},
            "goals": {"P1": p1, "P2": p2},
        },
        durations,
        durations,
    ),
)


_TEXT = st.text(max_size=40).filter(lambda t: spoofing_character(t) is None)
"""Any text a document may hold: everything but the controls and bidi overrides the reader refuses."""


@st.composite
def objectives(draw: st.DrawFn, index: int) -> dict[str, Any]:
    """A valid objective with credit tiers below its target, credits falling as attainment rises."""
    target = Decimal(draw(st.integers(min_value=500_000, max_value=999_999))).scaleb(-6)
    edges = sorted(
        {Decimal(e).scaleb(-6) for e in draw(st.lists(st.integers(1, 999_999), max_size=3))} | {target},
        reverse=True,
    )
    edges = [e for e in edges if e <= target]
    tiers = []
    credit = 5
    for upper, lower in zip(edges, [*edges[1:], None], strict=True):
        if lower is None:
            tier = {"below": format_ratio(upper)}
        elif lower == upper:
            continue
        else:
            tier = {"below": format_ratio(upper), "atLeast": format_ratio(lower)}
        tiers.append(tier | {"credit": f"{credit}%"})
        credit = min(100, credit + draw(st.integers(0, 30)))
    return {
        "name": f"objective-{index}",
        "indicator": draw(indicators),
        "target": format_ratio(target),
        "window": draw(windows),
        "credits": tiers,
    }


@st.composite
def agreements(draw: st.DrawFn) -> dict[str, Any]:
    """An agreement document with one to four objectives."""
    count = draw(st.integers(min_value=1, max_value=4))
    return {
        "apiVersion": "attain/v1",
        "kind": "Agreement",
        "metadata": {"name": "generated", "labels": {"industry": draw(st.sampled_from(["cloud", "health"]))}},
        "spec": {
            "title": draw(_TEXT.filter(bool)),
            "version": draw(st.integers(min_value=1, max_value=99)),
            "parties": {"provider": {"name": "P"}, "customer": {"name": "C"}},
            "purpose": draw(_TEXT),
            "effective": {"from": "2026-01-01"},
            "objectives": [draw(objectives(i)) for i in range(count)],
        },
    }


@settings(max_examples=150, deadline=None)
@given(agreements())
def test_model_to_yaml_to_model_is_identity(document: dict[str, Any]) -> None:
    """Dumping a valid agreement and reading the YAML back yields an equal agreement."""
    agreement = Agreement.model_validate(document, by_alias=True, by_name=False)
    [reread] = read_text(dump_agreement(agreement))
    assert parse_agreement(reread) == agreement
