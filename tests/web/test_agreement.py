"""The agreement page evaluates the agreement once: its rows, burn rates and month charts share that evaluation."""

from __future__ import annotations

import json
import re
import shutil
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

import attain.engine.evaluate
from attain.engine.period import local_midnight
from attain.model import Agreement, CalendarUnit, CalendarWindow
from attain.server import create_server
from attain.services.documents import source_from_store
from attain.services.runtime import Runtime, create_runtime
from attain.services.tokens import issue_token
from attain.settings import Settings

from .conftest import DEMO_AGREEMENTS, FIXED

ROW = re.compile(r'<tr data-agreement="([^"]+)" data-objective="([^"]+)"[^>]*>(.*?)</tr>', re.DOTALL)


@pytest.fixture
def cold_runtime(demo_db: Path, tmp_path: Path) -> Iterator[Runtime]:
    """A runtime over a copy of the demo store that has evaluated nothing yet, its clock at `FIXED`."""
    shutil.copy(demo_db, tmp_path / "a.db")
    runtime = create_runtime(Settings(f"sqlite:///{tmp_path}/a.db", tmp_path), clock=lambda: FIXED)
    yield runtime
    runtime.close()


@pytest.fixture
def evaluated(monkeypatch: pytest.MonkeyPatch) -> list[Agreement]:
    """Every agreement the engine evaluates while the test runs: each module's reference to `evaluate` is a spy."""
    real = attain.engine.evaluate.evaluate
    seen: list[Agreement] = []

    def spy(agreement: Agreement, *args: Any, **kwargs: Any) -> Any:
        seen.append(agreement)
        return real(agreement, *args, **kwargs)

    for module in [m for name, m in sys.modules.items() if name.startswith("attain.")]:
        for attribute, value in list(vars(module).items()):
            if value is real:
                monkeypatch.setattr(module, attribute, spy)
    return seen


def _by_day(agreement: Agreement) -> bool:
    """Whether an evaluated agreement is the report's day-by-day view (every window one calendar day)."""
    return all(
        isinstance(o.window, CalendarWindow) and o.window.calendar is CalendarUnit.DAY for o in agreement.objectives
    )


@pytest.mark.parametrize("name", DEMO_AGREEMENTS)
def test_a_page_load_evaluates_the_agreement_once(cold_runtime: Runtime, evaluated: list[Agreement], name: str) -> None:
    """With nothing cached the page evaluates the agreement once (plus the month's day-by-day view); then never again."""
    secret = issue_token(cold_runtime.access, "viewer", None, "viewer", FIXED, None).secret
    headers = {"Authorization": f"Bearer {secret}"}
    with TestClient(create_server(runtime=cold_runtime)) as client:
        assert client.get(f"/agreements/{name}", headers=headers).status_code == 200
        first = list(evaluated)
        evaluated.clear()
        assert client.get(f"/agreements/{name}", headers=headers).status_code == 200
        second = list(evaluated)
    assert [a.name for a in first if not _by_day(a)] == [name]
    assert [a.name for a in first if _by_day(a)] == [name]
    assert [a.name for a in second if not _by_day(a)] == []  # the same minute and data: the cached evaluation
    assert [a.name for a in second if _by_day(a)] == [name]


def _budget_left(page: str) -> dict[str, float]:
    """The budget left of each objective's row on the overview, in percent."""
    found = {}
    for _agreement, objective, body in ROW.findall(page):
        label = re.search(r'aria-label="Budget left: (-?[\d.]+)%"', body)
        if label is not None:
            found[objective] = float(label.group(1))
    return found


def _burn_down_end(page: str, objective: str) -> float | None:
    """The last value of an objective's burn-down chart on the page, in percent (None: no chart)."""
    block = re.search(rf'<script type="application/json" id="chart-{objective}-burn-spec">(.*?)</script>', page)
    if block is None:
        return None
    spec = json.loads(block.group(1))
    values = spec["layer"][0]["data"]["values"]  # a calendar period's burn-down also holds the ideal and projection
    return float([v for v in values if v.get("line", "Budget left") == "Budget left"][-1]["left"])


@pytest.mark.parametrize(
    ("name", "objective"), [("support-desk", "first-response"), ("cloud-uptime", "storage-availability")]
)
def test_the_burn_down_ends_at_the_budget_left_in_the_row(
    client: TestClient, tokens: dict[str, str], name: str, objective: str
) -> None:
    """The month's burn-down ends where the overview's row says the budget stands: both come from one evaluation."""
    headers = {"Authorization": f"Bearer {tokens['viewer']}"}
    row = _budget_left(client.get("/", headers=headers).text)[objective]
    end = _burn_down_end(client.get(f"/agreements/{name}", headers=headers).text, objective)
    assert end is not None
    assert round(end, 4) == row


def _burn_down(page: str, objective: str) -> list[dict[str, Any]]:
    """The points of an objective's budget chart on the page: each day and the share left, in percent."""
    block = re.search(rf'<script type="application/json" id="chart-{objective}-burn-spec">(.*?)</script>', page)
    assert block is not None
    return list(json.loads(block.group(1))["layer"][0]["data"]["values"])


def _engine_left(runtime: Runtime, name: str, objective: str, at: int) -> float:
    """The budget left, in percent, of the objective's rolling window ending at `at`, by the engine itself."""
    source = source_from_store(runtime.store, name, "2026-11")
    evaluation = attain.engine.evaluate.evaluate(source.agreement, source.measurements, at)
    current = next(o.current for o in evaluation.objectives if o.objective == objective)
    assert current is not None
    assert current.budget is not None
    return float(current.budget.remaining / current.budget.allowed * 100)


def test_a_rolling_budget_chart_shows_the_rolling_window(
    client: TestClient, runtime: Runtime, tokens: dict[str, str]
) -> None:
    """A rolling 28-day objective's budget chart shows the budget left of the 28-day window ending after each of its days, ending at the row's value."""
    headers = {"Authorization": f"Bearer {tokens['viewer']}"}
    row = _budget_left(client.get("/", headers=headers).text)["latency"]
    page = client.get("/agreements/api-latency", headers=headers).text
    points = _burn_down(page, "latency")
    days = [date(2026, 10, 31) + timedelta(days=i) for i in range(28)]  # the window's days, not November's
    assert [p["day"] for p in points] == [d.strftime("%m-%d") for d in days]
    assert round(points[-1]["left"], 4) == row
    agreement_zone = source_from_store(runtime.store, "api-latency", "2026-11").agreement.spec.time_zone
    for index in (0, 13, 26):  # a past day: the window of 28 days that ends at its local midnight
        end = local_midnight(days[index] + timedelta(days=1), agreement_zone)
        assert points[index]["left"] == pytest.approx(_engine_left(runtime, "api-latency", "latency", end), abs=1e-9)
    assert re.search(r"<figcaption>Error budget remaining · last 28 days</figcaption>", page)
    chinese = client.get("/agreements/api-latency", headers={**headers, "Accept-Language": "zh-CN"}).text
    assert "<figcaption>剩余错误预算 · 最近28天</figcaption>" in chinese
    calendar = re.findall(r"<figcaption>Error budget remaining · ([^<]*)</figcaption>", page)
    assert sorted(calendar) == ["2026-11", "last 28 days"]  # the calendar-month objective keeps its month


def _spec(page: str, chart: str) -> dict[str, Any]:
    """The Vega-Lite spec of chart `chart` (e.g. `latency-daily`) on the page."""
    block = re.search(rf'<script type="application/json" id="chart-{chart}-spec">(.*?)</script>', page)
    assert block is not None
    spec: dict[str, Any] = json.loads(block.group(1))
    return spec


def test_a_rolling_daily_chart_shows_the_rolling_window(client: TestClient, tokens: dict[str, str]) -> None:
    """At 2026-11-27 10:00 UTC the 28-day window's days are 10-31 … 11-27: the daily chart shows those, not November."""
    headers = {"Authorization": f"Bearer {tokens['viewer']}"}
    page = client.get("/agreements/api-latency", headers=headers).text
    days = [date(2026, 10, 31) + timedelta(days=i) for i in range(28)]
    points = _spec(page, "latency-daily")["layer"][0]["data"]["values"]
    assert [p["day"] for p in points] == [d.strftime("%m-%d") for d in days]
    assert "<figcaption>Daily attainment · last 28 days</figcaption>" in page
    monthly = _spec(page, "availability-daily")["layer"][0]["data"]["values"]
    assert [p["day"] for p in monthly] == list(range(1, 28))  # the calendar-month objective: November 1 … 27
    assert "<figcaption>Daily attainment · 2026-11</figcaption>" in page


@pytest.mark.parametrize(
    ("language", "day", "value", "left"),
    [
        ("en", "Day (Europe/London)", "Measured (s)", "Budget left (%)"),
        ("zh-CN", "日期（Europe/London）", "实测值（秒）", "剩余预算（%）"),
    ],
)
def test_chart_axes_are_titled_with_their_units(
    client: TestClient, tokens: dict[str, str], language: str, day: str, value: str, left: str
) -> None:
    """A statistic in seconds is measured in s; a ratio in percent; the days in the window's time zone."""
    headers = {"Authorization": f"Bearer {tokens['viewer']}", "Accept-Language": language}
    page = client.get("/agreements/ambulance-response", headers=headers).text
    mean = _spec(page, "mean-response-daily")["layer"][0]["encoding"]
    assert (mean["x"]["title"], mean["y"]["title"]) == (day, value)
    ratio = _spec(page, "response-within-15-minutes-daily")["layer"][0]["encoding"]
    assert ratio["y"]["title"] == ("Attainment (%)" if language == "en" else "达成率（%）")
    burn = _spec(page, "response-within-15-minutes-burn")["layer"][0]["encoding"]
    assert (burn["x"]["title"], burn["y"]["title"]) == (day, left)


def test_the_target_shown_is_the_one_in_force_not_a_later_agreed_one(
    client: TestClient, tokens: dict[str, str]
) -> None:
    """cloud-uptime v2 raises storage to 99.95% from 2027-01-01; on 2026-11-27 the rows show v1's 99.9%."""
    headers = {"Authorization": f"Bearer {tokens['viewer']}", "Accept-Language": "en"}
    overview = client.get("/", headers=headers).text
    [cells] = [c for a, o, c in ROW.findall(overview) if (a, o) == ("cloud-uptime", "storage-availability")]
    assert '<td class="num">99.9%</td>' in cells
    assert "99.95%" not in cells
    page = client.get("/agreements/cloud-uptime", headers=headers).text
    section = page.split('<section class="objective" id="objective-storage-availability"', 1)[1].split("</section>", 1)[
        0
    ]
    assert '<th scope="row">Target</th><td>99.9%</td>' in section


def test_the_page_names_the_version_in_force_and_the_one_agreed_for_later(
    client: TestClient, tokens: dict[str, str]
) -> None:
    """On 2026-11-27 cloud-uptime is judged by version 1, and version 2 is agreed from 2027-01-01: the header says both.

    The demo's version 2 takes effect at the first month start after 30 days' notice (2026-12-27).
    """
    for language, expected in (
        ("en", "Version 1 (version 2 agreed, in force from January 1, 2027)"),
        ("zh-CN", "第 1 版 (第 2 版已商定，自 2027年1月1日 起生效)"),
    ):
        headers = {"Authorization": f"Bearer {tokens['viewer']}", "Accept-Language": language}
        page = client.get("/agreements/cloud-uptime", headers=headers).text
        [meta] = [line for line in page.splitlines() if '<p class="meta">' in line]
        assert expected in meta, meta
    api_latency = client.get("/agreements/api-latency", headers=headers).text
    [meta] = [line for line in api_latency.splitlines() if '<p class="meta">' in line]
    assert "第 1 版 ·" in meta  # its latest version is the one in force: nothing more said
