"""The changes between two versions of an agreement in words, en and zh-CN: what `attain diff` prints.

`attain.engine.diff.diff` finds the changes; this module writes each as one line a party can
read and sign: "availability: target 99.9% → 99.95%", "availability: credit when 99.0% ≤
attainment < 99.9%: 10% → 15%", "new exclusion: …". Targets, tiers and credits are written
exactly (`format_ratio`), never rounded. A change without a sentence of its own is written as its
field path with the values before and after, so no change is ever left out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any

from pydantic import BaseModel

from attain.engine.diff import Change
from attain.model import Agreement
from attain.model.credit import CreditTier, Fee
from attain.model.exclusion import Exclusion
from attain.model.objective import Objective
from attain.model.quantity import CalendarSpan, format_number, format_ratio
from attain.model.termination import TerminationRule
from attain.reports import clauses, wording
from attain.reports.locale import Language, Locale

_RATIO_FIELDS = frozenset({"target", "credit", "cap", "sliceTarget", "attainmentBelow", "atLeast", "below"})


@dataclass(frozen=True)
class ChangeLine:
    """One change in words, with the field it is about and whether it touches the terms."""

    text: str
    where: str
    terms: bool


def describe(loc: Locale, changes: tuple[Change, ...], before: Agreement, after: Agreement) -> list[ChangeLine]:
    """Each change as one line in `loc`'s language, in the order given.

    Args:
        loc: the language.
        changes: what `attain.engine.diff.diff(before, after)` found.
        before: the earlier version (for its time zone and the objectives it had).
        after: the later version.

    Returns:
        One line per change.
    """
    return [ChangeLine(_line(loc, change, before, after), change.where, change.terms) for change in changes]


def _line(loc: Locale, change: Change, before: Agreement, after: Agreement) -> str:  # noqa: PLR0911 - one return per kind of change
    path, old, new = change.path, change.before, change.after
    if path[:2] == ("spec", "objectives") and len(path) >= 3:
        objective_line = _objective(loc, change, before, after)
        if objective_line is not None:
            return objective_line
    if isinstance(old or new, Exclusion):
        holder = after if new else before
        item = clauses.exclusion(loc, old or new, holder.spec.time_zone, clauses.titles(holder))
        space = "" if loc.language is Language.ZH_CN else " "
        text = loc.text("colon").join([item.kind, space.join([item.description or "", *item.lines]).strip()])
        return loc.text("diff.exclusion.added" if new else "diff.exclusion.removed", text=text)
    if isinstance(old or new, TerminationRule):
        text = clauses.right(loc, old or new, clauses.titles(after if new else before))
        return loc.text("diff.right.added" if new else "diff.right.removed", text=text)
    if path == ("spec", "changes", "notice"):
        return loc.text("diff.changes.notice", before=_value(loc, old, "notice"), after=_value(loc, new, "notice"))
    if path == ("spec", "termination", "notice"):
        return loc.text("diff.termination.notice", before=_value(loc, old, "notice"), after=_value(loc, new, "notice"))
    if path == ("spec", "fee") or isinstance(old or new, Fee):
        return loc.text("diff.fee", before=_value(loc, old, "fee"), after=_value(loc, new, "fee"))
    return _field(loc, change)


def _objective(loc: Locale, change: Change, before: Agreement, after: Agreement) -> str | None:
    path, old, new = change.path, change.before, change.after
    key_name = path[2]
    holder = after if any(o.name == key_name for o in after.objectives) else before
    shown = holder.spec.objective(key_name).title or key_name  # parties read titles; the name when it has none
    if len(path) == 3:
        objective: Objective = old or new
        zone = (before if old else after).spec.time_zone
        key = "diff.objective.added" if new else "diff.objective.removed"
        return loc.text(key, name=shown, target=wording.target(loc, objective, zone).rstrip(".。"))
    name = shown
    field = path[3]
    if field == "target" and len(path) == 4:
        return loc.text("diff.target", name=name, before=_ratio(loc, old), after=_ratio(loc, new))
    if field == "window" and len(path) == 4:
        zones = before.spec.time_zone, after.spec.time_zone
        return loc.text(
            "diff.window",
            name=name,
            before=wording.window(loc, before.spec.objective(key_name), zones[0]),
            after=wording.window(loc, after.spec.objective(key_name), zones[1]),
        )
    if field == "credits" and len(path) >= 5:
        range_text = path[4].replace("attainment", loc.text("diff.attainment"))
        if len(path) == 6 and path[5] == "credit":
            before_credit, after_credit = _ratio(loc, old), _ratio(loc, new)
            return loc.text("diff.tier.credit", name=name, range=range_text, before=before_credit, after=after_credit)
        if len(path) == 5:
            tier: CreditTier = old or new
            key = "diff.tier.added" if new else "diff.tier.removed"
            return loc.text(key, name=name, range=range_text, credit=_ratio(loc, tier.credit))
    return None


def _ratio(loc: Locale, value: Decimal | None) -> str:
    return loc.text("diff.nothing") if value is None else format_ratio(value)


def _field(loc: Locale, change: Change) -> str:
    field = ".".join(change.path[1:]) if change.path[0] == "spec" else change.where
    leaf = change.path[-1]
    if change.added:
        return loc.text("diff.field.added", field=field, after=_value(loc, change.after, leaf))
    if change.removed:
        return loc.text("diff.field.removed", field=field, before=_value(loc, change.before, leaf))
    before, after = _value(loc, change.before, leaf), _value(loc, change.after, leaf)
    return loc.text("diff.field", field=field, before=before, after=after)


def _value(loc: Locale, value: Any, leaf: str) -> str:  # noqa: PLR0911 - one return per kind of value
    """A value in words: ratios exactly, durations and dates in the language, texts quoted, models as JSON."""
    if value is None:
        return loc.text("diff.nothing")
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, Decimal):
        return format_ratio(value) if leaf in _RATIO_FIELDS else format_number(value)
    if isinstance(value, str):
        text = " ".join(value.split())
        return loc.text("quote", text=text if len(text) <= 160 else text[:157] + "…")
    if isinstance(value, Fee):
        return f"{loc.money(value.amount, value.currency)} / {loc.unit(value.per)}"
    if isinstance(value, BaseModel):
        dumped = value.model_dump(mode="json", by_alias=True, exclude_defaults=True)
        return json.dumps(dumped, ensure_ascii=False, separators=(", ", ": "))
    if isinstance(value, tuple | list):
        return loc.join([_value(loc, item, leaf) for item in value]) or loc.text("diff.nothing")
    if isinstance(value, dict):
        return loc.join([f"{key}{loc.text('colon')}{_value(loc, item, str(key))}" for key, item in value.items()])
    return _quantity(loc, value)


def _quantity(loc: Locale, value: Any) -> str:
    """A duration, span, date or enumeration in words; anything else as text."""
    if isinstance(value, timedelta):
        return loc.duration(value)
    if isinstance(value, CalendarSpan):
        return loc.span(value)
    if isinstance(value, date):
        return loc.date(value)
    if isinstance(value, Enum):
        return str(value.value)
    return str(value)
