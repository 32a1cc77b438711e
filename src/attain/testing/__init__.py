"""Helpers for testing code built on attain, shipped with it: an in-memory store and agreement builders.

    from attain.testing import MemoryStore, agreement, ratio_objective

    store = MemoryStore()
    document = agreement(objectives=[ratio_objective(target="99.9%", window="28d")])

`MemoryStore` passes the same contract tests as `SqlStore` on SQLite and PostgreSQL, so a test
of a service can run without a database. The builders return plain `attain/v1` documents (dicts)
that validate; `agreement_yaml` writes one as YAML text for a file or the CLI.
"""

from __future__ import annotations

from attain.testing.store import MemoryStore

__all__ = ["MemoryStore"]
