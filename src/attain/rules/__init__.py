"""Prometheus rules for SLOs, in Sloth's layout: recordings, metadata and burn-rate alerts.

Inputs are Sloth `prometheus/v1` specs, `PrometheusServiceLevel` resources, OpenSLO `v1alpha`
SLOs and attain agreements with Prometheus ratio indicators; see docs/rules.md.

- `attain.rules.slo`: the generator's input types (`PromSLO`, `SLOGroup`);
- `attain.rules.sloth`, `attain.rules.openslo`, `attain.rules.agreement`: each input format's
  SLOs as those types;
- `attain.rules.validate`: what `sloth validate` checks on them;
- `attain.rules.burn_rate`: the burn-rate factor of an alert window;
- `attain.rules.prometheus`: the rule groups of an SLO;
- `attain.rules.document`: the rule documents of the input objects;
- `attain.rules.render`: rule documents as YAML text.

Everything here is pure: `attain.services.rules` reads the files. Alert windows are Sloth's, in
`attain.formats.sloth.windows`.
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
