"""The agreement page evaluates the agreement once: its rows, burn rates and month charts share that evaluation."""

from __future__ import annotations

import json
import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

import attain.engine.evaluate
from attain.model import Agreement, CalendarUnit, CalendarWindow
from attain.server import create_server
from attain.services.runtime import Runtime, create_runtime
from attain.services.tokens import issue_token
from attain.settings import Settings

from .conftest import DEMO_AGREEMENTS, FIXED

ROW = re.compile(r'<tr data-agreement="([^"]+)" data-objective="([^"]+)">(.*?)</tr>', re.DOTALL)


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
    return float(spec["layer"][0]["data"]["values"][-1]["left"])


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
