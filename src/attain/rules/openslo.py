"""OpenSLO `v1alpha` SLOs as Sloth reads them: one Prometheus SLO per objective.

Sloth supports ratio objectives whose `good` and `total` are PromQL queries (source `prometheus`
or `sloth`, queryType `promql`) and writes each as the raw error ratio `1 - (good / total)`.
The SLO `<name>-<index>` gets no alerts. Its time window, when given, must be a count of days
equal to the SLO period rules are generated for.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from attain.errors import InvalidAgreement, Problem
from attain.formats.openslo import OpenSLOObject
from attain.formats.openslo.legacy import AlphaMetricSource, AlphaSLO
from attain.rules import slo as m

RATIO_TEMPLATE = """
  1 - (
    (
      {good}
    )
    /
    (
      {total}
    )
  )
"""


def openslo_group(obj: OpenSLOObject, period: timedelta) -> m.SLOGroup:
    """The Prometheus SLOs of one `openslo/v1alpha` SLO, for rules over `period`.

    Raises:
        InvalidAgreement: If the SLO is not one Sloth supports, listing every reason.
    """
    model = obj.model
    if not isinstance(model, AlphaSLO):
        raise InvalidAgreement([obj.problem(("kind",), f"{obj.api_version} {obj.kind} has no SLO", "give an SLO")])
    spec = model.spec
    problems: list[Problem] = []
    windows = spec.time_windows or ()
    if len(windows) > 1:
        problems.append(obj.problem(("spec", "timeWindows"), "only one time window is supported", "keep one"))
    elif windows:
        window = windows[0]
        days = window.count or 0
        if window.unit != "Day" or timedelta(days=days) != period:
            problems.append(
                obj.problem(
                    ("spec", "timeWindows", 0),
                    f"time window {days} {window.unit} is not the SLO period {period.days} days",
                    f"use count: {period.days}, unit: Day, or generate with --period {days}d",
                )
            )
    if not spec.objectives:
        problems.append(obj.problem(("spec", "objectives"), "at least one objective is required", "add one"))
    service = spec.service or ""
    slos = []
    for index, objective in enumerate(spec.objectives or ()):
        path = ("spec", "objectives", index)
        ratio = objective.ratio_metrics
        if ratio is None or ratio.good is None or ratio.total is None:
            problems.append(obj.problem((*path, "ratioMetrics"), "ratioMetrics good and total are required", ""))
            continue
        problems += _query_problems(obj, (*path, "ratioMetrics"), ratio.good, ratio.total)
        if objective.target is None:
            problems.append(obj.problem((*path, "target"), "target is required", "e.g. target: 0.999"))
            continue
        name = f"{obj.name}-{index}"
        query = RATIO_TEMPLATE.format(good=ratio.good.query, total=ratio.total.query)
        slos.append(
            m.PromSLO(
                id=f"{service}-{name}",
                name=name,
                service=service,
                objective=Decimal(objective.target) * 100,
                sli=m.RawSLI(query),
                period=period,
                description=spec.description or "",
                origin=m.Origin(obj.document, (*obj.root, *path)),
            )
        )
    if problems:
        raise InvalidAgreement(problems)
    return m.SLOGroup(m.OPENSLO_V1ALPHA, tuple(slos), None, m.Origin(obj.document, obj.root))


def _query_problems(
    obj: OpenSLOObject, path: tuple[str | int, ...], good: AlphaMetricSource, total: AlphaMetricSource
) -> list[Problem]:
    problems = []
    for role, source in (("good", good), ("total", total)):
        where = (*path, role)
        if source.source not in ("prometheus", "sloth"):
            problems.append(obj.problem((*where, "source"), f"source {source.source!r}", "use source: prometheus"))
        if source.query_type != "promql":
            problems.append(obj.problem((*where, "queryType"), f"queryType {source.query_type!r}", "use promql"))
        if not source.query:
            problems.append(obj.problem((*where, "query"), "query is required", "write the PromQL query"))
    return problems
