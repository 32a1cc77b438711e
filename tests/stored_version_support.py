"""Agreements from the shipped templates and stored versions of them, for the tests of the agreement caches."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from attain.formats.bundle import load_bundle
from attain.formats.model_json import dump_model, model_revision
from attain.formats.native import dump_agreement
from attain.model import Agreement
from attain.ports import AgreementVersion

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = sorted((ROOT / "src/attain/formats/templates").glob("*/*.yaml"))
"""Every shipped template, by path."""


def load(path: Path) -> Agreement:
    """The one agreement of a file, which must load without problems."""
    bundle = load_bundle([path])
    assert not bundle.problems, bundle.problems
    return bundle.agreements[0]


def stored(agreement: Agreement, revision: str | None = None) -> AgreementVersion:
    """Version 1 of `agreement` as a store hands it out, its model JSON under `revision` (default: this model's)."""
    return AgreementVersion(
        agreement.name,
        1,
        dump_agreement(agreement),
        "d",
        date(2026, 1, 1),
        None,
        "active",
        0,
        dump_model(agreement),
        revision or model_revision(),
    )
