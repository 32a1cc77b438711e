"""The clauses of the contract document in words: remedies, claims, exclusions, changes, termination."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from attain.model import Agreement, Exclusion, ExclusionKind, TerminationRule
from attain.reports.locale import Locale

_RULE_UNITS = {"DAILY": "rule.daily", "WEEKLY": "rule.weekly", "MONTHLY": "rule.monthly", "YEARLY": "rule.yearly"}
_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class ExclusionItem:
    """One exclusion: its kind, the agreement's words for it, and its schedule in words."""

    kind: str
    description: str | None
    lines: list[str]


def remedies(loc: Locale, agreement: Agreement) -> list[str]:
    """What the customer receives, how credits combine, the cap and the minimum payout."""
    spec = agreement.spec
    if not any(o.credits for o in spec.objectives):
        return []
    policy = spec.credit_policy
    lines = [
        loc.text("remedy", remedy=loc.text(f"remedy.{policy.remedy.value}")),
        loc.text(f"combine.{policy.combine.value}"),
        loc.text("cap", cap=loc.percent(policy.cap)),
    ]
    if policy.minimum_payout and spec.fee is not None:
        lines.append(loc.text("minimum_payout", amount=loc.money(policy.minimum_payout, spec.fee.currency)))
    return lines


def claims(loc: Locale, agreement: Agreement) -> list[str]:
    """How and by when a credit is claimed."""
    policy = agreement.spec.credit_policy
    lines = []
    if policy.claim_within is not None:
        lines.append(loc.text("claim_within", span=loc.span(policy.claim_within)))
    if policy.claim_how:
        lines.append(" ".join(policy.claim_how.split()))
    return lines


def titles(agreement: Agreement) -> dict[str, str]:
    """Each objective's title by its name (the name when it has no title): prose names no identifier."""
    return {o.name: o.title or o.name for o in agreement.spec.objectives}


def exclusion(loc: Locale, item: Exclusion, default_zone: str, named: Mapping[str, str] | None = None) -> ExclusionItem:
    """One exclusion in words; `named` gives the objectives' titles by name."""
    zone = item.time_zone or default_zone
    lines = []
    if item.start is not None and item.every:
        lines.append(
            loc.text(
                "exclusion.every",
                rule=rule_words(loc, item.every),
                time=f"{item.start:%H:%M}",
                duration=loc.duration(item.duration or timedelta(0)),
                start=loc.date(item.start.date()),
                zone=zone,
            )
        )
    elif item.start is not None:
        length = item.duration or ((item.end or item.start) - item.start)
        when = f"{loc.date(item.start.date())} {item.start:%H:%M}"
        lines.append(loc.text("exclusion.once", start=when, duration=loc.duration(length), zone=zone))
    if item.minimum_notice is not None:
        lines.append(loc.text("exclusion.notice", notice=loc.duration(item.minimum_notice)))
    if item.objectives:
        shown = [loc.text("quote", text=(named or {}).get(o, o)) for o in item.objectives]
        lines.append(loc.text("exclusion.applies", objectives=loc.join(shown)))
    description = " ".join(item.description.split()) if item.description else None
    if description is None:
        key = "exclusion.force-majeure" if item.kind is ExclusionKind.FORCE_MAJEURE else "exclusion.default"
        description = loc.text(key)
    return ExclusionItem(loc.text(f"kind.{item.kind.value}"), description, lines)


def rule_words(loc: Locale, rule: str) -> str:
    """An RRULE in words where it is simple (FREQ, INTERVAL, BYDAY); the rule itself otherwise."""
    parts = dict(part.split("=", 1) for part in rule.upper().split(";") if "=" in part)
    unit_key = _RULE_UNITS.get(parts.get("FREQ", ""))
    known = {"FREQ", "INTERVAL", "BYDAY", "BYHOUR", "BYMINUTE"}
    if unit_key is None or set(parts) - known:
        return rule
    unit = loc.text(unit_key)
    interval = int(parts.get("INTERVAL", "1") or 1)
    if interval > 1:
        unit = loc.text("rule.interval", n=interval, unit=unit)
    days = [d for d in parts.get("BYDAY", "").split(",") if d in _DAYS]
    if days:
        return loc.text("rule.on", unit=unit, days=loc.join([loc.weekday(_DAYS.index(d), "wide") for d in days]))
    return unit


def changes(loc: Locale, agreement: Agreement) -> list[str]:
    """How the agreement is changed, and with what notice."""
    change = agreement.spec.changes
    if change is None:
        return []
    lines = [" ".join(change.clause.split())]
    if change.notice is not None:
        lines.append(loc.text("changes.notice", notice=loc.duration(change.notice)))
    return lines


def review(loc: Locale, agreement: Agreement) -> list[str]:
    """The review cadence and how results are reported."""
    spec = agreement.spec
    lines = []
    if spec.review is not None:
        lines.append(loc.text("review", unit=loc.unit(spec.review.every)))
    languages = loc.join([loc.text(f"language.{lang.value}") for lang in spec.reporting.languages])
    lines.append(loc.text("reporting", unit=loc.unit(spec.reporting.period), languages=languages))
    if spec.reporting.recipients:
        lines.append(loc.text("reporting.to", recipients=loc.join(list(spec.reporting.recipients))))
    return lines


def termination(loc: Locale, agreement: Agreement) -> list[str]:
    """The termination clause, its notice, and each measurable termination right."""
    clause = agreement.spec.termination
    if clause is None:
        return []
    lines = [" ".join(clause.clause.split())]
    if clause.notice is not None:
        lines.append(loc.text("termination.notice", notice=loc.duration(clause.notice)))
    lines += [right(loc, rule, titles(agreement)) for rule in clause.rights]
    return lines


def right(loc: Locale, rule: TerminationRule, named: Mapping[str, str] | None = None) -> str:
    """A termination rule in words; `named` gives the objectives' titles by name."""
    when = rule.when
    title = (named or {}).get(when.objective or "", when.objective)
    subject = loc.text("right.subject", name=title) if when.objective else loc.text("right.any")
    if when.breached_consecutive_periods is not None:
        condition = loc.text("right.consecutive", subject=subject, n=when.breached_consecutive_periods)
    elif when.breached_periods is not None:
        count, periods = when.breached_periods.count, when.breached_periods.periods
        condition = loc.text("right.count", subject=subject, count=count, periods=periods)
    else:
        condition = loc.text("right.below", subject=subject, ratio=loc.percent(when.attainment_below or Decimal(0)))
    return loc.text(
        "right",
        condition=condition,
        grant=loc.text(f"grant.{rule.grants.value}"),
        notice=loc.text("right.notice", notice=loc.duration(rule.notice)) if rule.notice else "",
        within=loc.text("right.within", duration=loc.duration(rule.exercise_within)) if rule.exercise_within else "",
    )
