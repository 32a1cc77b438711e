"""The viewer's language, and the words of a page in it.

The `attain_lang` cookie (set by the language switch) wins; else the first language of the
`Accept-Language` header that the dashboard speaks (any `zh*` is Simplified Chinese); else English.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from babel.numbers import format_currency, format_percent
from fastapi import Request

from attain.model.ratio import shown_places, shown_ratio
from attain.reports.locale import Language, Locale
from attain.reports.phrases import PHRASES as REPORT_PHRASES
from attain.web.phrases import PHRASES

LANG_COOKIE = "attain_lang"
"""The cookie the language switch sets."""
MONEY_LOCALES = {Language.EN: "en_001", Language.ZH_CN: "zh_CN"}
"""The CLDR locales money is written in: international English, where the dollar of the United
States is US$ (plain `$` in US English could be any dollar) and the yuan CN¥; Chinese as spoken
in China, where the yuan is ¥ and the dollar US$."""


def parse_accept_language(header: str) -> Language:
    """The first language of an `Accept-Language` header that the dashboard speaks, by weight; else English."""
    choices: list[tuple[float, int, str]] = []
    for index, item in enumerate(header.split(",")):
        tag, _, params = item.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                weight = 0.0
        if tag:
            choices.append((-weight, index, tag.strip().lower()))
    for negative, _, tag in sorted(choices):
        if negative >= 0:
            continue
        if tag.startswith("zh"):
            return Language.ZH_CN
        if tag.startswith("en") or tag == "*":
            return Language.EN
    return Language.EN


def choose_language(request: Request) -> Language:
    """The language of a page for this request: cookie, then Accept-Language, then English."""
    cookie = request.cookies.get(LANG_COOKIE, "")
    if cookie in {language.value for language in Language}:
        return Language(cookie)
    return parse_accept_language(request.headers.get("accept-language", ""))


@dataclass(frozen=True)
class Words:
    """The phrases and formats of one language: the dashboard's own, then the reports'."""

    locale: Locale

    @classmethod
    def of(cls, language: Language) -> Words:
        """The words for a language."""
        return cls(Locale(language))

    @property
    def code(self) -> str:
        """The language code: `en` or `zh-CN` (also the page's `lang` attribute)."""
        return self.locale.language.value

    def money(self, amount: Decimal, currency: str) -> str:
        """An amount with its currency's symbol, to the currency's digits (half-even): US$123.45, ¥123.45, €850.00."""
        return str(format_currency(amount, currency, locale=MONEY_LOCALES[self.locale.language]))

    def attainment(self, ratio: Decimal, target: Decimal | None) -> str:
        """A ratio as shown beside its target: the target's places plus one, cut (`attain.model.ratio.shown_ratio`)."""
        pattern = "#,##0." + "0" * shown_places(target) + "%"
        return str(format_percent(shown_ratio(ratio, target), pattern, locale=self.locale.babel))

    def __call__(self, key: str, /, **values: object) -> str:
        """The phrase `key` with `values` filled in, from the dashboard's table or the reports'."""
        table = PHRASES[self.code]
        if key in table:
            return table[key].format(**values)
        return REPORT_PHRASES[self.code][key].format(**values)
