"""Every template's contract reads as prose: Chinese units and words in Chinese, no raw identifiers anywhere."""

from __future__ import annotations

import re
from functools import cache

import pytest

from attain.formats.native import parse_agreement
from attain.formats.source import read_text
from attain.formats.template import LANGUAGES, TEMPLATES, template_text
from attain.model import (
    Agreement,
    AvailabilityIndicator,
    CaseIndicator,
    RatioIndicator,
    Selector,
    StatisticIndicator,
    ThresholdIndicator,
)
from attain.reports.contract import render_contract
from attain.reports.document import Format
from attain.reports.explanation import explain
from attain.reports.locale import Locale

ENGLISH_WORDS = re.compile(
    r"\b(?:minutes?|hours?|days?|weeks?|months?|years?|seconds?|events?|cases?|slices?|page|ticket|ms|min"
    r"|business|calendar|priority|and|or|of|in|per)\b",
    re.IGNORECASE,
)
"""English units, alert severities and function words that must not appear in a Chinese document."""

ISO_SPAN = re.compile(r"\bP\d+[YMWD]\b")


@cache
def agreement(name: str, language: str) -> Agreement:
    """One template variant, parsed once."""
    return parse_agreement(read_text(template_text(name, language), f"{language}/{name}.yaml")[0])


@cache
def contract_text(name: str, language: str) -> str:
    """The Markdown contract of a template in its own language, with Markdown's escapes removed."""
    return render_contract(agreement(name, language), language, Format.MD).decode().replace("\\", "")


def _keys(selector: Selector | None) -> set[str]:
    return set() if selector is None else set(selector.where) | set(selector.where_not)


def identifiers(item: Agreement) -> set[str]:
    """The stream, attribute, event-type, calendar and objective names of an agreement."""
    found: set[str] = set(item.spec.calendars)
    for objective in item.spec.objectives:
        ind = objective.indicator
        found |= {objective.name} | ({ind.events} if ind.events else set())
        if isinstance(ind, RatioIndicator):
            found |= _keys(ind.valid) | _keys(ind.good) | _keys(ind.bad)
        if isinstance(ind, ThresholdIndicator | StatisticIndicator):
            found |= {ind.value} | set(ind.where) | set(ind.where_not)
        if isinstance(ind, AvailabilityIndicator):
            found |= set(ind.where) | _keys(ind.up)
        if isinstance(ind, CaseIndicator):
            clock = ind.clock
            found |= {ind.priority, clock.start, clock.stop, *clock.pause, *clock.resume} | set(ind.where)
    return found


def prose(text: str, item: Agreement) -> str:
    """The document without the lines that name the agreement and its services by their keys on purpose."""
    keys = [item.name, *(s.name for s in item.spec.services)]
    return "\n".join(line for line in text.splitlines() if not any(f"({key})" in line for key in keys))


@pytest.mark.parametrize("name", TEMPLATES)
def test_a_chinese_contract_has_no_english_unit_severity_or_iso_span(name: str) -> None:
    """The zh-CN contract of every template writes units, severities and spans in Chinese (`2个月`, not P2M)."""
    item = agreement(name, "zh-CN")
    text = prose(contract_text(name, "zh-CN"), item)
    assert ENGLISH_WORDS.findall(text) == []
    assert ISO_SPAN.findall(text) == []
    assert " 且 " not in text
    assert "季度份" not in text


@pytest.mark.parametrize(("name", "language"), [(n, lang) for n in TEMPLATES for lang in LANGUAGES])
def test_a_contract_names_no_stream_attribute_event_or_objective_identifier(name: str, language: str) -> None:
    """Stream names, attribute names, event types, calendar and objective names never appear in contract prose."""
    item = agreement(name, language)
    text = prose(contract_text(name, language), item)
    raw = sorted(i for i in identifiers(item) if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", text))
    # an identifier that is a plain English word (a stream named `requests`) may occur in English prose
    if language == "en":
        raw = [i for i in raw if "_" in i or "-" in i]
    assert raw == []


def test_the_support_desk_goals_are_business_days_and_hours_in_english() -> None:
    """P3's 40 h of business time is 40 / 8 = 5 business days (8 h a day: 09–12 and 13–18), never "1 day, 16 hours"."""
    text = contract_text("support-desk", "en")
    assert (
        "- **How it is measured**: The clock runs from the event that opens a case to the event that stops it, "
        "counted in business hours (see the business calendar). Goals: P1: 4 business hours, "
        "P2: 2 business days (16 business hours), and P3: 5 business days (40 business hours)."
    ) in text
    assert "Goals: P1: 1 business hour, P2: 4 business hours, and P3: 1 business day (8 business hours)." in text
    assert "1 day, 16 hours" not in text
    assert "Closed on the public holidays of China." in text
    assert "If the objective “Resolution by priority” is missed in 3 consecutive periods" in text
    assert "- **What is measured**: The share of cases whose clock stops within the goal for their priority." in text


def test_the_support_desk_goals_are_business_days_and_hours_in_chinese() -> None:
    """The zh-CN contract says 5个工作日（40个工作小时）, never 1天16小时, and names no calendar or field."""
    text = contract_text("support-desk", "zh-CN")
    assert (
        "- **计量方式**：计时自开启工单的事件开始，至停止计时的事件结束，按工作时间（见工作日历）计算。"
        "时限：P1：4个工作小时、P2：2个工作日（16个工作小时）和P3：5个工作日（40个工作小时）。"
    ) in text
    assert "1天16小时" not in text
    assert "- **计量内容**：计时在其优先级对应时限以内（含）停止的工单所占的比例。" in text
    assert "中国的法定节假日不营业。" in text
    assert "若目标“按优先级的解决时效”连续 3 个周期未达成" in text
    assert "赔偿申请须在周期结束后2个月内提出。" in text


def test_the_parcel_lateness_is_described_not_named() -> None:
    """`days_late ≤ 0 days` becomes the measured value ≤ 0天 of the selected events; no field name, no English unit."""
    text = contract_text("parcel-delivery", "zh-CN")
    assert (
        "- **计量内容**：符合本目标筛选条件的事件中测量值 ≤ 0天 的事件所占的比例；没有数值的事件计为不达标。"
    ) in text
    assert "days_late" not in text
    english = contract_text("parcel-delivery", "en")
    assert (
        "The share of the events the objective selects whose measured value is ≤ 0 days; "
        "events without a value count as bad."
    ) in english


def test_explain_gives_business_goals_in_business_terms_and_spans_in_words() -> None:
    """`attain explain` writes 40 h of business time as 5 business days (40 business hours), and P2M as 2 months."""
    item = agreement("support-desk", "en")
    english = {o.name: o for o in explain(item).objectives}
    assert english["resolution"].measured.endswith(
        "P1 4 business hours, P2 2 business days (16 business hours), P3 5 business days (40 business hours); "
        "warnings at 50%, 75% of the goal"
    )
    assert "claim within 2 months after the period ends" in explain(item).credit_policy
    chinese = explain(agreement("support-desk", "zh-CN"), Locale.of("zh-CN"))
    resolution = next(o for o in chinese.objectives if o.name == "resolution")
    assert "P1：4个工作小时、P2：2个工作日（16个工作小时）、P3：5个工作日（40个工作小时）" in resolution.measured
    assert "须在周期结束后2个月内申请赔偿" in chinese.credit_policy


def test_a_quarter_reads_naturally_in_chinese() -> None:
    """A quarterly availability window allows downtime "在90 天的季度中", never "季度份"."""
    text = template_text("cloud-uptime", "zh-CN").replace("{calendar: month,", "{calendar: quarter,")
    item = parse_agreement(read_text(text, "q.yaml")[0])
    document = render_contract(item, "zh-CN", Format.MD).decode()
    # 0.1% of a 90-day quarter: 0.001 × 90 × 1440 min = 129.6 min = 2 h 9 min 36 s; of 92 days 132.48 min
    assert "在90 天的季度中，最多允许129.6分钟（2小时9分钟36秒钟）的停机时间。" in document
    assert "在92 天的季度中，最多允许132.48分钟（2小时12分钟28秒钟）的停机时间。" in document
    assert "季度份" not in document


def _strings(value: object) -> list[str]:
    """Every string inside nested dataclass fields, lists and dicts."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


@pytest.mark.parametrize("name", TEMPLATES)
def test_a_chinese_explanation_has_no_english_unit_or_iso_span(name: str) -> None:
    """`attain explain --lang zh-CN` of every template writes units and spans in Chinese and no spaces around 且.

    The explanation is for the people who write the agreement and keeps its identifiers (stream,
    attribute and objective names), so they are taken out before looking for English words.
    """
    item = agreement(name, "zh-CN")
    text = "\n".join(_strings(explain(item, Locale.of("zh-CN")).as_dict()))
    for identifier in sorted(identifiers(item) | {item.name}, key=len, reverse=True):
        text = re.sub(rf"(?<![\w-]){re.escape(identifier)}(?![\w-])", " ", text)
    assert ENGLISH_WORDS.findall(text) == []
    assert ISO_SPAN.findall(text) == []
    assert " 且 " not in text
