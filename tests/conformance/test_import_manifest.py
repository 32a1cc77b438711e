"""`attain import` over the conformance samples: every SLO file of every tool becomes an agreement that validates.

The files come from manifest.json at collection time. An OpenSLO file without an SLO attain can
convert is refused with the reason listed here; any other file that does not import fails.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from attain.errors import InvalidInput
from attain.formats.bundle import load_bundle_text
from attain.formats.imports import draft_agreement
from attain.formats.source import read_file


def _conformance_dir() -> Path:
    """The shared conformance files: an unchanged copy in tests/conformance/data, or ATTAIN_CONFORMANCE_DIR."""
    configured = os.environ.get("ATTAIN_CONFORMANCE_DIR")
    return Path(configured) if configured else Path(__file__).resolve().parent / "data"


CONFORMANCE = _conformance_dir()
MANIFEST: dict[str, Any] = json.loads((CONFORMANCE / "manifest.json").read_text(encoding="utf-8"))
SLO_GENERATOR_CONFIG = CONFORMANCE / "slo-generator" / "samples" / "config.yaml"
TODAY = date(2026, 12, 5)

_NO_SLO = "no objective to import"
_V2ALPHA = "openslo.com/v2alpha"
# OpenSLO files that hold no SLO attain converts, and the words of the refusal.
REFUSED: dict[str, str] = {
    "openslo/spec-examples/v1/budgeting-method/timeslices-slo.yaml": "calendar window '1m' (1 minute)",
    "openslo/go-sdk-examples/v1/alert_conditions.yaml": "AlertCondition 'latency-too-high': it is not converted",
    "openslo/go-sdk-examples/v1/alert_notification_targets.yaml": "AlertNotificationTarget",
    "openslo/go-sdk-examples/v1/alert_policies.yaml": "AlertPolicy",
    "openslo/go-sdk-examples/v1/data_sources.yaml": "DataSource 'datadog': it is not converted",
    "openslo/go-sdk-examples/v1/services.yaml": _NO_SLO,
    "openslo/go-sdk-examples/v1/slis.yaml": _NO_SLO,
    "openslo/go-sdk-examples/v1alpha/services.yaml": _NO_SLO,
    "openslo/go-sdk-examples/v2alpha/alert_conditions.yaml": _V2ALPHA,
    "openslo/go-sdk-examples/v2alpha/alert_notification_targets.yaml": _V2ALPHA,
    "openslo/go-sdk-examples/v2alpha/alert_policies.yaml": _V2ALPHA,
    "openslo/go-sdk-examples/v2alpha/data_sources.yaml": _V2ALPHA,
    "openslo/go-sdk-examples/v2alpha/services.yaml": _V2ALPHA,
    "openslo/go-sdk-examples/v2alpha/slis.yaml": _V2ALPHA,
    "openslo/go-sdk-examples/v2alpha/slos.yaml": "SLO 'web-availability': it is not converted",
    "openslo/go-sdk-codec/decode/sequence_of_objects.json": _NO_SLO,
    "openslo/go-sdk-codec/decode/sequence_of_objects.yaml": _NO_SLO,
    "openslo/go-sdk-codec/decode/single_object.json": _NO_SLO,
    "openslo/go-sdk-codec/decode/single_object.yaml": _NO_SLO,
    "openslo/go-sdk-codec/decode/two_documents.yaml": _NO_SLO,
    "openslo/go-sdk-codec/decode/v1_slos.yaml": "the SLO has no timeWindow",
    "openslo/go-sdk-codec/decode/v2alpha_data_source.yaml": _V2ALPHA,
    "openslo/go-sdk-codec/decode/v2alpha_slos.yaml": _V2ALPHA,
    "openslo/go-sdk-codec/encode/v1_slo.json": "the SLO has no timeWindow",
    "openslo/go-sdk-codec/encode/v1_slo.yaml": "the SLO has no timeWindow",
    "openslo/oslo-validate-invalid/v2alpha.yaml": _V2ALPHA,
}


def _is_config(entry: dict[str, Any]) -> bool:
    return entry["path"].startswith("slo-generator/") and entry["objects"][0]["apiVersion"] is None


SAMPLES = [
    e
    for e in MANIFEST["files"]
    if e["expect"] in ("parse", "parse_then_invalid")
    and not e["path"].startswith("sloth/alert-windows/")
    and not _is_config(e)
]


def test_the_samples_are_every_slo_file_of_the_manifest() -> None:
    """Every OpenSLO file that decodes (33), 28 Pyrra, 16 Sloth and 42 slo-generator SLO files are imported."""
    folders = [e["path"].split("/")[0] for e in SAMPLES]
    assert [folders.count(f) for f in ("openslo", "pyrra", "sloth", "slo-generator")] == [33, 28, 16, 42]
    assert set(REFUSED) <= {e["path"] for e in SAMPLES}


def _import(path: str) -> str:
    extra = [SLO_GENERATOR_CONFIG] if path.startswith("slo-generator/") else []
    documents = [d for file in (CONFORMANCE / path, *extra) for d in read_file(file)]
    return draft_agreement(documents, name="imported", today=TODAY).text()


@pytest.mark.parametrize("entry", SAMPLES, ids=lambda e: e["path"])
def test_every_sample_imports_into_an_agreement_that_validates(entry: dict[str, Any]) -> None:
    """Each sample drafts an agreement that loads with no problem, or is refused for its listed reason."""
    if entry["path"] in REFUSED:
        with pytest.raises(InvalidInput) as raised:
            _import(entry["path"])
        assert REFUSED[entry["path"]] in str(raised.value)
        return
    bundle = load_bundle_text(_import(entry["path"]), "imported.yaml")
    assert bundle.problems == []
    [agreement] = bundle.agreements
    assert agreement.name == "imported"
    assert agreement.objectives
