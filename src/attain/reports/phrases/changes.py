"""Phrases of `attain diff`: what changed between two versions, in words.

Every key exists in both languages (tests/reports/test_phrases.py checks it).
"""

from __future__ import annotations

EN: dict[str, str] = {
    "diff.title": "Changes from version {before} to version {after} of {name}",
    "diff.other": "Comparing {before} with {after}",
    "diff.none": "No change in the agreement's terms or operation.",
    "diff.terms": "Terms (both parties must agree)",
    "diff.operations": "Operation (the provider's to change)",
    "diff.arrow": "{before} → {after}",
    "diff.objective.added": "new objective {name}: {target}",
    "diff.objective.removed": "objective {name} removed (it promised: {target})",
    "diff.target": "{name}: target {before} → {after}",
    "diff.window": "{name}: window {before} → {after}",
    "diff.tier.credit": "{name}: credit when {range}: {before} → {after}",
    "diff.tier.added": "{name}: new credit tier, when {range}: {credit}",
    "diff.tier.removed": "{name}: credit tier removed (when {range}: {credit})",
    "diff.exclusion.added": "new exclusion: {text}",
    "diff.exclusion.removed": "exclusion removed: {text}",
    "diff.right.added": "new termination right: {text}",
    "diff.right.removed": "termination right removed: {text}",
    "diff.changes.notice": "notice before a change takes effect: {before} → {after}",
    "diff.termination.notice": "notice of termination: {before} → {after}",
    "diff.fee": "fee: {before} → {after}",
    "diff.field": "{field}: {before} → {after}",
    "diff.field.added": "{field} added: {after}",
    "diff.field.removed": "{field} removed (was {before})",
    "diff.nothing": "none",
    "diff.attainment": "attainment",
}

ZH_CN: dict[str, str] = {
    "diff.title": "{name} 从第{before}版到第{after}版的变更",
    "diff.other": "比较 {before} 与 {after}",
    "diff.none": "协议的条款和运行方式均无变更。",
    "diff.terms": "条款（须双方同意）",
    "diff.operations": "运行方式（由服务提供方变更）",
    "diff.arrow": "{before} → {after}",
    "diff.objective.added": "新增目标 {name}：{target}",
    "diff.objective.removed": "删除目标 {name}（原承诺：{target}）",
    "diff.target": "{name}：目标 {before} → {after}",
    "diff.window": "{name}：考核窗口 {before} → {after}",
    "diff.tier.credit": "{name}：{range}时的服务抵扣 {before} → {after}",
    "diff.tier.added": "{name}：新增抵扣档位，{range}时抵扣 {credit}",
    "diff.tier.removed": "{name}：删除抵扣档位（{range}时抵扣 {credit}）",
    "diff.exclusion.added": "新增除外情形：{text}",
    "diff.exclusion.removed": "删除除外情形：{text}",
    "diff.right.added": "新增终止权：{text}",
    "diff.right.removed": "删除终止权：{text}",
    "diff.changes.notice": "变更生效前的通知期：{before} → {after}",
    "diff.termination.notice": "终止通知期：{before} → {after}",
    "diff.fee": "服务费：{before} → {after}",
    "diff.field": "{field}：{before} → {after}",
    "diff.field.added": "新增 {field}：{after}",
    "diff.field.removed": "删除 {field}（原为 {before}）",
    "diff.nothing": "无",
    "diff.attainment": "达成率",
}
