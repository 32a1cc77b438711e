"""An amount of money as the CLI prints it, `2,125.00 EUR`, without loading babel for the usual case.

The CLI writes money one way: babel's `format_currency(amount, currency, "#,##0.00 ¤¤",
locale="en")`, to the currency's digits, half-even. Loading babel and its `en` data costs ~40 ms,
a tenth of `attain status`, for one credit line, so a finite amount is formatted here the same way
(the sign apart, normalised in the current decimal context, quantised to the currency's digits,
grouped by thousands with `,`, the code in capitals) and anything else goes to babel itself.
`tests/cli/test_money.py` compares the two for every currency babel knows, and fails when babel's
digits change (`CURRENCY_DIGITS` is then to be rewritten from `babel.core.get_global("currency_fractions")`).
"""

from __future__ import annotations

from decimal import Decimal

CURRENCY_DIGITS = {
    "ADP": 0, "AFN": 0, "ALL": 0, "BHD": 3, "BIF": 0, "BYR": 0, "CLF": 4, "CLP": 0, "COP": 0, "DJF": 0,
    "ESP": 0, "GNF": 0, "HUF": 0, "IDR": 0, "IQD": 0, "IRR": 0, "ISK": 0, "ITL": 0, "JOD": 3, "JPY": 0,
    "KMF": 0, "KPW": 0, "KRW": 0, "KWD": 3, "LAK": 0, "LBP": 0, "LUF": 0, "LYD": 3, "MGA": 0, "MGF": 0,
    "MMK": 0, "MRO": 0, "OMR": 3, "PYG": 0, "RWF": 0, "SLL": 0, "SOS": 0, "STD": 0, "SYP": 0, "TMM": 0,
    "TND": 3, "TRL": 0, "UGX": 0, "UYI": 0, "UYW": 4, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
    "YER": 0, "ZMK": 0, "ZWD": 0,
}  # fmt: skip
"""The currencies whose digits are not `DEFAULT_DIGITS`, as babel's CLDR data (2.19) gives them (code as written)."""
DEFAULT_DIGITS = 2
"""The digits of any other currency code, babel's `DEFAULT`."""
LARGEST_EXPONENT = 24
"""Past this adjusted exponent an amount goes to babel (quantising it may exceed the context's precision)."""


def money_text(amount: Decimal, currency: str) -> str:
    """An amount with its ISO 4217 code, to the currency's digits (half-even): 2,125.00 EUR, 1,234 JPY."""
    if not amount.is_finite() or amount.adjusted() > LARGEST_EXPONENT:
        from babel.numbers import format_currency  # noqa: PLC0415 - ~40 ms, for what only babel can say

        return str(format_currency(amount, currency, "#,##0.00 ¤¤", locale="en"))
    digits = CURRENCY_DIGITS.get(currency, DEFAULT_DIGITS)
    rounded = abs(amount).normalize().quantize(Decimal(1).scaleb(-digits))
    sign = "-" if amount.is_signed() else ""
    return f"{sign}{rounded:,f} {currency.upper()}"
