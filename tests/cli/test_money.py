"""`attain.cli.money.money_text` writes every amount as babel's `format_currency` does, without loading babel."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

import pytest
from babel.core import get_global
from babel.numbers import format_currency, list_currencies

from attain.cli.money import CURRENCY_DIGITS, DEFAULT_DIGITS, money_text
from cli_support import SRC

AMOUNTS = [
    Decimal(text)
    for text in (
        "0", "-0", "0E-7", "0.005", "0.015", "0.025", "-0.004", "0.5", "1.5", "2.5", "999.995", "2125", "1E+3",
        "5E+2", "1234.5678", "-1234.5", "1234567.895", "0.00001", "1E-30", "9.99999999999999999999999999999",
        "12345678901234567890.125", "123456789012345678901234.5", "1E+24", "1E+25", "Infinity", "-Infinity",
    )
]  # fmt: skip
"""Halves at every digit count, zeros of both signs, grouping, more digits than the context keeps, the edges."""
CODES = sorted(set(list_currencies()) | set(get_global("currency_fractions")) - {"DEFAULT"} | {"usd", "Jpy", "XYZ", ""})
"""Every currency babel knows, its fractions table's, and codes it does not know (lower case among them)."""


def test_the_digits_are_babels() -> None:
    """`CURRENCY_DIGITS` and the default are babel's CLDR currency digits, so babel's upgrade cannot drift apart."""
    fractions = get_global("currency_fractions")
    assert fractions["DEFAULT"][0] == DEFAULT_DIGITS
    assert {code: f[0] for code, f in fractions.items() if f[0] != DEFAULT_DIGITS} == CURRENCY_DIGITS


@pytest.mark.parametrize("currency", CODES)
def test_money_text_is_babels_format(currency: str) -> None:
    """For every currency and amount, the text is babel's `#,##0.00 ¤¤` in English, byte for byte."""
    for amount in AMOUNTS:
        theirs = _outcome(lambda a=amount: str(format_currency(a, currency, "#,##0.00 ¤¤", locale="en")))
        assert _outcome(lambda a=amount: money_text(a, currency)) == theirs, amount


def _outcome(write: Callable[[], str]) -> str | type[Exception]:
    """The text written, or the class of the error raised (babel cannot quantise 1E+24 to three digits either)."""
    try:
        return write()
    except InvalidOperation as error:
        return type(error)


def test_hand_written_examples() -> None:
    """2,125.00 EUR; 1,234 JPY (no decimals); 1.235 KWD (three, half-even); -0.00 USD keeps its sign."""
    assert money_text(Decimal(2125), "EUR") == "2,125.00 EUR"
    assert money_text(Decimal("1234.5"), "JPY") == "1,234 JPY"
    assert money_text(Decimal("1.2345"), "KWD") == "1.234 KWD"
    assert money_text(Decimal("-0.001"), "usd") == "-0.00 USD"


def test_a_finite_amount_loads_no_babel() -> None:
    """Formatting a finite amount imports no babel (the `attain status` credit line)."""
    code = "import sys; from decimal import Decimal; from attain.cli.money import money_text; "
    code += "money_text(Decimal('500'), 'USD'); print(any(m.split('.')[0] == 'babel' for m in sys.modules))"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env={"PYTHONPATH": str(SRC)}
    )
    assert done.stdout.strip() == "False"
