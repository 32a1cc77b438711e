"""Services on files alone: validate, explain, evaluate against measurement files, templates.

Files are read and written here, never in the model or the engine.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from importlib.resources import files
from pathlib import Path
from typing import Any

from attain.engine.evaluate import evaluate
from attain.engine.instant import to_us
from attain.engine.result import Evaluation
from attain.errors import FileExists, UnknownTemplate
from attain.formats.bundle import Bundle, load_agreement, load_bundle
from attain.formats.template import TEMPLATES, template_text
from attain.model import Agreement
from attain.reports.explanation import Explanation, explain
from attain.reports.locale import Locale
from attain.sources.files import read_measurements


@dataclass(frozen=True)
class Validation:
    """The outcome of validating files: what was found, and every problem."""

    bundle: Bundle

    @property
    def ok(self) -> bool:
        """True when no file has a problem."""
        return not self.bundle.problems

    def as_dict(self) -> dict[str, Any]:
        """Plain data for `--output json`."""
        return {
            "valid": self.ok,
            "files": self.bundle.files,
            "agreements": [{"name": a.name, "version": a.spec.version} for a in self.bundle.agreements],
            "openslo": [
                {"apiVersion": o.api_version, "kind": o.kind, "name": o.metadata.name} for o in self.bundle.openslo
            ],
            "problems": [p.as_dict() | {"text": str(p)} for p in self.bundle.problems],
            "warnings": [p.as_dict() | {"text": str(p)} for p in self.bundle.warnings],
        }


def validate_files(paths: Sequence[str | Path]) -> Validation:
    """Validate agreements and OpenSLO documents together, collecting every problem."""
    return Validation(load_bundle(paths))


def explain_file(path: str | Path, language: str = "en") -> Explanation:
    """Load one agreement and explain it in words, in `en` or `zh-CN` (ValueError for another language)."""
    return explain(load_agreement(path), Locale.of(language))


def evaluate_file(
    path: str | Path, data: Path, at: datetime, since: datetime | None = None
) -> tuple[Agreement, Evaluation]:
    """Evaluate one agreement against the measurement files in `data` at instant `at`."""
    agreement = load_agreement(path)
    measurements = read_measurements(agreement, data)
    return agreement, evaluate(agreement, measurements, to_us(at), None if since is None else to_us(since))


def create_from_template(name: str, language: str, out: Path, *, force: bool = False) -> Agreement:
    """Write a template's agreement to `out`, then load it back to prove it is valid."""
    text = template_text(name, language)
    if out.exists() and not force:
        raise FileExists(str(out))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    return load_agreement(out)


def copy_samples(template: str, out: Path) -> Path:
    """Copy the sample measurements shipped for a template into `out`, and return `out`."""
    source = files("attain") / "samples" / template
    if not source.is_dir():
        raise UnknownTemplate(template, list(TEMPLATES))
    out.mkdir(parents=True, exist_ok=True)
    for item in source.iterdir():
        if item.name.endswith(".csv"):
            (out / item.name).write_text(item.read_text(encoding="utf-8"), encoding="utf-8")
    return out


def agreement_schema() -> dict[str, Any]:
    """The JSON Schema of an `attain/v1` agreement document, for editors."""
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://attain.dev/schema/attain-v1-agreement.json",
        **Agreement.model_json_schema(by_alias=True, mode="validation"),
    }
    schema["title"] = "attain/v1 Agreement"
    return schema


def schema_text() -> str:
    """The schema as indented JSON text."""
    return json.dumps(agreement_schema(), indent=2, ensure_ascii=False) + "\n"
