"""What changed between two agreement versions: from two files, or two stored versions.

The comparison is `attain.engine.diff.diff`; the words are `attain.reports.changes`. This module
reads the files or the store and joins the two into what `attain diff` prints.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from attain.engine.diff import diff
from attain.errors import InvalidInput, Problem
from attain.formats.bundle import load_agreement
from attain.lifecycle.versions import parse_version, stored_versions
from attain.model import Agreement
from attain.ports import Store
from attain.reports.changes import ChangeLine, describe
from attain.reports.locale import Locale


@dataclass(frozen=True)
class Comparison:
    """Two versions side by side and the changes between them, in words."""

    before: Agreement
    after: Agreement
    before_label: str
    after_label: str
    lines: list[ChangeLine]
    title: str

    def as_dict(self) -> dict[str, Any]:
        """Plain data for `--output json`: each change with its field, its side and its words."""
        return {
            "agreement": self.after.name,
            "before": {"label": self.before_label, "version": self.before.spec.version},
            "after": {"label": self.after_label, "version": self.after.spec.version},
            "terms_changed": any(line.terms for line in self.lines),
            "changes": [{"field": line.where, "terms": line.terms, "text": line.text} for line in self.lines],
        }


def compare(before: Agreement, after: Agreement, labels: tuple[str, str], loc: Locale, title: str) -> Comparison:
    """The changes from `before` to `after`, in `loc`'s language."""
    lines = describe(loc, diff(before, after), before, after)
    return Comparison(before, after, labels[0], labels[1], lines, title)


def compare_files(first: Path, second: Path, loc: Locale) -> Comparison:
    """The changes from the agreement in `first` to the one in `second`."""
    before, after = load_agreement(first), load_agreement(second)
    return compare(before, after, (str(first), str(second)), loc, loc.text("diff.other", before=first, after=second))


def compare_stored(store: Store, name: str, first: int, second: int, loc: Locale) -> Comparison:
    """The changes from stored version `first` of agreement `name` to version `second`."""
    versions = {v.version: v for v in stored_versions(store, name)}
    for number in (first, second):
        if number not in versions:
            known = ", ".join(str(n) for n in sorted(versions))
            problem = f"{name} has no version {number}"
            raise InvalidInput([Problem("<store>", None, None, "version", problem, f"stored versions: {known}")])
    before, after = parse_version(versions[first]), parse_version(versions[second])
    title = loc.text("diff.title", name=name, before=first, after=second)
    return compare(before, after, (f"{name} v{first}", f"{name} v{second}"), loc, title)
