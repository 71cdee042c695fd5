"""Money, percentages and dates as each locale writes them."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

from masthead.funding.money import format_amount, format_percent


@pytest.mark.parametrize(
    ("language", "whole", "cents"),
    [
        ("en", "$100", "$1,234.50"),
        ("ar", "\u200f١٠٠ US$", "\u200f١٬٢٣٤٫٥٠ US$"),
        ("es", "100 US$", "1.234,50 US$"),
        ("fr", "100 $US", "1 234,50 $US"),
        ("ru", "100 $", "1 234,50 $"),
        ("tr", "$100", "$1.234,50"),
    ],
)
def test_money_is_written_as_the_locale_writes_it(language: str, whole: str, cents: str) -> None:
    def plain(text: str) -> str:  # CLDR separates with no-break spaces
        return text.replace("\xa0", " ").replace("\u202f", " ")

    with translation.override(language):
        assert plain(format_amount(10000, "USD", trim=True)) == whole
        assert plain(format_amount(123450, "USD")) == cents


def test_zero_and_three_decimal_currencies_keep_their_exponent() -> None:
    assert format_amount(5000, "JPY", trim=True, language="fr") == "5\u202f000\xa0JPY"
    assert format_amount(1500, "KWD", language="es") == "1,500\xa0KWD"


def test_percentages_and_month_names_follow_the_locale() -> None:
    assert format_percent(40, "tr") == "%40"
    assert format_percent(40, "ar") == "٤٠%"
    template = Template('{{ day|date:"DATE_FORMAT" }}')
    import datetime

    day = datetime.date(2026, 3, 5)
    with translation.override("ru"):
        assert template.render(Context({"day": day})) == "5 марта 2026 г."
    with translation.override("es"):
        assert template.render(Context({"day": day})) == "5 de marzo de 2026"
    with translation.override("en"):
        assert template.render(Context({"day": day})) == "5 March 2026"


def test_an_unknown_locale_falls_back_to_the_house_style() -> None:
    assert format_amount(2500, "USD", language="xx") == "$25.00"
