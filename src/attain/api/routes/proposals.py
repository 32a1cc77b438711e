"""Proposals: one party proposes a new version, the other accepts or rejects it, the author may withdraw it.

A customer token acts for its customer party on its own agreements; an editor or admin token acts
for the provider. An admin may record the customer's decision with `onBehalf` (how the customer
decided), which the decision and the audit trail keep. Refusals (the author deciding, the wrong
party, a date inside the notice) answer 422 with the problem and the earliest allowed date.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from starlette.concurrency import run_in_threadpool

from attain.api.deps import API_PREFIX, NegotiableAgreement, ReadableAgreement, party_caller
from attain.api.routes.agreements import YAML_BODY
from attain.api.schemas.proposals import DecisionIn, ProposalOut
from attain.errors import InvalidInput, Problem
from attain.formats.bundle import load_bundle_text
from attain.http.deps import RuntimeDep
from attain.model import Agreement
from attain.reports.locale import Locale
from attain.services import proposals
from attain.services.runtime import Runtime
from attain.storage.proposal import Proposal, SqlProposals

router = APIRouter(prefix=f"{API_PREFIX}/agreements", tags=["proposals"])

ProposalNumber = Annotated[int, Path(ge=1, le=2**31 - 1, description="The proposal's number, from 1 per agreement.")]


def _out(runtime: Runtime, proposal: Proposal) -> ProposalOut:
    changes = proposals.open_changes(runtime.store, proposal, Locale.of("en"))
    return ProposalOut.model_validate({**proposals.proposal_data(proposal), "changes": changes})


@router.get("/{name}/proposals", response_model=list[ProposalOut])
def list_proposals(version: ReadableAgreement, runtime: RuntimeDep) -> list[ProposalOut]:
    """The agreement's proposals, by number: open ones with their changes against the version in force."""
    return [_out(runtime, p) for p in SqlProposals(runtime.engine).proposals(version.name)]


@router.post("/{name}/proposals", status_code=201, response_model=ProposalOut, openapi_extra=YAML_BODY)
async def create_proposal(
    request: Request,
    negotiation: NegotiableAgreement,
    runtime: RuntimeDep,
    effective: Annotated[date | None, Query(description="Take effect on this date; default: the document's.")] = None,
    note: Annotated[str, Query(max_length=2000, description="Why, in a sentence.")] = "",
    waive_notice: Annotated[bool, Query(alias="waiveNotice", description="Ask to waive the notice.")] = False,
) -> ProposalOut:
    """Propose a new version of the agreement (the whole `attain/v1` document as YAML); nothing is judged yet."""
    try:
        text = (await request.body()).decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput([Problem("<request>", None, None, "body", "not UTF-8 text", "send YAML as UTF-8")]) from None
    bundle = load_bundle_text(text, "<request>")
    if bundle.problems:
        raise InvalidInput(bundle.problems)
    agreement = _the_agreement(bundle.agreements, negotiation.version.name)
    caller = party_caller(negotiation, None)
    made = await run_in_threadpool(
        proposals.propose,
        runtime.store,
        SqlProposals(runtime.engine),
        agreement,
        caller,
        runtime.now(),
        effective=effective,
        note=note,
        waive_notice=waive_notice,
    )
    return _out(runtime, made)


def _the_agreement(agreements: list[Agreement], name: str) -> Agreement:
    if len(agreements) != 1 or agreements[0].name != name:
        found = ", ".join(a.name for a in agreements) or "none"
        problem = f"a proposal for {name!r} holds exactly that agreement (found: {found})"
        raise InvalidInput(
            [Problem("<request>", None, None, "metadata.name", problem, f"send one agreement named {name}")]
        )
    return agreements[0]


@router.post("/{name}/proposals/{number}/accept", response_model=ProposalOut)
async def accept_proposal(
    number: ProposalNumber, negotiation: NegotiableAgreement, runtime: RuntimeDep, body: DecisionIn | None = None
) -> ProposalOut:
    """Accept a proposal of the other party: it becomes the next version, in force from its date."""
    caller = party_caller(negotiation, body.on_behalf if body else None)
    kept = SqlProposals(runtime.engine)
    name = negotiation.version.name
    await run_in_threadpool(proposals.accept, runtime.store, kept, name, number, caller, runtime.now())
    return _out(runtime, proposals.find(kept, name, number))


@router.post("/{name}/proposals/{number}/reject", response_model=ProposalOut)
async def reject_proposal(
    number: ProposalNumber, body: DecisionIn, negotiation: NegotiableAgreement, runtime: RuntimeDep
) -> ProposalOut:
    """Reject a proposal of the other party, with a reason."""
    caller = party_caller(negotiation, body.on_behalf)
    kept = SqlProposals(runtime.engine)
    done = proposals.reject(kept, negotiation.version.name, number, caller, runtime.now(), body.reason or "")
    return _out(runtime, done)


@router.post("/{name}/proposals/{number}/withdraw", response_model=ProposalOut)
async def withdraw_proposal(
    number: ProposalNumber, negotiation: NegotiableAgreement, runtime: RuntimeDep, body: DecisionIn | None = None
) -> ProposalOut:
    """Withdraw a proposal of the caller's own party."""
    caller = party_caller(negotiation, body.on_behalf if body else None)
    done = proposals.withdraw(SqlProposals(runtime.engine), negotiation.version.name, number, caller, runtime.now())
    return _out(runtime, done)


VersionNumber = Annotated[
    int, Path(ge=1, le=2**31 - 1, description="The version the proposal offers: the next after the latest stored.")
]


def _proposal_of(runtime: RuntimeDep, negotiation: NegotiableAgreement, version: int) -> int:
    """The number of the proposal that offers `version` (see `services.proposals.by_version`)."""
    return proposals.by_version(runtime.store, SqlProposals(runtime.engine), negotiation.version.name, version)


@router.post("/{name}/versions/{number}/accept", response_model=ProposalOut)
async def accept_version(
    number: VersionNumber, negotiation: NegotiableAgreement, runtime: RuntimeDep, body: DecisionIn | None = None
) -> ProposalOut:
    """Accept the proposed version `number` (the open proposal offering the next version)."""
    return await accept_proposal(_proposal_of(runtime, negotiation, number), negotiation, runtime, body)


@router.post("/{name}/versions/{number}/reject", response_model=ProposalOut)
async def reject_version(
    number: VersionNumber, body: DecisionIn, negotiation: NegotiableAgreement, runtime: RuntimeDep
) -> ProposalOut:
    """Reject the proposed version `number`, with a reason."""
    return await reject_proposal(_proposal_of(runtime, negotiation, number), body, negotiation, runtime)


@router.post("/{name}/versions/{number}/withdraw", response_model=ProposalOut)
async def withdraw_version(
    number: VersionNumber, negotiation: NegotiableAgreement, runtime: RuntimeDep, body: DecisionIn | None = None
) -> ProposalOut:
    """Withdraw the proposed version `number` of the caller's own party."""
    return await withdraw_proposal(_proposal_of(runtime, negotiation, number), negotiation, runtime, body)
