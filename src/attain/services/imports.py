"""`attain import`: other tools' SLO files read from disk and drafted into one agreement."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from attain.errors import InvalidInput, Problem
from attain.formats.imports import Imported, draft_agreement
from attain.formats.source import SourceDocument, read_file

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def import_files(paths: Sequence[str | Path], today: date, name: str | None = None) -> Imported:
    """Read every file and draft one `attain/v1` agreement from their objectives.

    Args:
        paths: OpenSLO, Sloth, Pyrra or slo-generator files (with slo-generator's shared config).
        today: The draft's effective date.
        name: The agreement's name; default: the file's name for one file, else `imported`.

    Raises:
        InvalidInput: If a file cannot be read or converted, or the name is not a valid name.
    """
    documents: list[SourceDocument] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            documents += read_file(path)
        except InvalidInput as error:
            problems += error.problems
    if problems:
        raise InvalidInput(problems)
    chosen = name if name is not None else _default_name(paths)
    if not re.fullmatch(r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?", chosen):
        hint = "use lower-case letters, digits and '-', e.g. --name checkout-slos"
        raise InvalidInput([Problem("--name", None, None, "", f"not a valid agreement name: {chosen!r}", hint)])
    return draft_agreement(documents, name=chosen, today=today)


def _default_name(paths: Sequence[str | Path]) -> str:
    if len(paths) != 1:
        return "imported"
    slug = _NOT_SLUG.sub("-", Path(paths[0]).stem.lower()).strip("-")[:63].strip("-")
    return slug or "imported"
