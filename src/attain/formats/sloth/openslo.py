"""`openslo/v1alpha` SLOs read the way Sloth reads them, as attain objectives with what they leave out.

One objective `<SLO name>-<index>` per ratio objective: `ratioMetrics` good and total become the
`good` and `valid` metrics, `timeWindows` of days or weeks a rolling window (a calendar month or
quarter a calendar window), no window Sloth's 30 days (noted). Threshold indicators, which Sloth
does not read, are noted. v1alpha has no time slice length: Timeslices gets 1-minute slices
(noted), or Occurrences without a `timeSliceTarget` (noted).
"""

from __future__ import annotations

from typing import Any

from attain.formats import openslo
from attain.formats.foreign import SLOTH_PERIOD, ForeignObjectives, Note, noter
from attain.formats.openslo.legacy import AlphaMetricSource, AlphaSLO
from attain.formats.source import Path, SourceDocument

_ALPHA_UNITS = {"Day": "d", "Week": "w"}
_ALPHA_CALENDAR = {"Month": "month", "Quarter": "quarter"}


def objectives_from_openslo_alpha(document: SourceDocument) -> ForeignObjectives:
    """Read the `openslo/v1alpha` SLOs of a document (one object or a list) the way Sloth reads them."""
    result = ForeignObjectives()
    note = noter(document, result)
    for obj in openslo.decode([document]):
        model = obj.model
        if not isinstance(model, AlphaSLO):
            note(obj.root, f"{obj.kind} {obj.name!r} holds no objective", "")
            continue
        spec = model.spec
        window = _alpha_window(spec.time_windows or (), (*obj.root, "spec", "timeWindows"), note)
        if spec.indicator is not None:
            note((*obj.root, "spec", "indicator"), "threshold indicators are not read, as Sloth reads none", "")
        for index, objective in enumerate(spec.objectives or ()):
            path: Path = (*obj.root, "spec", "objectives", index)
            ratio = objective.ratio_metrics
            if ratio is None or ratio.good is None or ratio.total is None or objective.target is None:
                note(path, "an objective without ratioMetrics good, total and target: skipped", "")
                continue
            data: dict[str, Any] = {"name": f"{obj.name}-{index}"}
            title = objective.display_name or model.metadata.display_name
            data |= {"title": title} if title else {}
            data |= {"description": spec.description} if spec.description else {}
            data |= {"service": spec.service} if spec.service else {}
            good, total = _alpha_metric(ratio.good), _alpha_metric(ratio.total)
            data |= {"indicator": {"kind": "ratio", "good": good, "valid": total}, "target": objective.target}
            data |= {"window": window, "budgeting": _alpha_budgeting(spec.budgeting_method, objective, path, note)}
            result.objectives.append(data)
    return result


def _alpha_budgeting(method: str | None, objective: Any, path: Path, note: Note) -> dict[str, Any]:
    """v1alpha has no time slice length: Timeslices is read with 1-minute slices, noted."""
    if method != "Timeslices":
        return {"method": method or "Occurrences"}
    if objective.time_slice_target is None:
        note(path, "Timeslices without timeSliceTarget: read as Occurrences", "add timeSliceTarget:")
        return {"method": "Occurrences"}
    note(path, "v1alpha gives no time slice length: 1-minute slices are assumed", "check budgeting.slice")
    return {"method": "Timeslices", "slice": "1m", "sliceTarget": objective.time_slice_target}


def _alpha_metric(source: AlphaMetricSource) -> dict[str, Any]:
    spec = {key: value for key, value in (("query", source.query), ("queryType", source.query_type)) if value}
    return {"metric": {"type": source.source or "prometheus", "spec": spec}}


def _alpha_window(windows: tuple[Any, ...], path: Path, note: Note) -> dict[str, Any]:
    if not windows:
        note(path, "no time window: 30d, Sloth's default period, is assumed", "add timeWindows:")
        return {"rolling": SLOTH_PERIOD}
    window = windows[0]
    if window.is_rolling is False and window.count == 1 and window.unit in _ALPHA_CALENDAR:
        return {"calendar": _ALPHA_CALENDAR[window.unit]}
    if window.unit in _ALPHA_UNITS and window.count:
        return {"rolling": f"{window.count}{_ALPHA_UNITS[window.unit]}"}
    note((*path, 0), f"window {window.count} {window.unit} is not supported: 30d assumed", "use Day or Week")
    return {"rolling": SLOTH_PERIOD}
