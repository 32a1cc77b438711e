"""The fixed phrases of documents and explanations, in English and Simplified Chinese: one lookup table.

The phrases are kept by concept, one module each: `common` (punctuation, units, states),
`objective` (an objective in words, for `attain.reports.wording`), `contract` (the contract
document), `period` (the periodic report), `explanation` (`attain explain`), `changes`
(`attain diff`), `notifications` (the notification history), `scheduler` (`attain
scheduler`), `recommend` (`attain recommend`) and `review` (`attain drivers`, `attain review
--quarter`). `PHRASES` joins them;
`attain.reports.locale.Locale.text` looks a phrase up and fills in its `{name}` slots with values
already formatted for the language. No key is in two modules and every key exists in both
languages (tests/reports/test_phrases.py checks both).
"""

from __future__ import annotations

from attain.reports.phrases import (
    changes,
    common,
    contract,
    explanation,
    notifications,
    objective,
    period,
    recommend,
    review,
    scheduler,
)

PARTS = (common, objective, contract, period, explanation, changes, notifications, scheduler, recommend, review)
"""The phrase modules, each with an `EN` and a `ZH_CN` table."""

EN: dict[str, str] = {key: text for part in PARTS for key, text in part.EN.items()}
ZH_CN: dict[str, str] = {key: text for part in PARTS for key, text in part.ZH_CN.items()}

PHRASES: dict[str, dict[str, str]] = {"en": EN, "zh-CN": ZH_CN}
"""Phrases by language code."""
