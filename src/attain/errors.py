"""Every error attain raises, with the exit code the CLI turns it into.

    AttainError (exit 1)
    ├── InvalidInput (+ ValueError, exit 2)      a document that cannot be used, with its problems
    │   ├── InvalidDocument                      not readable: too big, bad YAML, too deep, aliases
    │   └── InvalidAgreement                     readable, but not a valid agreement or OpenSLO object
    ├── UnknownTemplate (+ LookupError, exit 2)  `attain init --template` names no template
    ├── FileExists (+ FileExistsError, exit 1)   `attain init` would overwrite a file
    ├── MissingExtra (+ ImportError, exit 1)     an optional part (fast, reports, pdf) is not installed
    ├── UnsafeDurability (exit 1)                the database would not keep a committed write
    └── ObjectiveBreached (exit 3)               `attain evaluate` found a breached period

Each `Problem` names the file, line, column and field, says what is wrong and what would be
valid; `str(problem)` is the one-line form `FILE:LINE:COLUMN: path.to.field: what; valid`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input, located as exactly as the input allows."""

    file: str
    line: int | None
    column: int | None
    path: str
    message: str
    hint: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line or 1}:{self.column or 1}"
        hint = f"; {self.hint}" if self.hint else ""
        return f"{where}: {self.path or '(document)'}: {self.message}{hint}"

    def as_dict(self) -> dict[str, Any]:
        """The problem as plain data, for `--output json`."""
        return asdict(self)


class AttainError(Exception):
    """Root of attain's errors; `exit_code` is what the CLI exits with."""

    exit_code = 1


class InvalidInput(AttainError, ValueError):
    """An input that cannot be used; `problems` lists everything wrong with it."""

    exit_code = 2

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class InvalidDocument(InvalidInput):
    """The text cannot be read as a document: size, syntax, nesting, anchors, tags."""


class InvalidAgreement(InvalidInput):
    """The document reads, but is not a valid agreement or OpenSLO object."""


class UnknownTemplate(AttainError, LookupError):
    """No template has the requested name."""

    exit_code = 2

    def __init__(self, name: str, known: list[str]) -> None:
        self.name = name
        self.known = known
        super().__init__(f"no template named {name!r}; choose one of {', '.join(known)}")


class FileExists(AttainError, FileExistsError):
    """A command would overwrite an existing file."""

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(f"{path} already exists; choose another --out or pass --force")


class UnsafeDurability(AttainError):
    """A store connection is configured so that a committed write could be lost, and that was not allowed.

    `setting` names the setting read back, `found` its value and `wanted` what attain needs.
    """

    def __init__(self, database: str, setting: str, found: str, wanted: str) -> None:
        self.database = database
        self.setting = setting
        self.found = found
        self.wanted = wanted
        super().__init__(
            f"{database}: {setting} is {found!r}, but attain needs {wanted!r} so that a committed write "
            "survives a crash; fix the database's configuration, or run with --unsafe-durability "
            "(ATTAIN_UNSAFE_DURABILITY=1) to accept losing recent writes"
        )


class ObjectiveBreached(AttainError):
    """An evaluation found a breached period; CI pipelines gate on the exit code 3."""

    exit_code = 3


class MissingExtra(AttainError, ImportError):
    """An optional part of attain is not installed; the message says how to install it.

    `extra` is the pip extra that installs it (None when the fix is more than an extra); `name`,
    as for any `ImportError`, is the missing package's import name.
    """

    extra: str | None = None

    @classmethod
    def of(cls, extra: str, needed_by: str, package: str) -> MissingExtra:
        """The error for `needed_by`, which needs the module `package` that the pip extra `extra` installs.

        `str(error)` reads `NEEDED_BY needs the 'EXTRA' extra (PACKAGE): pip install 'attain[EXTRA]'`.
        """
        error = cls(f"{needed_by} needs the '{extra}' extra ({package}): pip install 'attain[{extra}]'", name=package)
        error.extra = extra
        return error
