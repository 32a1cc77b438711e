"""Phrases of `attain recommend`: realistic targets from history.

Every key exists in both languages (tests/reports/test_phrases.py checks it).
"""

from __future__ import annotations

EN: dict[str, str] = {
    "recommend.title": "{agreement} (version {version}): targets from the last {periods} period(s) before {at}",
    "recommend.objective": "{objective} ({kind}, {window}): target {target}, {count} period(s) measured",
    "recommend.none": "  no whole period measured yet: nothing to recommend",
    "recommend.skipped": "{objective}: skipped ({reason})",
    "recommend.col.target": "target",
    "recommend.col.met": "periods met",
    "recommend.col.credit": "credit / period",
    "recommend.col.budget": "error budget / period",
    "recommend.current": "current",
    "recommend.recommended": "recommended",
    "recommend.distribution": "  attainment: least {least}, p10 {p10}, median {p50}, p90 {p90}, most {most}",
    "recommend.trend": "  trend: {direction} ({slope} points per period)",
    "recommend.trend.improving": "improving",
    "recommend.trend.worsening": "worsening",
    "recommend.trend.flat": "flat",
    "recommend.loose": "  too loose: no period missed the target {target}",
    "recommend.strict": "  too strict: {missed} of {count} periods missed the target {target}",
    "recommend.low": "  warning: low volume in {periods}: one bad {unit} moves attainment by over 1/10 of the budget",
    "recommend.season": "  worst weekday {weekday} ({weekday_ratio}), worst hour {hour}:00 ({hour_ratio})",
    "recommend.line": "{objective}: recommended target {recommended} (now {target}), met in {met} of {count} periods",
    "recommend.demo": "recommendation for {agreement}: {line}",
    "recommend.cases": "{n} cases",
    "recommend.rolling": "rolling {span}",
    "recommend.reason.no-target": "a statistic objective has its bound, no target",
    "recommend.proposed": "{agreement} proposal {number}: recommended targets, to take effect {effective}",
    "recommend.written": "wrote the amended agreement to {file}",
}

ZH_CN: dict[str, str] = {
    "recommend.title": "{agreement}（第 {version} 版）：{at} 之前最近 {periods} 个周期的目标建议",
    "recommend.objective": "{objective}（{kind}，{window}）：目标 {target}，已测量 {count} 个周期",
    "recommend.none": "  尚无完整的周期：无可建议",
    "recommend.skipped": "{objective}：已跳过（{reason}）",
    "recommend.col.target": "目标",
    "recommend.col.met": "达标周期",
    "recommend.col.credit": "每周期赔付",
    "recommend.col.budget": "每周期错误预算",
    "recommend.current": "当前",
    "recommend.recommended": "建议",
    "recommend.distribution": "  达成率：最低 {least}，p10 {p10}，中位数 {p50}，p90 {p90}，最高 {most}",
    "recommend.trend": "  趋势：{direction}（每周期 {slope} 个百分点）",
    "recommend.trend.improving": "改善",
    "recommend.trend.worsening": "恶化",
    "recommend.trend.flat": "平稳",
    "recommend.loose": "  过松：没有周期未达到目标 {target}",
    "recommend.strict": "  过严：{count} 个周期中有 {missed} 个未达到目标 {target}",
    "recommend.low": "  警告：{periods} 流量偏低：一个不良{unit}即可使达成率变动超过预算的十分之一",
    "recommend.season": "  最差的星期 {weekday}（{weekday_ratio}），最差的小时 {hour}:00（{hour_ratio}）",
    "recommend.line": "{objective}：建议目标 {recommended}（当前 {target}），{count} 个周期中达到 {met} 个",
    "recommend.demo": "{agreement} 的目标建议：{line}",
    "recommend.cases": "{n}个案例",
    "recommend.rolling": "滚动 {span}",
    "recommend.reason.no-target": "统计类目标以其界限为准，没有目标值",
    "recommend.proposed": "{agreement} 提案 {number}：建议的目标，{effective} 生效",
    "recommend.written": "已将修订后的协议写入 {file}",
}
