"""The three answers of "how are my SLAs doing", fast: from a raw Parquet file or from the store.

For each event objective with a rolling window: attainment and budget remaining over the window,
good and valid per day (days of the agreement's time zone), burn rates over 5m … 3d, and the
alert state at the instant (page, ticket, ok) under the objective's alert tiers. Both paths give
the same numbers as `attain.engine.evaluate` on the same events (tests compare them):

- `summarize_file` reads the file once, its row groups decoded and counted per minute on two
  threads in numpy (`attain.ingestion.group`, `attain.ingestion.tally`), then answers from the
  minute counts (`attain.engine.summary`);
- `summarize_stored` reads the store's exact day, hour and minute rollups, only the rows the
  windows need (`attain.engine.rollup`), so its cost grows with objectives and window days, not
  with events or minutes.

The window is always the rolling `[at − period, at)`: unlike `evaluate`, a summary does not start
later when the agreement took effect inside the window (the store holds no counts before then).

An objective counted only in service hours (`serviceHours`) cannot use the day and hour rollups,
which mix minutes inside and outside the hours: its summary comes from its minute counts with
the minutes outside service hours set to zero (`attain.engine.service_hours.minute_mask`), the
same counts `evaluate` reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from attain.engine.instant import US_PER_MINUTE
from attain.engine.period import periods_between
from attain.engine.rate import INFINITE_RATE
from attain.engine.rollup import Resolution, Rows, Sums, ints, needed_ranges, prefixes
from attain.engine.summary import BURN_WINDOWS, Goal, Prefixes, Summary, points, summarize_prefixes
from attain.errors import InvalidInput, Problem
from attain.lifecycle.versions import Parse, parse_version, stored_versions
from attain.model.unit import CalendarUnit
from attain.services.summary_plan import Plans, goals, plan_of_version

if TYPE_CHECKING:
    from attain.model import Agreement
    from attain.ports import CountReader, ReadStore

__all__ = [
    "day_edges",
    "day_edges_in",
    "goals",
    "stored_prefixes",
    "summarize_file",
    "summarize_goals",
    "summarize_path",
    "summarize_stored",
    "summary_data",
]


def day_edges(agreement: Agreement, start: int, at: int) -> list[int]:
    """The instants that cut `[start, at)` into the agreement's days (local midnights), ends included."""
    return day_edges_in(agreement.spec.time_zone, start, at)


def day_edges_in(zone: str, start: int, at: int) -> list[int]:
    """The instants that cut `[start, at)` into the days of `zone` (local midnights), ends included."""
    days = periods_between(CalendarUnit.DAY, zone, start, at)
    return sorted({start, at, *(p.start for p in days if start < p.start < at)})


def summarize_file(agreement: Agreement, path: Path, stream: str, at: int) -> list[Summary]:
    """The summary of the objectives reading `stream` from a Parquet file of its events.

    Raises:
        NotEligible: the file or the objectives need the row-by-row path.
    """
    # pyarrow loads only for the raw path: the stored summary does not need it
    from attain.engine.minute_summary import summarize  # noqa: PLC0415
    from attain.engine.service_hours import minute_mask, service_clock  # noqa: PLC0415
    from attain.engine.versions import InForce  # noqa: PLC0415
    from attain.ingestion.eligibility import eligible, stream_objectives  # noqa: PLC0415
    from attain.ingestion.group import count_file, objective_counts  # noqa: PLC0415

    if at % US_PER_MINUTE:
        raise ValueError("the summary instant must lie on a whole minute")
    versions = [InForce(agreement, 0, None)]
    keys = eligible(path, versions, stream)
    names = stream_objectives(versions, stream)
    chosen = goals(agreement, names)
    longest = max((g.period_us for g in chosen), default=0)
    first = at - longest
    groups, counts = count_file(path, keys, first, longest // US_PER_MINUTE)
    good, valid = objective_counts(versions, stream, groups, counts.counts, first, names)
    rows = [names.index(g.objective) for g in chosen]
    edges = day_edges(agreement, first, at)
    good, valid = good[rows], valid[rows]
    for row, goal in enumerate(chosen):
        clock = service_clock(agreement, agreement.spec.objective(goal.objective))
        if clock is not None:
            mask = minute_mask(clock, first, good.shape[1])
            good[row], valid[row] = good[row] * mask, valid[row] * mask
    return summarize(chosen, good, valid, first, at, edges)


def summarize_stored(
    store: ReadStore, name: str, at: int, *, parse: Parse = parse_version, plans: Plans | None = None
) -> list[Summary]:
    """The summary of a stored agreement's objectives from the store's rollups (the latest version's goals).

    The goals come from `plans` (`attain.services.summary_plan.cached_plans` in the CLI), else from
    the version parsed by `parse`; only goals counted in service hours need the agreement itself.
    """
    latest = stored_versions(store, name)[-1]
    plan = (plans or (lambda v: plan_of_version(v, parse)))(latest)
    rolled = summarize_goals(store, name, [g for g in plan.goals if g.objective not in plan.timed], plan.zone, at)
    found = {s.objective: s for s in rolled}
    if plan.timed:
        agreement = parse(latest)
        for goal in plan.goals:
            if goal.objective in plan.timed:
                found[goal.objective] = _summarize_minutes(store, agreement, goal, at)
    return [found[g.objective] for g in plan.goals]


def _summarize_minutes(store: CountReader, agreement: Agreement, goal: Goal, at: int) -> Summary:
    """The summary of a service-hours goal from its stored minute counts, masked to service hours."""
    import numpy as np  # noqa: PLC0415 - minutes only for service hours

    from attain.engine.minute_summary import summarize  # noqa: PLC0415
    from attain.engine.service_hours import minute_mask, service_clock  # noqa: PLC0415
    from attain.services.measurements import read_counts  # noqa: PLC0415

    if at % US_PER_MINUTE:
        raise ValueError("the summary instant must lie on a whole minute")
    first, minutes = at - goal.period_us, goal.period_us // US_PER_MINUTE
    stored = read_counts(store, agreement.name, goal.objective, first, at)
    good, valid = np.zeros((1, minutes), dtype=np.int64), np.zeros((1, minutes), dtype=np.int64)
    offset = (stored.first_minute - first) // US_PER_MINUTE
    low, high = max(0, offset), min(minutes, offset + stored.good.size)
    if low < high:
        good[0, low:high] = stored.good[low - offset : high - offset]
        valid[0, low:high] = stored.valid[low - offset : high - offset]
    clock = service_clock(agreement, agreement.spec.objective(goal.objective))
    assert clock is not None
    mask = minute_mask(clock, first, minutes)
    edges = day_edges(agreement, first, at)
    return summarize([goal], good * mask, valid * mask, first, at, edges)[0]


def summarize_goals(store: CountReader, name: str, chosen: Sequence[Goal], zone: str, at: int) -> list[Summary]:
    """The summary of goals from the stored rollups of agreement `name`; days are local days of `zone`.

    Reads, per group of goals with the same period, only the rows `attain.engine.rollup.needed_ranges`
    names: one indexed range per objective and resolution.
    """
    if at % US_PER_MINUTE:
        raise ValueError("the summary instant must lie on a whole minute")
    by_period: dict[int, list[int]] = {}
    for row, goal in enumerate(chosen):
        by_period.setdefault(goal.period_us, []).append(row)
    results: list[Summary | None] = [None] * len(chosen)
    for period, rows in by_period.items():
        first = at - period
        edges = day_edges_in(zone, first, at)
        members = [chosen[r] for r in rows]
        instants = points(first, at, edges, members, BURN_WINDOWS)
        good, valid = stored_prefixes(store, name, [g.objective for g in members], instants)
        found = Prefixes(first, {p: i for i, p in enumerate(instants)}, good, valid)
        for row, summary in zip(rows, summarize_prefixes(members, found, at, edges), strict=True):
            results[row] = summary
    return [r for r in results if r is not None]


def stored_prefixes(
    store: CountReader, name: str, objectives: list[str], instants: list[int]
) -> tuple[list[list[int]], list[list[int]]]:
    """Good and valid of each objective summed from the first instant's day up to each instant.

    From the stored day, hour and minute rollups (`attain.engine.rollup`): one indexed range read
    per resolution and start.
    """
    days = Rows.empty()
    by_start: dict[tuple[Resolution, int], list[int]] = {}
    for resolution, low, high in needed_ranges(instants):
        if resolution == "day":
            days = Rows.of(*store.count_rows(name, objectives, resolution, low, high))
        else:
            by_start.setdefault((resolution, low), []).append(high)
    pieces: dict[tuple[Resolution, int, int], Sums] = {}
    for (resolution, low), highs in by_start.items():
        for high, sums in zip(highs, store.count_sums(name, objectives, resolution, low, highs), strict=True):
            pieces[(resolution, low, high)] = (ints(sums[0]), ints(sums[1]))
    return prefixes(len(objectives), instants, days, pieces)


def summary_data(summaries: Sequence[Summary]) -> list[dict[str, object]]:
    """The summaries as JSON-ready data (decimals as text, instants in µs)."""
    return [
        {
            "objective": s.objective,
            "good": s.good,
            "valid": s.valid,
            "ratio": None if s.ratio is None else str(s.ratio),
            "budgetRemaining": None if s.remaining is None else str(s.remaining),
            "days": [{"start": d[0], "good": d[1], "valid": d[2]} for d in s.days],
            "burnRates": {
                _label(b.window_us): None if b.rate is None else ("inf" if b.rate == INFINITE_RATE else str(b.rate))
                for b in s.burns
            },
            "windows": {_label(b.window_us): [b.bad, b.valid] for b in s.burns},
            "state": s.state,
        }
        for s in summaries
    ]


def _label(window_us: int) -> str:
    minutes = window_us // US_PER_MINUTE
    for unit, size in (("d", 1440), ("h", 60)):
        if minutes % size == 0:
            return f"{minutes // size}{unit}"
    return f"{minutes}m"


def summarize_path(agreement_file: Path, data: Path, at: int) -> list[Summary]:
    """`summarize_file` for an agreement file and an event file named after its stream.

    Raises:
        InvalidInput: the agreement file does not load, or the data needs the row-by-row path.
    """
    from attain.formats.bundle import load_agreement  # noqa: PLC0415 - the YAML reader only for a file
    from attain.ingestion.eligibility import NotEligible  # noqa: PLC0415 - pyarrow only for the raw path

    agreement = load_agreement(agreement_file)
    try:
        return summarize_file(agreement, data, data.stem, at)
    except NotEligible as error:
        raise InvalidInput([Problem(str(data), None, None, "--data", str(error), "use `attain evaluate`")]) from None
