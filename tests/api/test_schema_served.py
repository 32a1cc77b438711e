"""schemathesis against a running `attain serve` (uvicorn on loopback), as an admin and as a customer.

The in-process run (`test_schema.py`) explores more examples; this one proves the same checks hold
over real HTTP: no 5xx, every answer fits the documented schema, schema-invalid requests refused.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from api_support import FOREIGN, NOW, OWN, agreement_text, attain_serve
from attain.formats.bundle import load_bundle_text
from attain.services.store import apply_bundle
from attain.services.tokens import issue_token
from attain.storage import SqlStore, connect, upgrade
from attain.storage.access import SqlAccess

EXAMPLES = int(os.environ.get("ATTAIN_SCHEMATHESIS_EXAMPLES", "8"))
"""Generated requests per operation and role over HTTP (`ATTAIN_SCHEMATHESIS_EXAMPLES` raises it for nightly runs)."""

PEPPER = "served schema pepper"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, SqlAccess]]:
    """`attain serve` over a SQLite file holding the shop and clinic agreements; its URL and the token store."""
    folder: Path = tmp_path_factory.mktemp("served-schema")
    engine = connect(f"sqlite:///{folder}/attain.db")
    upgrade(engine)
    store = SqlStore(engine)
    for name, customer in ((OWN, "Example Shop"), (FOREIGN, "Example Clinic")):
        apply_bundle(store, load_bundle_text(agreement_text(name, customer, service=f"{name}-web"), "a.yaml"), NOW)
    env = os.environ | {"ATTAIN_DATA_DIR": str(folder), "ATTAIN_TOKEN_PEPPER": PEPPER}
    env.pop("ATTAIN_DATABASE_URL", None)
    with attain_serve(folder, env) as (base, _token):
        yield base, SqlAccess(engine, PEPPER.encode())
    engine.dispose()


@pytest.mark.parametrize(("role", "party"), [("admin", None), ("customer", "Example Shop")])
def test_generated_requests_over_http_pass_every_check(
    served: tuple[str, SqlAccess], role: str, party: str | None
) -> None:
    """Every operation, over HTTP, with schemathesis's checks: no server error, answers that fit the schema."""
    base, access = served
    loaded = schemathesis.openapi.from_url(f"{base}/api/v1/openapi.json")
    operations = [result.ok() for result in loaded.get_all_operations()]
    assert len(operations) >= 42
    excluded = [schemathesis.checks.positive_data_acceptance]
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case: schemathesis.Case) -> None:
            secret = issue_token(access, role, party, "schemathesis", NOW, None).secret
            case.call_and_validate(headers={"Authorization": f"Bearer {secret}"}, excluded_checks=excluded)

        check()
