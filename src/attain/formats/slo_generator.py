"""Objectives from google/slo-generator: `sre.google.com/v2` `ServiceLevelObjective` configs.

An SLO config names a `backend` (where the SLI is queried) and a `method` (how): the reader maps
what attain can carry and notes the rest, as `attain.formats.foreign` does for Sloth and Pyrra.

- `good_bad_ratio`: the good, bad and valid queries (`filter_*`, `query_*` or `search_query_*`,
  by backend) become a `ratio`. With good and bad but no valid query, valid events are good plus
  bad, as slo-generator counts them: for Prometheus the valid query is `(good) + (bad)`, for
  other backends the metric keeps both queries (noted).
- `distribution_cut` on Prometheus: `expression` (a histogram's `_bucket` series) and
  `threshold_bucket` (the `le` bound, in seconds) become a `threshold` `latency le <bound> s`
  on that histogram (noted, as for Pyrra's native histograms).
- Any other method (`query_sli`, `query_slo`, `basic`, `threshold`, a distribution cut by bucket
  index) computes the SLI inside the backend: its fields are kept as the `good` metric of a
  `ratio` without a `valid` metric, to be read as the ratio itself (noted: an approximation).
- The backend becomes the metric's `type` (`prometheus` -> `Prometheus`, which `attain fetch`
  reads; any other backend is kept for reference, noted).
- `goal` -> `target`; `description` -> `description`; `metadata.labels.service_name` -> `service`.
- SLO configs carry no window: the window is the longest step window of the SLO's error budget
  policy (`spec.error_budget_policy`, default `default`) in a shared config read with it, else
  28 days, slo-generator's own longest default step (noted). The policy's burn-rate steps are
  noted, not converted: attain alerts on multi-window burn rates (`alerting:`).

A shared config (`backends`, `exporters`, `error_budget_policies`) is read for its policies;
`${VAR}` placeholders are kept as text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

from attain.errors import InvalidAgreement
from attain.formats.foreign import ForeignObjectives
from attain.formats.source import Path, SourceDocument
from attain.model.duration import format_duration
from attain.model.numeral import format_number

API_VERSION = "sre.google.com/v2"
DEFAULT_WINDOW = timedelta(days=28)
"""Assumed when no error budget policy gives a window: the longest step of slo-generator's sample policy."""

_BACKEND_TYPES = {
    "prometheus": "Prometheus",
    "cloud_monitoring": "CloudMonitoring",
    "cloud_monitoring_mql": "CloudMonitoringMQL",
    "cloud_service_monitoring": "CloudServiceMonitoring",
    "datadog": "Datadog",
    "dynatrace": "Dynatrace",
    "elasticsearch": "Elasticsearch",
    "open_search": "OpenSearch",
    "splunk": "Splunk",
}
_QUERY_PREFIXES = ("filter_", "query_", "search_query_")
_ROLES = ("good", "bad", "valid")
_CONFIG_KEYS = frozenset({"backends", "exporters", "error_budget_policies", "default_exporters"})


@dataclass(frozen=True)
class Policies:
    """Error budget policies of shared configs: the longest step window of each, by name."""

    windows: dict[str, timedelta] = field(default_factory=dict)


def is_slo_generator(data: Any) -> bool:
    """Whether a document is a slo-generator `sre.google.com/v2` SLO config."""
    return isinstance(data, dict) and data.get("apiVersion") == API_VERSION


def is_slo_generator_config(data: Any) -> bool:
    """Whether a document is a slo-generator shared config (backends, exporters, policies)."""
    return isinstance(data, dict) and "apiVersion" not in data and bool(_CONFIG_KEYS & set(data))


def read_policies(document: SourceDocument, into: Policies) -> None:
    """Add the error budget policies of a shared config to `into`.

    Raises:
        InvalidAgreement: If a policy's steps are not a list of steps with whole-second windows.
    """
    policies = document.data.get("error_budget_policies") or {}
    if not isinstance(policies, dict):
        raise InvalidAgreement([document.problem(("error_budget_policies",), "not a mapping", "name: {steps: [...]}")])
    for name, policy in policies.items():
        steps = policy.get("steps") if isinstance(policy, dict) else None
        found = [step.get("window") for step in steps or () if isinstance(step, dict)]
        windows = [w for w in found if isinstance(w, int) and not isinstance(w, bool) and w > 0]
        if not steps or len(windows) != len(steps):
            path: Path = ("error_budget_policies", name, "steps")
            raise InvalidAgreement([document.problem(path, "steps need a window in whole seconds", "window: 3600")])
        into.windows[str(name)] = timedelta(seconds=max(windows))


def objectives_from_slo_generator(document: SourceDocument, policies: Policies) -> ForeignObjectives:
    """Read one `sre.google.com/v2` `ServiceLevelObjective`.

    Args:
        document: One document read by `attain.formats.source`.
        policies: Error budget policies of the shared configs read with it (may be empty).

    Returns:
        One objective, and the features it does not represent.

    Raises:
        InvalidAgreement: If the document is not a slo-generator SLO config, or its goal is not
            a ratio between 0 and 1.
    """
    data = document.data
    spec = data.get("spec") if isinstance(data, dict) else None
    meta = data.get("metadata") if isinstance(data, dict) else None
    if data.get("kind") != "ServiceLevelObjective" or not isinstance(spec, dict) or not isinstance(meta, dict):
        hint = "give kind: ServiceLevelObjective with metadata and spec"
        raise InvalidAgreement([document.problem(("kind",), "not a slo-generator ServiceLevelObjective", hint)])
    goal = spec.get("goal")
    if isinstance(goal, bool) or not isinstance(goal, int | Decimal) or not 0 <= goal <= 1:
        raise InvalidAgreement([document.problem(("spec", "goal"), f"goal must be 0 to 1, got {goal!r}", "0.999")])
    result = ForeignObjectives()

    def note(path: Path, message: str, hint: str = "") -> None:
        result.unrepresented.append(document.problem(path, message, hint))

    objective: dict[str, Any] = {"name": str(meta.get("name", ""))}
    if spec.get("description"):
        objective["description"] = str(spec["description"]).strip()
    labels = meta.get("labels") or {}
    if isinstance(labels, dict) and labels.get("service_name"):
        objective["service"] = str(labels["service_name"])
    if isinstance(labels, dict) and set(labels) - {"service_name"}:
        others = ", ".join(sorted(set(labels) - {"service_name"}))
        note(("metadata", "labels"), f"labels {others} are not carried (service_name is the service)")
    objective["indicator"] = _indicator(spec, note)
    objective["target"] = Decimal(goal)
    objective["window"] = {"rolling": format_duration(_window(document, spec, policies, note))}
    for key in ("exporters", "frequency"):
        if spec.get(key):
            note(("spec", key), f"{key} are not carried", "attain reports and exports results itself")
    result.objectives.append(objective)
    return result


def _window(document: SourceDocument, spec: dict[str, Any], policies: Policies, note: Any) -> timedelta:
    name = str(spec.get("error_budget_policy") or "default")
    window = policies.windows.get(name)
    if window is None:
        assumed = format_duration(DEFAULT_WINDOW)
        message = f"no error budget policy {name!r} was read with the SLO: a {assumed} rolling window is assumed"
        note(("spec", "error_budget_policy"), message, "import the shared config.yaml with it, or edit window:")
        return DEFAULT_WINDOW
    where: Path = ("spec", "error_budget_policy")
    if window % timedelta(minutes=1):
        seconds = f"{window.total_seconds():.0f} s"
        message = f"error budget policy {name!r}: its longest step window, {seconds}, is not whole minutes"
        raise InvalidAgreement([document.problem(where, message, "attain windows are whole minutes: edit the step")])
    message = (
        f"error budget policy {name!r}: its longest step window is the window; its burn-rate steps are not carried"
    )
    note(where, message, "add alerting: (multi-window burn-rate tiers) if wanted")
    return window


def _indicator(spec: dict[str, Any], note: Any) -> dict[str, Any]:
    backend, method = str(spec.get("backend", "")), str(spec.get("method", ""))
    sli = spec.get("service_level_indicator") or {}
    sli = sli if isinstance(sli, dict) else {}
    kind = _BACKEND_TYPES.get(backend, backend)
    where: Path = ("spec", "service_level_indicator")
    if kind != "Prometheus":
        message = f"backend {backend!r}: its queries are kept in the indicator, but attain fetches only Prometheus"
        note(("spec", "backend"), message, "feed the counts with `attain ingest`, or query Prometheus")
    queries = _queries(sli)
    if method == "good_bad_ratio" and len(queries) >= 2:
        return _ratio(kind, sli, queries, where, note)
    if method == "distribution_cut" and kind == "Prometheus" and _is_number(sli.get("threshold_bucket")):
        bound = format_number(Decimal(sli["threshold_bucket"]))
        note((*where, "threshold_bucket"), "a histogram cut is read as a threshold on each request's latency", "")
        metric = {"type": kind, "spec": {"query": str(sli.get("expression", "")).strip()}}
        return {"kind": "threshold", "value": "latency", "op": "le", "bound": bound, "unit": "s", "metric": metric}
    message = f"method {method!r} computes the SLI in the backend: its fields are the good metric, read as the ratio"
    note(where, message, "check the indicator, or give good and valid queries")
    return {"kind": "ratio", "good": {"metric": {"type": kind, "spec": {"method": method, **_plain(sli)}}}}


def _queries(sli: dict[str, Any]) -> dict[str, tuple[str, Any]]:
    """The good, bad and valid queries of a good/bad ratio, by role: (key, query)."""
    found = {}
    for role in _ROLES:
        for prefix in _QUERY_PREFIXES:
            if f"{prefix}{role}" in sli:
                found[role] = (f"{prefix}{role}", sli[f"{prefix}{role}"])
    return found


def _ratio(
    kind: str, sli: dict[str, Any], queries: dict[str, tuple[str, Any]], where: Path, note: Any
) -> dict[str, Any]:
    keys = {key for key, _ in queries.values()}
    context = {k: v for k, v in _plain(sli).items() if k not in keys}

    def metric(query: Any) -> dict[str, Any]:
        text = query.strip() if isinstance(query, str) else _plain(query)
        return {"metric": {"type": kind, "spec": {**context, "query": text}}}

    indicator: dict[str, Any] = {"kind": "ratio"}
    if "valid" in queries:
        indicator["valid"] = metric(queries["valid"][1])
        role = "good" if "good" in queries else "bad"
        indicator[role] = metric(queries[role][1])
        if "good" in queries and "bad" in queries:
            note((*where, queries["bad"][0]), "the bad query is not used: good and valid are", "")
        return indicator
    good, bad = queries["good"][1], queries["bad"][1]
    indicator["good"] = metric(good)
    if kind == "Prometheus":
        indicator["valid"] = metric(f"({str(good).strip()}) + ({str(bad).strip()})")
    else:
        indicator["valid"] = {"metric": {"type": kind, "spec": {**context, "good": _plain(good), "bad": _plain(bad)}}}
    note(where, "no valid query: valid events are good + bad, as slo-generator counts them", "")
    return indicator


def _is_number(value: Any) -> bool:
    return isinstance(value, int | Decimal) and not isinstance(value, bool)


def _plain(value: Any) -> Any:
    """The value with text stripped of surrounding blanks (YAML folded blocks end in a newline)."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
