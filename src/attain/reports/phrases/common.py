"""Phrases every document shares: punctuation, calendar units, approval states, language names.

Every key exists in both languages (tests/reports/test_phrases.py checks it).
"""

from __future__ import annotations

EN: dict[str, str] = {
    "aside": " ({text})",
    "quote": "“{text}”",
    "sentence": "{text}.",
    "colon": ": ",
    "paren.open": " (",
    "paren.close": ")",
    "separator": "; ",
    "priority.any": "any priority",
    "unit.day": "day",
    "unit.week": "week",
    "unit.month": "month",
    "unit.quarter": "quarter",
    "unit.year": "year",
    "calendar.day": "calendar day",
    "calendar.week": "calendar week",
    "calendar.month": "calendar month",
    "calendar.quarter": "calendar quarter",
    "calendar.year": "calendar year",
    "status.draft": "Draft",
    "status.proposed": "Proposed, awaiting approval",
    "status.active": "Active: approved by both parties",
    "status.superseded": "Superseded by a later version",
    "status.terminated": "Terminated",
    "language.en": "English",
    "language.zh-CN": "Simplified Chinese",
}

ZH_CN: dict[str, str] = {
    "aside": "（{text}）",
    "quote": "“{text}”",
    "sentence": "{text}。",
    "colon": "：",
    "paren.open": "（",
    "paren.close": "）",
    "separator": "；",
    "priority.any": "任何优先级",
    "unit.day": "日",
    "unit.week": "周",
    "unit.month": "月",
    "unit.quarter": "季度",
    "unit.year": "年",
    "calendar.day": "自然日",
    "calendar.week": "自然周",
    "calendar.month": "自然月",
    "calendar.quarter": "自然季度",
    "calendar.year": "自然年",
    "status.draft": "草稿",
    "status.proposed": "已提出，待批准",
    "status.active": "已生效：双方已批准",
    "status.superseded": "已被后续版本取代",
    "status.terminated": "已终止",
    "language.en": "英文",
    "language.zh-CN": "简体中文",
}
