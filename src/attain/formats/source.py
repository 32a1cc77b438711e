"""Reading YAML 1.2 and JSON text into plain data, with the line and column of every value.

Built directly on a parser's event stream (libyaml's, through PyYAML; ruamel.yaml's where PyYAML
lacks libyaml), so that limits are enforced while parsing, before anything is built: at most 1 MiB
of text, 10,000 values and 50 levels of nesting, no anchors or aliases (which
also rules out "billion laughs"), no custom tags, no duplicate keys, and no text that reads
differently from what is stored: control characters (written raw or as escapes)
and Unicode bidirectional embeddings, overrides and isolates ("Trojan Source") are refused
wherever they stand, in keys and values alike. Scalars follow the YAML 1.2
core schema: only `true`/`false` are booleans (`NO` stays a string), timestamps stay strings,
and decimals become exact `Decimal`s, never binary floats. JSON is read by the same parser.
"""

from __future__ import annotations

import gc
import re
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path as FilePath
from typing import Any

import yaml as libyaml
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from yaml.cyaml import CParser

from attain.errors import InvalidDocument, Problem
from attain.formats.surrogates import LONE, Rewrite, join_surrogate_escapes

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 50
MAX_NODES = 10_000
"""Values (scalars, mappings and sequences, keys included) in one file: a large agreement holds a few
thousand; the limit keeps the CPU a hostile file costs bounded (see docs/security.md)."""

Path = tuple[str | int, ...]

_NULL = re.compile(r"^(?:~|null|Null|NULL)?$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+$")
_INT_OCT = re.compile(r"^0o[0-7]+$")
_INT_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_SPECIAL_FLOAT = re.compile(r"^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")
_MAYBE_NOT_TEXT = re.compile(r"(?:$|[-+.0-9~nNtTfF])")
"""The first characters of a plain scalar that can resolve to something other than text."""
_CORE_TAG = "tag:yaml.org,2002:"
_SPOOFING = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""Characters refused in any text: C0 and C1 controls other than tab and line feed, DEL, and the
bidirectional embeddings, overrides and isolates that can reorder what a reader sees."""
_SURROGATE = re.compile("[\ud800-\udfff]")
"""UTF-16 surrogates, which JSON escapes of characters beyond U+FFFF decode to in pairs."""
_READS_DIFFERENTLY = "it can make text read differently from what is stored"
_SUSPECT = re.compile(f"{_SPOOFING.pattern}|{_SURROGATE.pattern}")


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
    r"""Read every document of YAML 1.2 (or JSON) text, with marks.

    libyaml (C, through PyYAML) parses, so that a file near 1 MiB costs tens of milliseconds, not
    seconds. Where libyaml (YAML 1.1) reads differently from YAML 1.2 the text is refused first (raw
    U+0085, U+2028, U+2029, which YAML 1.1 takes for line breaks) or rewritten (JSON's surrogate
    pairs `"\ud83d\ude00"`, see `attain.formats.surrogates`).
    """
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise _refuse(file, None, "text is over 1 MiB", f"keep documents under {MAX_BYTES} bytes")
    _refuse_unreadable_characters(text, file)
    if not libyaml.__with_libyaml__:  # PyYAML built without libyaml: the same answers, slower
        return _read_pure(text, file)
    rewrite = join_surrogate_escapes(text)
    builder = _Builder(file, rewrite)
    parser = CParser(rewrite.text)
    try:
        with _collector_paused():
            while parser.check_event():
                builder.feed(parser.get_event())
    except libyaml.MarkedYAMLError as error:
        if error.problem == "found invalid Unicode character escape code" and LONE.search(text):
            at = builder.mark(error.problem_mark)
            raise _refuse(file, at, "a lone UTF-16 surrogate escape is not text", _WHOLE_CHARACTERS) from None
        raise _syntax_problem(file, error, builder, text) from None
    except libyaml.YAMLError as error:  # the reader's own refusals are caught before, by a stricter rule
        raise _refuse(file, None, f"not valid YAML: {error}", "fix the syntax") from None
    finally:
        parser.dispose()
    return builder.documents


_WHOLE_CHARACTERS = "escape whole characters only"


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a tree without cycles is built.

    Building 10,000 values would otherwise start a full collection over every object of a large
    process (a server, a test run) at random: up to 70 ms of CPU more, now and then.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _read_pure(text: str, file: str) -> list[SourceDocument]:
    builder = _Builder(file)
    yaml = YAML(typ="safe", pure=True)
    try:
        for event in yaml.parse(text):
            builder.feed(event)
    except MarkedYAMLError as error:
        raise _syntax_problem(file, error, builder, text) from None
    except YAMLError as error:
        raise _refuse(file, None, f"not valid YAML: {error}", "fix the syntax") from None
    return builder.documents


def _syntax_problem(
    file: str, error: MarkedYAMLError | libyaml.MarkedYAMLError, builder: _Builder, text: str
) -> InvalidDocument:
    mark = error.problem_mark or error.context_mark
    where = builder.mark(mark) if mark else None
    last = text.count("\n") + 1
    if where is not None and where.line > last:  # libyaml places the end of a text without a final newline past it
        where = Mark(last, len(text) - text.rfind("\n"))
    problem = str(error.problem or error.context or "cannot parse")
    return _refuse(file, where, f"not valid YAML: {problem}", "fix the syntax at this place")


_NON_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""What YAML 1.2 does not allow in a stream at all (ruamel.yaml's `Reader.NON_PRINTABLE`)."""
_AMBIGUOUS_BREAK = re.compile("[\x85\u2028\u2029]")
"""NEL, LS and PS: YAML 1.1 readers (libyaml among them) break lines there, YAML 1.2 does not."""


def _refuse_unreadable_characters(text: str, file: str) -> None:
    """Refuse, where it stands, a character YAML does not allow or that YAML 1.1 and 1.2 read differently."""
    found = _NON_PRINTABLE.search(text)
    if found is not None:
        problem = f"character U+{ord(found.group()):04X} is not allowed in YAML text"
        at = _position_mark(text, found.start())
        raise _refuse(file, at, f"not valid YAML: {problem}", "remove the character")
    found = _AMBIGUOUS_BREAK.search(text)
    if found is not None:
        char = found.group()
        name = unicodedata.name(char, "a control character")
        raise _refuse(
            file,
            _position_mark(text, found.start()),
            f"character U+{ord(char):04X} ({name}) is not allowed: {_READS_DIFFERENTLY}",
            "remove it, or write it as an escape in a double-quoted string (\\N, \\L, \\P)",
        )


def _pair_surrogates(text: str, file: str, mark: Mark) -> str:
    """Join the UTF-16 surrogate pairs JSON writes for characters beyond U+FFFF, e.g. U+1F600 as two escapes."""
    try:
        joined = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
    except UnicodeDecodeError:
        message = "a lone UTF-16 surrogate escape is not text"
        raise _refuse(file, mark, message, _WHOLE_CHARACTERS) from None
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

    def __init__(self, file: str, rewrite: Rewrite | None = None) -> None:
        self.file = file
        self._rewrite = rewrite if rewrite is not None and rewrite.escapes else None
        self._nodes = 0
        self.documents: list[SourceDocument] = []
        self._stack: list[tuple[Any, Path, str | None]] = []  # container, path, pending key
        self._doc: SourceDocument | None = None
        self._handlers: dict[str, Callable[[Any], None]] = {
            "AliasEvent": self._alias,
            "DocumentStartEvent": self._document_start,
            "DocumentEndEvent": self._document_end,
            "ScalarEvent": self._scalar,
            "MappingStartEvent": self._collection_start,
            "SequenceStartEvent": self._collection_start,
            "MappingEndEvent": self._collection_end,
            "SequenceEndEvent": self._collection_end,
        }
        """Event class name → handler: one lookup an event (a file near 1 MiB holds 20,000 events)."""

    def feed(self, event: Any) -> None:
        """Take one parser event (ruamel.yaml's or PyYAML's: they share names and fields)."""
        handle = self._handlers.get(type(event).__name__)
        if handle is not None:  # stream start and end carry nothing
            handle(event)

    def _alias(self, event: Any) -> None:
        mark = self.mark(event.start_mark)
        raise _refuse(self.file, mark, "anchors and aliases are not allowed", "write the value out in full")

    def _document_start(self, _event: Any) -> None:
        self._doc = SourceDocument(self.file, len(self.documents), None)

    def _document_end(self, _event: Any) -> None:
        if self._doc is not None:
            self.documents.append(self._doc)
            self._doc = None

    def _scalar(self, event: Any) -> None:
        mark = self.mark(event.start_mark)
        if event.anchor:
            self._alias(event)
        self._count(mark)
        if self._rewrite is not None and event.style != '"' and any(e in event.value for e in self._rewrite.escapes):
            message = "a UTF-16 surrogate escape outside a double-quoted string"
            raise _refuse(self.file, mark, message, 'write the character itself, or quote the value with "')
        self._add(_scalar(event, self.file, mark), mark, is_key_allowed=True)

    def _collection_start(self, event: Any) -> None:
        mark = self.mark(event.start_mark)
        if event.anchor:
            self._alias(event)
        self._count(mark)
        if len(self._stack) >= MAX_DEPTH:
            raise _refuse(self.file, mark, f"nested deeper than {MAX_DEPTH} levels", "flatten the document")
        is_mapping = type(event).__name__ == "MappingStartEvent"
        _check_tag(event, self.file, mark, "map" if is_mapping else "seq")
        container: dict[str, Any] | list[Any] = {} if is_mapping else []
        path = self._add(container, mark, is_key_allowed=False)
        self._stack.append((container, path, None))

    def _collection_end(self, _event: Any) -> None:
        self._stack.pop()

    def mark(self, parser_mark: Any) -> Mark:
        """The 1-based mark in the text as written of a parser's 0-based mark."""
        line, column = parser_mark.line, parser_mark.column
        if self._rewrite is not None:
            column = self._rewrite.column(line, column)
        return Mark(line + 1, column + 1)

    def _count(self, mark: Mark) -> None:
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise _refuse(self.file, mark, f"more than {MAX_NODES} values", "split the file")

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


def _check_tag(event: Any, file: str, mark: Mark, kind: str) -> None:
    tag = getattr(event, "tag", None)
    if tag and tag not in ("!", f"{_CORE_TAG}{kind}"):
        raise _refuse(file, mark, f"tag {tag} is not allowed", "remove the tag")


def _scalar(event: Any, file: str, mark: Mark) -> Any:
    """Resolve a scalar by the YAML 1.2 core schema, keeping decimals exact."""
    text: str = event.value
    if _SUSPECT.search(text) is None:
        spoofing = None
    else:
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
    elif event.style or tag == "!":  # ruamel.yaml writes a plain style as None, PyYAML as ''
        return text
    return _resolve_plain(text)


def _resolve_plain(text: str) -> Any:
    """The core schema's reading of a plain (unquoted, untagged) scalar."""
    if not _MAYBE_NOT_TEXT.match(text):
        return text
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
