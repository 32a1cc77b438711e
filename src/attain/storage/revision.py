"""The schema revision this code reads and writes, apart so that checking it imports neither Alembic nor SQLAlchemy."""

from __future__ import annotations

HEAD_REVISION = "0016"
"""The latest revision in `migrations/versions`, so that opening a current store needs no Alembic.

A new migration changes it; `tests/storage/test_store_contract.py` checks it against Alembic's head.
"""
