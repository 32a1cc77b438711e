"""Breach forecasts for an open period: projected attainment, breach probability, budget-gone date.

The model (docs/review.md, "Forecast"), for a period with `b` bad of `v` valid so far (events, or
minutes for time-based objectives) and target `t`:

1. **Volume still to come** `V`: for events, the mean valid count of each weekday × hour slot
   (in the agreement's zone) over the history, summed over the hours left in the period (a slot
   never seen takes the mean of all hours; part hours pro rata); for time, the minutes left.
2. **Error ratio of the rest**: `p̂ = (b + w·p_h + ½) / (v + w + 1)`, the period's burn so far
   shrunk toward the history's error ratio `p_h` with the weight `w` of one day of volume (a
   Jeffreys ½ keeps `p̂` inside (0, 1)).
3. **Bad still to come** `B`: mean `μ = V·p̂`; variance that of a beta-binomial,
   `φ · V·p̂(1 − p̂) · (n + V)/(n + 1)` with `n = v + w + 1`, widened by the history's
   overdispersion `φ ≥ 1` (Pearson χ² per degree of freedom of the hourly bad counts around the
   history's ratio: bursts make it large).
4. **Breach** when the period's bad exceeds its allowance, `b + B > (1 − t)(v + V)`; its
   probability is the normal approximation `Φ((b + μ − (1 − t)(v + V)) / σ)`. It rises with
   `b` for a fixed `v` (shown in the tests), and is exactly 1 or 0 once nothing is left (`V = 0`).
5. **Projected attainment**: `1 − (b + μ)/(v + V)`; equal to the actual ratio when `V = 0`.
6. **Budget gone on**: at the current burn (the period's error ratio so far, `b/v`), the
   instant when `b + (b/v)·V(at, T)` reaches the period's whole allowance `(1 − t)(v + V)`,
   with `V(at, T)` the expected volume up to `T`; None when that never happens in the period.

The formulas are the textbook ones (beta-binomial moments; quasi-binomial dispersion, McCullagh
& Nelder, *Generalized Linear Models*, §4.5); the calibration on the demo's history is in
bench/forecast_calibration.py.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from itertools import pairwise
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from attain.engine.exact import RATIO, to_decimal
from attain.engine.instant import US_PER_HOUR, from_us

SLOTS = 7 * 24
"""Weekday × hour slots of a week."""
PROBABILITY_PLACES = Decimal("0.0001")

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Amount = int | Decimal | Fraction


@dataclass(frozen=True)
class Profile:
    """Mean volume per hour in each weekday × hour slot (NaN where no hour was seen), and overall."""

    means: tuple[float, ...]
    overall: float


@dataclass(frozen=True)
class Outlook:
    """The volume expected from `at` to the period's end: cumulative at each instant of `marks`.

    `marks[0]` is `at` (cumulative 0) and `marks[-1]` the period's end; the volume grows linearly
    between two marks.
    """

    marks: tuple[int, ...]
    cumulative: tuple[float, ...]

    @property
    def total(self) -> float:
        """The volume expected over the whole rest of the period."""
        return self.cumulative[-1]


@dataclass(frozen=True)
class Prior:
    """The history's error ratio and the weight (pseudo-volume) it has against the period so far."""

    ratio: float
    weight: float


@dataclass(frozen=True)
class Projection:
    """What the model expects of a period at its end (see the module docstring)."""

    projected_ratio: Decimal
    """Expected attainment at the period's end: 1 − (b + μ)/(v + V), 28 digits rounded down."""
    breach_probability: Decimal
    """Probability that the period ends below the target, to 4 places."""
    budget_gone_at: int | None
    """When the whole period's budget is gone at the current burn (µs); None when it lasts."""
    expected_valid: Decimal
    """v + V: the period's expected volume at its end."""
    expected_bad: Decimal
    """b + μ: the period's expected bad volume at its end."""


def slot_of(instant: int, zone: ZoneInfo) -> int:
    """The weekday × hour slot (Monday 00:00 = 0) of an instant in `zone`."""
    local = from_us(instant).astimezone(zone)
    return local.weekday() * 24 + local.hour


def hourly(first: int, minutes: npt.ArrayLike, low: int, high: int) -> tuple[Ints, Floats]:
    """Per-minute amounts from minute `first` summed per UTC hour over the whole hours in `[low, high)`.

    Returns the hours' starts and sums; minutes outside the arrays count as zero.
    """
    values = np.asarray(minutes, dtype=np.float64)
    start = -(-low // US_PER_HOUR) * US_PER_HOUR
    hours = max(0, (high // US_PER_HOUR * US_PER_HOUR - start) // US_PER_HOUR)
    starts = start + np.arange(hours, dtype=np.int64) * US_PER_HOUR
    sums = np.zeros(hours, dtype=np.float64)
    if hours and values.size:
        offset = (first - start) // (US_PER_HOUR // 60)  # minute index of `first` from `start`
        padded = np.zeros(hours * 60, dtype=np.float64)
        a, b = max(0, offset), min(hours * 60, offset + values.size)
        if a < b:
            padded[a:b] = values[a - offset : b - offset]
        sums = padded.reshape(hours, 60).sum(axis=1)
    return starts, sums


def weekly_profile(starts: Ints, volume: Floats, zone: ZoneInfo) -> Profile | None:
    """The mean volume of each weekday × hour slot over whole hours; None without any hour."""
    if starts.size == 0:
        return None
    slots = np.array([slot_of(int(s), zone) for s in starts], dtype=np.int64)
    totals = np.bincount(slots, weights=volume, minlength=SLOTS)
    seen = np.bincount(slots, minlength=SLOTS)
    means = np.where(seen > 0, totals / np.maximum(seen, 1), np.nan)
    return Profile(tuple(float(m) for m in means), float(volume.sum() / starts.size))


def event_outlook(profile: Profile, at: int, end: int, zone: ZoneInfo) -> Outlook:
    """The expected volume from `at` to `end`, hour by hour from the profile (part hours pro rata)."""
    marks = [at]
    marks += range(-(-(at + 1) // US_PER_HOUR) * US_PER_HOUR, end, US_PER_HOUR)
    marks.append(end)
    marks = sorted(set(marks))
    cumulative, total = [0.0], 0.0
    for low, high in pairwise(marks):
        mean = profile.means[slot_of(low, zone)]
        total += (profile.overall if math.isnan(mean) else mean) * (high - low) / US_PER_HOUR
        cumulative.append(total)
    return Outlook(tuple(marks), tuple(cumulative))


def time_outlook(at: int, end: int) -> Outlook:
    """The minutes from `at` to `end`: time-based objectives' volume is time itself."""
    return Outlook((at, end), (0.0, max(0, end - at) / (US_PER_HOUR / 60)))


def dispersion(valid: Floats, bad: Floats) -> float:
    """The overdispersion φ ≥ 1 of hourly bad counts: Pearson χ² per degree of freedom.

    φ = Σ (bad_h − valid_h·p)² / (valid_h·p(1 − p)) / (H − 1) over the H hours with volume, with
    `p = Σ bad / Σ valid`; 1 when there are fewer than two such hours or `p` is 0 or 1.
    """
    used = valid > 0
    hours = int(used.sum())
    total = float(valid[used].sum())
    p = float(bad[used].sum()) / total if total else 0.0
    if hours < 2 or not 0.0 < p < 1.0:
        return 1.0
    expected = valid[used] * p
    chi2 = float((((bad[used] - expected) ** 2) / (expected * (1.0 - p))).sum())
    return max(1.0, chi2 / (hours - 1))


def project(
    target: Decimal,
    bad: Amount,
    valid: Amount,
    outlook: Outlook,
    prior: Prior | None = None,
    phi: float = 1.0,
) -> Projection:
    """The period's projection from `bad` of `valid` so far and the volume still to come.

    Raises:
        ValueError: when not 0 ≤ bad ≤ valid, or the target lies outside [0, 1].
    """
    if not Decimal(0) <= target <= Decimal(1):
        raise ValueError(f"target must lie in [0, 1], got {target}")
    b, v = Fraction(bad), Fraction(valid)
    if not 0 <= b <= v:
        raise ValueError(f"need 0 ≤ bad ≤ valid, got bad {bad} and valid {valid}")
    rest = Fraction(outlook.total)
    allowed_share = 1 - Fraction(target)
    allowance = allowed_share * (v + rest)
    w, p_h = (prior.weight, prior.ratio) if prior is not None else (0.0, 0.0)
    n = float(v) + w + 1.0
    p = (float(b) + w * p_h + 0.5) / n
    mean = Fraction(outlook.total * p) if rest else Fraction(0)
    sigma = math.sqrt(phi * float(rest) * p * (1.0 - p) * (n + float(rest)) / (n + 1.0))
    if sigma > 0:
        z = float(b + mean - allowance) / sigma
        chance = Decimal(0.5 * math.erfc(-z / math.sqrt(2.0))).quantize(PROBABILITY_PLACES, ROUND_HALF_EVEN)
    else:  # nothing (or next to nothing) left to come: the outcome is known
        chance = Decimal(1) if b + mean > allowance else Decimal(0)
    total = v + rest
    projected = to_decimal((total - b - mean) / total, RATIO) if total else Decimal(1)
    return Projection(
        projected_ratio=projected,
        breach_probability=chance,
        budget_gone_at=budget_gone(b, v, allowance, outlook),
        expected_valid=to_decimal(total),
        expected_bad=to_decimal(b + mean),
    )


def budget_gone(bad: Fraction, valid: Fraction, allowance: Fraction, outlook: Outlook) -> int | None:
    """When `bad + (bad/valid)·V(at, T)` reaches `allowance`, interpolated between marks.

    None when that does not happen before the period's end (or nothing is bad); `at` when it has.
    """
    if bad >= allowance:
        return outlook.marks[0]
    if bad == 0 or valid == 0:
        return None
    needed = (allowance - bad) * valid / bad  # volume still to pass at the current error ratio
    for i in range(1, len(outlook.marks)):
        reached = Fraction(outlook.cumulative[i])
        if reached >= needed:
            before = Fraction(outlook.cumulative[i - 1])
            low, high = outlook.marks[i - 1], outlook.marks[i]
            share = (needed - before) / (reached - before)
            return low + math.ceil(share * (high - low))
    return None
