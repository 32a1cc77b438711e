"""`attain explain`'s sentences: every branch in English, from the phrase table."""

from __future__ import annotations

from attain.formats.native import parse_agreement
from attain.formats.source import read_text
from attain.model import Agreement
from attain.reports.explanation import Explanation, explain
from attain.reports.locale import Locale

EDGES = """\
apiVersion: attain/v1
kind: Agreement
metadata: {name: edges}
spec:
  title: Edge cases
  status: proposed
  purpose: Edge cases.
  timeZone: Europe/Berlin
  parties: {provider: {name: P}, customer: {name: C}}
  effective: {from: 2026-01-01, until: 2026-12-31}
  services: [{name: s}]
  exclusions:
    - {kind: maintenance, start: 2026-01-04T02:00, duration: 2h}
    - {kind: other}
  objectives:
    - name: perfect
      service: s
      indicator: {kind: ratio, valid: {where: {flag: true}}, good: {whereNot: {status: [500, 503]}}}
      target: 100%
      window: {calendar: day}
      credits: [{below: 100%, credit: 5%}]
    - name: daily-slices
      service: s
      indicator: {kind: threshold, value: ms, op: le, bound: 250, missing: good}
      target: 99.95%
      window: {calendar: day}
      budgeting: {method: Timeslices, slice: 5m, sliceTarget: 90%}
    - name: fresh
      service: s
      indicator: {kind: freshness, maxGap: 90m}
      target: 99.5%
      window: 7d
    - name: linear
      service: s
      indicator: {kind: statistic, statistic: percentile, percentile: 99.9, method: linear, value: ms, op: le, bound: 300, unit: ms}
      window: {calendar: quarter}
    - name: cases
      service: s
      indicator: {kind: case, clock: {start: opened, stop: closed}, time: calendar, priority: sev, goals: {S1: 2h, S2: 1d12h}, op: lt}
      target: 80%
      window: {calendar: month}
  creditPolicy: {remedy: refund, combine: max, cap: 30%, minimumPayout: "50", claimWithin: P1M}
  termination:
    clause: Ends.
    rights:
      - when: {attainmentBelow: 95%}
        grants: terminate
      - when: {objective: cases, breachedPeriods: {count: 2, periods: 3}}
        grants: renegotiate
        notice: 14d
"""


def _edges() -> Agreement:
    """The edge-case agreement above."""
    return parse_agreement(read_text(EDGES, "edges.yaml")[0])


def _objective(explanation: Explanation, name: str) -> dict[str, object]:
    """One objective's explanation as plain data."""
    return next(o for o in explanation.as_dict()["objectives"] if o["name"] == name)


def test_the_agreement_line_and_its_sections() -> None:
    """Parties, dates, exclusions, a credit policy without a fee and termination rules read as short sentences."""
    explanation = explain(_edges())
    assert (explanation.parties, explanation.effective) == (
        "P (provider) to C (customer)",
        "from 2026-01-01 to 2026-12-31",
    )
    assert explanation.status == "proposed"
    assert explanation.exclusions == ["maintenance: from 2026-01-04 02:00 for 2h", "other"]
    assert explanation.credit_policy == [
        "remedy: refund; credits of several objectives combine by max",
        "capped at 30% of the fee per period",
        "credits below 50 are not paid",
        "claim within 1 month after the period ends",
    ]
    assert explanation.termination == [
        "if any objective falls below 95% in any period, the customer may terminate",
        "if objective 'cases' is breached in 2 of the last 3 periods, the customer may renegotiate on 14d notice",
    ]


def test_a_100_percent_target_allows_nothing_and_credits_the_period_fee() -> None:
    """A 100% target allows no bad event at all; without a fee a credit is a share of the period's fee."""
    perfect = _objective(explain(_edges()), "perfect")
    assert perfect["measured"] == "share of events with flag = true that are good (status not in [500, 503])"
    assert perfect["budget"] == "0% of events"
    assert perfect["allows"] == ["no bad valid events at all"]
    assert perfect["credits"] == ["attainment < 100%: 5% of the period's fee"]


def test_a_daylight_saving_day_has_its_own_slice_budget() -> None:
    """99.95% of 276, 288 and 300 five-minute slices (23, 24, 25-hour days) is 0.138, 0.144 and 0.15 slices."""
    slices = _objective(explain(_edges()), "daily-slices")
    assert slices["window"] == "each calendar day in Europe/Berlin"
    assert slices["allows"] == [
        "0 bad 5m slices per 23-hour day (daylight-saving change) (budget 0.138)",
        "0 bad 5m slices per 24-hour day (budget 0.144)",
        "0 bad 5m slices per 25-hour day (daylight-saving change) (budget 0.15)",
    ]


def test_freshness_statistic_and_case_sentences() -> None:
    """0.5% of a rolling 7 days is 50.4 minutes; a percentile names its method; case goals are listed."""
    explanation = explain(_edges())
    fresh = _objective(explanation, "fresh")
    assert fresh["measured"] == "share of time within 1h30m of the last event: a gap longer than 1h30m is a violation"
    assert (fresh["window"], fresh["budget"], fresh["allows"]) == (
        "any rolling 7d",
        "50.4 min bad",
        ["50.4 min of violation per rolling 7d"],
    )
    linear = _objective(explanation, "linear")
    assert linear["measured"] == "the 99.9th percentile (linear) of ms per period, which must be ≤ 300 ms"
    assert (linear["target"], linear["budget"]) == ("p99.9 ≤ 300 ms", "none (a statistic)")
    cases = _objective(explanation, "cases")
    assert cases["measured"] == (
        "share of cases whose clock (from opened to closed) stops strictly under the goal for their sev"
        " in calendar time: S1 2h, S2 1d12h; warnings at 50%, 75% of the goal"
    )
    assert cases["allows"] == ["20% of cases may be bad (1 in every 5), in each period"]


def test_the_same_explanation_in_chinese() -> None:
    """With the zh-CN locale every sentence is Chinese; names, codes, numbers and the status code stay as written."""
    explanation = explain(_edges(), Locale.of("zh-CN"))
    assert (explanation.name, explanation.status, explanation.version) == ("edges", "proposed", 1)
    assert explanation.parties == "P（服务提供方）向C（客户）提供服务"
    assert explanation.effective == "自 2026-01-01 至 2026-12-31"
    assert explanation.exclusions == ["计划维护：自 2026-01-04 02:00 起，持续2小时", "其他"]
    assert explanation.credit_policy == [
        "补救方式：退款；多个目标的赔偿不累加，取其中最高者",
        "每个周期的赔偿以服务费的 30% 为上限",
        "低于 50 的赔偿不予支付",
        "须在周期结束后1个月内申请赔偿",
    ]
    assert explanation.termination == [
        "若任一目标在任一周期内低于 95%，客户可终止协议",
        "若目标 'cases' 在最近 3 个周期中有 2 个未达成，客户可要求重新协商协议，须提前14天通知",
    ]
    objectives = {o["name"]: o for o in explanation.as_dict()["objectives"]}
    assert objectives["perfect"] == {
        "name": "perfect",
        "title": "perfect",
        "measured": "事件（flag = true）中良好事件（status 不属于 [500, 503]）所占的比例",
        "target": "100%",
        "window": "每个自然日（Europe/Berlin）",
        "budget": "0% 的事件",
        "allows": ["不允许任何不达标的有效事件"],
        "credits": ["达成率 < 100%：当期服务费的 5%"],
    }
    slices = objectives["daily-slices"]
    assert slices["measured"] == "事件中 ms ≤ 250 的事件所占的比例；没有数值的事件计为达标"
    assert slices["allows"] == [
        "23小时的一天（夏令时切换）：最多 0 个不良的5分钟时间片（预算 0.138）",
        "24小时的一天：最多 0 个不良的5分钟时间片（预算 0.144）",
        "25小时的一天（夏令时切换）：最多 0 个不良的5分钟时间片（预算 0.15）",
    ]
    fresh = objectives["fresh"]
    assert fresh["measured"] == "事件最近一次出现后不超过1小时30分钟的时间占比：间隔超过1小时30分钟即为违约"
    assert (fresh["window"], fresh["budget"], fresh["allows"]) == (
        "任意连续7天",
        "不良 50.4 分钟",
        ["任意连续7天：最多50.4分钟的违约时间"],
    )
    linear = objectives["linear"]
    assert linear["measured"] == "每个周期内 ms 的第 99.9 百分位数（线性插值法），须 ≤ 300毫秒"
    assert (linear["target"], linear["budget"], linear["allows"]) == (
        "p99.9 ≤ 300毫秒",
        "无（统计值目标）",
        ["每个周期整体判定达成或未达成，不设可消耗的错误预算"],
    )
    cases = objectives["cases"]
    assert cases["measured"] == (
        "工单中计时（从 opened 到 closed）在其 sev 对应时限以内（不含）停止的比例，按日历时间计算："
        "S1：2小时、S2：1天12小时；用时达到时限的 50%、75% 时发出预警"
    )
    assert cases["allows"] == ["每个周期内最多 20% 的工单可以不达标（即每 5 个中 1 个）"]


def test_conditions_are_joined_without_spaces_in_chinese() -> None:
    """Two conditions read `a = 1且b ≠ 2` in Chinese (Chinese puts no spaces around 且) and `a = 1 and b ≠ 2` in English."""
    agreement = parse_agreement(
        read_text(EDGES.replace("valid: {where: {flag: true}}", "valid: {where: {a: 1}, whereNot: {b: 2}}"), "e.yaml")[
            0
        ]
    )
    english = _objective(explain(agreement), "perfect")["measured"]
    chinese = _objective(explain(agreement, Locale.of("zh-CN")), "perfect")["measured"]
    assert english.startswith("share of events with a = 1 and b ≠ 2 that are good")
    assert chinese.startswith("事件（a = 1且b ≠ 2）中良好事件")
