"""API tokens: shown once, stored as a hash, with roles, parties, expiry and revocation."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from api_support import NOW, PEPPER, Api, agreement_text
from attain.errors import InvalidInput
from attain.services.tokens import authenticate, issue_token
from attain.storage import schema
from cli_support import Cli


def test_a_secret_is_random_prefixed_and_stored_only_as_its_hash(api: Api) -> None:
    """The secret is attain_ plus 43 URL-safe characters; the database holds its HMAC under the pepper and a prefix."""
    issued = issue_token(api.runtime.access, "viewer", None, "ops", NOW, None)
    assert re.fullmatch(r"attain_[A-Za-z0-9_-]{43}", issued.secret)
    engine = api.runtime.store._engine
    with engine.connect() as conn:
        rows = [tuple(r) for r in conn.execute(select(schema.tokens)).all()]
    assert not any(issued.secret in str(value) for row in rows for value in row)
    [row] = [r for r in rows if r[0] == issued.stored.id]
    keyed = hmac.new(PEPPER, issued.secret.encode(), hashlib.sha256).hexdigest()
    assert row[1:3] == (issued.secret[:12], keyed)


def test_expired_and_revoked_tokens_stop_working(api: Api) -> None:
    """A token works until its expiry (exclusive) and not after revocation."""
    access = api.runtime.access
    issued = issue_token(access, "viewer", None, "short", NOW, NOW + 60_000_000)
    assert authenticate(access, issued.secret, NOW + 59_999_999) is not None
    assert authenticate(access, issued.secret, NOW + 60_000_000) is None
    access.revoke_token(issued.stored.id, NOW + 1)
    assert authenticate(access, issued.secret, NOW + 2) is None


@pytest.mark.parametrize(
    ("role", "party", "field"),
    [("customer", None, "party"), ("viewer", "Example Shop", "party"), ("root", None, "role")],
)
def test_a_token_must_fit_its_role(api: Api, role: str, party: str | None, field: str) -> None:
    """A customer token needs a party, other roles take none, and the role must be known."""
    with pytest.raises(InvalidInput) as caught:
        issue_token(api.runtime.access, role, party, "x", NOW, None)
    assert caught.value.problems[0].path == field


def test_admins_manage_tokens_over_the_api(api: Api) -> None:
    """Create shows the secret once; list never does; revoke stops it at once."""
    admin = api.as_("admin")
    created = api.client.post("/api/v1/tokens", json={"role": "customer", "party": "Example Shop"}, headers=admin)
    assert created.status_code == 201
    secret = created.json()["token"]
    listed = api.client.get("/api/v1/tokens", headers=admin).json()
    assert secret not in json.dumps(listed)
    assert [t["role"] for t in listed] == ["admin", "editor", "viewer", "customer", "customer"]
    assert api.client.get("/api/v1/agreements", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    revoked = api.client.delete(f"/api/v1/tokens/{created.json()['id']}", headers=admin)
    assert revoked.json()["revokedAt"] == "2026-11-15T12:00:30Z"
    assert api.client.get("/api/v1/agreements", headers={"Authorization": f"Bearer {secret}"}).status_code == 401


def test_the_cli_creates_lists_and_revokes(attain: Cli) -> None:
    """`attain token create -o json` prints the secret once; `list` shows the prefix; `revoke` ends it."""
    created = json.loads(attain.out("token", "create", "--role", "customer", "--party", "Example Shop", "-o", "json"))
    assert (created["id"], created["role"], created["party"]) == (1, "customer", "Example Shop")
    [listed] = json.loads(attain.out("token", "list", "-o", "json"))
    assert listed["prefix"] == created["token"][:12]
    assert "token" not in listed
    assert attain.out("token", "revoke", "1").strip() == "token 1 revoked"
    assert json.loads(attain.out("token", "list", "-o", "json"))[0]["revokedAt"] is not None


ANOTHER = "set ATTAIN_DATA_DIR or ATTAIN_DATABASE_URL to use another"


def test_token_create_warns_of_a_party_no_stored_agreement_has(attain: Cli, tmp_path: Path) -> None:
    """A customer token for a party no agreement names is still created (exit 0), with a warning listing the customers."""
    for name, customer in (("shop", "Example Shop"), ("clinic", "Example Clinic")):
        path = tmp_path / f"{name}.yaml"
        path.write_text(agreement_text(name, customer, service=f"{name}-web"), encoding="utf-8")
        attain.out("apply", path)
    typo = attain("token", "create", "--role", "customer", "--party", "Example Shopp", "-o", "json")
    assert typo.returncode == 0
    assert json.loads(typo.stdout)["party"] == "Example Shopp"
    assert typo.stderr == (
        "warning: no stored agreement has the customer party 'Example Shopp', so the token sees nothing yet\n"
        "  customer parties of the stored agreements: 'Example Clinic', 'Example Shop'\n"
    )
    right = attain("token", "create", "--role", "customer", "--party", "Example Shop")
    assert (right.returncode, right.stderr) == (0, "")


def test_token_commands_say_which_store_when_it_is_new_or_empty(attain: Cli) -> None:
    """Like `attain status`, the first token command names the store it created, and every one says it is empty."""
    url = f"sqlite:///{attain.data_dir}/attain.db"
    empty = f"no agreements in the store at {url} ({ANOTHER}; `attain apply FILE` stores one)\n"
    created = attain("token", "create", "--role", "viewer", "-o", "json")
    assert created.returncode == 0
    assert created.stderr == f"created a new store at {url} ({ANOTHER})\n" + empty
    listed = attain("token", "list", "-o", "json")
    assert (listed.returncode, listed.stderr) == (0, empty)
    assert [t["role"] for t in json.loads(listed.stdout)] == ["viewer"]
    revoked = attain("token", "revoke", "1")
    assert (revoked.returncode, revoked.stdout, revoked.stderr) == (0, "token 1 revoked\n", empty)
    customer = attain("token", "create", "--role", "customer", "--party", "Example Shop")
    assert customer.stderr == empty + (
        "warning: no stored agreement has the customer party 'Example Shop', so the token sees nothing yet\n"
        "  customer parties of the stored agreements: none, the store holds no agreement\n"
    )
