"""Money is a Decimal with its currency; shown per the active language."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import get_language

SYMBOLS = {"CNY": "¥", "USD": "US$", "EUR": "€", "HKD": "HK$", "JPY": "JP¥", "GBP": "£"}
CENT = Decimal("0.01")


def format_money(amount, currency: str = "CNY", *, language: str | None = None) -> str:
    """'¥1,234.50' in Chinese, 'CNY 1,234.50' in English; '—' for no amount."""
    if amount is None or amount == "":
        return "—"
    try:
        value = Decimal(str(amount)).quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return "—"
    number = f"{abs(value):,.2f}"
    sign = "-" if value < 0 else ""
    language = language or get_language() or "zh-hans"
    if language.startswith("zh"):
        return f"{sign}{SYMBOLS.get(currency, currency + ' ')}{number}"
    return f"{sign}{currency} {number}"
