"""What `attain summary NAME` needs of an agreement version, kept as JSON in the user's cache.

A summary holds each objective to its target, rolling period and alert tiers, with days of the
agreement's time zone (`attain.engine.summary.Goal`). Those few values are all it reads of the
agreement, yet loading the validated agreement needs pydantic and the whole model (about a tenth
of a second, more than the summary's own work). So the goals of a stored version are written once
to `$XDG_CACHE_HOME/attain/agreements/KEY.plan.json` (`attain.settings.agreement_cache_dir`) and
read back as plain JSON: decimals as text, durations in microseconds. KEY is the sha256 of:

- the stored model JSON (the version's content, as validated when it was stored);
- the model's code (`attain.formats.model_json.model_revision`): a change to how a version is
  read gives another key;
- this module's own code, which derives the goals, and `PLAN_FORMAT`.

So an entry is never stale. An entry that does not read back (cut short, another format) is made
again; a cache that cannot be written leaves the summary as it was. JSON runs no code, but it
decides what the summary prints, so entries are read only when they are safely the user's own
(`attain.services.private_file`). A version stored by another model revision is parsed from its
YAML, and its plan is not cached.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from attain.engine.instant import duration_us
from attain.engine.summary import AlertTier, Goal
from attain.formats.model_json import model_revision
from attain.lifecycle.versions import Parse, parse_version
from attain.services.private_file import read_private, write_private
from attain.stored_version import AgreementVersion

if TYPE_CHECKING:
    from attain.model import Agreement

PLAN_FORMAT = "1"
"""Bumped when a plan's JSON changes shape."""


@dataclass(frozen=True)
class Plan:
    """A version's summary goals, its time zone, and which goals count only in service hours."""

    zone: str
    goals: tuple[Goal, ...]
    timed: frozenset[str]
    """Objectives counted in service hours: their summary needs the agreement's calendar and minutes."""


Plans = Callable[[AgreementVersion], Plan]
"""Turns a stored version into its plan: `plan_of_version`, or `cached_plans`."""


def goals(agreement: Agreement, names: Sequence[str] | None = None) -> list[Goal]:
    """The summary goals: objectives with a target, a rolling window and per-minute counts.

    Only objectives budgeted by occurrences: a time-slice objective's attainment is a share of
    good slices, not of good events, so the summary's event ratio would not be its answer
    (`attain status` evaluates those).
    """
    from attain.model import BudgetingMethod, RollingWindow  # noqa: PLC0415 - the model only to derive a plan

    found = []
    for objective in agreement.objectives:
        if names is not None and objective.name not in names:
            continue
        if objective.target is None or not isinstance(objective.window, RollingWindow):
            continue
        if objective.budgeting.method is not BudgetingMethod.OCCURRENCES:
            continue
        tiers = objective.alerting.effective_tiers if objective.alerting else ()
        least = objective.alerting.minimum_events if objective.alerting else 0
        plain = tuple(AlertTier(t.long_window, t.short_window, t.budget_consumed, t.severity) for t in tiers)
        found.append(Goal(objective.name, objective.target, duration_us(objective.window.rolling), plain, least))
    return found


def plan_of(agreement: Agreement) -> Plan:
    """The summary plan of an agreement."""
    chosen = goals(agreement)
    timed = frozenset(g.objective for g in chosen if agreement.spec.objective(g.objective).service_hours is not None)
    return Plan(agreement.spec.time_zone, tuple(chosen), timed)


def plan_of_version(version: AgreementVersion, parse: Parse = parse_version) -> Plan:
    """The summary plan of a stored version, parsed by `parse` (uncached)."""
    return plan_of(parse(version))


def cached_plans(directory: Path, parse: Parse = parse_version) -> Plans:
    """Plans of stored versions through the cache in `directory`; a miss parses the version by `parse`."""

    def plan(version: AgreementVersion) -> Plan:
        if version.model is None or version.model_revision != model_revision():
            return plan_of_version(version, parse)
        path = directory / f"{plan_key(version.model)}.plan.json"
        data = read_private(path)
        if data is not None:  # an entry cut short or of another format is made again
            with contextlib.suppress(ValueError, KeyError, TypeError, ArithmeticError):
                return plan_from_json(data)
        found = plan_of_version(version, parse)
        write_private(path, plan_json(found).encode())
        return found

    return plan


def plan_key(model_json: str) -> str:
    """The cache key of a stored model JSON's plan (see the module docstring)."""
    hashed = hashlib.sha256()
    for part in (PLAN_FORMAT, model_revision(), _code(), model_json):
        hashed.update(part.encode() + b"\0")
    return hashed.hexdigest()


@functools.cache
def _code() -> str:
    """The sha256 of this module's source: the code that derives a plan."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


def plan_json(plan: Plan) -> str:
    """A plan as JSON text: decimals as text, durations in whole microseconds."""
    return json.dumps(
        {
            "format": PLAN_FORMAT,
            "zone": plan.zone,
            "timed": sorted(plan.timed),
            "goals": [
                {
                    "objective": g.objective,
                    "target": str(g.target),
                    "periodUs": g.period_us,
                    "minimumEvents": g.minimum_events,
                    "tiers": [
                        {
                            "longUs": duration_us(t.long_window),
                            "shortUs": duration_us(t.short_window),
                            "budgetConsumed": str(t.budget_consumed),
                            "severity": t.severity,
                        }
                        for t in g.tiers
                    ],
                }
                for g in plan.goals
            ],
        },
        ensure_ascii=False,
    )


def plan_from_json(data: bytes | str) -> Plan:
    """The plan `plan_json` wrote.

    Raises:
        ValueError, KeyError, TypeError: the text is not a plan of this format.
    """
    found: dict[str, Any] = json.loads(data)
    if found["format"] != PLAN_FORMAT:
        raise ValueError(f"plan format {found['format']!r}, not {PLAN_FORMAT!r}")
    chosen = tuple(
        Goal(
            _text(g["objective"]),
            Decimal(_text(g["target"])),
            _int(g["periodUs"]),
            tuple(
                AlertTier(
                    timedelta(microseconds=_int(t["longUs"])),
                    timedelta(microseconds=_int(t["shortUs"])),
                    Decimal(_text(t["budgetConsumed"])),
                    _text(t["severity"]),
                )
                for t in g["tiers"]
            ),
            _int(g["minimumEvents"]),
        )
        for g in found["goals"]
    )
    return Plan(_text(found["zone"]), chosen, frozenset(_text(t) for t in found["timed"]))


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, got {type(value).__name__}")
    return value


def _int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"expected an integer, got {type(value).__name__}")
    return value
