"""The YAML cost benchmark runs and reports every case with the outcome the case is built for."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import yaml_bounds  # noqa: E402


def test_every_case_is_measured_with_its_expected_outcome(tmp_path: Path) -> None:
    """13 cases, each under 1 MiB, loads or is refused as built; the JSON holds a CPU figure for each."""
    out = tmp_path / "yaml.json"
    yaml_bounds.main(["--runs", "1", "--out", str(out)])  # its exit status also says "slow": not judged here
    rows = json.loads(out.read_text(encoding="utf-8"))["rows"]
    assert len(rows) == len(yaml_bounds.WORST) + len(yaml_bounds.REFUSED) == 13
    assert [r["outcome"] for r in rows] == ["loads"] * 8 + ["refused"] * 5
    assert all(0 < r["bytes"] <= 1024 * 1024 and r["least_ms"] >= 0 for r in rows)
