"""The recommend benchmark never rots: a small store of its shape gives one month per objective, priced."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import recommend  # noqa: E402


def test_a_small_store_gives_a_recommendation_per_objective(tmp_path: Path) -> None:
    """3 objectives × 40 days (from 23 September): October is the one whole month; rollups agree with the minutes."""
    path = tmp_path / "attain.db"
    rows = recommend.fill(path, 3, 40)
    assert rows == 3 * 60 + 3 * 40 * 24 + 3 * 40  # last-hour minutes, hours, days
    found = recommend.measure(path, 1)
    assert found["objectives"] == 3
    assert found["periods"] == [1]
    assert sum(found["recommended"].values()) == 3  # type: ignore[attr-defined]
