"""The dashboard's pages: the overview, an agreement, and its documents as downloads.

Every page needs a signed-in viewer (`PageReader`); a customer sees only its own agreements, and a
foreign or unknown agreement answers 404 alike. The downloads are the API's documents, served
here too because a browser follows links with the login cookie, which the API does not read.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Path, Query, Request, Response

from attain.http.deps import RuntimeDep, visible
from attain.http.params import AgreementName, PeriodLabel
from attain.ports import AgreementVersion
from attain.services.tokens import Principal
from attain.web.agreement import agreement_page
from attain.web.dealings import dealings_page
from attain.web.deps import PageReader
from attain.web.drill import drill_page, parse_minute
from attain.web.language import Words
from attain.web.notifications import notification_section
from attain.web.overview import (
    SORT_KEYS,
    STATUS_ORDER,
    agreement_credits,
    filter_rows,
    objective_rows,
    sort_rows,
    status_summary,
    visible_agreements,
)
from attain.web.render import DOWNLOAD_POLICY, page, words_for

router = APIRouter(include_in_schema=False)

DOCUMENT_TYPES = {"html": "text/html; charset=utf-8", "pdf": "application/pdf", "json": "application/json"}
Filter = Annotated[str, Query(max_length=200)]
Language = Annotated[Literal["en", "zh-CN"] | None, Query()]


def viewer(words: Words, principal: Principal) -> str:
    """Who is signed in, and the role, in words."""
    role = words(f"role.{principal.role.value}")
    token = f"#{principal.token_id}"
    if principal.party:
        return words("signed_in.party", token=token, role=role, party=principal.party)
    return words("signed_in", token=token, role=role)


def _found(request: Request, runtime: RuntimeDep, principal: Principal, name: str) -> AgreementVersion | Response:
    """The agreement if the viewer may see it, else the not-found page (404, for unknown and foreign alike)."""
    try:
        return visible(runtime, principal, name)
    except HTTPException:
        words = words_for(request)
        return page(request, "not_found.html", {"name": name, "viewer": viewer(words, principal)}, 404)


@router.get("/")
def overview(
    request: Request,
    principal: PageReader,
    runtime: RuntimeDep,
    service: Filter = "",
    customer: Filter = "",
    status: Filter = "",
    sort: Filter = "agreement",
) -> Response:
    """Every objective of every agreement the viewer may see, filtered and sorted."""
    words = words_for(request)
    rows = [row for name in visible_agreements(runtime, principal) for row in objective_rows(runtime, name, words)]
    shown = sort_rows(
        filter_rows(rows, service, customer, status), sort if sort.removeprefix("-") in SORT_KEYS else "agreement"
    )
    listed = sorted({r.agreement for r in shown})
    context: dict[str, Any] = {
        "viewer": viewer(words, principal),
        "rows": shown,
        "credits": [line for name in listed for line in agreement_credits(runtime, name, words)],
        "agreements": len(listed),
        "services": sorted({s.strip() for r in rows for s in r.service.split(",") if s.strip()}),
        "customers": sorted({r.customer for r in rows}),
        "statuses": [s for s in STATUS_ORDER if any(r.status == s for r in rows)],
        "chosen": {"service": service, "customer": customer, "status": status, "sort": sort},
        "sort_keys": SORT_KEYS,
        "summary": status_summary(rows),
    }
    return page(request, "overview.html", context)


@router.get("/agreements/{name}")
def agreement(
    request: Request,
    name: AgreementName,
    principal: PageReader,
    runtime: RuntimeDep,
    range_: Annotated[str, Query(alias="range", max_length=20)] = "",
    period: Filter = "",
    from_: Annotated[str, Query(alias="from", max_length=20)] = "",
    to: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """One agreement over the chosen range: objectives with charts, burn rates, what consumed the budget, credits."""
    found = _found(request, runtime, principal, name)
    if isinstance(found, Response):
        return found
    words = words_for(request)
    context = {
        "viewer": viewer(words, principal),
        "a": agreement_page(runtime, found, words, (range_, period, from_, to)),
        "notices": notification_section(runtime, found.name, principal, words),
    }
    return page(request, "agreement.html", context)


@router.get("/agreements/{name}/objectives/{objective}")
def measurements(
    request: Request,
    name: AgreementName,
    objective: Annotated[str, Path(max_length=200)],
    principal: PageReader,
    runtime: RuntimeDep,
    minute: Annotated[str, Query(max_length=20)] = "",
    case: Filter = "",
) -> Response:
    """The measurements behind a bad minute (`?minute=` local time) or a breached case (`?case=`) of an objective."""
    found = _found(request, runtime, principal, name)
    if isinstance(found, Response):
        return found
    words = words_for(request)
    agreement = runtime.status(found.name).agreement
    chosen = next((o for o in agreement.objectives if o.name == objective), None)
    if chosen is None:
        return page(request, "not_found.html", {"name": f"{name}/{objective}", "viewer": viewer(words, principal)}, 404)
    at = parse_minute(minute, agreement.spec.time_zone)
    drilled = drill_page(runtime, agreement, chosen, at, case, words)
    return page(request, "drill.html", {"viewer": viewer(words, principal), "d": drilled, "minute": minute})


@router.get("/agreements/{name}/dealings")
def dealings(request: Request, name: AgreementName, principal: PageReader, runtime: RuntimeDep) -> Response:
    """The agreement's versions and how each came about, its proposals, the credits it owes."""
    found = _found(request, runtime, principal, name)
    if isinstance(found, Response):
        return found
    words = words_for(request)
    title = runtime.status(found.name).agreement.spec.title
    context = {"viewer": viewer(words, principal), "d": dealings_page(runtime, found.name, title, words)}
    return page(request, "dealings.html", context)


@router.get("/agreements/{name}/contract")
def contract(
    request: Request,
    name: AgreementName,
    principal: PageReader,
    runtime: RuntimeDep,
    format_: Annotated[Literal["html", "pdf"], Query(alias="format")] = "html",
    lang: Language = None,
) -> Response:
    """The contract document of the agreement, as HTML or PDF."""
    from attain.reports.contract import render_contract  # noqa: PLC0415 - document libraries load on use
    from attain.reports.document import Format  # noqa: PLC0415

    found = _found(request, runtime, principal, name)
    if isinstance(found, Response):
        return found
    body = render_contract(runtime.agreement(found), lang or words_for(request).code, Format(format_))
    return _download(body, f"{found.name}.contract.{format_}", format_)


@router.get("/agreements/{name}/reports/{period}")
def report(
    request: Request,
    name: AgreementName,
    period: PeriodLabel,
    principal: PageReader,
    runtime: RuntimeDep,
    format_: Annotated[Literal["html", "pdf", "json"], Query(alias="format")] = "html",
    lang: Language = None,
) -> Response:
    """The report of one period, as HTML, PDF or JSON."""
    from attain.reports.document import Format  # noqa: PLC0415
    from attain.reports.period import period_report  # noqa: PLC0415
    from attain.reports.period_view import render_report  # noqa: PLC0415
    from attain.services import documents as inputs  # noqa: PLC0415 - document libraries load on use

    found = _found(request, runtime, principal, name)
    if isinstance(found, Response):
        return found
    source = inputs.source_from_store(runtime.store, found.name, period, runtime.memo_view())
    made = period_report(source, period, at=runtime.now())
    body = render_report(made, lang or words_for(request).code, Format(format_))
    return _download(body, f"{found.name}-{period}.{format_}", format_)


def _download(body: bytes, filename: str, format_: str) -> Response:
    """A document shown inline, under a policy that lets it run and load nothing."""
    headers = {
        "content-disposition": f'inline; filename="{filename}"',
        "content-security-policy": DOWNLOAD_POLICY,
        "x-content-type-options": "nosniff",
    }
    return Response(body, media_type=DOCUMENT_TYPES[format_], headers=headers)
