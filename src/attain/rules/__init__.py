"""Prometheus rules for SLOs, in Sloth's layout: recordings, metadata and burn-rate alerts.

Inputs are Sloth `prometheus/v1` specs, `PrometheusServiceLevel` resources, OpenSLO `v1alpha`
SLOs and attain agreements with Prometheus ratio indicators; see docs/rules.md.

- `attain.rules.slo`: the generator's input types (`PromSLO`, `SLOGroup`);
- `attain.rules.prometheus`: the rule groups of an SLO;
- `attain.rules.generate`: files in, rule documents out (reads files);
- `attain.rules.render`: rule documents as YAML text.

Alert windows are Sloth's, in `attain.formats.sloth.windows`.
"""

from __future__ import annotations

from attain.rules.prometheus import RuleOptions, prometheus_duration, promql_number
from attain.rules.render import render_rules
from attain.rules.slo import PromSLO, SLOGroup

__all__ = [
    "PromSLO",
    "RuleOptions",
    "SLOGroup",
    "prometheus_duration",
    "promql_number",
    "render_rules",
]
