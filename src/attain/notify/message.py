"""What a notice says, in en and zh-CN: the alert name, labels, summary, description and facts.

Alertmanager alerts, webhook bodies and e-mails all say the same thing, built here from the
`Envelope` alone (it holds everything fixed when the notice was decided), so that the three
channels never disagree.
"""

from __future__ import annotations

import re

from attain.engine.instant import iso_utc
from attain.engine.notices import Envelope, NoticeStatus
from attain.model.notify import EventKind

ALERT_NAMES: dict[EventKind, str] = {
    EventKind.BURN_RATE: "AttainBurnRate",
    EventKind.BUDGET: "AttainBudget",
    EventKind.BREACH: "AttainBreach",
    EventKind.CREDIT: "AttainCredit",
    EventKind.TERMINATION_RIGHT: "AttainTerminationRight",
    EventKind.CASE: "AttainCase",
    EventKind.SILENT_SOURCE: "AttainSilentSource",
    EventKind.REVIEW_DUE: "AttainReviewDue",
}
"""The `alertname` label of each kind of event."""

WHAT: dict[str, dict[EventKind, str]] = {
    "en": {
        EventKind.BURN_RATE: "error budget burning too fast",
        EventKind.BUDGET: "error budget threshold reached",
        EventKind.BREACH: "objective breached",
        EventKind.CREDIT: "service credit owed",
        EventKind.TERMINATION_RIGHT: "termination right arisen",
        EventKind.CASE: "case nearing its deadline",
        EventKind.SILENT_SOURCE: "measurements stopped arriving",
        EventKind.REVIEW_DUE: "agreement review due",
    },
    "zh-CN": {
        EventKind.BURN_RATE: "错误预算消耗过快",
        EventKind.BUDGET: "错误预算消耗达到阈值",
        EventKind.BREACH: "目标未达成",
        EventKind.CREDIT: "应付服务抵扣",
        EventKind.TERMINATION_RIGHT: "已产生终止权",
        EventKind.CASE: "工单接近时限",
        EventKind.SILENT_SOURCE: "测量数据已中断",
        EventKind.REVIEW_DUE: "协议评审到期",
    },
}
"""What happened, per language and kind."""

PHRASES: dict[str, dict[str, str]] = {
    "en": {
        "resolved": "Resolved: ",
        "objective": "objective {objective}",
        "lead": "Agreement “{title}” ({agreement}), {subject}: {what} since {since}.",
        "lead.resolved": "Agreement “{title}” ({agreement}), {subject}: no longer {what}, since {at}.",
        "agreement": "the agreement",
        "severity": "Severity",
        "key": "Condition",
        "facts": "Facts",
        "link": "Open in attain",
    },
    "zh-CN": {
        "resolved": "已恢复：",
        "objective": "目标 {objective}",
        "lead": "协议“{title}”（{agreement}），{subject}：自 {since} 起{what}。",
        "lead.resolved": "协议“{title}”（{agreement}），{subject}：自 {at} 起已不再{what}。",
        "agreement": "协议本身",
        "severity": "严重程度",
        "key": "条件",
        "facts": "数据",
        "link": "在 attain 中查看",
    },
}
"""The sentences around `WHAT`, per language."""

_LABEL_NAME = re.compile(r"[^A-Za-z0-9_]")


def language_of(envelope: Envelope) -> str:
    """The envelope's language when attain speaks it, else English."""
    return envelope.language if envelope.language in PHRASES else "en"


def phrase(envelope: Envelope, key: str) -> str:
    """One fixed phrase in the envelope's language."""
    return PHRASES[language_of(envelope)][key]


def alert_name(envelope: Envelope) -> str:
    """The `alertname` label: `Attain` and the kind in CamelCase, e.g. `AttainBurnRate`."""
    return ALERT_NAMES[envelope.notice.condition.kind]


def alert_labels(envelope: Envelope) -> dict[str, str]:
    """The labels that identify the alert: alertname, agreement, objective (when any), severity, party, key."""
    c = envelope.notice.condition
    found = {"alertname": alert_name(envelope), "agreement": c.agreement}
    if c.objective is not None:
        found["objective"] = c.objective
    found |= {"severity": c.severity, "party": envelope.party, "key": c.key}
    return found


def summary(envelope: Envelope) -> str:
    """One line: the agreement's title, the objective and what happened: `Shop: objective api — objective breached`."""
    c = envelope.notice.condition
    language = language_of(envelope)
    resolved = phrase(envelope, "resolved") if envelope.notice.status is NoticeStatus.RESOLVED else ""
    return f"{resolved}{envelope.agreement_title}: {subject(envelope)} — {WHAT[language][c.kind]}"


def description(envelope: Envelope) -> str:
    """A sentence that says what, where and since when; a resolved notice says since when it stopped."""
    c = envelope.notice.condition
    resolved = envelope.notice.status is NoticeStatus.RESOLVED
    return phrase(envelope, "lead.resolved" if resolved else "lead").format(
        title=envelope.agreement_title,
        agreement=c.agreement,
        subject=subject(envelope),
        what=WHAT[language_of(envelope)][c.kind],
        since=iso_utc(c.since),
        at=iso_utc(envelope.notice.at),
    )


def subject(envelope: Envelope) -> str:
    """`objective NAME` (or the agreement, when the condition concerns no objective), localized."""
    objective = envelope.notice.condition.objective
    if objective is None:
        return phrase(envelope, "agreement")
    return phrase(envelope, "objective").format(objective=objective)


def alert_annotations(envelope: Envelope) -> dict[str, str]:
    """`summary`, `description`, then each of the condition's facts under a valid label name.

    A fact's name becomes a label name (`[A-Za-z_][A-Za-z0-9_]*`, as Alertmanager wants for
    annotations) by replacing every other character with `_`; it never replaces summary or description.
    """
    found = {"summary": summary(envelope), "description": description(envelope)}
    for name, value in envelope.notice.condition.facts:
        label = fact_label(name)
        if label not in found:
            found[label] = value
    return found


def fact_label(name: str) -> str:
    """A fact's name as a label name: other characters become `_`, and a leading digit gets a `_` before it."""
    label = _LABEL_NAME.sub("_", name) or "_"
    return f"_{label}" if label[0].isdigit() else label


def link(envelope: Envelope, public_url: str) -> str:
    """The agreement's page on attain's dashboard, or empty without a public URL."""
    return f"{public_url}/agreements/{envelope.notice.condition.agreement}" if public_url else ""
