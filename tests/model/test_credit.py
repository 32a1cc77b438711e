"""Credit tiers checked together: overlaps and gaps agree with a scan of every attainment on a fine grid."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from pydantic import ValidationError

from attain.model.credit import CreditTier, tier_findings

STEP = Decimal(1) / 20
"""Tier edges are multiples of 5%; scanning at half that step visits every edge and every stretch between two."""
GRID = [Decimal(k) / 40 for k in range(41)]

Edges = tuple[str | None, int | None, str, int]
edges = st.tuples(
    st.sampled_from([None, "atLeast", "above"]),
    st.integers(0, 20),
    st.sampled_from(["below", "atMost"]),
    st.integers(0, 20),
)


def tier(spec: Edges) -> CreditTier:
    """A 10% tier with the edges of `spec`: (lower kind, lower in 5% steps, upper kind, upper in 5% steps)."""
    low_kind, low, high_kind, high = spec
    data: dict[str, object] = {"credit": "10%", high_kind: f"{high * 5}%"}
    if low_kind is not None:
        data[low_kind] = f"{low * 5}%"
    return CreditTier.model_validate(data, by_alias=True, by_name=False)


def covers(spec: Edges, value: Decimal) -> bool:
    """Whether the tier written as `spec` covers `value`, decided from the edges alone (not the model)."""
    low_kind, low, high_kind, high = spec
    if low_kind == "atLeast" and value < low * STEP:
        return False
    if low_kind == "above" and value <= low * STEP:
        return False
    return value < high * STEP if high_kind == "below" else value <= high * STEP


@given(st.lists(edges, min_size=1, max_size=4))
def test_findings_agree_with_a_scan_of_every_attainment(specs: list[Edges]) -> None:
    """An overlap is reported iff some attainment is in two tiers; without one, a gap iff one inside is in none."""
    try:
        tiers = tuple(tier(s) for s in specs)
    except ValidationError:
        assume(False)  # an empty tier is refused by the tier itself, before any check of tiers together
        return
    findings = tier_findings(tiers, None)
    overlap = any(sum(covers(s, v) for s in specs) > 1 for v in GRID)
    assert any("overlap" in f.what for f in findings) == overlap
    if overlap:
        return
    lowest = min(Decimal(-1) if s[0] is None else s[1] * STEP for s in specs)
    highest = max(s[3] * STEP for s in specs)
    gap = any(lowest < v < highest and not any(covers(s, v) for s in specs) for v in GRID)
    warnings = [f for f in findings if f.warning]
    assert bool(warnings) == gap
    assert all(f.what.startswith("gap between credit tiers") for f in warnings)
    assert all(not f.warning for f in findings if f not in warnings)


@pytest.mark.parametrize(
    ("specs", "what"),
    [
        # [90%, 95%) and [0%, 85%): 85% up to 90% earns nothing.
        (
            [("atLeast", 18, "below", 19), (None, 0, "below", 17)],
            "gap between credit tiers attainment < 85% and 90% ≤ attainment < 95%: "
            "attainment from 85% to 90% earns no credit",
        ),
        # below 90% then above 90%: exactly 90% earns nothing.
        (
            [("above", 18, "below", 19), (None, 0, "below", 18)],
            "gap between credit tiers attainment < 90% and 90% < attainment < 95%: "
            "attainment of exactly 90% earns no credit",
        ),
    ],
)
def test_a_gap_is_a_warning_at_the_upper_tier(specs: list[Edges], what: str) -> None:
    """The warning names the stretch left without credit and sits at the upper tier of the two (index 0 here)."""
    [finding] = tier_findings(tuple(tier(s) for s in specs), Decimal("0.95"))
    assert (finding.at, finding.what, finding.warning) == (("credits", 0), what, True)
