"""Stored agreement versions: loading, parsing by model revision, and the version in force at an instant."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from attain.engine.instant import to_us
from attain.engine.versions import version_at
from attain.errors import InvalidInput
from attain.formats.model_json import dump_model, model_revision
from attain.formats.native import parse_agreement
from attain.formats.source import read_text
from attain.lifecycle import versions as lifecycle
from attain.lifecycle.versions import (
    latest_agreement,
    load_in_force,
    parse_version,
    stored_agreements,
    stored_versions,
)
from attain.storage import SqlStore, connect, upgrade

DOCUMENT = """\
apiVersion: attain/v1
kind: Agreement
metadata: {{name: {name}}}
spec:
  title: Shop
  version: {version}
  parties: {{provider: {{name: P}}, customer: {{name: C}}}}
  purpose: x
  timeZone: Europe/Berlin
  effective: {{from: {start}}}
  objectives:
    - name: ok
      indicator: {{kind: ratio, events: requests, good: {{where: {{ok: true}}}}}}
      target: {target}
      window: month
"""


def document(start: str, target: str, version: int = 1, name: str = "shop") -> str:
    """A one-objective agreement in Berlin time taking effect on `start`."""
    return DOCUMENT.format(name=name, version=version, start=start, target=target)


def utc(*parts: int) -> int:
    """An instant (µs) from UTC parts."""
    return to_us(datetime(*parts, tzinfo=UTC))  # type: ignore[misc]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqlStore]:
    """A migrated SQLite store holding versions 1 (from 2027-01-01) and 2 (from 2027-03-28) of `shop`."""
    engine = connect(f"sqlite:///{tmp_path}/attain.db")
    upgrade(engine)
    created = SqlStore(engine)
    created.apply("shop", document("2027-01-01", "99%"), date(2027, 1, 1), "active", now=1)
    created.apply("shop", document("2027-03-28", "99.5%", version=2), date(2027, 3, 28), "active", now=2)
    yield created
    engine.dispose()


def test_versions_load_oldest_first(store: SqlStore) -> None:
    """Both stored versions come back in version order, parsed to their own targets."""
    assert [v.version for v in stored_versions(store, "shop")] == [1, 2]
    assert [str(a.objectives[0].target) for a in stored_agreements(store, "shop")] == ["0.99", "0.995"]


def test_the_latest_agreement_is_the_last_version_parsed_alone(
    store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The latest agreement is version 2's (target 99.5%), and only that version is parsed."""
    parsed: list[int] = []
    real = lifecycle.parse_version
    monkeypatch.setattr(lifecycle, "parse_version", lambda v: parsed.append(v.version) or real(v))
    assert str(latest_agreement(store, "shop").objectives[0].target) == "0.995"
    assert parsed == [2]
    with pytest.raises(InvalidInput):
        latest_agreement(store, "nope")


def test_an_unknown_agreement_is_refused_with_the_stored_names(store: SqlStore) -> None:
    """Loading a name never stored fails with a hint that lists what is stored."""
    with pytest.raises(InvalidInput) as raised:
        stored_versions(store, "nope")
    [problem] = raised.value.problems
    assert "no stored agreement named 'nope'" in problem.message
    assert problem.hint == "run `attain apply FILE` first (stored: shop)"


def test_a_stored_version_parses_from_json_only_under_this_model_revision(store: SqlStore) -> None:
    """The model JSON (deliberately another agreement here) loads under this revision; under another, the YAML."""
    other = parse_agreement(read_text(document("2027-01-01", "95%", name="other"), "other")[0])
    store.apply("json", document("2027-01-01", "99%", name="json"), date(2027, 1, 1), "active", 3)
    store.apply("json", document("2027-01-01", "99%", name="json"), date(2027, 1, 1), "active", 4, ("old", "{}"))
    assert parse_version(stored_versions(store, "json")[0]).name == "json"  # revision "old": the YAML
    store.apply(
        "json",
        document("2027-01-01", "99%", name="json"),
        date(2027, 1, 1),
        "active",
        5,
        (model_revision(), dump_model(other)),
    )
    [stored] = stored_versions(store, "json")
    assert (stored.model_revision, parse_version(stored)) == (model_revision(), other)


def test_versions_are_in_force_from_local_midnight_of_their_effective_date(store: SqlStore) -> None:
    """In Berlin, 2027-01-01 begins at 2026-12-31 23:00 UTC (CET, +1); 2027-03-28, the day clocks go forward, at 2027-03-27 23:00 UTC."""
    first, second = load_in_force(store, "shop")
    assert (first.start, first.end) == (utc(2026, 12, 31, 23), utc(2027, 3, 27, 23))
    assert (second.start, second.end) == (utc(2027, 3, 27, 23), None)


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        (utc(2026, 12, 31, 22, 59, 59, 999_999), None),
        (utc(2026, 12, 31, 23), 1),
        (utc(2027, 3, 27, 22, 59, 59, 999_999), 1),
        (utc(2027, 3, 27, 23), 2),
        (utc(2027, 3, 28), 2),
    ],
    ids=["before-v1", "v1-starts", "last-microsecond-of-v1", "v2-starts", "utc-midnight-after"],
)
def test_the_version_in_force_at_instants_around_an_effective_date(
    store: SqlStore, instant: int, expected: int | None
) -> None:
    """The version in force switches at Berlin's midnight, one hour before UTC midnight; none before version 1."""
    found = version_at(load_in_force(store, "shop"), instant)
    assert (found.agreement.spec.version if found else None) == expected
