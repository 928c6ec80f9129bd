from django import forms
from django.test import RequestFactory

from jobbag.core.errors import DomainError
from jobbag.core.forms import export_url, show_refusal


class NameForm(forms.Form):
    name = forms.CharField()


def test_a_refusal_lands_on_the_field_it_names_and_the_rest_above_the_form():
    form = NameForm({"name": "x"})
    assert form.is_valid()

    show_refusal(form, DomainError("Fix it", fields={"name": "Taken", "code": "Bad"}))

    assert form.errors["name"] == ["Taken"]
    assert form.non_field_errors() == ["Bad"]


def test_a_refusal_without_fields_shows_its_message_above_the_form():
    form = NameForm({"name": "x"})
    form.is_valid()

    show_refusal(form, DomainError("Someone changed it"))

    assert form.non_field_errors() == ["Someone changed it"]


def test_the_export_link_keeps_the_filters_and_drops_the_page():
    request = RequestFactory().get("/clients/", {"q": "海尔", "status": "active", "page": "3"})

    url = export_url(request)

    assert url.startswith("?") and "page=" not in url
    assert "status=active" in url and "export=xlsx" in url and "q=%E6%B5%B7%E5%B0%94" in url
