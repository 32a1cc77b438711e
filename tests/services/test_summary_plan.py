"""Summary plans: the goals of a stored version as JSON in the user's cache, equal to those of the agreement."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from attain.engine.instant import US_PER_DAY
from attain.engine.summary import AlertTier, Goal
from attain.formats.model_json import dump_model
from attain.lifecycle.versions import parse_version
from attain.model import Agreement
from attain.ports import AgreementVersion
from attain.services.summary_plan import Plan, cached_plans, plan_from_json, plan_json, plan_key, plan_of
from attain.testing import agreement, agreement_yaml, ratio_objective
from stored_version_support import TEMPLATES, load, stored


@pytest.fixture
def shop(tmp_path: Path) -> Agreement:
    """Four objectives: custom tiers with a guard, the workbook's tiers, a calendar month (no goal), service hours."""
    custom = ratio_objective("checkout", target="99.95%", window={"rolling": "28d"}) | {
        "alerting": {
            "minimumEvents": 20,
            "tiers": [
                {"longWindow": "1h", "shortWindow": "5m", "budgetConsumed": "2%", "severity": "page"},
                {"longWindow": "3d", "shortWindow": "6h", "budgetConsumed": "10%", "severity": "ops"},
            ],
        }
    }
    objectives = [
        custom,
        ratio_objective("search", target="99%", window={"rolling": "7d"}, alerting="sre-workbook"),
        ratio_objective("monthly", target="98%", window="month"),
        ratio_objective("answered", target="90%", window={"rolling": "1d"}) | {"serviceHours": "office"},
    ]
    document = agreement(name="shop", time_zone="Asia/Shanghai", effective_from="2026-10-01", objectives=objectives)
    document["spec"]["calendars"] = {"office": {"timeZone": "Asia/Shanghai", "hours": {"mon-fri": ["09:00-18:00"]}}}
    path = tmp_path / "shop.yaml"
    path.write_text(agreement_yaml(document), encoding="utf-8")
    return load(path)


def test_a_plan_holds_the_goals_as_written(shop: Agreement) -> None:
    """The plan's goals, tiers, zone and service-hours objectives, written out by hand from the document."""
    workbook = (
        AlertTier(timedelta(hours=1), timedelta(minutes=5), Decimal("0.02"), "page"),
        AlertTier(timedelta(hours=6), timedelta(minutes=30), Decimal("0.05"), "page"),
        AlertTier(timedelta(hours=24), timedelta(hours=2), Decimal("0.10"), "ticket"),
        AlertTier(timedelta(hours=72), timedelta(hours=6), Decimal("0.10"), "ticket"),
    )
    custom = (
        AlertTier(timedelta(hours=1), timedelta(minutes=5), Decimal("0.02"), "page"),
        AlertTier(timedelta(days=3), timedelta(hours=6), Decimal("0.1"), "ops"),
    )
    assert plan_of(shop) == Plan(
        "Asia/Shanghai",
        (
            Goal("checkout", Decimal("0.9995"), 28 * US_PER_DAY, custom, 20),
            Goal("search", Decimal("0.99"), 7 * US_PER_DAY, workbook, 0),
            Goal("answered", Decimal("0.9"), US_PER_DAY, (), 0),
        ),
        frozenset({"answered"}),
    )


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_template_plan_reads_back_equal(path: Path) -> None:
    """JSON and back gives the same plan, decimals digit for digit (`Decimal` equality and text)."""
    plan = plan_of(load(path))
    again = plan_from_json(plan_json(plan))
    assert again == plan
    assert [str(g.target) for g in again.goals] == [str(g.target) for g in plan.goals]


class Counting:
    """`parse_version` counting its calls: each is a cache miss."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, version: AgreementVersion) -> Agreement:
        """Count the call and parse."""
        self.calls += 1
        return parse_version(version)


def test_a_plan_is_made_once_and_read_back(shop: Agreement, tmp_path: Path) -> None:
    """The first read parses the version and writes its plan, private; the next reads it without parsing."""
    parse, directory = Counting(), tmp_path / "cache"
    version = stored(shop)
    first = cached_plans(directory, parse)(version)
    [entry] = directory.glob("*.plan.json")
    assert entry.name == f"{plan_key(version.model or '')}.plan.json"
    assert oct(directory.stat().st_mode & 0o777) == "0o700"
    assert cached_plans(directory, parse)(version) == first == plan_of(shop)
    assert parse.calls == 1


@pytest.mark.parametrize("content", [b"", b"{", b'{"format": "0"}', b'{"format": "1", "zone": 3}', b"[1]"])
def test_an_entry_that_does_not_read_back_is_made_again(shop: Agreement, tmp_path: Path, content: bytes) -> None:
    """A plan cut short, of another format or of wrong types is parsed again and rewritten."""
    parse, directory = Counting(), tmp_path / "cache"
    version = stored(shop)
    directory.mkdir(mode=0o700)
    entry = directory / f"{plan_key(version.model or '')}.plan.json"
    entry.write_bytes(content)
    assert cached_plans(directory, parse)(version) == plan_of(shop)
    assert parse.calls == 1
    assert plan_from_json(entry.read_bytes()) == plan_of(shop)


def test_a_plan_others_could_write_is_not_read(shop: Agreement, tmp_path: Path) -> None:
    """A plan in a directory writable by others is never read (it could lie about targets), nor written there."""
    directory = tmp_path / "cache"
    directory.mkdir()
    version = stored(shop)
    lying = replace(plan_of(shop), goals=())
    entry = directory / f"{plan_key(version.model or '')}.plan.json"
    entry.write_text(plan_json(lying))
    directory.chmod(0o777)
    parse = Counting()
    assert cached_plans(directory, parse)(version) == plan_of(shop)
    assert parse.calls == 1
    assert plan_from_json(entry.read_bytes()) == lying  # left as it was


def test_a_version_of_another_model_revision_is_not_cached(shop: Agreement, tmp_path: Path) -> None:
    """Model JSON stored by another revision of the model is read from its YAML, and its plan is not kept."""
    parse, directory = Counting(), tmp_path / "cache"
    version = stored(shop, revision="0" * 64)
    assert cached_plans(directory, parse)(version) == plan_of(shop)
    assert cached_plans(directory, parse)(version) == plan_of(shop)
    assert parse.calls == 2
    assert not directory.exists()


def test_the_key_changes_with_the_content(shop: Agreement) -> None:
    """Two versions differing in one target have different keys; the same JSON has one key."""
    other = shop.model_copy(deep=True)
    changed = dump_model(shop).replace('"99.95%"', '"99.9%"')
    assert changed != dump_model(shop)
    assert plan_key(dump_model(shop)) == plan_key(dump_model(other))
    assert plan_key(changed) != plan_key(dump_model(shop))
