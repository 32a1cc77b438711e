"""The three answers in one shape for every engine, the exact alert rule, and the comparison.

An answer maps each objective (service) to:

- `good`, `valid`: counts over the 30-day window `[end − 30d, end)`;
- `days`: `[[day start µs, good, valid], …]` for the days with valid events;
- `windows`: `{"5m": [bad, valid], …}` over `[end − W, end)`;
- `state`: `page`, `ticket` or `ok` at `end`.

Ratios, budgets and burn rates follow exactly from these integers (`fractions.Fraction`), so equal
integers mean identical ratios; `check` also compares attain's own decimal ratio, budget and burn
rates with the exact fractions computed from the peer's integers.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

WINDOWS = {"5m": 5, "30m": 30, "1h": 60, "2h": 120, "6h": 360, "1d": 1440, "3d": 4320}
"""Burn-rate windows in minutes."""
TIERS = (("1h", "5m", Fraction(2, 100), "page"), ("6h", "30m", Fraction(5, 100), "page"))
TIERS += (("1d", "2h", Fraction(10, 100), "ticket"), ("3d", "6h", Fraction(10, 100), "ticket"))
"""The SRE workbook's tiers, as in `attain.model.alerting.SRE_WORKBOOK_TIERS`."""
PERIOD_MINUTES = 30 * 1440
"""The default window: 30 days (the data set's `days`)."""

Answer = dict[str, dict[str, Any]]


def threshold(target: str, long_window: str, share: Fraction, period_minutes: int = PERIOD_MINUTES) -> Fraction:
    """`budgetConsumed × period ÷ longWindow × (1 − target)`: the error ratio a tier fires above."""
    return share * period_minutes / WINDOWS[long_window] * (1 - Fraction(target))


def state(target: str, windows: dict[str, list[int]], period_minutes: int = PERIOD_MINUTES) -> str:
    """The alert state from window counts: a tier fires when both windows burn strictly above it."""
    firing = set()
    for long_window, short_window, share, severity in TIERS:
        limit = threshold(target, long_window, share, period_minutes)
        fires = True
        for window in (long_window, short_window):
            bad, valid = windows[window]
            fires &= valid >= 1 and bad * limit.denominator > limit.numerator * valid
        if fires:
            firing.add(severity)
    return "page" if "page" in firing else ("ticket" if "ticket" in firing else "ok")


def assemble(
    targets: dict[str, str],
    totals: dict[str, tuple[int, int]],
    days: dict[str, list[list[int]]],
    windows: dict[str, dict[str, list[int]]],
    period_minutes: int = PERIOD_MINUTES,
) -> Answer:
    """An answer from a peer's integer results; the alert state by the exact rule above."""
    answer: Answer = {}
    for name, target in targets.items():
        good, valid = totals.get(name, (0, 0))
        found = {w: list(windows.get(name, {}).get(w, [0, 0])) for w in WINDOWS}
        answer[name] = {
            "good": int(good),
            "valid": int(valid),
            "days": sorted([int(a), int(b), int(c)] for a, b, c in days.get(name, []) if c),
            "windows": found,
            "state": state(target, found, period_minutes),
        }
    return answer


def from_summaries(rows: list[dict[str, Any]]) -> Answer:
    """An answer from `attain summary --output json` data (attain's own decimals kept for `check`)."""
    answer: Answer = {}
    for row in rows:
        rates = row["burnRates"]
        answer[row["objective"]] = {
            "good": row["good"],
            "valid": row["valid"],
            "days": sorted([d["start"], d["good"], d["valid"]] for d in row["days"] if d["valid"]),
            "windows": {w: list(row["windows"][w]) for w in WINDOWS},
            "state": row["state"],
            "ratio": row["ratio"],
            "budget_remaining": row["budgetRemaining"],
            "burn_rates": rates,
        }
    return answer


def check(reference: Answer, other: Answer, targets: dict[str, str]) -> list[str]:
    """Every difference between two answers; attain's decimals checked against exact fractions."""
    problems = []
    for name in sorted(set(reference) | set(other)):
        a, b = reference.get(name), other.get(name)
        if a is None or b is None:
            problems.append(f"{name}: missing in {'reference' if a is None else 'other'}")
            continue
        problems.extend(
            f"{name}.{field}: {str(a[field])[:120]} != {str(b[field])[:120]}"
            for field in ("good", "valid", "days", "windows", "state")
            if a[field] != b[field]
        )
        problems += [found for answer in (a, b) for found in _decimals(name, answer, targets[name])]
    return problems


def _decimals(name: str, answer: dict[str, Any], target: str) -> list[str]:
    """Attain's ratio, budget and burn rates equal the exact values from its integers (to 28 digits)."""
    if "ratio" not in answer or not answer["valid"]:
        return []
    good, valid = answer["good"], answer["valid"]
    problems = []
    exact = Fraction(good, valid)
    if abs(Fraction(Decimal(answer["ratio"])) - exact) >= Fraction(1, 10**20):
        problems.append(f"{name}.ratio {answer['ratio']} is not {good}/{valid}")
    allowed = (1 - Fraction(target)) * valid
    if Fraction(Decimal(answer["budget_remaining"])) != allowed - (valid - good):
        problems.append(f"{name}.budget_remaining {answer['budget_remaining']} != {allowed - (valid - good)}")
    for window, (bad, count) in answer["windows"].items():
        rate = answer["burn_rates"][window]
        if count == 0:
            if rate is not None:
                problems.append(f"{name}.burn {window}: an empty window has no burn rate, got {rate}")
            continue
        expected = Fraction(bad, count) / (1 - Fraction(target))
        if abs(Fraction(Decimal(rate)) - expected) >= Fraction(1, 10**20):
            problems.append(f"{name}.burn {window}: {rate} != {float(expected)}")
    return problems
