"""An agreement explained in short sentences: what each objective measures and allows, credits, exclusions, termination.

The explanation is data (dataclasses of strings), so the CLI can print it as a table or JSON.
Every sentence is a phrase of `attain.reports.phrases` in the chosen language (English by
default, so `attain explain --lang zh-CN` is the same explanation in Chinese); the sentences of
one objective are in `attain.reports.objective_explanation`. Names, codes and the agreement's own
prose are quoted as written; `status` stays the agreement's status code in every language.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

from attain.model import Agreement, CreditTier, Exclusion, Objective, TerminationRule
from attain.model.quantity import format_ratio
from attain.reports import clauses, shorthand
from attain.reports import objective_explanation as words
from attain.reports.locale import Language, Locale

ENGLISH = Locale(Language.EN)
"""The default language of explanations."""


@dataclass(frozen=True)
class ObjectiveExplanation:
    """One objective in words."""

    name: str
    title: str
    measured: str
    target: str
    window: str
    budget: str
    allows: list[str]
    credits: list[str]


@dataclass(frozen=True)
class Explanation:
    """The whole agreement in words."""

    name: str
    title: str
    version: int
    status: str
    parties: str
    effective: str
    objectives: list[ObjectiveExplanation] = field(default_factory=list)
    exclusions: list[str] = field(default_factory=list)
    credit_policy: list[str] = field(default_factory=list)
    termination: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return asdict(self)


def explain(agreement: Agreement, loc: Locale = ENGLISH) -> Explanation:
    """Explain every objective, credit rule, exclusion and termination rule of an agreement.

    Args:
        agreement: the agreement to explain.
        loc: the language of the sentences.

    Returns:
        The agreement in words; credit policy only when there is a fee or a credit tier.
    """
    spec = agreement.spec
    start = spec.effective.from_.isoformat()
    if spec.effective.until:
        effective = loc.text("x.effective.until", start=start, end=spec.effective.until.isoformat())
    else:
        effective = loc.text("x.effective.open", start=start)
    has_credits = spec.fee or any(o.credits for o in spec.objectives)
    return Explanation(
        name=agreement.name,
        title=spec.title,
        version=spec.version,
        status=spec.status.value,
        parties=loc.text("x.parties", provider=spec.parties.provider.name, customer=spec.parties.customer.name),
        effective=effective,
        objectives=[_objective(loc, o, agreement) for o in spec.objectives],
        exclusions=[_exclusion(loc, e) for e in spec.exclusions],
        credit_policy=_credit_policy(loc, agreement) if has_credits else [],
        termination=[_termination(loc, rule) for rule in spec.termination.rights] if spec.termination else [],
    )


def _objective(loc: Locale, objective: Objective, agreement: Agreement) -> ObjectiveExplanation:
    return ObjectiveExplanation(
        name=objective.name,
        title=objective.title or objective.name,
        measured=words.measured(loc, objective, agreement),
        target=words.target(loc, objective),
        window=words.window(loc, objective, agreement.spec.time_zone),
        budget=words.budget_summary(loc, objective),
        allows=words.allows(loc, objective),
        credits=[_tier(loc, t, agreement) for t in objective.credits],
    )


def _range(loc: Locale, tier: CreditTier) -> str:
    """The tier's range in signs, with the word for attainment in `loc`'s language: `99% ≤ attainment < 99.9%`."""
    return tier.describe(loc.text("x.attainment"))


def _tier(loc: Locale, tier: CreditTier, agreement: Agreement) -> str:
    fee = agreement.spec.fee
    amount = ""
    if fee is not None:
        money = shorthand.money(loc, (fee.amount * tier.credit).quantize(Decimal("0.01")), fee.currency)
        amount = loc.text("x.tier.amount", money=money)
    per = loc.text(f"x.fee.{fee.per.value}" if fee else "x.fee.period")
    return loc.text("x.tier", range=_range(loc, tier), share=format_ratio(tier.credit), fee=per, amount=amount)


def _credit_policy(loc: Locale, agreement: Agreement) -> list[str]:
    policy = agreement.spec.credit_policy
    remedy, combine = loc.text(f"x.remedy.{policy.remedy.value}"), loc.text(f"x.combine.{policy.combine.value}")
    lines = [loc.text("x.policy.remedy", remedy=remedy, combine=combine)]
    lines.append(loc.text("x.policy.cap", cap=format_ratio(policy.cap)))
    currency = agreement.spec.fee.currency if agreement.spec.fee else ""
    if policy.minimum_payout:
        payout = shorthand.money(loc, policy.minimum_payout, currency)
        lines.append(loc.text("x.policy.minimum_payout", amount=payout))
    if policy.claim_within is not None:
        lines.append(loc.text("x.policy.claim_within", span=shorthand.span(loc, policy.claim_within)))
    if policy.claim_how:
        lines.append(policy.claim_how)
    return lines


def _exclusion(loc: Locale, exclusion: Exclusion) -> str:
    kind = loc.text(f"x.kind.{exclusion.kind.value}")
    start = exclusion.start
    if start is not None and exclusion.every:
        each = shorthand.duration(loc, exclusion.duration or timedelta(0))
        text = loc.text(
            "x.exclusion.every",
            kind=kind,
            rule=clauses.rule_words(loc, exclusion.every),
            start=f"{start:%Y-%m-%d %H:%M}",
            duration=each,
        )
    elif start is not None:
        length = exclusion.duration or ((exclusion.end or start) - start)
        text = loc.text(
            "x.exclusion.once", kind=kind, start=f"{start:%Y-%m-%d %H:%M}", duration=shorthand.duration(loc, length)
        )
    elif exclusion.description:
        text = loc.text("x.exclusion.described", kind=kind, text=" ".join(exclusion.description.split()))
    else:
        text = kind
    if exclusion.minimum_notice is not None:
        text += loc.text("x.exclusion.notice", notice=shorthand.duration(loc, exclusion.minimum_notice))
    return text


def _termination(loc: Locale, rule: TerminationRule) -> str:
    when = rule.when
    subject = loc.text("x.right.subject", name=when.objective) if when.objective else loc.text("x.right.any")
    if when.breached_consecutive_periods is not None:
        condition = loc.text("x.right.consecutive", subject=subject, n=when.breached_consecutive_periods)
    elif when.breached_periods is not None:
        count, periods = when.breached_periods.count, when.breached_periods.periods
        condition = loc.text("x.right.count", subject=subject, count=count, periods=periods)
    else:
        ratio = format_ratio(when.attainment_below or Decimal(0))
        condition = loc.text("x.right.below", subject=subject, ratio=ratio)
    notice = loc.text("x.right.notice", notice=shorthand.duration(loc, rule.notice)) if rule.notice else ""
    grant = loc.text(f"x.grant.{rule.grants.value}")
    return loc.text("x.right", condition=condition, grant=grant, notice=notice)
