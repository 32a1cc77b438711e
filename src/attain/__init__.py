"""attain: service level agreements end to end."""

from __future__ import annotations

__version__ = "0.1.0"
