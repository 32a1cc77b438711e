"""Reading OpenSLO objects from documents and writing them back.

A file may hold one object, a YAML list or JSON array of objects, or several documents
(`---`); `decode` takes every document of a file and returns the objects in order, each with
the place it came from, or raises `InvalidAgreement` listing every problem of every object.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path as FilePath
from typing import Any

from pydantic import ValidationError
from ruamel.yaml.representer import SafeRepresenter

from attain.errors import InvalidAgreement, Problem
from attain.formats.emitter import yaml_writer
from attain.formats.openslo import legacy, v1, v2alpha
from attain.formats.openslo.base import BaseMetadata, OpenSLOKind
from attain.formats.problem import problems_from_error
from attain.formats.source import Path, SourceDocument, format_path, read_file

MODELS: dict[str, dict[str, type[OpenSLOKind]]] = {
    v1.API_VERSION: v1.KINDS,
    legacy.V1ALPHA: legacy.V1ALPHA_KINDS,
    v2alpha.V2ALPHA: v2alpha.V2ALPHA_KINDS,
}
"""Every supported apiVersion with the model of each of its kinds."""

_VERSIONS_HINT = "use openslo/v1 (or openslo/v1alpha, openslo.com/v2alpha)"


@dataclass(frozen=True)
class OpenSLOObject:
    """One decoded OpenSLO object: its typed model and where it stands in its file.

    Two objects are equal when their contents are equal, wherever they were read from.

    Attributes:
        model: The typed model of the whole object (e.g. `v1.SLO`).
        document: The document it was read from, for locating problems (None if built in code).
        root: The path of the object inside its document: `()` or `(index,)` in a list.
    """

    model: OpenSLOKind
    document: SourceDocument | None = field(default=None, compare=False, repr=False)
    root: Path = field(default=(), compare=False)

    @property
    def api_version(self) -> str:
        """The object's apiVersion, e.g. `openslo/v1`."""
        return self.model.api_version

    @property
    def kind(self) -> str:
        """The object's kind, e.g. `SLO`."""
        return self.model.kind

    @property
    def name(self) -> str:
        """The object's metadata.name."""
        return self.model.metadata.name

    @property
    def metadata(self) -> BaseMetadata:
        """The object's metadata (name, displayName and, by version, labels and annotations)."""
        return self.model.metadata

    @property
    def index(self) -> int | None:
        """The index of the document the object was read from."""
        return self.document.index if self.document else None

    def problem(self, path: Path, message: str, hint: str) -> Problem:
        """A problem at `path` inside this object, located in its file when known.

        Args:
            path: The path relative to the object, e.g. `("spec", "objectives", 0, "op")`.
            message: What is wrong.
            hint: What would be valid.

        Returns:
            The problem, with the path written relative to the object.
        """
        if self.document is None:
            return Problem("<openslo>", None, None, format_path(path), message, hint)
        mark = self.document.mark((*self.root, *path))
        return Problem(self.document.file, mark.line, mark.column, format_path(path), message, hint)


def decode(documents: list[SourceDocument]) -> list[OpenSLOObject]:
    """Decode every OpenSLO object of a file's documents, in order.

    Args:
        documents: All documents of one file, as read by `attain.formats.source`.

    Returns:
        The objects, in the order they appear.

    Raises:
        InvalidAgreement: If any object has an unsupported apiVersion or kind, an unknown field or
            a value of the wrong type; every problem of every object is listed.
    """
    objects: list[OpenSLOObject] = []
    problems: list[Problem] = []
    for document in documents:
        if document.data is None:
            continue
        items = document.data if isinstance(document.data, list) else [document.data]
        many = isinstance(document.data, list)
        for position, item in enumerate(items):
            root: Path = (position,) if many else ()
            try:
                objects.append(_decode_one(document, root, item))
            except InvalidAgreement as error:
                problems.extend(error.problems)
    if problems:
        raise InvalidAgreement(problems)
    return objects


def _decode_one(document: SourceDocument, root: Path, item: Any) -> OpenSLOObject:
    def refuse(path: Path, message: str, hint: str) -> InvalidAgreement:
        problem = document.problem((*root, *path), message, hint)
        return InvalidAgreement([replace(problem, path=format_path(path))])

    if not isinstance(item, dict):
        raise refuse((), "expected an OpenSLO object", "write a mapping with apiVersion, kind, metadata and spec")
    version = item.get("apiVersion")
    if version is None:
        raise refuse(("apiVersion",), "apiVersion is missing", _VERSIONS_HINT)
    if not isinstance(version, str) or version not in MODELS:
        raise refuse(("apiVersion",), f"unsupported apiVersion {version!r}", _VERSIONS_HINT)
    kinds = MODELS[version]
    kind = item.get("kind")
    if not isinstance(kind, str) or kind not in kinds:
        hint = f"use one of {', '.join(kinds)}"
        raise refuse(("kind",), f"unsupported kind {kind!r} in {version}", hint)
    model = kinds[kind]
    try:
        decoded = model.model_validate(item, by_alias=True, by_name=False)
    except ValidationError as error:
        found = problems_from_error(error, document, root, model)
        raise InvalidAgreement([_relative(p, root, version, kind) for p in found]) from None
    return OpenSLOObject(decoded, document, root)


def _relative(problem: Problem, root: Path, version: str, kind: str) -> Problem:
    """Write the path relative to the object and name the object's type in unknown fields."""
    prefix = format_path(root)
    path = problem.path[len(prefix) :].lstrip(".") if prefix and problem.path.startswith(prefix) else problem.path
    message = problem.message
    if message.startswith("unknown field "):
        message = f"unknown field {path!r} in {version} {kind}"
    return replace(problem, path=path, message=message)


def encode(objects: list[OpenSLOObject]) -> list[dict[str, Any]]:
    """Write objects as plain data in OpenSLO spelling, leaving out fields that were not given.

    Args:
        objects: Decoded (or built) objects.

    Returns:
        One mapping per object; numbers stay exact `Decimal`s.
    """
    return [_plain(obj.model.model_dump(mode="python", by_alias=True, exclude_none=True)) for obj in objects]


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def _represent_decimal(representer: SafeRepresenter, value: Decimal) -> Any:
    text = f"{value:f}"
    return representer.represent_scalar("tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int", text)


def dump_openslo(objects: list[OpenSLOObject]) -> str:
    """Write objects as YAML: one object as one document, several as a multi-document stream.

    Args:
        objects: The objects to write.

    Returns:
        YAML text that `decode` reads back to equal objects.
    """
    yaml = yaml_writer("safe")
    yaml.representer.add_representer(Decimal, _represent_decimal)
    stream = io.StringIO()
    data = encode(objects)
    if len(data) == 1:
        yaml.dump(data[0], stream)
    else:
        yaml.explicit_start = True
        yaml.dump_all(data, stream)
    return stream.getvalue()


def load_openslo_file(path: str | FilePath) -> list[OpenSLOObject]:
    """Read a YAML or JSON file and decode its OpenSLO objects.

    Args:
        path: The file to read.

    Returns:
        The file's objects, in order.

    Raises:
        InvalidDocument: If the file cannot be read as YAML or JSON.
        InvalidAgreement: If an object is not a valid OpenSLO object.
    """
    return decode(read_file(path))
