from datetime import date
from decimal import Decimal

from django.template import Context, Template
from django.utils import translation

from jobbag.core.money import format_money


def test_it_formats_money_in_chinese_with_the_yuan_sign():
    assert format_money(Decimal("1234567.5"), "CNY", language="zh-hans") == "¥1,234,567.50"


def test_it_formats_money_in_english_with_the_currency_code():
    assert format_money(Decimal("1234567.5"), "CNY", language="en") == "CNY 1,234,567.50"


def test_it_rounds_half_up_to_cents_and_keeps_the_sign():
    assert format_money(Decimal("-0.005"), "USD", language="zh-hans") == "-US$0.01"


def test_it_shows_a_dash_for_no_amount():
    assert format_money(None) == "—"
    assert format_money("not a number") == "—"


def test_the_template_filter_follows_the_active_language():
    template = Template("{% load jobbag %}{{ amount|money:'CNY' }}")
    with translation.override("en"):
        assert template.render(Context({"amount": Decimal("50000")})) == "CNY 50,000.00"
    with translation.override("zh-hans"):
        assert template.render(Context({"amount": Decimal("50000")})) == "¥50,000.00"


def test_dates_follow_the_active_language():
    template = Template('{{ day|date:"DATE_FORMAT" }}')
    with translation.override("zh-hans"):
        assert template.render(Context({"day": date(2025, 10, 1)})) == "2025年10月1日"
    with translation.override("en"):
        assert template.render(Context({"day": date(2025, 10, 1)})) == "Oct. 1, 2025"
