"""The overview's period column: calendar periods by label, rolling windows by their length."""

from __future__ import annotations

from attain.engine.instant import US_PER_DAY
from attain.engine.result import PeriodResult, Status
from attain.reports.locale import Language
from attain.web.language import Words
from attain.web.overview import period_text

END = 1_795_000_000_000_000


def _result(period: str, days: int, *, closed: bool) -> PeriodResult:
    start = END - days * US_PER_DAY
    return PeriodResult("o", period, start, END, start, END, closed, Status.MET, 1, "events")


def test_a_rolling_window_reads_as_its_length_in_each_language() -> None:
    """A 28-day rolling window is "last 28 days" / "最近28天", not its raw end instant."""
    rolling = _result("rolling until 2026-11-18T07:06:40+00:00", 28, closed=False)
    assert period_text(Words.of(Language.EN), rolling) == "last 28 days"
    assert period_text(Words.of(Language.ZH_CN), rolling) == "最近28天"


def test_calendar_periods_keep_their_label_and_open_mark() -> None:
    """A closed month is its label; the running month is marked open."""
    assert period_text(Words.of(Language.EN), _result("2026-10", 31, closed=True)) == "2026-10"
    assert period_text(Words.of(Language.EN), _result("2026-11", 17, closed=False)) == "2026-11 (open)"
