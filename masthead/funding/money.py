"""Amounts in a currency's minor unit, formatted with integers only (no floats in money paths)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency
from babel.numbers import format_percent as babel_format_percent
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


@dataclass(frozen=True)
class Currency:
    code: str
    exponent: int
    symbol: str


# ISO 4217 exponents: zero-decimal (JPY, KRW) and three-decimal (KWD, BHD) currencies differ from cents.
CURRENCIES: dict[str, Currency] = {
    currency.code: currency
    for currency in [
        Currency("USD", 2, "$"),
        Currency("EUR", 2, "€"),
        Currency("GBP", 2, "£"),
        Currency("CAD", 2, "CA$"),
        Currency("AUD", 2, "A$"),
        Currency("CHF", 2, "CHF "),
        Currency("SEK", 2, "SEK "),
        Currency("NOK", 2, "NOK "),
        Currency("DKK", 2, "DKK "),
        Currency("PLN", 2, "PLN "),
        Currency("INR", 2, "₹"),
        Currency("BRL", 2, "R$"),
        Currency("ZAR", 2, "R "),
        Currency("LBP", 2, "LBP "),
        Currency("EGP", 2, "EGP "),
        Currency("JPY", 0, "¥"),
        Currency("KRW", 0, "₩"),
        Currency("KWD", 3, "KWD "),
        Currency("BHD", 3, "BHD "),
        Currency("JOD", 3, "JOD "),
    ]
}
CURRENCY_CHOICES = [(code, code) for code in CURRENCIES]


def currency_of(code: str) -> Currency:
    return CURRENCIES.get(code.upper(), Currency(code.upper(), 2, f"{code.upper()} "))


def _group(number: int) -> str:
    return f"{number:,}"


# Languages whose readers expect their own digits in money (CLDR's native numbering system).
NATIVE_DIGITS = {"ar": str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")}


def format_amount(minor: int, code: str, *, trim: bool = False, language: str | None = None) -> str:
    """'$1,234.50' from 123450 USD; '¥5,000' from 5000 JPY; 'KWD 1.500' from 1500 KWD.

    `trim` drops an all-zero fraction ('$2,500' rather than '$2,500.00'), for scales and presets.
    In another language than English (the active one unless `language` is given) the amount is
    written as that locale writes money (CLDR through Babel): '١٠٠ US$' in Arabic, '100,00 $US' in
    French. English keeps the house style above (symbol first, no space).
    """
    language = (language or translation.get_language() or "en").split("-")[0].lower()
    if language != "en":
        localised = _localised_amount(minor, code, trim=trim, language=language)
        if localised is not None:
            return localised
    return _house_amount(minor, code, trim=trim)


def _localised_amount(minor: int, code: str, *, trim: bool, language: str) -> str | None:
    try:
        locale = Locale.parse(language)
    except (UnknownLocaleError, ValueError):
        return None
    currency = currency_of(code)
    amount = Decimal(int(minor)).scaleb(-currency.exponent)
    pattern = locale.currency_formats["standard"].pattern
    whole = trim and int(minor) % 10**currency.exponent == 0
    text = format_currency(
        amount,
        currency.code,
        # A whole amount on a scale or a preset reads "١٠٠ US$", not "١٠٠٫٠٠ US$".
        format=pattern.replace(".00", "") if whole else None,
        locale=locale,
        currency_digits=not whole,
        numbering_system="arab" if language in NATIVE_DIGITS else "latn",
    )
    return text.translate(NATIVE_DIGITS[language]) if language in NATIVE_DIGITS else text


def format_percent(percent: int, language: str | None = None) -> str:
    """'40%' in English, '%40' in Turkish, '٪؜٤٠' in Arabic: as the locale writes a percentage."""
    language = (language or translation.get_language() or "en").split("-")[0].lower()
    try:
        locale = Locale.parse(language)
    except (UnknownLocaleError, ValueError):
        return f"{percent}%"
    text = babel_format_percent(
        Decimal(int(percent)) / 100,
        locale=locale,
        numbering_system="arab" if language in NATIVE_DIGITS else "latn",
    )
    return text.translate(NATIVE_DIGITS[language]) if language in NATIVE_DIGITS else text


def _house_amount(minor: int, code: str, *, trim: bool) -> str:
    currency = currency_of(code)
    sign = "-" if minor < 0 else ""
    major, fraction = divmod(abs(int(minor)), 10**currency.exponent)
    text = _group(major)
    if currency.exponent and not (trim and fraction == 0):
        text += "." + str(fraction).zfill(currency.exponent)
    return f"{sign}{currency.symbol}{text}"


def to_minor(major: int, code: str) -> int:
    """Whole major units (a preset such as 25) in minor units."""
    return int(major) * 10 ** currency_of(code).exponent


def parse_major(text: str, code: str) -> int:
    """'12.50' -> 1250 (USD) without floats; raises ValueError for malformed text or too many decimals."""
    exponent = currency_of(code).exponent
    text = text.strip().replace(",", "")
    if not text or text.startswith(("-", "+")):
        raise ValueError(_("Enter a positive amount."))
    whole, _, fraction = text.partition(".")
    if whole and not (whole.isascii() and whole.isdigit()):
        raise ValueError(_("Enter a number."))
    if fraction and (not (fraction.isascii() and fraction.isdigit()) or len(fraction) > exponent):
        raise ValueError(
            ngettext(
                "Use at most %(count)d decimal place.",
                "Use at most %(count)d decimal places.",
                exponent,
            )
            % {"count": exponent}
        )
    return int(whole or "0") * 10**exponent + int(
        (fraction or "0").ljust(exponent, "0")[:exponent] or "0"
    )
