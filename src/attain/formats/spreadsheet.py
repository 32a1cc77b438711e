"""CSV cells that a spreadsheet opens as text, never as a formula (CSV injection).

Excel, LibreOffice and Google Sheets run a cell that starts with `=`, `+`, `-` or `@` as a formula
(`=HYPERLINK(...)`, `=cmd|...`), and some also after a leading tab, carriage return or NUL. Every CSV
attain writes passes its cells through `defuse_cell`, which puts an apostrophe in front of such a
cell, as OWASP recommends; a plain number (`-3`, `+1.5`) is left alone, since it is no formula.
"""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")
"""The first characters that make a spreadsheet read a cell as a formula."""

_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def defuse_cell(value: object) -> object:
    """`value`, or for a text cell that starts like a formula, the text behind an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value
