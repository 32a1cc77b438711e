"""The pure core stays pure, and the package exports what it says."""

from __future__ import annotations

import subprocess
import sys

import pytest

import attain.model

IO_LIBRARIES = (
    "sqlalchemy",
    "httpx",
    "fastapi",
    "duckdb",
    "uvicorn",
    "psycopg",
    "requests",
    "sqlite3",
    "aiohttp",
    "urllib3",
)


@pytest.mark.parametrize("module", ["attain.model", "attain.engine", "attain.engine.allowance"])
def test_core_imports_no_io_library(module: str) -> None:
    """Importing the model or the engine loads no database, network or web library."""
    code = (
        f"import sys, {module}\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {IO_LIBRARIES!r})\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_the_check_can_fail() -> None:
    """The import probe above does see an I/O library when one is imported."""
    code = "import sys, sqlite3\nprint('sqlite3' in sys.modules)\n"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "True"


def test_model_exports_are_complete() -> None:
    """Every name in attain.model.__all__ exists, once."""
    assert all(hasattr(attain.model, name) for name in attain.model.__all__)
    assert len(set(attain.model.__all__)) == len(attain.model.__all__)
