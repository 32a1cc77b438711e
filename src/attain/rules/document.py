"""Rule documents: one per input object, a Prometheus rule file or a `PrometheusRule`.

`rule_documents` validates every SLO, resolves each one's period and alert windows, and wraps
the rule groups of each input object as a rule file (`groups:`), or as a
`monitoring.coreos.com/v1` `PrometheusRule` for Kubernetes inputs or when asked for.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from enum import StrEnum
from typing import Any

from attain import __version__
from attain.errors import InvalidInput
from attain.formats.sloth.windows import DEFAULT_CATALOG, WindowCatalog
from attain.rules.prometheus import RuleOptions, group_rules
from attain.rules.slo import SLOGroup
from attain.rules.validate import validate_groups

DEFAULT_PERIOD = timedelta(days=30)
"""The SLO period of SLOs that carry none, when none is asked for."""

VERSION = f"attain-{__version__}"
"""The generator's version string, written to the `sloth_version` label."""


class RuleFormat(StrEnum):
    """The output's shape."""

    PROMETHEUS = "prometheus"
    OPERATOR = "prometheus-operator"


def rule_documents(
    groups: Sequence[SLOGroup],
    options: RuleOptions,
    period: timedelta | None = None,
    catalog: WindowCatalog = DEFAULT_CATALOG,
    output: RuleFormat | None = None,
) -> list[dict[str, Any]]:
    """One rule document per input object, after validating every SLO.

    Args:
        groups: The loaded inputs.
        options: Version, extra labels, and what to leave out.
        period: The default SLO period (30 days when None) for SLOs that do not carry one.
        catalog: Alert windows by period.
        output: The shape of every document; None: `PrometheusRule` for Kubernetes inputs only.

    Raises:
        InvalidInput: If an SLO is invalid or no alert windows exist for its period.
    """
    problems = validate_groups(groups)
    if problems:
        raise InvalidInput(problems)
    documents: list[dict[str, Any]] = []
    for group in groups:
        resolved = []
        for slo in group.slos:
            chosen = slo.period or period or DEFAULT_PERIOD
            windows = slo.windows or catalog.for_period(chosen)
            if windows is None:
                known = ", ".join(f"{w.days}d" for w in sorted(catalog.windows)) or "none"
                hint = f"pass alert windows for this period (--alert-windows); loaded periods: {known}"
                problems.append(slo.origin.problem((), f"no alert windows for the {chosen.days}d SLO period", hint))
                continue
            resolved.append((slo, chosen, windows))
        documents.append(_document(group, group_rules(group, resolved, options), output))
    if problems:
        raise InvalidInput(problems)
    return documents


def _document(group: SLOGroup, rule_groups: list[dict[str, Any]], output: RuleFormat | None) -> dict[str, Any]:
    operator = output is RuleFormat.OPERATOR or (output is None and group.kubernetes is not None)
    if not operator:
        return {"groups": rule_groups}
    kube = group.kubernetes
    name = kube.name if kube else (group.slos[0].service if group.slos else "slos")
    metadata: dict[str, Any] = {"name": name}
    if kube and kube.namespace:
        metadata["namespace"] = kube.namespace
    metadata["labels"] = dict(kube.labels if kube else {}) | {
        "app.kubernetes.io/component": "SLO",
        "app.kubernetes.io/managed-by": "attain",
    }
    if kube and kube.annotations:
        metadata["annotations"] = dict(kube.annotations)
    return {
        "apiVersion": "monitoring.coreos.com/v1",
        "kind": "PrometheusRule",
        "metadata": metadata,
        "spec": {"groups": rule_groups},
    }
