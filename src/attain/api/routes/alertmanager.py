"""Alertmanager's webhook receiver: the provider's alerts recorded as incidents, exactly once.

Alertmanager sends its webhook payload (version 4) here (`webhook_configs` with a bearer token of
a role that may push measurements); `attain.services.alertmanager` says how labels route each
alert and why a re-sent alert or a retried POST stores nothing twice.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request

from attain.api.deps import API_PREFIX, DataWriter
from attain.api.schemas.alertmanager import ReceivedAlertsOut, ReceivedOut, WebhookIn
from attain.engine.instant import iso_utc
from attain.http.deps import RuntimeDep, visible
from attain.services.alertmanager import receive_alerts

router = APIRouter(prefix=API_PREFIX, tags=["measurements"])


@router.post("/alertmanager", response_model=ReceivedAlertsOut)
def receive_alertmanager(
    body: WebhookIn, principal: DataWriter, runtime: RuntimeDep, request: Request
) -> ReceivedAlertsOut:
    """Record each alert as an incident of the agreement and objective its labels name."""

    def may_see(name: str) -> bool:
        try:
            visible(runtime, principal, name, request)
        except HTTPException:
            return False
        return True

    alerts = [a.model_dump(by_alias=True) for a in body.alerts]
    received = receive_alerts(runtime.store, alerts, may_see, runtime.now())
    return ReceivedAlertsOut(
        alerts=[
            ReceivedOut(
                index=r.index,
                agreement=r.agreement,
                stream=r.stream,
                incident=r.incident,
                start=iso_utc(r.start),
                end=None if r.end is None else iso_utc(r.end),
                action=r.action,  # type: ignore[arg-type]
            )
            for r in received
        ]
    )
