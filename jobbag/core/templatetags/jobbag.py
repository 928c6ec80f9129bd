from django import template

from jobbag.core.money import format_money

register = template.Library()


@register.filter
def money(amount, currency: str = "CNY") -> str:
    """{{ quote.total|money:quote.currency }}"""
    return format_money(amount, currency or "CNY")
