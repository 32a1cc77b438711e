"""The review report's sections that other services provide: target recommendations, amendments, forecasts.

`attain.services.recommend` (`recommendations`, `report_data`) and `attain.services.forecast`
(`forecasts`, `forecast_data`) are looked up when the report is made, not imported: a build
without one of them gets `None` for its sections, which the report marks omitted. Each section
is written in both languages here, so that the report picks its own.
"""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec
from typing import Any

from attain.engine.instant import US_PER_DAY, from_us
from attain.engine.period import zone
from attain.engine.versions import evaluate_versions
from attain.lifecycle.versions import load_in_force
from attain.ports import Store
from attain.reports.locale import Language, Locale
from attain.reports.review import Section
from attain.services.measurements import stored_measurements

LANGUAGES = tuple(language.value for language in Language)
HISTORY_US = 56 * US_PER_DAY
"""How far before the instant a forecast's measurements reach (the forecast's eight weeks)."""


def _service(name: str) -> Any | None:
    """The module `attain.services.<name>`, or None when this build has none."""
    module = f"attain.services.{name}"
    return import_module(module) if find_spec(module) is not None else None


def recommendation_sections(store: Store, name: str, at: int) -> tuple[Section | None, Section | None]:
    """Target recommendations and the amendments they suggest, or (None, None) without the service."""
    recommend = _service("recommend")
    if recommend is None:
        return None, None
    report = recommend.recommendations(store, name, at)
    advice = [a.recommendation for a in report.objectives]
    lines = {lang: tuple(_advice_line(Locale.of(lang), r) for r in advice) for lang in LANGUAGES}
    changes = [r for r in advice if r.recommended is not None and r.recommended.target != r.target]
    amendments = {lang: tuple(_amendment(Locale.of(lang), r) for r in changes) for lang in LANGUAGES}
    amended = [
        {"objective": r.objective, "target": str(r.target), "recommended": str(r.recommended.target)} for r in changes
    ]
    for lang in LANGUAGES:
        if not amendments[lang]:
            amendments[lang] = (Locale.of(lang).text("review.amendment.none"),)
    return Section(lines, recommend.report_data(report)), Section(amendments, amended)


def _advice_line(loc: Locale, recommendation: Any) -> str:
    chosen = recommendation.recommended
    if chosen is None:
        return f"{recommendation.objective}: {loc.text('review.recommend.none')}"
    return loc.text(
        "recommend.line",
        objective=recommendation.objective,
        recommended=loc.percent(chosen.target),
        target=loc.percent(recommendation.target),
        met=chosen.met,
        count=chosen.periods,
    )


def _amendment(loc: Locale, recommendation: Any) -> str:
    """The change of target a recommendation suggests, and why: too strict, too loose, or met more often."""
    chosen = recommendation.recommended
    count = len(recommendation.periods)
    missed = sum(1 for p in recommendation.periods if not p.met)
    key = "strict" if recommendation.too_strict else "loose" if recommendation.too_loose else "change"
    return loc.text(
        f"review.amendment.{key}",
        objective=recommendation.objective,
        target=loc.percent(recommendation.target),
        recommended=loc.percent(chosen.target),
        missed=missed,
        met=chosen.met,
        count=count,
    )


def forecast_section(store: Store, name: str, at: int, end: int) -> Section | None:
    """Forecasts of the quarter's open periods at `at`, or None without the service."""
    forecast = _service("forecast")
    if forecast is None:
        return None
    if at >= end:
        return Section({lang: (Locale.of(lang).text("review.forecast.closed"),) for lang in LANGUAGES}, [])
    versions = load_in_force(store, name)
    since = max(versions[0].start, at - HISTORY_US)
    measurements = stored_measurements(store, name, [v.agreement for v in versions], since, at)
    evaluation = evaluate_versions(versions, measurements, at, since)
    found = forecast.forecasts(versions, evaluation, measurements)
    local = versions[-1].agreement.spec.time_zone
    lines = {lang: tuple(_forecast_line(Locale.of(lang), f, local) for f in found) for lang in LANGUAGES}
    for lang in LANGUAGES:
        if not lines[lang]:
            lines[lang] = (Locale.of(lang).text("review.forecast.none"),)
    return Section(lines, [forecast.forecast_data(f) for f in found])


def _forecast_line(loc: Locale, found: Any, local: str) -> str:
    projection = found.projection
    gone = ""
    if projection.budget_gone_at is not None:
        day = from_us(projection.budget_gone_at).astimezone(zone(local)).date()
        gone = loc.text("review.forecast.gone", day=loc.date(day))
    return loc.text(
        "review.forecast.line",
        objective=found.objective,
        period=found.period,
        ratio=loc.percent(projection.projected_ratio),
        probability=loc.percent(projection.breach_probability),
        gone=gone,
    )
