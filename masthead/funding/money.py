"""Amounts in a currency's minor unit, formatted with integers only (no floats in money paths)."""

from __future__ import annotations

from dataclasses import dataclass


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


def format_amount(minor: int, code: str, *, trim: bool = False) -> str:
    """'$1,234.50' from 123450 USD; '¥5,000' from 5000 JPY; 'KWD 1.500' from 1500 KWD.

    `trim` drops an all-zero fraction ('$2,500' rather than '$2,500.00'), for scales and presets.
    """
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
        raise ValueError("Enter a positive amount.")
    whole, _, fraction = text.partition(".")
    if whole and not (whole.isascii() and whole.isdigit()):
        raise ValueError("Enter a number.")
    if fraction and (not (fraction.isascii() and fraction.isdigit()) or len(fraction) > exponent):
        raise ValueError(f"Use at most {exponent} decimal places.")
    return int(whole or "0") * 10**exponent + int(
        (fraction or "0").ljust(exponent, "0")[:exponent] or "0"
    )
