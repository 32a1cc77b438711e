"""attain's errors: the tree and its exit codes, located problems, and messages that say how to fix."""

from __future__ import annotations

import pytest

from attain.errors import (
    AttainError,
    FileExists,
    InvalidAgreement,
    InvalidDocument,
    InvalidInput,
    MissingExtra,
    ObjectiveBreached,
    Problem,
    UnknownTemplate,
)


@pytest.mark.parametrize(
    ("error", "builtin", "exit_code"),
    [
        (InvalidInput, ValueError, 2),
        (InvalidDocument, ValueError, 2),
        (InvalidAgreement, ValueError, 2),
        (UnknownTemplate, LookupError, 2),
        (FileExists, FileExistsError, 1),
        (MissingExtra, ImportError, 1),
        (ObjectiveBreached, Exception, 3),
    ],
)
def test_each_error_is_an_attain_error_and_its_builtin(
    error: type[AttainError], builtin: type[Exception], exit_code: int
) -> None:
    """Every error can be caught as AttainError or as the matching builtin, and carries its exit code."""
    assert issubclass(error, AttainError)
    assert issubclass(error, builtin)
    assert error.exit_code == exit_code


def test_a_problem_reads_file_line_column_path_message_hint() -> None:
    """The one-line form is `FILE:LINE:COLUMN: path: message; hint`, with 1 for an unknown place."""
    located = Problem("shop.yaml", 14, 13, "spec.objectives[0].target", "must be below 100%, got 120%", "write 99.9%")
    unlocated = Problem("<command line>", None, None, "", "not an instant: 'soon'", "")
    assert str(located) == "shop.yaml:14:13: spec.objectives[0].target: must be below 100%, got 120%; write 99.9%"
    assert str(unlocated) == "<command line>:1:1: (document): not an instant: 'soon'"
    assert located.as_dict() == {
        "file": "shop.yaml",
        "line": 14,
        "column": 13,
        "path": "spec.objectives[0].target",
        "message": "must be below 100%, got 120%",
        "hint": "write 99.9%",
    }


def test_invalid_input_keeps_its_problems_and_lists_them_in_its_message() -> None:
    """The message is one problem per line, and the problems stay available as data."""
    problems = [Problem("a.yaml", 1, 1, "kind", "unknown kind 'Agreemnt'", ""), Problem("b.yaml", 2, 3, "x", "y", "z")]
    error = InvalidAgreement(problems)
    assert error.problems == problems
    assert str(error) == "a.yaml:1:1: kind: unknown kind 'Agreemnt'\nb.yaml:2:3: x: y; z"


def test_errors_carry_what_they_are_about() -> None:
    """An unknown template names the choices, an existing file the way out, a missing extra the install."""
    unknown = UnknownTemplate("space-elevator", ["cloud-uptime", "support-desk"])
    assert (unknown.name, unknown.known) == ("space-elevator", ["cloud-uptime", "support-desk"])
    assert str(unknown) == "no template named 'space-elevator'; choose one of cloud-uptime, support-desk"
    exists = FileExists("a.yaml")
    assert (exists.path, str(exists)) == ("a.yaml", "a.yaml already exists; choose another --out or pass --force")
    missing = MissingExtra.of("reports", "attain report", "vl_convert")
    assert (missing.extra, missing.name) == ("reports", "vl_convert")
    assert str(missing) == "attain report needs the 'reports' extra (vl_convert): pip install 'attain[reports]'"
    assert MissingExtra("PDF output needs WeasyPrint").extra is None
