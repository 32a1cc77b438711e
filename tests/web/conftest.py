"""The demo store the dashboard tests read, built once per session at a fixed instant."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from attain.server import create_server
from attain.services.demo import run_demo
from attain.services.runtime import Runtime, create_runtime
from attain.services.tokens import issue_token
from attain.settings import Settings
from attain.storage import SqlStore, connect, upgrade

FIXED = int(datetime(2026, 11, 27, 10, 0, tzinfo=UTC).timestamp()) * 1_000_000
"""The instant the demo is built at and the dashboard is viewed at: 2026-11-27 10:00 UTC."""
CUSTOMER = "Example Retail AG"
"""The customer party of the demo agreement cloud-uptime."""
OTHER_CUSTOMER = "Golden Lotus Trading Co., Ltd."
"""The customer party of the demo agreement support-desk."""
DEMO_AGREEMENTS = ["ambulance-response", "api-latency", "cloud-backup", "cloud-uptime", "support-desk"]


def build_demo(url: str, directory: Path) -> None:
    """Load the demo agreements and their measurements into the database at `url`."""
    engine = connect(url)
    upgrade(engine)
    run_demo(SqlStore(engine), directory, FIXED, lambda _step: None)
    engine.dispose()


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file holding the demo, built once; copy it before writing to it."""
    directory = tmp_path_factory.mktemp("demo")
    build_demo(f"sqlite:///{directory}/demo.db", directory)
    return directory / "demo.db"


@pytest.fixture(scope="module")
def runtime(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Runtime:
    """A runtime over a copy of the demo store whose clock stands still at `FIXED`."""
    directory = tmp_path_factory.mktemp("runtime")
    shutil.copy(demo_db, directory / "a.db")
    return create_runtime(Settings(f"sqlite:///{directory}/a.db", directory), clock=lambda: FIXED)


@pytest.fixture(scope="module")
def tokens(runtime: Runtime) -> dict[str, str]:
    """Secrets of an admin, a viewer and two customers' tokens."""
    return {
        "admin": issue_token(runtime.access, "admin", None, "admin", FIXED, None).secret,
        "viewer": issue_token(runtime.access, "viewer", None, "viewer", FIXED, None).secret,
        "customer": issue_token(runtime.access, "customer", CUSTOMER, "retail", FIXED, None).secret,
        "other": issue_token(runtime.access, "customer", OTHER_CUSTOMER, "lotus", FIXED, None).secret,
    }


@pytest.fixture
def client(runtime: Runtime) -> Iterator[TestClient]:
    """A client of the app over the demo runtime, signed out."""
    with TestClient(create_server(runtime=runtime)) as test_client:
        yield test_client
