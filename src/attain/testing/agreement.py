"""Agreement builders: valid `attain/v1` documents in one call, for tests that need an agreement.

    document = agreement(objectives=[ratio_objective(target="99.9%", window="28d")], time_zone="UTC")
    path.write_text(agreement_yaml(document))

Each builder returns plain data, the document as YAML would hold it, so a test can change any
field before writing it out; `agreement_model` validates a document into an `Agreement`. Values
are written as a document writes them (`"99.9%"`, `"28d"`, `{"rolling": "7d"}`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from attain.formats.native import dump_yaml, parse_agreement
from attain.formats.source import read_text
from attain.model import Agreement

Document = dict[str, Any]
"""A document as plain data: what `attain.formats.source.read_text` gives for its YAML."""

OK = {"where": {"ok": True}}
"""The selector of events whose attribute `ok` is true: the good events of `ratio_objective` by default."""


def agreement(
    *,
    objectives: Sequence[Mapping[str, Any]],
    name: str = "shop",
    title: str | None = None,
    time_zone: str | None = None,
    effective_from: str = "2026-01-01",
    purpose: str = "Tests.",
    provider: str = "P",
    customer: str = "C",
) -> Document:
    """An agreement between `provider` and `customer` holding `objectives`.

    Args:
        objectives: Objectives as documents, e.g. from `ratio_objective`.
        name: `metadata.name`, the name the store keeps it under.
        title: `spec.title`; the name capitalised when not given.
        time_zone: `spec.timeZone`; left out (UTC) when not given.
        effective_from: `spec.effective.from`, an ISO date.
        purpose: `spec.purpose`.
        provider: The provider's name.
        customer: The customer's name.

    Returns:
        The `attain/v1` document as plain data.
    """
    spec: Document = {
        "title": title or name.capitalize(),
        "parties": {"provider": {"name": provider}, "customer": {"name": customer}},
        "purpose": purpose,
    }
    if time_zone is not None:
        spec["timeZone"] = time_zone
    spec["effective"] = {"from": effective_from}
    spec["objectives"] = [dict(o) for o in objectives]
    return {"apiVersion": "attain/v1", "kind": "Agreement", "metadata": {"name": name}, "spec": spec}


def ratio_objective(
    name: str = "availability",
    *,
    target: str = "99%",
    window: str | Mapping[str, str] = "month",
    events: str = "requests",
    good: Mapping[str, Any] | None = None,
    bad: Mapping[str, Any] | None = None,
    valid: Mapping[str, Any] | None = None,
    alerting: str | None = None,
) -> Document:
    """An objective on the ratio of good (or not bad) events among the valid events of a stream.

    Args:
        name: The objective's name.
        target: The share of good events, as text (`"99.9%"`).
        window: `"month"`, `"28d"`, `{"rolling": "7d"}`, `{"calendar": "month"}` and the like.
        events: The stream the events come from.
        good: Selector of good events; `OK` when neither `good` nor `bad` is given.
        bad: Selector of bad events.
        valid: Selector of valid events (all of the stream's when not given).
        alerting: An alerting preset, e.g. `"sre-workbook"`; no alerting when not given.

    Returns:
        The objective as plain data.
    """
    indicator: Document = {"kind": "ratio", "events": events}
    if valid is not None:
        indicator["valid"] = dict(valid)
    if bad is not None:
        indicator["bad"] = dict(bad)
    if good is not None or bad is None:
        indicator["good"] = dict(good or OK)
    return _objective(name, indicator, target, window, alerting)


def metric_ratio_objective(
    name: str = "availability",
    *,
    good: str,
    valid: str,
    target: str = "99%",
    window: str | Mapping[str, str] = "month",
    alerting: str | None = None,
) -> Document:
    """An objective on the ratio of two Prometheus queries: good events over valid events per minute.

    Args:
        name: The objective's name.
        good: The PromQL query counting good events, e.g. `"sum(increase(ok[1m]))"`.
        valid: The PromQL query counting valid events.
        target: The share of good events, as text.
        window: As for `ratio_objective`.
        alerting: As for `ratio_objective`.

    Returns:
        The objective as plain data.
    """
    indicator: Document = {"kind": "ratio", "good": _prometheus(good), "valid": _prometheus(valid)}
    return _objective(name, indicator, target, window, alerting)


def agreement_yaml(document: Mapping[str, Any]) -> str:
    """The document as YAML text, to write to a file or give the CLI."""
    return dump_yaml(dict(document))


def agreement_model(document: Mapping[str, Any]) -> Agreement:
    """The document validated into an `Agreement`.

    Raises:
        attain.errors.InvalidAgreement: the document is not a valid agreement.
    """
    [source] = read_text(agreement_yaml(document), file="agreement.yaml")
    return parse_agreement(source)


def _prometheus(query: str) -> Document:
    """A Prometheus metric source for `query`."""
    return {"metric": {"type": "Prometheus", "spec": {"query": query}}}


def _objective(
    name: str, indicator: Document, target: str, window: str | Mapping[str, str], alerting: str | None
) -> Document:
    """An objective document from its parts, leaving alerting out when not given."""
    objective: Document = {
        "name": name,
        "indicator": indicator,
        "target": target,
        "window": window if isinstance(window, str) else dict(window),
    }
    if alerting is not None:
        objective["alerting"] = {"preset": alerting}
    return objective
