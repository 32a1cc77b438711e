"""Money and attainment as the dashboard writes them, in English and Chinese."""

from __future__ import annotations

from decimal import Decimal

import pytest

from attain.reports.locale import Language
from attain.web.language import Words


@pytest.mark.parametrize(
    ("language", "amount", "currency", "expected"),
    [
        (Language.EN, "123.45", "USD", "US$123.45"),
        (Language.ZH_CN, "123.45", "USD", "US$123.45"),
        (Language.ZH_CN, "123.45", "CNY", "¥123.45"),
        (Language.EN, "123.45", "CNY", "CN¥123.45"),
        (Language.EN, "8500", "EUR", "€8,500.00"),
        # The yen has no minor unit: 1,234.5 rounds half-even to 1,234.
        (Language.EN, "1234.5", "JPY", "JP¥1,234"),
        # 10% of 1,234.55 = 123.455: half-even to cents is 123.46 (5 after an odd 5).
        (Language.ZH_CN, "123.455", "USD", "US$123.46"),
    ],
)
def test_money_carries_its_currency_symbol(language: Language, amount: str, currency: str, expected: str) -> None:
    """An amount is written with its currency's symbol in the page's language, to the currency's digits."""
    assert Words.of(language).money(Decimal(amount), currency) == expected


@pytest.mark.parametrize("language", list(Language))
def test_an_attainment_is_cut_not_rounded_in_both_languages(language: Language) -> None:
    """99.8999% against 99.9% reads 99.89% (not 99.90%); 100% against 99.9% reads 100.00%."""
    words = Words.of(language)
    assert words.attainment(Decimal("0.998999"), Decimal("0.999")) == "99.89%"
    assert words.attainment(Decimal(1), Decimal("0.999")) == "100.00%"
