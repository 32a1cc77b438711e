"""Periodic reports as downloads: HTML, PDF or JSON, in English or Chinese."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from attain.api.deps import API_PREFIX, ReadableAgreement
from attain.http.deps import RuntimeDep
from attain.http.params import PeriodLabel

router = APIRouter(prefix=f"{API_PREFIX}/agreements", tags=["reports"])

REPORT_TYPES = {"html": "text/html; charset=utf-8", "pdf": "application/pdf", "json": "application/json"}


@router.get(
    "/{name}/reports/{period}",
    response_class=Response,
    responses={200: {"content": {t.split(";")[0]: {} for t in REPORT_TYPES.values()}}},
)
def get_report(
    version: ReadableAgreement,
    period: PeriodLabel,
    runtime: RuntimeDep,
    lang: Annotated[Literal["en", "zh-CN"], Query()] = "en",
    format_: Annotated[Literal["html", "pdf", "json"], Query(alias="format")] = "html",
) -> Response:
    """The report of one period: attainment, budget, charts, what consumed it, credits, rights."""
    from attain.reports.document import Format  # noqa: PLC0415
    from attain.reports.period import period_report  # noqa: PLC0415
    from attain.reports.period_view import render_report  # noqa: PLC0415
    from attain.services import documents as inputs  # noqa: PLC0415 - document libraries load on use

    source = inputs.source_from_store(runtime.store, version.name, period, runtime.memo_view())
    body = render_report(period_report(source, period, at=runtime.now()), lang, Format(format_))
    disposition = f'inline; filename="{version.name}-{period}.{format_}"'
    return Response(body, media_type=REPORT_TYPES[format_], headers={"content-disposition": disposition})
