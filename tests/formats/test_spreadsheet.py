"""CSV cells are defused: whatever a spreadsheet would run as a formula is written as text."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from attain.formats.spreadsheet import defuse_cell


@pytest.mark.parametrize("cell", ["=1+1", "+A1", "-A1", "@SUM(A1)", "\tx", "\rx", "\0x", '=HYPERLINK("x")', "-", "+"])
def test_a_formula_start_gets_an_apostrophe(cell: str) -> None:
    """Each character OWASP lists as a formula start is defused."""
    assert defuse_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["-3", "+1.5", "-0.25e3", "2xx", "shop", "", "'=x", 42, -1, None])
def test_numbers_and_plain_text_are_left_alone(cell: object) -> None:
    """Negative and signed numbers, plain text and non-text cells are written as they are."""
    assert defuse_cell(cell) == cell


@example("'")  # a cell that already starts with the apostrophe is written as it is
@given(st.text())
def test_no_defused_cell_starts_like_a_formula(cell: str) -> None:
    """Whatever the text, the written cell starts with none of = + - @ tab CR NUL, or is a plain number."""
    written = defuse_cell(cell)
    assert isinstance(written, str)
    assert written in (cell, "'" + cell)  # nothing lost: the cell itself, or behind one apostrophe
    assert not written.startswith(("=", "+", "-", "@", "\t", "\r", "\0")) or float(written) == float(cell)
