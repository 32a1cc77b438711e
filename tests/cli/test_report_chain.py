"""A stored agreement's periodic report prints its audit chain head, so that a cut chain shows later."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli_support import Cli

from attain.testing import agreement, agreement_yaml, ratio_objective


def test_the_report_carries_the_chain_head_the_audit_trail_verifies(attain: Cli, tmp_path: Path) -> None:
    """After one apply (one entry), the report's head is entry 1 with the hash `attain audit verify` recomputes."""
    document = agreement(objectives=[ratio_objective("checkout", target="99%")], effective_from="2026-10-01")
    (tmp_path / "shop.yaml").write_text(agreement_yaml(document))
    attain.out("apply", tmp_path / "shop.yaml")
    verified = json.loads(attain.out("audit", "verify", "-o", "json"))
    head = verified["heads"]["shop"]
    report = json.loads(attain.out("report", "shop", "--period", "2026-10", "--format", "json"))
    assert report["dataQuality"]["auditChain"] == {"position": 1, "hash": head["hash"]}
    text = " ".join(attain.out("report", "shop", "--period", "2026-10", "--format", "md").split())
    assert f"the agreement's audit chain had reached entry 1, hash {head['hash']}" in text
    chinese = " ".join(attain.out("report", "shop", "--period", "2026-10", "--format", "md", "--lang", "zh-CN").split())
    assert f"本协议的审计链共有 1 条记录，链头为 {head['hash']}" in chinese
