"""Reading YAML 1.2 and JSON text into plain data, with the line and column of every value.

Built directly on ruamel.yaml's event stream, so that limits are enforced while parsing, before
anything is built: at most 1 MiB of text and 50 levels of nesting, no anchors or aliases (which
also rules out "billion laughs"), no custom tags, no duplicate keys, and no text that reads
differently from what is stored: control characters (written raw or as escapes)
and Unicode bidirectional embeddings, overrides and isolates ("Trojan Source") are refused
wherever they stand, in keys and values alike. Scalars follow the YAML 1.2
core schema: only `true`/`false` are booleans (`NO` stays a string), timestamps stay strings,
and decimals become exact `Decimal`s, never binary floats. JSON is read by the same parser.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path as FilePath
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml import events as ev
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.reader import ReaderError

from attain.errors import InvalidDocument, Problem

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 50

Path = tuple[str | int, ...]

_NULL = re.compile(r"^(?:~|null|Null|NULL)?$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+$")
_INT_OCT = re.compile(r"^0o[0-7]+$")
_INT_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_SPECIAL_FLOAT = re.compile(r"^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")
_CORE_TAG = "tag:yaml.org,2002:"
_SPOOFING = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""Characters refused in any text: C0 and C1 controls other than tab and line feed, DEL, and the
bidirectional embeddings, overrides and isolates that can reorder what a reader sees."""
_SURROGATE = re.compile("[\ud800-\udfff]")
"""UTF-16 surrogates, which JSON escapes of characters beyond U+FFFF decode to in pairs."""


@dataclass(frozen=True, slots=True)
class Mark:
    """A 1-based line and column in the source text."""

    line: int
    column: int


@dataclass(slots=True)
class SourceDocument:
    """One document of a file: its data and where each value (and each key) stands."""

    file: str
    index: int
    data: Any
    marks: dict[Path, Mark] = field(default_factory=dict)
    key_marks: dict[Path, Mark] = field(default_factory=dict)

    def mark(self, path: Path, *, key: bool = False) -> Mark:
        """The mark of the value at `path` (or its key), else of its nearest located ancestor."""
        if key and path in self.key_marks:
            return self.key_marks[path]
        for end in range(len(path), -1, -1):
            if path[:end] in self.marks:
                return self.marks[path[:end]]
        return Mark(1, 1)

    def problem(self, path: Path, message: str, hint: str, *, key: bool = False) -> Problem:
        """A problem located at `path` in this document."""
        mark = self.mark(path, key=key)
        return Problem(self.file, mark.line, mark.column, format_path(path), message, hint)


def format_path(path: Path) -> str:
    """Write a path the way users read it: `spec.objectives[0].target`."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def read_file(path: str | FilePath, *, display: str | None = None) -> list[SourceDocument]:
    """Read every document of a YAML or JSON file, refusing files over 1 MiB before reading."""
    file = FilePath(path)
    name = display or str(path)
    try:
        size = file.stat().st_size
        if size > MAX_BYTES:
            raise _refuse(name, None, f"file is {size} bytes", f"keep files under {MAX_BYTES} bytes (1 MiB)")
        raw = file.read_bytes()
    except OSError as error:
        raise _refuse(name, None, f"cannot read file: {error.strerror}", "check the path") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _refuse(name, None, f"not UTF-8 text ({error.reason})", "save the file as UTF-8") from None
    return read_text(text, name)


def read_text(text: str, file: str = "<text>") -> list[SourceDocument]:
    """Read every document of YAML 1.2 (or JSON) text, with marks."""
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise _refuse(file, None, "text is over 1 MiB", f"keep documents under {MAX_BYTES} bytes")
    builder = _Builder(file)
    yaml = YAML(typ="safe", pure=True)
    try:
        for event in yaml.parse(text):
            builder.feed(event)
    except ReaderError as error:
        problem = f"character U+{error.character:04X} is not allowed in YAML text"
        at = _position_mark(text, error.position)
        raise _refuse(file, at, f"not valid YAML: {problem}", "remove the character") from None
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = Mark(mark.line + 1, mark.column + 1) if mark else None
        problem = str(error.problem or error.context or "cannot parse")
        raise _refuse(file, where, f"not valid YAML: {problem}", "fix the syntax at this place") from None
    except YAMLError as error:
        raise _refuse(file, None, f"not valid YAML: {error}", "fix the syntax") from None
    return builder.documents


def _pair_surrogates(text: str, file: str, mark: Mark) -> str:
    """Join the UTF-16 surrogate pairs JSON writes for characters beyond U+FFFF, e.g. U+1F600 as two escapes."""
    try:
        joined = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
    except UnicodeDecodeError:
        message = "a lone UTF-16 surrogate escape is not text"
        raise _refuse(file, mark, message, "escape whole characters only") from None
    return joined


def _position_mark(text: str, position: int) -> Mark:
    """The line and column of a character offset into `text`."""
    line_start = text.rfind("\n", 0, position) + 1
    return Mark(text.count("\n", 0, position) + 1, position - line_start + 1)


def spoofing_character(text: str) -> str | None:
    """A description of the first character of `text` that may make it read differently from what is stored."""
    found = _SPOOFING.search(text)
    if found is None:
        return None
    char = found.group()
    name = unicodedata.name(char, "a control character")
    return f"U+{ord(char):04X} ({name})"


def _refuse(file: str, mark: Mark | None, message: str, hint: str) -> InvalidDocument:
    line, column = (mark.line, mark.column) if mark else (1, 1)
    return InvalidDocument([Problem(file, line, column, "", message, hint)])


class _Builder:
    """Turns parser events into plain data and marks, enforcing the limits as it goes."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.documents: list[SourceDocument] = []
        self._stack: list[tuple[Any, Path, str | None]] = []  # container, path, pending key
        self._doc: SourceDocument | None = None

    def feed(self, event: ev.Event) -> None:
        mark = Mark(event.start_mark.line + 1, event.start_mark.column + 1)
        if isinstance(event, ev.AliasEvent) or getattr(event, "anchor", None):
            raise _refuse(self.file, mark, "anchors and aliases are not allowed", "write the value out in full")
        if isinstance(event, ev.DocumentStartEvent):
            self._doc = SourceDocument(self.file, len(self.documents), None)
        elif isinstance(event, ev.DocumentEndEvent) and self._doc is not None:
            self.documents.append(self._doc)
            self._doc = None
        elif isinstance(event, ev.ScalarEvent):
            self._add(_scalar(event, self.file, mark), mark, is_key_allowed=True)
        elif isinstance(event, ev.MappingStartEvent | ev.SequenceStartEvent):
            if len(self._stack) >= MAX_DEPTH:
                raise _refuse(self.file, mark, f"nested deeper than {MAX_DEPTH} levels", "flatten the document")
            _check_tag(event, self.file, mark, "map" if isinstance(event, ev.MappingStartEvent) else "seq")
            container: dict[str, Any] | list[Any] = {} if isinstance(event, ev.MappingStartEvent) else []
            path = self._add(container, mark, is_key_allowed=False)
            self._stack.append((container, path, None))
        elif isinstance(event, ev.MappingEndEvent | ev.SequenceEndEvent):
            self._stack.pop()

    def _add(self, value: Any, mark: Mark, *, is_key_allowed: bool) -> Path:
        assert self._doc is not None
        if not self._stack:
            self._doc.data = value
            self._doc.marks[()] = mark
            return ()
        container, path, key = self._stack[-1]
        if isinstance(container, list):
            child = (*path, len(container))
            container.append(value)
        elif key is None:
            if not is_key_allowed:
                raise _refuse(self.file, mark, "a key must be a plain value", "use text keys")
            text = value if isinstance(value, str) else _key_text(value)
            if text in container:
                raise _refuse(self.file, mark, f"duplicate key {text!r}", "give each key once per mapping")
            self._stack[-1] = (container, path, text)
            self._doc.key_marks[(*path, text)] = mark
            return (*path, text)
        else:
            child = (*path, key)
            container[key] = value
            self._stack[-1] = (container, path, None)
        self._doc.marks[child] = mark
        return child


def _key_text(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _check_tag(event: ev.NodeEvent, file: str, mark: Mark, kind: str) -> None:
    tag = getattr(event, "tag", None)
    if tag and tag not in ("!", f"{_CORE_TAG}{kind}"):
        raise _refuse(file, mark, f"tag {tag} is not allowed", "remove the tag")


def _scalar(event: ev.ScalarEvent, file: str, mark: Mark) -> Any:
    """Resolve a scalar by the YAML 1.2 core schema, keeping decimals exact."""
    text: str = event.value
    if _SURROGATE.search(text):
        text = _pair_surrogates(text, file, mark)
    spoofing = spoofing_character(text)
    if spoofing is not None:
        raise _refuse(
            file,
            mark,
            f"character {spoofing} is not allowed: it can make text read differently from what is stored",
            "remove the character (tabs and line breaks are fine)",
        )
    tag = event.tag
    if tag and tag != "!":
        tag = tag.replace("!!", _CORE_TAG) if tag.startswith("!!") else tag
        if tag == f"{_CORE_TAG}str":
            return text
        if tag not in (f"{_CORE_TAG}{k}" for k in ("int", "float", "bool", "null")):
            raise _refuse(file, mark, f"tag {event.tag} is not allowed", "remove the tag")
    elif event.style is not None or tag == "!":
        return text
    return _resolve_plain(text)


def _resolve_plain(text: str) -> Any:
    """The core schema's reading of a plain (unquoted, untagged) scalar."""
    if _NULL.match(text):
        return None
    if text in _BOOL:
        return _BOOL[text]
    for pattern, base in ((_INT, 10), (_INT_OCT, 8), (_INT_HEX, 16)):
        if pattern.match(text):
            return int(text, base)
    if (_FLOAT.match(text) and any(c.isdigit() for c in text)) or _SPECIAL_FLOAT.match(text):
        return Decimal(
            text.replace(".inf", "Infinity")
            .replace(".Inf", "Infinity")
            .replace(".INF", "Infinity")
            .replace(".nan", "NaN")
            .replace(".NaN", "NaN")
            .replace(".NAN", "NaN")
        )
    return text
