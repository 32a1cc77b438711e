"""API tokens: create (the secret is shown once), list, revoke. Admin only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path

from attain.api.deps import API_PREFIX, Admin
from attain.api.schemas.tokens import IssuedOut, TokenIn, TokenOut
from attain.api.views import token_out
from attain.engine.instant import to_us
from attain.http.deps import RuntimeDep
from attain.services.tokens import issue_token

TokenId = Annotated[int, Path(ge=1, le=2**53, description="The token's id.")]

router = APIRouter(prefix=f"{API_PREFIX}/tokens", tags=["tokens"])


@router.get("", response_model=list[TokenOut])
def list_tokens(_admin: Admin, runtime: RuntimeDep) -> list[TokenOut]:
    """Every token, oldest first, without secrets."""
    return [token_out(t) for t in runtime.access.tokens()]


@router.post("", status_code=201, response_model=IssuedOut)
def create_token(body: TokenIn, _admin: Admin, runtime: RuntimeDep) -> IssuedOut:
    """Create a token; its secret is in this response only."""
    expires = None if body.expires_at is None else to_us(body.expires_at)
    issued = issue_token(runtime.access, body.role, body.party, body.label, runtime.now(), expires)
    return IssuedOut(**token_out(issued.stored).model_dump(), token=issued.secret)


@router.delete("/{token_id}", response_model=TokenOut)
def revoke_token(token_id: TokenId, _admin: Admin, runtime: RuntimeDep) -> TokenOut:
    """Revoke a token: it stops working at once."""
    revoked = runtime.access.revoke_token(token_id, runtime.now())
    if revoked is None:
        raise HTTPException(404, f"no token {token_id}")
    return token_out(revoked)
