"""Prometheus rules for SLOs, in Sloth's layout: recordings, metadata and burn-rate alerts.

Inputs are Sloth `prometheus/v1` specs, `PrometheusServiceLevel` resources, OpenSLO `v1alpha`
SLOs and attain agreements with Prometheus ratio indicators; see docs/rules.md.

- `attain.rules.slo`: the generator's input types (`PromSLO`, `SLOGroup`);
- `attain.rules.windows`: alert windows and burn-rate factors;
- `attain.rules.prometheus`: the rule groups of an SLO;
- `attain.rules.generate`: files in, rule documents out (reads files);
- `attain.rules.render`: rule documents as YAML text.

This package imports only the pure modules, so that `attain.formats.sloth` can use them.
"""

from __future__ import annotations

from attain.rules.prometheus import RuleOptions, prometheus_duration, promql_number
from attain.rules.render import render_rules
from attain.rules.slo import PromSLO, SLOGroup
from attain.rules.windows import AlertWindow, AlertWindows, WindowCatalog, workbook_windows

__all__ = [
    "AlertWindow",
    "AlertWindows",
    "PromSLO",
    "RuleOptions",
    "SLOGroup",
    "WindowCatalog",
    "prometheus_duration",
    "promql_number",
    "render_rules",
    "workbook_windows",
]
