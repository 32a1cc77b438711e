"""Request logging: one structlog line per request through the real ASGI app, its fields, and no secret in it."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api_support import NOW, agreement_text
from attain.errors import InvalidInput
from attain.formats.bundle import load_bundle_text
from attain.http.request_log import LOGGER_NAME, check_log_settings
from attain.server import create_server
from attain.services.runtime import create_runtime
from attain.services.store import apply_bundle
from attain.services.tokens import issue_token
from attain.settings import Settings


class Lines(logging.Handler):
    """Keeps the message of every record handed to the `attain.http` logger."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        """Keep the rendered line."""
        self.lines.append(record.getMessage())


@pytest.fixture
def lines() -> Iterator[Lines]:
    """The lines logged to `attain.http` during the test (the logger opened to every level meanwhile)."""
    logger = logging.getLogger(LOGGER_NAME)
    handler, level = Lines(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    yield handler
    logger.removeHandler(handler)
    logger.setLevel(level)


def served(tmp_path: Path, **log: str) -> tuple[TestClient, str]:
    """A server (the API and the dashboard) holding agreement `shop`, with the given log settings, and a viewer token."""
    runtime = create_runtime(Settings(f"sqlite:///{tmp_path}/attain.db", tmp_path, **log), clock=lambda: NOW)
    apply_bundle(runtime.store, load_bundle_text(agreement_text("shop", "Example Shop"), "shop.yaml"), NOW)
    secret = issue_token(runtime.access, "viewer", None, "test", NOW, None).secret
    return TestClient(create_server(runtime=runtime)), secret


def test_a_request_is_one_json_line_with_its_fields_and_no_secret(tmp_path: Path, lines: Lines) -> None:
    """A GET with the token in the header, a cookie and the query string logs method, path, status, time, client only."""
    client, secret = served(tmp_path, log_format="json")
    response = client.get(
        f"/api/v1/agreements/shop?lang=en&token={secret}",
        headers={"Authorization": f"Bearer {secret}", "Cookie": f"attain_session={secret}"},
    )
    assert response.status_code == 200
    [line] = lines.lines
    assert secret not in line
    assert secret[:12] not in line  # not even the stored prefix
    assert "Bearer" not in line
    assert "token=" not in line
    logged = json.loads(line)
    assert set(logged) == {"event", "method", "path", "status", "duration_ms", "client", "level", "timestamp"}
    assert (logged["event"], logged["level"]) == ("request", "info")
    assert (logged["method"], logged["path"], logged["status"]) == ("GET", "/api/v1/agreements/shop", 200)
    assert logged["client"] == "testclient"  # the peer address Starlette's TestClient gives
    assert isinstance(logged["duration_ms"], float)
    assert logged["duration_ms"] >= 0
    assert logged["timestamp"].endswith("Z")


def test_each_request_is_one_console_line_also_refused_and_dashboard_ones(tmp_path: Path, lines: Lines) -> None:
    """Console format: `key=value` text, one line per request, the API's 401 and a dashboard page alike."""
    client, secret = served(tmp_path)
    client.get("/api/v1/agreements", headers={"Authorization": "Bearer attain_not-a-real-token"})
    client.get("/login")
    assert len(lines.lines) == 2
    refused, page = lines.lines
    assert "[info     ] request" in refused
    assert "method=GET path=/api/v1/agreements status=401" in refused
    assert "client=testclient" in refused
    assert "attain_not-a-real-token" not in refused
    assert "method=GET path=/login status=200" in page
    assert secret not in "".join(lines.lines)


def test_the_level_setting_leaves_out_lines_below_it(tmp_path: Path, lines: Lines) -> None:
    """At `warning`, an answered request (info) is not logged; a request answered 500 is, as an error."""
    client, secret = served(tmp_path, log_level="warning", log_format="json")
    assert client.get("/api/v1/agreements", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    assert lines.lines == []

    def broken() -> None:
        raise RuntimeError("a bug")

    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    runtime.store.agreements = broken
    failing = TestClient(client.app, raise_server_exceptions=False)
    assert failing.get("/api/v1/agreements", headers={"Authorization": f"Bearer {secret}"}).status_code == 500
    [line] = lines.lines
    assert (json.loads(line)["level"], json.loads(line)["status"]) == ("error", 500)


@pytest.mark.parametrize(
    ("log", "expected"),
    [
        ({"log_level": "loud"}, "ATTAIN_LOG_LEVEL: unknown value 'loud'; use one of debug, info, warning, error"),
        ({"log_format": "xml"}, "ATTAIN_LOG_FORMAT: unknown value 'xml'; use one of console, json"),
    ],
)
def test_an_unknown_level_or_format_is_refused_naming_the_valid_ones(log: dict[str, str], expected: str) -> None:
    """A wrong ATTAIN_LOG_LEVEL or ATTAIN_LOG_FORMAT stops the server before it starts, saying what would do."""
    with pytest.raises(InvalidInput) as raised:
        check_log_settings(Settings("sqlite://", Path(), **log))
    [problem] = raised.value.problems
    assert f"{problem.path}: {problem.message}; {problem.hint}" == expected


def test_the_settings_read_the_log_variables() -> None:
    """ATTAIN_LOG_LEVEL and ATTAIN_LOG_FORMAT are read lower-cased; unset, they are info and console."""
    cwd = Path("/srv/attain")
    assert (Settings.from_environ({}, cwd).log_level, Settings.from_environ({}, cwd).log_format) == ("info", "console")
    chosen = Settings.from_environ({"ATTAIN_LOG_LEVEL": "WARNING", "ATTAIN_LOG_FORMAT": "Json"}, cwd)
    assert (chosen.log_level, chosen.log_format) == ("warning", "json")
