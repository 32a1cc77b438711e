"""What the quarterly review report reads (`attain review NAME --quarter 2026-Q4`).

The stored agreement is evaluated over the quarter (up to its end, or `at` while it runs),
version by version as every stored evaluation is; the credits owed for its periods come from the
evaluation, with where each stands in the credit ledger of a SQL store (read, not synced: a
review changes nothing); the drivers are the quarter's against the quarter before
(`attain.services.drivers`). Target recommendations, suggested amendments and forecasts come
from `attain.services.recommend` and `attain.services.forecast` when this build has them;
otherwise their sections are left `None` and the report marks them omitted.
"""

from __future__ import annotations

from attain.engine.period import local_midnight, next_unit_start
from attain.errors import InvalidInput, Problem
from attain.lifecycle.versions import latest_agreement
from attain.model import CalendarUnit
from attain.ports import Store
from attain.reports.period_label import parse_period
from attain.reports.review import QuarterCredit, QuarterReview
from attain.services.drivers import drivers
from attain.services.quarter_outlook import forecast_section, recommendation_sections
from attain.services.store import _sql_engine, evaluate_stored


def quarter_bounds(store: Store, name: str, quarter: str) -> tuple[int, int]:
    """The quarter's `[start, end)` in the agreement's time zone.

    Raises:
        InvalidInput: the label is not a quarter (2026-Q4), or no such agreement is stored.
    """
    unit, first = parse_period(quarter)
    if unit is not CalendarUnit.QUARTER:
        hint = "write a quarter such as 2026-Q4"
        raise InvalidInput([Problem("<command line>", None, None, "--quarter", f"not a quarter: {quarter!r}", hint)])
    zone = latest_agreement(store, name).spec.time_zone
    return local_midnight(first, zone), local_midnight(next_unit_start(unit, first), zone)


def quarter_review(store: Store, name: str, quarter: str, at: int, top: int = 5) -> QuarterReview:
    """Gather the review of `quarter` for agreement `name` as it stands at `at` (see the module docstring)."""
    start, end = quarter_bounds(store, name, quarter)
    instant = max(min(end, at), start + 1)
    stored = evaluate_stored(store, name, instant, since=start)
    periods = {
        o.objective: tuple(p for p in o.periods if p.start < end and p.end > start)
        for o in stored.evaluation.objectives
    }
    labels = {p.period for results in periods.values() for p in results}
    states = _ledger_states(store, name)
    owed = tuple(
        QuarterCredit(c, states.get(c.period)) for c in stored.evaluation.credits if c.period in labels and c.share > 0
    )
    found = drivers(store, name, quarter, instant, top=top)
    recommendations, amendments = recommendation_sections(store, name, instant)
    return QuarterReview(
        agreement=stored.agreement,
        quarter=quarter,
        start=start,
        end=end,
        at=instant,
        periods=periods,
        credits=owed,
        drivers=found,
        recommendations=recommendations,
        amendments=amendments,
        forecast=forecast_section(store, name, instant, end),
    )


def _ledger_states(store: Store, name: str) -> dict[str, str]:
    """Each credited period's state in the ledger of a SQL store (empty for another store)."""
    engine = _sql_engine(store)
    if engine is None:
        return {}
    from attain.storage.credit import SqlCredits  # noqa: PLC0415 - SQLAlchemy only for a SQL store

    return {e.period: e.state.value for e in SqlCredits(engine).entries(name)}
