"""The contract document: an agreement written out as an SLA, in English or Simplified Chinese.

`contract(agreement, language)` gathers every sentence of the document as data (introduction,
service levels, remedies, exclusions, closing terms, signatures); `render_contract` lays it out
as HTML, Markdown or PDF through the templates in `attain/reports/templates`. Sentences come
from the agreement's data and the fixed phrases of the chosen language; the agreement's own
prose (purpose, clauses, descriptions) is quoted as written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from attain.model import Agreement, CreditTier, Objective, Party, TerminationRule
from attain.reports import clauses, wording
from attain.reports.document import Format, render
from attain.reports.locale import Locale


@dataclass(frozen=True)
class PartyBlock:
    """One party: its role and what the agreement says about it."""

    role: str
    name: str
    details: list[tuple[str, str]]
    colon: str
    separator: str


@dataclass(frozen=True)
class TierRow:
    """One credit tier: the attainment range, the share of the fee, and the amount."""

    range: str
    share: str
    amount: str


@dataclass(frozen=True)
class ObjectiveSection:
    """One objective in words."""

    name: str
    title: str
    description: str | None
    service: str | None
    measured: str
    how: list[str]
    target: str
    window: str
    allows: list[str]
    calendar: list[str]
    tiers: list[TierRow]


@dataclass(frozen=True)
class ServiceBlock:
    """A service the agreement covers."""

    name: str
    title: str
    description: str | None
    owner: str | None


@dataclass(frozen=True)
class Contract:
    """Every part of the contract document, as text in one language."""

    language: str
    title: str
    heading: str
    introduction: list[str]
    purpose: str
    scope: str | None
    scope_lists: list[tuple[str, str]]
    parties: list[PartyBlock]
    services: list[ServiceBlock]
    effective: str
    version: str
    objectives: list[ObjectiveSection]
    remedies: list[str]
    claims: list[str]
    exclusions: list[clauses.ExclusionItem]
    changes: list[str]
    review: list[str]
    termination: list[str]
    approval: str
    labels: dict[str, str] = field(default_factory=dict)


LABELS = [
    "h.introduction",
    "h.purpose",
    "h.parties",
    "h.services",
    "h.effective",
    "h.version",
    "h.body",
    "h.remedies",
    "h.exclusions",
    "h.closing",
    "h.signatures",
    "h.changes",
    "h.review",
    "h.termination",
    "h.claims",
    "objective",
    "service",
    "measured",
    "how",
    "target",
    "window",
    "allows",
    "calendar",
    "attainment",
    "credit",
    "amount",
    "signature",
    "name",
    "date",
    "owner",
]


def contract(agreement: Agreement, language: str) -> Contract:
    """Gather the contract document of `agreement` in `language` (en or zh-CN)."""
    loc = Locale.of(language)
    spec = agreement.spec
    zone = spec.time_zone
    effective = (
        loc.text("effective.until", start=loc.date(spec.effective.from_), end=loc.date(spec.effective.until))
        if spec.effective.until
        else loc.text("effective.open", start=loc.date(spec.effective.from_))
    )
    introduction = [loc.text("parties", provider=spec.parties.provider.name, customer=spec.parties.customer.name)]
    if spec.fee is not None:
        amount = loc.money(spec.fee.amount, spec.fee.currency)
        introduction.append(loc.text("fee", amount=amount, unit=loc.unit(spec.fee.per)))
    introduction.append(loc.text("time_zone", zone=zone))
    scope = spec.scope
    scope_lists = [
        (loc.text(key), loc.join(list(items)))
        for key, items in (("regions", scope.regions), ("includes", scope.includes), ("excludes", scope.excludes))
        if items
    ]
    version = loc.text(
        "version", version=spec.version, name=agreement.name, language=loc.text(f"language.{spec.language.value}")
    )
    return Contract(
        language=language,
        title=spec.title,
        heading=loc.text("h.contract"),
        introduction=introduction,
        purpose=_prose(spec.purpose),
        scope=_prose(scope.description) if scope.description else None,
        scope_lists=scope_lists,
        parties=[_party(loc, "provider", spec.parties.provider), _party(loc, "customer", spec.parties.customer)],
        services=[ServiceBlock(s.name, s.title or s.name, _maybe(s.description), s.owner) for s in spec.services],
        effective=effective,
        version=version,
        objectives=[_objective(loc, agreement, o) for o in spec.objectives],
        remedies=clauses.remedies(loc, agreement),
        claims=clauses.claims(loc, agreement),
        exclusions=[clauses.exclusion(loc, e, zone, clauses.titles(agreement)) for e in spec.exclusions],
        changes=clauses.changes(loc, agreement),
        review=clauses.review(loc, agreement),
        termination=clauses.termination(loc, agreement),
        approval=loc.text("approval", version=spec.version, status=loc.text(f"status.{spec.status.value}")),
        labels={key: loc.text(key, objective="") for key in LABELS} | {"colon": loc.text("colon")},
    )


def _prose(text: str) -> str:
    """The agreement's own prose with YAML's folded line breaks made single spaces."""
    return " ".join(text.split())


def _maybe(text: str | None) -> str | None:
    return None if text is None else _prose(text)


def _party(loc: Locale, role: str, party: Party) -> PartyBlock:
    details = [
        (loc.text(key), value)
        for key, value in (
            ("representative", party.representative),
            ("contact", party.contact),
            ("address", party.address),
        )
        if value
    ]
    return PartyBlock(loc.text(role), party.name, details, loc.text("colon"), loc.text("separator"))


def _objective(loc: Locale, agreement: Agreement, objective: Objective) -> ObjectiveSection:
    zone = agreement.spec.time_zone
    return ObjectiveSection(
        name=objective.name,
        title=objective.title or objective.name,
        description=_maybe(objective.description),
        service=_service_title(agreement, objective.service),
        measured=wording.measured(loc, objective),
        how=wording.how(loc, objective, agreement),
        target=wording.target(loc, objective, zone),
        window=wording.window(loc, objective, zone),
        allows=wording.allows(loc, objective),
        calendar=wording.calendar_lines(loc, agreement, objective),
        tiers=[_tier(loc, agreement, t) for t in objective.credits],
    )


def _service_title(agreement: Agreement, name: str | None) -> str | None:
    """The title of the objective's service (its name only when it has no title)."""
    titles = {s.name: s.title or s.name for s in agreement.spec.services}
    return None if name is None else titles.get(name, name)


def tier_range(loc: Locale, tier: CreditTier) -> str:
    """A tier's edges in words: at least 99.5% and below 99.9%."""
    parts = [
        loc.text(f"tier.{key}", value=loc.percent(value))
        for key, value in (
            ("at_least", tier.at_least),
            ("above", tier.above),
            ("below", tier.below),
            ("at_most", tier.at_most),
        )
        if value is not None
    ]
    return loc.text("tier.and").join(parts)


def _tier(loc: Locale, agreement: Agreement, tier: CreditTier) -> TierRow:
    fee = agreement.spec.fee
    amount = "" if fee is None else loc.money((fee.amount * tier.credit).quantize(Decimal("0.01")), fee.currency)
    return TierRow(tier_range(loc, tier), loc.text("tier.share", share=loc.percent(tier.credit)), amount)


def right_sentence(loc: Locale, rule: TerminationRule) -> str:
    """A termination rule in words: If objective X is missed in 3 consecutive periods, the customer may ..."""
    return clauses.right(loc, rule)


def render_contract(agreement: Agreement, language: str, fmt: Format) -> bytes:
    """The contract document of `agreement` as HTML, Markdown or PDF bytes."""
    document = contract(agreement, language)
    return render("contract", {"doc": document}, fmt, language)
