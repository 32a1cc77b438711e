"""The industry templates that `attain init --template` writes: readable, valid, and consistent."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from typing import Any

import pytest

from attain.errors import UnknownTemplate
from attain.formats.native import parse_agreement
from attain.formats.source import read_text
from attain.formats.template import LANGUAGES, TEMPLATES, describe_template, template_text
from attain.model import (
    SRE_WORKBOOK_TIERS,
    Agreement,
    AvailabilityIndicator,
    AvailabilitySource,
    BudgetingMethod,
    CalendarSpan,
    CalendarUnit,
    CalendarWindow,
    CaseIndicator,
    FreshnessIndicator,
    Language,
    MissingValue,
    Operator,
    RatioIndicator,
    Remedy,
    RollingWindow,
    StatisticIndicator,
    StatisticName,
    Status,
    ThresholdIndicator,
    TimeBasis,
)

PROSE_KEYS = frozenset(
    {
        "title",
        "description",
        "purpose",
        "clause",
        "claimHow",
        "displayName",
        "includes",
        "excludes",
        "owner",
        "address",
        "representative",
        "language",
    }
)
"""Document keys whose values are prose (or the language itself) and so differ between languages."""

PARTY_KEYS = frozenset({"provider", "customer"})

CJK = re.compile(r"[\u4e00-\u9fff]")

ALL = [(name, language) for name in TEMPLATES for language in LANGUAGES]


@cache
def agreement(name: str, language: str = "en") -> Agreement:
    """Parse one template variant (once per test session)."""
    documents = read_text(template_text(name, language), f"templates/{language}/{name}.yaml")
    assert len(documents) == 1
    return parse_agreement(documents[0])


def blank_prose(data: Any, parent: str | None = None) -> Any:
    """Return dumped agreement data with every prose field, and party names, set to None."""
    if isinstance(data, dict):
        return {
            key: None if key in PROSE_KEYS or (key == "name" and parent in PARTY_KEYS) else blank_prose(value, key)
            for key, value in data.items()
        }
    if isinstance(data, list):
        return [blank_prose(item, parent) for item in data]
    return data


def structure(model: Agreement) -> Any:
    """The agreement's data in document spelling, prose blanked out."""
    return blank_prose(model.model_dump(mode="json", by_alias=True))


def objective_indicator(model: Agreement, objective: str) -> Any:
    """The indicator of the named objective."""
    return model.spec.objective(objective).indicator


# --- every template ----------------------------------------------------------------------------


def test_template_names_and_languages() -> None:
    """The module lists the ten industry templates in their documented order and both languages."""
    assert TEMPLATES == (
        "cloud-uptime",
        "ambulance-response",
        "ecommerce",
        "parcel-delivery",
        "cloud-backup",
        "video-streaming",
        "video-conferencing",
        "support-desk",
        "api-latency",
        "ai-customer-service",
    )
    assert LANGUAGES == ("en", "zh-CN")


@pytest.mark.parametrize(("name", "language"), ALL)
def test_template_parses_without_problems(name: str, language: str) -> None:
    """Every template in every language reads as YAML and validates as an agreement."""
    model = agreement(name, language)
    assert model.name == name
    assert model.spec.language is Language(language)
    assert model.spec.status is Status.DRAFT
    assert model.spec.version == 1
    assert model.spec.effective.from_ == date(2027, 1, 1)


@pytest.mark.parametrize(("name", "language"), ALL)
def test_template_starts_with_an_editing_comment(name: str, language: str) -> None:
    """Every template opens with a comment header that names it and tells the user what to edit."""
    text = template_text(name, language)
    header = text.split("apiVersion:", 1)[0]
    assert text.startswith("# ")
    assert name in header
    assert "attain validate" in header


@pytest.mark.parametrize(("name", "language"), ALL)
def test_template_is_complete(name: str, language: str) -> None:
    """Every template fills in the parts a real agreement needs, with example-domain contacts."""
    spec = agreement(name, language).spec
    assert agreement(name, language).metadata.labels["industry"]
    assert spec.title
    assert spec.purpose
    assert spec.scope.description
    assert spec.services
    assert spec.reporting.period is CalendarUnit.MONTH
    assert spec.review is not None
    assert spec.changes is not None
    assert spec.changes.notice is not None
    assert spec.termination is not None
    assert spec.termination.notice is not None
    assert spec.termination.rights
    for party in (spec.parties.provider, spec.parties.customer):
        assert party.name
        assert party.contact is not None
        assert party.contact.endswith(".example")
    for objective in spec.objectives:
        assert objective.title
        assert objective.description
    if any(objective.credits for objective in spec.objectives):
        assert spec.fee is not None
        assert spec.credit_policy.claim_within is not None
        assert spec.credit_policy.claim_how


@pytest.mark.parametrize(("name", "language"), ALL)
def test_every_objective_names_a_declared_service(name: str, language: str) -> None:
    """Every objective of every template belongs to a service declared in spec.services."""
    spec = agreement(name, language).spec
    declared = {service.name for service in spec.services}
    for objective in spec.objectives:
        assert objective.service is not None
        assert objective.service in declared


@pytest.mark.parametrize("name", TEMPLATES)
def test_language_variants_state_the_same_agreement(name: str) -> None:
    """The en and zh-CN variants have identical structure and numbers; only the prose differs."""
    english, chinese = agreement(name, "en"), agreement(name, "zh-CN")
    assert structure(english) == structure(chinese)
    assert english != chinese


@pytest.mark.parametrize("name", TEMPLATES)
def test_chinese_variant_is_written_in_chinese(name: str) -> None:
    """The zh-CN variant's prose is Chinese and the en variant's prose is not."""
    english, chinese = agreement(name, "en").spec, agreement(name, "zh-CN").spec
    for text in (chinese.title, chinese.purpose, chinese.objectives[0].description or ""):
        assert CJK.search(text), text
    for text in (english.title, english.purpose, english.objectives[0].description or ""):
        assert not CJK.search(text), text


def test_blank_prose_keeps_numbers_and_names() -> None:
    """The comparison helper blanks prose and party names but keeps objective names and numbers."""
    data = {
        "parties": {"provider": {"name": "A", "contact": "a@x.example"}},
        "objectives": [{"name": "latency", "title": "T", "target": "99%"}],
    }
    assert blank_prose(data) == {
        "parties": {"provider": {"name": None, "contact": "a@x.example"}},
        "objectives": [{"name": "latency", "title": None, "target": "99%"}],
    }


# --- lookup ------------------------------------------------------------------------------------


def test_unknown_template_name_raises_listing_names() -> None:
    """An unknown template name raises UnknownTemplate, which lists every template name."""
    with pytest.raises(UnknownTemplate) as caught:
        template_text("no-such-template")
    assert caught.value.name == "no-such-template"
    assert caught.value.known == list(TEMPLATES)
    assert all(name in str(caught.value) for name in TEMPLATES)
    assert isinstance(caught.value, LookupError)


def test_unknown_language_raises_value_error_naming_languages() -> None:
    """An unknown language raises a ValueError that names the valid languages."""
    with pytest.raises(ValueError, match=r"en, zh-CN") as caught:
        template_text("cloud-uptime", "fr")
    assert not isinstance(caught.value, UnknownTemplate)


def test_default_language_is_english() -> None:
    """Without a language, the English variant is returned."""
    assert template_text("cloud-uptime") == template_text("cloud-uptime", "en")


@pytest.mark.parametrize("name", TEMPLATES)
def test_describe_template_is_one_english_line(name: str) -> None:
    """Each template has a one-line English summary for `attain init --list`."""
    summary = describe_template(name)
    assert summary
    assert "\n" not in summary
    assert summary.isascii()


def test_describe_unknown_template_raises() -> None:
    """Describing an unknown template raises UnknownTemplate."""
    with pytest.raises(UnknownTemplate):
        describe_template("nope")


# --- hand-checked values per template ----------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_cloud_uptime_values(language: str) -> None:
    """cloud-uptime promises 99.9% per Berlin calendar month with tiers, maintenance and a credit policy."""
    spec = agreement("cloud-uptime", language).spec
    objective = spec.objective("compute-availability")
    assert objective.target == Decimal("0.999")
    assert isinstance(objective.window, CalendarWindow)
    assert objective.window.calendar is CalendarUnit.MONTH
    assert objective.window.time_zone == "Europe/Berlin"
    indicator = objective.indicator
    assert isinstance(indicator, AvailabilityIndicator)
    assert indicator.from_ is AvailabilitySource.INCIDENTS
    assert indicator.minimum_downtime == timedelta(minutes=1)
    assert [(t.below, t.at_least, t.credit) for t in objective.credits] == [
        (Decimal("0.999"), Decimal("0.99"), Decimal("0.1")),
        (Decimal("0.99"), Decimal("0.95"), Decimal("0.25")),
        (Decimal("0.95"), None, Decimal(1)),
    ]
    maintenance = spec.exclusions[0]
    assert maintenance.every == "FREQ=WEEKLY;BYDAY=SU"
    assert maintenance.start is not None
    assert (maintenance.start.isoweekday(), maintenance.start.hour) == (7, 2)
    assert maintenance.duration == timedelta(hours=2)
    assert maintenance.minimum_notice == timedelta(hours=72)
    assert "force-majeure" in {exclusion.kind.value for exclusion in spec.exclusions}
    policy = spec.credit_policy
    assert policy.cap == Decimal(1)
    assert policy.minimum_payout == Decimal("10.00")
    assert policy.claim_within == CalendarSpan(2, timedelta(0))
    assert spec.fee is not None
    assert spec.fee.currency == "EUR"
    assert spec.termination is not None
    assert {rule.when.breached_consecutive_periods for rule in spec.termination.rights} == {3}


@pytest.mark.parametrize("language", LANGUAGES)
def test_ambulance_response_values(language: str) -> None:
    """ambulance-response counts 90% of calls within 900 s and a mean of at most 480 s per London month."""
    model = agreement("ambulance-response", language)
    objective = model.spec.objective("response-within-15-minutes")
    indicator = objective.indicator
    assert isinstance(indicator, ThresholdIndicator)
    assert indicator.value == "response_seconds"
    assert indicator.op is Operator.LE
    assert indicator.bound == Decimal(900)
    assert indicator.unit == "s"
    assert indicator.where_not == {"status": "cancelled"}
    assert indicator.missing is MissingValue.BAD
    assert objective.target == Decimal("0.9")
    assert isinstance(objective.window, CalendarWindow)
    assert objective.window.time_zone == "Europe/London"
    mean = model.spec.objective("mean-response")
    assert isinstance(mean.indicator, StatisticIndicator)
    assert mean.indicator.statistic is StatisticName.MEAN
    assert mean.indicator.bound == Decimal(480)
    assert mean.target is None


@pytest.mark.parametrize("language", LANGUAGES)
def test_ecommerce_values(language: str) -> None:
    """The ecommerce template wants 95% of page views under 2000 ms and 99% of orders processed within 1 h."""
    model = agreement("ecommerce", language)
    page = model.spec.objective("page-load")
    assert isinstance(page.indicator, ThresholdIndicator)
    assert page.indicator.op is Operator.LT
    assert (page.indicator.bound, page.indicator.unit) == (Decimal(2000), "ms")
    assert page.target == Decimal("0.95")
    orders = model.spec.objective("order-processing-time")
    assert isinstance(orders.indicator, CaseIndicator)
    assert (orders.indicator.clock.start, orders.indicator.clock.stop) == ("placed", "processed")
    assert orders.indicator.goals == {"*": timedelta(hours=1)}
    assert orders.indicator.time is TimeBasis.CALENDAR
    assert orders.target == Decimal("0.99")


@pytest.mark.parametrize("language", LANGUAGES)
def test_parcel_delivery_values(language: str) -> None:
    """parcel-delivery counts a parcel on time when days_late ≤ 0, with a 95% monthly target."""
    objective = agreement("parcel-delivery", language).spec.objective("on-time-delivery")
    assert isinstance(objective.indicator, ThresholdIndicator)
    assert objective.indicator.value == "days_late"
    assert objective.indicator.op is Operator.LE
    assert objective.indicator.bound == Decimal(0)
    assert objective.target == Decimal("0.95")
    assert isinstance(objective.window, CalendarWindow)
    assert objective.window.calendar is CalendarUnit.MONTH


@pytest.mark.parametrize("language", LANGUAGES)
def test_cloud_backup_values(language: str) -> None:
    """cloud-backup wants a successful backup every 24 h and reduces the fee when it is missed."""
    spec = agreement("cloud-backup", language).spec
    objective = spec.objective("backup-freshness")
    assert isinstance(objective.indicator, FreshnessIndicator)
    assert objective.indicator.max_gap == timedelta(hours=24)
    assert objective.indicator.where == {"status": "success"}
    assert objective.target == Decimal(1)
    assert objective.credits
    assert spec.credit_policy.remedy is Remedy.FEE_REDUCTION


@pytest.mark.parametrize("language", LANGUAGES)
def test_video_streaming_values(language: str) -> None:
    """video-streaming measures playability from probes in 1-minute slices that need 95% each."""
    objective = agreement("video-streaming", language).spec.objective("playability")
    indicator = objective.indicator
    assert isinstance(indicator, AvailabilityIndicator)
    assert indicator.from_ is AvailabilitySource.PROBES
    assert indicator.up is not None
    assert indicator.up.where == {"status": "playable"}
    assert objective.budgeting.method is BudgetingMethod.TIMESLICES
    assert objective.budgeting.slice == timedelta(minutes=1)
    assert objective.budgeting.slice_target == Decimal("0.95")
    assert objective.target == Decimal("0.95")


@pytest.mark.parametrize("language", LANGUAGES)
def test_video_conferencing_values(language: str) -> None:
    """video-conferencing counts interrupted meeting minutes as bad, with a 99% target."""
    objective = agreement("video-conferencing", language).spec.objective("uninterrupted-minutes")
    assert isinstance(objective.indicator, RatioIndicator)
    assert objective.indicator.good is None
    assert objective.indicator.bad is not None
    assert objective.indicator.bad.where == {"interrupted": True}
    assert objective.target == Decimal("0.99")


@pytest.mark.parametrize("language", LANGUAGES)
def test_support_desk_values(language: str) -> None:
    """support-desk runs its clocks on a Shanghai office calendar with Chinese holidays and make-up days."""
    spec = agreement("support-desk", language).spec
    office = spec.calendars["office"]
    assert office.time_zone == "Asia/Shanghai"
    assert office.holidays is not None
    assert office.holidays.country == "CN"
    assert office.extra_working_days
    assert all(day.isoweekday() >= 6 for day in office.extra_working_days)
    assert all(day.isoweekday() <= 5 for day in office.extra_holidays)
    weekday_hours = office.weekly_hours()[0]
    assert [(start.hour, end.hour if end else 24) for start, end in weekday_hours] == [(9, 12), (13, 18)]
    assert office.weekly_hours()[5:] == ((), ())
    first = spec.objective("first-response")
    assert isinstance(first.indicator, CaseIndicator)
    assert first.indicator.time is TimeBasis.BUSINESS
    assert first.indicator.calendar == "office"
    assert first.indicator.goals == {"P1": timedelta(hours=1), "P2": timedelta(hours=4), "P3": timedelta(hours=8)}
    assert first.indicator.warn_at == (Decimal("0.5"), Decimal("0.75"))
    assert first.target == Decimal("0.95")
    resolution = spec.objective("resolution")
    assert isinstance(resolution.indicator, CaseIndicator)
    clock = resolution.indicator.clock
    assert (clock.start, clock.stop) == ("created", "resolved")
    assert (clock.pause, clock.resume) == (("waiting_on_customer",), ("customer_replied",))
    assert resolution.indicator.goals == {
        "P1": timedelta(hours=4),
        "P2": timedelta(hours=16),
        "P3": timedelta(hours=40),
    }


def test_support_desk_comment_asks_to_check_the_make_up_days() -> None:
    """The support-desk template says its make-up working days must be checked against the State Council."""
    assert "State Council" in template_text("support-desk", "en")
    assert "国务院" in template_text("support-desk", "zh-CN")


@pytest.mark.parametrize("language", LANGUAGES)
def test_api_latency_values(language: str) -> None:
    """api-latency wants 95% of requests under 5000 ms over 28 rolling days, with sre-workbook alerts."""
    model = agreement("api-latency", language)
    latency = model.spec.objective("latency")
    assert isinstance(latency.indicator, ThresholdIndicator)
    assert latency.indicator.value == "latency_ms"
    assert latency.indicator.op is Operator.LT
    assert (latency.indicator.bound, latency.indicator.unit) == (Decimal(5000), "ms")
    assert latency.target == Decimal("0.95")
    assert isinstance(latency.window, RollingWindow)
    assert latency.window.rolling == timedelta(days=28)
    assert latency.budgeting.method is BudgetingMethod.OCCURRENCES
    assert latency.alerting is not None
    assert latency.alerting.preset == "sre-workbook"
    assert latency.alerting.effective_tiers == SRE_WORKBOOK_TIERS
    availability = model.spec.objective("availability")
    assert isinstance(availability.indicator, RatioIndicator)
    assert availability.target == Decimal("0.999")


@pytest.mark.parametrize("language", LANGUAGES)
def test_ai_customer_service_values(language: str) -> None:
    """ai-customer-service: bot answer ≤ 3 s for 95%, a human within 5 min for 90%, 75% resolved, per Shanghai month."""
    spec = agreement("ai-customer-service", language).spec
    assert spec.time_zone == "Asia/Shanghai"
    bot = spec.objective("bot-first-response")
    assert isinstance(bot.indicator, ThresholdIndicator)
    assert (bot.indicator.events, bot.indicator.value, bot.indicator.op) == (
        "conversations",
        "bot_first_response_ms",
        Operator.LE,
    )
    assert (bot.indicator.bound, bot.indicator.unit, bot.indicator.missing) == (Decimal(3000), "ms", MissingValue.BAD)
    assert bot.indicator.where_not == {"test": True}
    assert bot.target == Decimal("0.95")
    handoff = spec.objective("human-handoff")
    assert isinstance(handoff.indicator, CaseIndicator)
    assert (handoff.indicator.clock.start, handoff.indicator.clock.stop) == ("requested", "agent_joined")
    assert handoff.indicator.time is TimeBasis.CALENDAR
    assert handoff.indicator.goals == {"*": timedelta(minutes=5)}
    assert handoff.target == Decimal("0.9")
    resolution = spec.objective("resolution-rate")
    assert isinstance(resolution.indicator, RatioIndicator)
    assert resolution.indicator.good is not None
    assert resolution.indicator.good.where == {"outcome": "resolved"}
    assert resolution.indicator.valid.where_not == {"test": True}
    assert resolution.target == Decimal("0.75")
    for objective in (bot, handoff, resolution):
        assert objective.window == CalendarWindow(calendar=CalendarUnit.MONTH)
        # Two tiers each, touching at their shared edge: no gap, no overlap.
        assert len(objective.credits) == 2
        assert objective.credits[0].at_least == objective.credits[1].below
    assert spec.fee is not None
    assert (spec.fee.amount, spec.fee.currency) == (Decimal("50000.00"), "CNY")
    assert spec.credit_policy.cap == Decimal("0.25")
    assert [e.kind.value for e in spec.exclusions] == ["customer-caused", "third-party", "force-majeure"]
