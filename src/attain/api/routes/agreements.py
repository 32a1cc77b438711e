"""Agreements: list, read, create from YAML, versions, and the contract document."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Path, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from attain.api.deps import API_PREFIX, AgreementWriter, ReadableAgreement, Reader
from attain.api.schemas.agreements import AgreementDocumentOut, AgreementOut, AppliedOut, VersionOut
from attain.api.views import agreement_document_out, agreement_out, version_out
from attain.errors import InvalidInput, Problem
from attain.http.deps import RuntimeDep
from attain.services.store import apply_text

router = APIRouter(prefix=f"{API_PREFIX}/agreements", tags=["agreements"])

YAML_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/yaml": {"schema": {"type": "string", "description": "attain/v1 or OpenSLO YAML."}}},
    }
}
VersionNumber = Annotated[int, Path(ge=1, le=2**31 - 1, description="The version, counted from 1.")]
Language = Annotated[Literal["en", "zh-CN"], Query(description="The document's language.")]
DOCUMENT_TYPES = {"html": "text/html; charset=utf-8", "pdf": "application/pdf", "md": "text/markdown; charset=utf-8"}


@router.get("", response_model=list[AgreementOut])
def list_agreements(principal: Reader, runtime: RuntimeDep) -> list[AgreementOut]:
    """Every agreement the token may see, by name (a customer sees only its own)."""
    shown = [v for v in runtime.store.agreements() if principal.sees(runtime.customer(v))]
    return [agreement_out(runtime, v) for v in shown]


@router.post("", status_code=201, response_model=list[AppliedOut], openapi_extra=YAML_BODY)
async def create_agreement(request: Request, _principal: AgreementWriter, runtime: RuntimeDep) -> list[AppliedOut]:
    """Store the agreements in a YAML document: a changed one as a new version; all or nothing."""
    raw = await request.body()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput([Problem("<request>", None, None, "body", "not UTF-8 text", "send YAML as UTF-8")]) from None
    applied = await run_in_threadpool(apply_text, runtime.store, text, "<request>", runtime.now())
    return [AppliedOut(name=a.version.name, version=a.version.version, created=a.created) for a in applied]


@router.get("/{name}", response_model=AgreementDocumentOut)
def get_agreement(version: ReadableAgreement, runtime: RuntimeDep) -> AgreementDocumentOut:
    """The agreement's latest version and its canonical document."""
    return agreement_document_out(runtime, version)


@router.get("/{name}/versions", response_model=list[VersionOut])
def list_versions(version: ReadableAgreement, runtime: RuntimeDep) -> list[VersionOut]:
    """Every version, oldest first, with the dates each is in force."""
    return [version_out(v) for v in runtime.store.versions(version.name)]


@router.get("/{name}/versions/{number}", response_model=AgreementDocumentOut)
def get_version(version: ReadableAgreement, number: VersionNumber, runtime: RuntimeDep) -> AgreementDocumentOut:
    """One version and its document."""
    found = next((v for v in runtime.store.versions(version.name) if v.version == number), None)
    if found is None:
        raise HTTPException(404, f"agreement {version.name!r} has no version {number}")
    return agreement_document_out(runtime, found)


@router.get(
    "/{name}/contract",
    response_class=Response,
    responses={200: {"content": {t.split(";")[0]: {} for t in DOCUMENT_TYPES.values()}}},
)
def get_contract(
    version: ReadableAgreement,
    runtime: RuntimeDep,
    lang: Language = "en",
    format_: Annotated[Literal["html", "pdf", "md"], Query(alias="format")] = "html",
) -> Response:
    """The agreement as a contract document (HTML, PDF or Markdown), in English or Chinese."""
    from attain.reports.contract import render_contract  # noqa: PLC0415 - document libraries load on use
    from attain.reports.document import Format  # noqa: PLC0415

    body = render_contract(runtime.agreement(version), lang, Format(format_))
    return Response(body, media_type=DOCUMENT_TYPES[format_], headers=_download(version.name, "contract", format_))


def _download(name: str, what: str, extension: str) -> dict[str, str]:
    return {"content-disposition": f'inline; filename="{name}-{what}.{extension}"'}
