"""Helpers for testing code built on attain, shipped with it: an in-memory store and agreement builders.

    from attain.testing import MemoryStore, agreement, agreement_yaml, ratio_objective

    store = MemoryStore()
    document = agreement(objectives=[ratio_objective(target="99.9%", window="28d")])
    path.write_text(agreement_yaml(document))

`MemoryOutbox` and `RecordingNotifier` stand in for the outbox table and the senders in tests
of delivery (`attain.services.delivery`).

`MemoryStore` passes the same contract tests as `SqlStore` on SQLite and PostgreSQL, so a test
of a service can run without a database. The builders return plain `attain/v1` documents (dicts)
that validate; `agreement_yaml` writes one as YAML text, `agreement_model` validates it.
"""

from __future__ import annotations

from attain.testing.agreement import (
    OK,
    agreement,
    agreement_model,
    agreement_yaml,
    metric_ratio_objective,
    ratio_objective,
)
from attain.testing.outbox import MemoryOutbox, OutboxRecord, RecordingNotifier, Sent
from attain.testing.store import MemoryStore

__all__ = [
    "OK",
    "MemoryOutbox",
    "MemoryStore",
    "OutboxRecord",
    "RecordingNotifier",
    "Sent",
    "agreement",
    "agreement_model",
    "agreement_yaml",
    "metric_ratio_objective",
    "ratio_objective",
]
