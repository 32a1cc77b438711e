"""Synthetic but realistic measurements for the demo: `generate` and `generate_all`."""

from __future__ import annotations

from attain.demo.generate import TEMPLATES_WITH_DATA, generate, generate_all

__all__ = ["TEMPLATES_WITH_DATA", "generate", "generate_all"]
