"""`attain drivers` and `attain review --quarter` on a stored agreement: table, JSON, languages, bad input.

`shop` asks 99% of requests to be ok per month. October 2026: 4 requests, eu 2 errors, us 1
error and 1 ok; September: 1 us error. So 3 bad of 4 in October, 1% of 4 = 0.04 allowed: eu's 2
are 2 ÷ 0.04 = 5,000% of the budget, us 1 (1 before, change 0).
"""

from __future__ import annotations

import json
from pathlib import Path

from attain.testing import agreement, agreement_yaml, ratio_objective
from cli_support import Cli

ROWS = """\
timestamp,status,region
2026-09-05T10:00:00Z,error,us
2026-10-05T10:00:00Z,error,eu
2026-10-05T10:01:00Z,error,eu
2026-10-05T10:02:00Z,error,us
2026-10-05T10:03:00Z,ok,us
"""
AT = "2026-11-02T00:00:00Z"


def _shop(attain: Cli, tmp_path: Path) -> None:
    document = agreement(
        objectives=[ratio_objective("checkout", target="99%", good={"where": {"status": "ok"}})],
        effective_from="2026-09-01",
    )
    (tmp_path / "shop.yaml").write_text(agreement_yaml(document))
    (tmp_path / "requests.csv").write_text(ROWS)
    attain.out("apply", tmp_path / "shop.yaml")
    attain.out("ingest", tmp_path / "requests.csv", "--agreement", "shop")


def test_drivers_rank_the_regions_in_a_table_and_in_json(attain: Cli, tmp_path: Path) -> None:
    """The table ranks eu (2, +2) above us (1, 0); the JSON holds the exact shares; zh-CN words the table."""
    _shop(attain, tmp_path)
    data = json.loads(attain.out("drivers", "shop", "--period", "2026-10", "--at", AT, "-o", "json"))
    (checkout,) = data["objectives"]
    assert (checkout["bad"], checkout["valid"], checkout["previous"], checkout["consumed"]) == (3, 4, 1, "75")
    region = next(d for d in checkout["dimensions"] if d["dimension"] == "region")
    assert [(d["value"], d["bad"], d["change"], d["budgetShare"]) for d in region["drivers"]] == [
        ("eu", 2, 2, "50"),
        ("us", 1, 0, "25"),
    ]
    top = json.loads(attain.out("drivers", "shop", "--period", "2026-10", "--at", AT, "--top", "1", "-o", "json"))
    rest = next(d for d in top["objectives"][0]["dimensions"] if d["dimension"] == "region")["rest"]
    assert (rest["value"], rest["values"], rest["bad"], rest["previous"]) == (None, 1, 1, 1)
    table = attain.out("drivers", "shop", "--period", "2026-10", "--at", AT)
    assert "What drives failures in 2026-10 (against 2026-09)" in table
    assert "checkout: 3 bad events of 4 valid (1 before); budget used 7,500%." in table
    assert "5,000%" in table
    chinese = attain.out("drivers", "shop", "--period", "2026-10", "--at", AT, "--lang", "zh-CN")
    assert "2026-10 的失败来源（对比 2026-09）" in chinese
    assert "4 个有效事件中 3 个不达标（上期 1 个）；已用预算 7,500%。" in chinese


def test_bad_input_is_refused_with_what_is_valid(attain: Cli, tmp_path: Path) -> None:
    """An unknown objective names the known one; a month given to --quarter is refused; so is review without a mode."""
    _shop(attain, tmp_path)
    unknown = attain("drivers", "shop", "--period", "2026-10", "--objective", "nope")
    assert unknown.returncode == 2
    assert "no objective 'nope'" in unknown.stderr
    assert "name one of: checkout" in unknown.stderr
    month = attain("review", "shop", "--quarter", "2026-10", "--format", "md")
    assert month.returncode == 2
    assert "not a quarter: '2026-10'" in month.stderr
    nothing = attain("review", "shop")
    assert nothing.returncode == 2
    assert "--quarter 2026-Q4" in nothing.stderr


def test_the_review_report_is_written_to_a_file(attain: Cli, tmp_path: Path) -> None:
    """`attain review shop --quarter 2026-Q4 --format md --out` writes the quarter's report with the drivers."""
    _shop(attain, tmp_path)
    out = tmp_path / "review.md"
    attain.out("review", "shop", "--quarter", "2026-Q4", "--format", "md", "--out", out, "--at", AT)
    text = out.read_text(encoding="utf-8")
    assert "Quarterly review: review of 2026-Q4" in text
    assert "What drives failures in 2026-Q4 (against 2026-Q3)" in text
    assert "| region | eu | 2 |" in text
