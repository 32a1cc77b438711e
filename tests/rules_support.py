"""Inputs of `attain rules` and readers of its output, shared by the service and the CLI tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

SPEC = """\
version: prometheus/v1
service: api
slos:
  - name: availability
    objective: 99.9
    sli:
      events:
        error_query: sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))
        total_query: sum(rate(http_requests_total[{{.window}}]))
    alerting:
      name: ApiAvailabilityBurn
      page_alert: {labels: {severity: critical}}
      ticket_alert: {disable: true}
"""
"""A Sloth spec with one events SLO (99.9%) and its page alert only."""

AGREEMENT = """\
apiVersion: attain/v1
kind: Agreement
metadata: {name: api-latency}
spec:
  title: Public API latency and availability
  parties:
    provider: {name: Quill Payments API Ltd.}
    customer: {name: Harbor Marketplace Inc.}
  purpose: How fast and how reliably the public API answers.
  services: [{name: public-api}]
  effective: {from: 2027-01-01}
  objectives:
    - name: latency
      service: public-api
      indicator:
        kind: ratio
        valid: {metric: {type: Prometheus, spec: {query: 'sum(rate(http_request_duration_seconds_count[{{.window}}]))'}}}
        good: {metric: {type: Prometheus, spec: {query: 'sum(rate(http_request_duration_seconds_bucket{le="5"}[{{.window}}]))'}}}
      target: 95%
      window: {rolling: 28d}
      alerting: {preset: sre-workbook}
    - name: availability
      service: public-api
      indicator:
        kind: ratio
        valid: {metric: {type: Prometheus, spec: {query: 'sum(rate(http_requests_total[{{.window}}]))'}}}
        bad: {metric: {type: Prometheus, spec: {query: 'sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))'}}}
      target: 99.9%
      window: {calendar: month}
      alerting: {preset: sre-workbook}
    - name: first-response
      indicator: {kind: threshold, events: requests, value: latency_ms, op: lt, bound: 300, unit: ms}
      target: 99%
      window: 28d
"""
"""An agreement with a good/valid (28-day rolling), a bad/valid (calendar month) and a threshold objective."""


def load_yaml(text: str) -> list[Any]:
    """The YAML documents of `text`, empty ones left out."""
    return [doc for doc in YAML(typ="safe", pure=True).load_all(text) if doc is not None]


def write_file(folder: Path, name: str, text: str) -> Path:
    """Write `text` to `folder/name` and return the path."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def groups_by_name(documents: list[Any]) -> dict[str, Any]:
    """Every rule group of rule files (`groups:`), by name."""
    return {group["name"]: group for document in documents for group in document["groups"]}
