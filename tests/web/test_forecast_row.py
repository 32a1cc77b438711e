"""The agreement page shows each forecast objective's open period forecast in a Forecast row, in English and Chinese."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from web.dashboard_support import sign_in

ROW = re.compile(r'<tr class="forecast"><th scope="row">([^<]+)</th><td>([^<]+)</td></tr>')


def _sections(html: str) -> dict[str, str]:
    """The HTML of each objective's section, by objective name."""
    parts = re.split(r'<section class="objective" id="objective-', html)[1:]
    return {part.split('"', 1)[0]: part for part in parts}


def test_an_availability_objective_has_a_forecast_row_in_english(client: TestClient, tokens: dict[str, str]) -> None:
    """cloud-uptime's monthly availability objectives each show one Forecast row for the open month."""
    sign_in(client, tokens["admin"])
    sections = _sections(client.get("/agreements/cloud-uptime", headers={"Accept-Language": "en"}).text)
    for name in ("compute-availability", "storage-availability"):
        [(label, text)] = ROW.findall(sections[name])
        assert label == "Forecast"
        assert re.fullmatch(
            r"\d+\.\d+% expected at the end of 2026-11, breach probability \d+(\.\d+)?%; "
            r"at the current burn the budget (lasts the period|is already gone|is gone on .+)",
            text,
        ), text


def test_the_forecast_row_is_in_chinese(client: TestClient, tokens: dict[str, str]) -> None:
    """In Chinese the row reads 预测 and its sentence names the breach probability in Chinese."""
    sign_in(client, tokens["admin"])
    sections = _sections(client.get("/agreements/cloud-uptime", headers={"Accept-Language": "zh-CN"}).text)
    [(label, text)] = ROW.findall(sections["compute-availability"])
    assert label == "预测"
    assert re.fullmatch(
        r"预计2026-11结束时达成\d+\.\d+%，违约概率\d+(\.\d+)?%；按当前消耗速率，预算(可维持到本期结束|已经耗尽|将于.+耗尽)",
        text,
    ), text


def test_objectives_not_forecast_have_no_row(client: TestClient, tokens: dict[str, str]) -> None:
    """Case objectives (support-desk) are not forecast, so their sections have no Forecast row."""
    sign_in(client, tokens["admin"])
    sections = _sections(client.get("/agreements/support-desk", headers={"Accept-Language": "en"}).text)
    assert sections
    assert all(not ROW.findall(html) for html in sections.values())
