"""`attain audit show` and `attain audit verify` on a real SQLite store: the CLI user as actor, a tampered row found."""

from __future__ import annotations

import getpass
import json
import sqlite3
from pathlib import Path

from tests.cli_support import Cli

from attain.testing import agreement, agreement_yaml, ratio_objective


def _apply_two_versions(attain: Cli, tmp_path: Path) -> None:
    first = agreement(objectives=[ratio_objective("checkout", target="99.9%")])
    (tmp_path / "v1.yaml").write_text(agreement_yaml(first))
    first["spec"]["effective"] = {"from": "2026-03-01"}
    (tmp_path / "v2.yaml").write_text(agreement_yaml(first))
    attain.out("apply", tmp_path / "v1.yaml")
    attain.out("apply", tmp_path / "v2.yaml")


def test_show_lists_each_change_by_the_cli_user_and_verify_passes(attain: Cli, tmp_path: Path) -> None:
    """Two applies: two `version.stored` entries and the recount of the second, by `cli:<login>`."""
    _apply_two_versions(attain, tmp_path)
    entries = json.loads(attain.out("audit", "show", "--agreement", "shop", "--output", "json"))
    actor = f"cli:{getpass.getuser()}"
    assert [(e["position"], e["actor"], e["action"], e["subject"]) for e in entries] == [
        (1, actor, "version.stored", "shop v1"),
        (2, actor, "version.stored", "shop v2"),
        (3, actor, "version.recounted", "shop v2"),
    ]
    verified = attain("audit", "verify")
    assert verified.returncode == 0
    assert verified.stdout.splitlines() == [
        f"chain shop: 3 entries, head {entries[2]['hash']}",
        "audit trail verified: 3 entries in 1 chain",
    ]


def test_verify_exits_1_and_names_the_entry_someone_edited(attain: Cli, tmp_path: Path) -> None:
    """An actor rewritten behind the store's back (triggers dropped) breaks the chain at that entry."""
    _apply_two_versions(attain, tmp_path)
    with sqlite3.connect(attain.data_dir / "attain.db") as db:
        db.execute("DROP TRIGGER audit_no_update")
        db.execute("UPDATE audit SET actor = 'cli:mallory' WHERE position = 2")
    done = attain("audit", "verify", "--output", "json")
    assert done.returncode == 1
    assert json.loads(done.stdout)["breaks"] == [
        {"tenant": "shop", "position": 2, "problem": "its content or its place does not match its hash"}
    ]
    text = attain("audit", "verify")
    assert text.returncode == 1
    assert "attain: chain shop breaks at entry 2: its content or its place does not match its hash" in text.stderr
