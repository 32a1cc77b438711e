"""Realistic targets from history: what past periods attained and which targets they would have met.

Given the attainment of an objective's past periods (good and valid per period, as the engine
judged them), this module computes, exactly where a boundary decides:

- the distribution of attainment: least, nearest-rank percentiles (the value at rank ⌈q·n⌉ of
  the sorted attainments, 1-based, so every percentile is one of the observed values), mean;
- the trend: the least-squares slope of attainment against the period's index
  (`Σ(i − ī)(yᵢ − ȳ) / Σ(i − ī)²`), called flat when its size is below 1% of the error budget
  (`1 − target`) per period;
- for each candidate target (the current one and its neighbours on `LADDER`): the share of past
  periods that would have met it (attainment ≥ target, the engine's status rule), the mean credit
  per period under the agreement's credit tiers moved to that target (`retarget_tiers`), and the
  mean error budget per period in the objective's own unit (`valid × (1 − target)`);
- the recommendation: the strictest candidate met in at least `REALISTIC_SHARE` (90%) of the
  periods; when none is, the strictest target further down `LADDER` that is (added to the
  candidates), else the loosest candidate;
- flags: too loose when no period missed the current target, too strict when more than half did;
- for counted units (events, cases, slices), the Wilson score interval of each period's
  attainment (Wilson 1927; z = 1.96 for 95%) and a low-volume warning when the period allowed
  fewer than `LOW_VOLUME_BAD` bad units at the current target (one bad event then moves the
  attainment by more than a tenth of the budget).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext
from fractions import Fraction

from attain.engine.credit import combine, objective_credit
from attain.model import CreditPolicy, CreditTier, Fee

LADDER: tuple[Decimal, ...] = tuple(
    Decimal(t) for t in ("0.8", "0.85", "0.9", "0.95", "0.98", "0.99", "0.995", "0.999", "0.9995", "0.9999", "0.99999")
)
"""Targets people write, from 80% to 99.999%; the candidates are the current target and two on each side."""

REALISTIC_SHARE = Decimal("0.9")
"""The recommended target was met in at least this share of past periods (at most one miss in ten)."""

LOW_VOLUME_BAD = 10
"""A period allowing fewer bad units than this at the current target is low-volume."""

Z_95 = Decimal("1.96")
"""The normal quantile of a two-sided 95% interval."""

PERCENTILES: tuple[Decimal, ...] = tuple(Decimal(q) for q in ("0.1", "0.25", "0.5", "0.75", "0.9"))

COUNTED_UNITS = frozenset({"events", "cases", "slices"})
"""Units whose good and valid are counts of trials, so that a binomial interval applies."""


@dataclass(frozen=True)
class PastPeriod:
    """One closed period of an objective: its label, edges, good and valid (in `unit`) and attainment."""

    period: str
    start: int
    end: int
    good: Decimal
    valid: Decimal
    ratio: Decimal
    exact: Fraction | None = None
    """The attainment unrounded, which credit tiers are judged by; None: judged by `ratio`."""


@dataclass(frozen=True)
class PeriodView:
    """A past period with what the recommendation says about it."""

    past: PastPeriod
    met: bool
    interval: tuple[Decimal, Decimal] | None
    """The Wilson 95% interval of its attainment (counted units only)."""
    low_volume: bool


@dataclass(frozen=True)
class Distribution:
    """Attainment over the past periods: least, percentiles (q → value), most, mean."""

    least: Decimal
    percentiles: tuple[tuple[Decimal, Decimal], ...]
    most: Decimal
    mean: Decimal


@dataclass(frozen=True)
class Trend:
    """The least-squares slope of attainment per period, and whether it rises, falls or stays flat."""

    slope: Decimal
    direction: str
    """improving, worsening or flat."""


@dataclass(frozen=True)
class Candidate:
    """One candidate target judged against the past periods."""

    target: Decimal
    met: int
    periods: int
    share_met: Fraction
    credit_share: Decimal
    """Mean share of the fee credited per period (this objective alone, capped by the policy)."""
    credit_amount: Decimal | None
    """Mean payable credit per period in the fee's currency; None when the fee is not per this period."""
    budget: Decimal
    """Mean error budget per period in the objective's unit: mean valid × (1 − target)."""
    current: bool


@dataclass(frozen=True)
class Recommendation:
    """What the history says about one objective's target."""

    objective: str
    unit: str
    target: Decimal
    periods: tuple[PeriodView, ...]
    distribution: Distribution | None
    trend: Trend | None
    candidates: tuple[Candidate, ...]
    recommended: Candidate | None
    too_loose: bool
    too_strict: bool
    low_volume: tuple[str, ...]
    """Labels of the low-volume periods."""


@dataclass(frozen=True)
class Terms:
    """What prices a missed period: the objective's current target and tiers, the agreement's policy and fee."""

    target: Decimal
    tiers: tuple[CreditTier, ...] = ()
    policy: CreditPolicy | None = None
    fee: Fee | None = None
    unit: str | None = None
    """The calendar unit of the objective's periods (month, …); None for a rolling window."""


def wilson_interval(good: int, valid: int, z: Decimal = Z_95) -> tuple[Decimal, Decimal]:
    """The Wilson score interval of `good / valid`, within [0, 1].

    `(p + z²/2n ± z·√(p(1 − p)/n + z²/4n²)) / (1 + z²/n)` with `p = good / n`, `n = valid`.

    Raises:
        ValueError: `valid` is not positive or `good` lies outside `[0, valid]`.
    """
    if valid <= 0 or not 0 <= good <= valid:
        raise ValueError(f"need 0 ≤ good ≤ valid and valid > 0, got good {good} and valid {valid}")
    with localcontext(prec=28):
        n, p = Decimal(valid), Decimal(good) / Decimal(valid)
        z2 = z * z
        denominator = 1 + z2 / n
        centre = p + z2 / (2 * n)
        spread = z * (p * (1 - p) / n + z2 / (4 * n * n)).sqrt()
        low, high = (centre - spread) / denominator, (centre + spread) / denominator
    # At p = 0 (p = 1) the lower (upper) edge is exactly 0 (1); rounding must not move it off.
    low = Decimal(0) if good == 0 else max(low, Decimal(0))
    high = Decimal(1) if good == valid else min(high, Decimal(1))
    return low, high


def nearest_rank(values: Sequence[Decimal], q: Decimal) -> Decimal:
    """The q-quantile by nearest rank: the value at rank ⌈q·n⌉ (at least 1) of the sorted values."""
    ordered = sorted(values)
    rank = max(1, math.ceil(q * len(ordered)))
    return ordered[rank - 1]


def distribution(values: Sequence[Decimal]) -> Distribution:
    """Least, nearest-rank percentiles, most and mean of the attainments (at least one)."""
    with localcontext(prec=28):
        mean = sum(values, Decimal(0)) / len(values)
    return Distribution(min(values), tuple((q, nearest_rank(values, q)) for q in PERCENTILES), max(values), mean)


def trend(values: Sequence[Decimal], target: Decimal) -> Trend | None:
    """The least-squares slope of the attainments against their index; None for fewer than two."""
    n = len(values)
    if n < 2:
        return None
    with localcontext(prec=28):
        mean_x = Decimal(n - 1) / 2
        mean_y = sum(values, Decimal(0)) / n
        spread = sum(((Decimal(i) - mean_x) ** 2 for i in range(n)), Decimal(0))
        slope = sum(((Decimal(i) - mean_x) * (y - mean_y) for i, y in enumerate(values)), Decimal(0)) / spread
        flat = abs(slope) < (1 - target) / 100
    return Trend(slope, "flat" if flat else ("improving" if slope > 0 else "worsening"))


def candidate_targets(current: Decimal) -> tuple[Decimal, ...]:
    """The current target and the two ladder targets on each side of it, ascending."""
    below = [t for t in LADDER if t < current][-2:]
    above = [t for t in LADDER if t > current][:2]
    return (*below, current, *above)


def retarget_tiers(tiers: Sequence[CreditTier], current: Decimal, candidate: Decimal) -> tuple[CreditTier, ...]:
    """The tiers as they would read under `candidate` instead of `current`.

    A tier whose upper edge is the current target (the first tier below it) moves its upper edge to
    the candidate (`below: candidate`); a tier reaching above the candidate is cut there; a tier
    left empty is dropped. The other tiers stay as written.
    """
    moved = []
    for tier in tiers:
        upper = tier.upper
        assert upper is not None  # every tier has an upper edge (model)
        if upper == current or upper > candidate or (upper == candidate and tier.at_most is not None):
            lower = tier.lower if tier.lower is not None else Decimal(0)
            if lower >= candidate:
                continue
            moved.append(CreditTier(at_least=tier.at_least, above=tier.above, below=candidate, credit=tier.credit))
        else:
            moved.append(tier)
    return tuple(moved)


def assess(target: Decimal, periods: Sequence[PastPeriod], terms: Terms, *, current: bool = False) -> Candidate:
    """How `target` would have fared over the past periods (at least one)."""
    met = sum(1 for p in periods if p.ratio >= target)
    tiers = retarget_tiers(terms.tiers, terms.target, target)
    policy = terms.policy or CreditPolicy()
    shares, amounts = [], []
    for past in periods:
        part = objective_credit("", tiers, past.ratio, past.exact)
        credit = combine(past.period, [part], policy, terms.fee, terms.unit)
        shares.append(credit.share)
        amounts.append(credit.payable)
    n = len(periods)
    with localcontext(prec=28):
        share = sum(shares, Decimal(0)) / n
        known = [a for a in amounts if a is not None]
        amount = sum(known, Decimal(0)) / n if len(known) == n else None
        budget = sum((p.valid for p in periods), Decimal(0)) / n * (1 - target)
    return Candidate(target, met, n, Fraction(met, n), share, amount, budget, current)


def recommend(objective: str, unit: str, periods: Sequence[PastPeriod], terms: Terms) -> Recommendation:
    """The recommendation for one objective from its past periods (see the module docstring)."""
    target = terms.target
    counted = unit in COUNTED_UNITS
    views = tuple(_view(p, target, counted=counted) for p in periods)
    low = tuple(v.past.period for v in views if v.low_volume)
    if not periods:
        return Recommendation(
            objective, unit, target, views, None, None, (), None, too_loose=False, too_strict=False, low_volume=low
        )
    ratios = [p.ratio for p in periods]
    candidates = tuple(assess(t, periods, terms, current=t == target) for t in candidate_targets(target))
    realistic = [c for c in candidates if c.share_met >= REALISTIC_SHARE]
    if not realistic:  # reach further down the ladder for a target the history supports
        further = [assess(t, periods, terms) for t in LADDER if t < candidates[0].target]
        realistic = [c for c in further if c.share_met >= REALISTIC_SHARE][-1:]
        candidates = (*realistic, *candidates)
    chosen = realistic[-1] if realistic else candidates[0]
    missed = sum(1 for v in views if not v.met)
    return Recommendation(
        objective,
        unit,
        target,
        views,
        distribution(ratios),
        trend(ratios, target),
        candidates,
        chosen,
        too_loose=missed == 0,
        too_strict=2 * missed > len(views),
        low_volume=low,
    )


def _view(past: PastPeriod, target: Decimal, *, counted: bool) -> PeriodView:
    if not counted or past.valid <= 0:
        return PeriodView(past, past.ratio >= target, None, low_volume=False)
    good, valid = int(past.good), int(past.valid)
    interval = wilson_interval(good, valid)
    return PeriodView(past, past.ratio >= target, interval, low_volume=past.valid * (1 - target) < LOW_VOLUME_BAD)
