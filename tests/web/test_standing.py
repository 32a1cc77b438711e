"""The agreement page says when an agreement was terminated and when its next review is due; en and zh-CN.

support-desk reviews quarterly (Asia/Shanghai) and no review was held: the first one
was due by 2026-10-01, so on 2026-11-27 it is overdue.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from attain.engine.negotiation import Caller, Side
from attain.engine.rights import RightState
from attain.services.rights import take
from attain.services.runtime import Runtime
from attain.storage.right import SqlRights
from web.dashboard_support import sign_in, text_of

from .conftest import FIXED

ZH = {"Accept-Language": "zh-CN"}


def test_the_review_due_is_on_the_agreement_page(client: TestClient, tokens: dict[str, str]) -> None:
    """Overdue since 2026-10-01, in English and Chinese."""
    sign_in(client, tokens["admin"])
    english = text_of(client.get("/agreements/support-desk").text)
    assert "Reviewed every quarter; the next review was due by October 1, 2026 and is overdue." in english
    chinese = text_of(client.get("/agreements/support-desk", headers=ZH).text)
    assert "每季度评审一次；下次评审应在 2026年10月1日 之前进行，现已逾期。" in chinese


def test_a_terminated_agreement_says_so_on_its_page(
    runtime: Runtime, client: TestClient, tokens: dict[str, str]
) -> None:
    """support-desk's right exercised at FIXED (no rule, so no notice): the page says it ended then, in both languages."""
    rights = SqlRights(runtime.engine)
    rights.record([("support-desk", "first-response", FIXED, "terminate", ("2026-10",), None)], FIXED)
    [entry] = [e for e in rights.entries("support-desk") if e.granted_at == FIXED]
    customer = Caller(Side.CUSTOMER, "cli:admin for the customer (letter)")
    take(rights, "support-desk", entry.number, RightState.EXERCISED, customer, FIXED, None, store=runtime.store)
    sign_in(client, tokens["admin"])
    english = text_of(client.get("/agreements/support-desk").text)
    assert (
        f"Terminated: the customer exercised right {entry.number} on Nov 27, 2026 18:00; the agreement ends"
        " Nov 27, 2026 18:00 and is not evaluated past it."
    ) in english
    chinese = text_of(client.get("/agreements/support-desk", headers=ZH).text)
    assert f"已终止：客户于 2026年11月27日 18:00 行使了第 {entry.number} 项终止权" in chinese
