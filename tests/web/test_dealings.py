"""The dealings page: versions and how each came about, proposals with their changes, the credit ledger; en and zh-CN."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from attain.engine.claims import CreditState
from attain.engine.negotiation import Caller, Side
from attain.lifecycle.versions import latest_agreement
from attain.services import proposals
from attain.services.reviews import record_review
from attain.services.runtime import Runtime
from attain.storage.credit import CreditEntry, SqlCredits
from attain.storage.proposal import SqlProposals
from attain.storage.right import SqlRights
from web.dashboard_support import sign_in, text_of

from .conftest import FIXED


@pytest.fixture(scope="module")
def dealt(runtime: Runtime) -> None:
    """support-desk: the customer proposes 2030-01-01 and the provider accepts; the provider proposes 2031; 2026-08 owes EUR 100."""
    current = latest_agreement(runtime.store, "support-desk")
    kept = SqlProposals(runtime.engine)
    for year, side, note in ((2030, Side.CUSTOMER, "after the review"), (2031, Side.PROVIDER, "")):
        dates = current.spec.effective.model_copy(update={"from_": date(year, 1, 1)})
        spec = current.spec.model_copy(update={"effective": dates, "purpose": f"Purpose of {year}."})
        proposals.propose(
            runtime.store, kept, current.model_copy(update={"spec": spec}), Caller(side, f"t:{year}"), FIXED, note=note
        )
    proposals.accept(runtime.store, kept, "support-desk", 1, Caller(Side.PROVIDER, "cli:bob"), FIXED)
    owed = CreditEntry(
        "support-desk",
        "2026-08",
        1,
        Decimal("0.10"),
        Decimal("100.00"),
        "EUR",
        ("first-response",),
        CreditState.OWED,
        FIXED,
        None,
    )
    SqlCredits(runtime.engine).record([owed], FIXED)
    SqlRights(runtime.engine).record(
        [("support-desk", "first-response", FIXED, "terminate", ("2026-10",), None)], FIXED
    )
    record_review(
        runtime.store,
        runtime.engine,
        "support-desk",
        held_on=date(2026, 10, 20),
        participants=["Ana", "Bo"],
        outcome="Goals kept.",
        proposal=1,
        actor="cli:ana",
        now=FIXED,
    )


@pytest.mark.usefixtures("dealt")
def test_the_customer_sees_versions_proposals_and_credits(client: TestClient, tokens: dict[str, str]) -> None:
    """Version 2 came from proposal 1; proposal 2 is open with its change in words; 2026-08 owes €100.00."""
    sign_in(client, tokens["other"])  # Golden Lotus, support-desk's customer
    page = client.get("/agreements/support-desk/dealings")
    assert page.status_code == 200
    text = text_of(page.text)
    assert "proposal 1 by t:2030, accepted by cli:bob" in text
    assert "2 open by the provider (t:2031)" in text
    assert "purpose: “Purpose of 2030.” → “Purpose of 2031.”" in text
    assert "1 accepted by the customer (t:2030)" in text
    assert "2026-08 €100.00 owed no deadline first-response" in text
    assert "Audit chain of this agreement:" in text
    # In force from 2026-08-01 (the demo's first month), quarterly: reviewed 2026-10-20 (Q4), so due by 2027-01-01.
    assert "Reviewed every quarter; the next review is due by January 1, 2027." in text
    assert "October 20, 2026 Ana and Bo Goals kept." in text
    # Granted at 2026-11-27 10:00 UTC, 18:00 in the agreement's zone (Asia/Shanghai).
    assert "1 terminate Nov 27, 2026 18:00 no deadline open" in text
    assert client.get("/agreements/support-desk").text.count('href="/agreements/support-desk/dealings"') == 1


@pytest.mark.usefixtures("dealt")
def test_the_page_in_chinese_and_a_foreign_customer(client: TestClient, tokens: dict[str, str]) -> None:
    """The Chinese page names the states in Chinese; another customer gets the not-found page."""
    sign_in(client, tokens["other"])
    client.get("/lang/zh-CN")
    text = text_of(client.get("/agreements/support-desk/dealings").text)
    assert "版本、变更提议与服务抵扣" in text
    assert "2026-08 €100.00 应付 无截止" in text
    assert "每季度评审一次；下次评审应在 2027年1月1日 之前进行。" in text
    assert "1 终止协议 2026年11月27日 18:00 无截止 可行使" in text
    sign_in(client, tokens["customer"])  # Example Retail, cloud-uptime's customer
    assert client.get("/agreements/support-desk/dealings").status_code == 404
