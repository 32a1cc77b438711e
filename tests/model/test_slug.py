"""Names as written in agreements."""

from __future__ import annotations

import pytest
from pydantic_core import PydanticCustomError

from attain.model.slug import parse_slug


def test_slugs_follow_rfc_1123() -> None:
    """Names are lower-case labels with inner hyphens, at most 63 characters."""
    assert parse_slug("cloud-uptime") == "cloud-uptime"
    for bad in ("Cloud", "my service", "-a", "a-", "a" * 64, 5):
        with pytest.raises(PydanticCustomError):
            parse_slug(bad)
