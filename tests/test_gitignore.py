"""Git ignores what attain writes into a checkout: the default store and the demo's directory."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_default_store_and_the_demo_are_ignored() -> None:
    """`.attain/` (no ATTAIN_DATA_DIR) and `attain-demo/` (`attain demo`), with their files, are ignored by git."""
    paths = [".attain/attain.db", ".attain/attain.db-wal", "attain-demo/attain.db", "attain-demo/documents/a.pdf"]
    git = shutil.which("git")
    assert git is not None, "git is not on PATH"
    done = subprocess.run(
        [git, "check-ignore", "--no-index", *paths], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.stdout.splitlines() == paths
