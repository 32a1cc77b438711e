"""What `status` and `summary` run, and the store access every store command shares, without typer.

`attain.cli.start` runs a plain `status` or `summary` command line here directly; the typer
commands in `attain.cli.store` call the same functions, so both print the same. `summary` on a
current SQLite store reads it through `attain.storage.reader` (`sqlite3` alone, read-only, no
SQLAlchemy); any other store opens as every command opens it (`open_store`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from attain.cli.options import CaseFilter, Output, parse_instant
from attain.engine.instant import to_us
from attain.model.numeral import format_number, format_ratio
from attain.settings import DATA_DIR_VARIABLE, DATABASE_URL_VARIABLE, Settings, agreement_cache_dir

if TYPE_CHECKING:
    from attain.model import Agreement
    from attain.ports import AgreementVersion, ReadStore, StatusStore, Store

ANOTHER_STORE = f"set {DATA_DIR_VARIABLE} or {DATABASE_URL_VARIABLE} to use another"
"""How to choose a store other than the one a note names."""
WINDOW_LABELS = ("5m", "30m", "1h", "2h", "6h", "1d", "3d")
"""The burn-rate windows `attain summary` shows, shortest first."""


def open_store() -> Store:
    """The store the environment names (ATTAIN_DATABASE_URL, default SQLite in ATTAIN_DATA_DIR).

    A store this call creates is announced on stderr with its URL, so that a command run in the
    wrong directory or without the environment does not silently work on a new, empty store.
    """
    from attain.services import store as stored  # noqa: PLC0415 - SQLAlchemy only for commands that open it

    opened = stored.open_store_noting(Settings.from_environ(os.environ, Path.cwd()))
    if opened.created:
        note(f"created a new store at {opened.url} ({ANOTHER_STORE})")
    return opened.store


def open_read_store() -> ReadStore:
    """The store `summary` reads: read-only through `sqlite3` when it can (module doc), else `open_store`."""
    from attain.storage.reader import open_reader  # noqa: PLC0415

    reader = open_reader(Settings.from_environ(os.environ, Path.cwd()).database_url)
    return open_store() if reader is None else reader


def note_empty(url: str | None = None) -> None:
    """Say on stderr that the store holds no agreement, which store that is and how to fill it."""
    note(f"no agreements in the store at {url or store_url()} ({ANOTHER_STORE}; `attain apply FILE` stores one)")


def store_url() -> str:
    """The URL of the store the environment names, as it may be printed (any password hidden)."""
    from attain.storage.database import display_url  # noqa: PLC0415 - SQLAlchemy only for store commands

    return display_url(Settings.from_environ(os.environ, Path.cwd()).database_url)


def note(text: str) -> None:
    """Print a note for people on stderr, so that stdout (JSON for scripts) stays as it is."""
    sys.stderr.write(f"{text}\n")


def agreement_parse() -> Callable[[AgreementVersion], Agreement]:
    """How the read commands parse stored versions: through the cache in the user's cache directory.

    The cache (and pydantic with it) loads on the first parse: a summary whose plan is cached parses
    nothing.
    """
    directory = agreement_cache_dir(os.environ, Path.home(), sys.platform)

    def parse(version: AgreementVersion) -> Agreement:
        from attain.services.agreement_cache import cached_parse  # noqa: PLC0415

        return cached_parse(directory)(version)

    return parse


def now() -> int:
    """The current instant: the CLI is where the clock is read."""
    return to_us(datetime.now(UTC))


def run_status(names: list[str], at: str | None, cases: CaseFilter, output: Output) -> None:
    """`attain status`: each objective now, as text or JSON."""
    from attain.cli.output import print_json, print_status  # noqa: PLC0415
    from attain.services import store as stored  # noqa: PLC0415
    from attain.storage.reader import SqliteReader, open_reader  # noqa: PLC0415 - sqlite3 alone, no SQLAlchemy

    instant = parse_instant(at, "--at") or datetime.now(UTC)
    # read-only through sqlite3 when it can, as `summary` (`open_read_store`), else the full store
    reader = open_reader(Settings.from_environ(os.environ, Path.cwd()).database_url)
    store: StatusStore = open_store() if reader is None else reader
    try:
        results = stored.status(store, names, to_us(instant), parse=agreement_parse())
    finally:
        if isinstance(store, SqliteReader):
            store.close()
    if not results:
        note_empty()
    if output is Output.JSON:
        print_json([stored.status_data(r) for r in results])
        return
    print_status(results, cases)


def run_summary(name: str, data: Path | None, at: str | None, output: Output) -> None:
    """`attain summary`: from the store (read-only when it can), or from a Parquet file with `data`."""
    from attain.cli.console import print_json  # noqa: PLC0415
    from attain.services import summary as summaries  # noqa: PLC0415 - pyarrow loads only for --data
    from attain.services.summary_plan import cached_plans  # noqa: PLC0415
    from attain.storage.reader import SqliteReader  # noqa: PLC0415

    instant = parse_instant(at, "--at") or datetime.now(UTC).replace(second=0, microsecond=0)
    if data is not None:
        found = summaries.summarize_path(Path(name), data, to_us(instant))
    else:
        store = open_read_store()
        try:
            parse = agreement_parse()
            plans = cached_plans(agreement_cache_dir(os.environ, Path.home(), sys.platform), parse)
            found = summaries.summarize_stored(store, name, to_us(instant), parse=parse, plans=plans)
        finally:
            if isinstance(store, SqliteReader):
                store.close()
    rows = summaries.summary_data(found)
    if output is Output.JSON:
        print_json(rows)
        return
    print_summary(rows)


def print_summary(rows: list[dict[str, object]]) -> None:
    """The summary table: one row per objective, burn rates per window, the alert state coloured."""
    from rich.table import Table  # noqa: PLC0415

    from attain.cli.console import console  # noqa: PLC0415

    table = Table()
    for column in ("objective", "attained", "good / valid", "budget left", *WINDOW_LABELS, "alert"):
        table.add_column(column, justify="left" if column == "objective" else "right")
    for row in rows:
        ratio = row["ratio"]
        attained = "-" if ratio is None else format_ratio(Decimal(str(ratio)).quantize(Decimal("0.000001")))
        left = row["budgetRemaining"]
        remaining = "-" if left is None else format_number(Decimal(str(left)).quantize(Decimal("0.01")))
        rates = row["burnRates"]
        assert isinstance(rates, dict)
        burns = [_rate_text(rates.get(label)) for label in WINDOW_LABELS]
        style = {"page": "red", "ticket": "yellow"}.get(str(row["state"]), "green")
        counts = f"{row['good']:,} / {row['valid']:,}"
        table.add_row(str(row["objective"]), attained, counts, remaining, *burns, f"[{style}]{row['state']}[/{style}]")
    console().print(table)


def _rate_text(rate: object) -> str:
    if rate is None:
        return "-"
    return "∞" if rate == "inf" else format_number(Decimal(str(rate)).quantize(Decimal("0.01")))
