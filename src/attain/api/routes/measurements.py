"""Measurements pushed over HTTP, exactly once under the sender's `Idempotency-Key`.

The first request with a key is stored with its response; a replay (same key, same agreement and
kind) gets that response again, marked `Idempotent-Replayed: true`, and changes nothing. The same key
with a different body is refused with 409, since it cannot be both.
"""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Literal

from fastapi import APIRouter, Header, HTTPException
from fastapi.responses import JSONResponse

from attain.api.deps import API_PREFIX, DataWriter
from attain.api.schemas.measurements import PushedOut, PushIn
from attain.http.deps import RuntimeDep, visible
from attain.services.push import push_rows
from attain.storage.access import Remembered

router = APIRouter(prefix=f"{API_PREFIX}/agreements", tags=["measurements"])

Kind = Literal["events", "incidents", "cases", "counts", "announcements"]
IdempotencyKey = Annotated[
    str,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=100,
        pattern=r"^[\x21-\x7e]+$",
        description="Chosen by the sender, unique per batch: a retry with the same key stores nothing twice.",
    ),
]


@router.post("/{name}/{kind}", status_code=201, response_model=PushedOut)
def push_measurements(
    name: str, kind: Kind, body: PushIn, key: IdempotencyKey, principal: DataWriter, runtime: RuntimeDep
) -> JSONResponse:
    """Store rows of one kind for a stream or objective as one batch, exactly once."""
    visible(runtime, principal, name)
    scope = f"push:{name}:{kind}"
    fingerprint = hashlib.sha256(json.dumps(body.model_dump(mode="json"), sort_keys=True).encode()).hexdigest()
    remembered = runtime.access.recall(scope, key)
    if remembered is None:
        target = {"stream": body.stream, "objective": body.objective}
        pushed = push_rows(runtime.store, name, kind, target, body.rows, key, runtime.now())
        answer = PushedOut(**vars(pushed)).model_dump_json()
        remembered = runtime.access.remember(scope, key, Remembered(fingerprint, 201, answer), runtime.now())
        replayed = remembered.body != answer
    else:
        replayed = True
    if remembered.fingerprint != fingerprint:
        raise HTTPException(409, f"Idempotency-Key {key!r} was used for a different request; use a new key")
    headers = {"Idempotent-Replayed": "true"} if replayed else {}
    return JSONResponse(json.loads(remembered.body), status_code=remembered.status, headers=headers)
