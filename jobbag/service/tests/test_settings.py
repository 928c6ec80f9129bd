"""Admins set the categories, the promises per severity and the office hours."""

from datetime import time

from django.urls import reverse

from jobbag.service.models import ComplaintCategory, ServiceSettings, SeverityTarget
from jobbag.service.services import promises
from jobbag.service.tests.conftest import at


def test_admins_manage_categories_targets_and_hours(login, cast):
    client = login(cast.admin)
    url = reverse("service:settings")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "form": "category-new",
            "code": "website",
            "name_zh": "网站",
            "name_en": "Website",
            "order": 80,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert str(ComplaintCategory.objects.get(code="website")) == "网站"
    taken = client.post(
        url, {"form": "category-new", "code": "website", "name_zh": "重复", "order": 1}
    )
    assert taken.status_code == 400
    critical = SeverityTarget.objects.get(severity="critical")
    client.post(
        url,
        {
            "form": f"target-{critical.pk}",
            "answer_hours": 1,
            "resolve_days": 2,
            "version": critical.version,
        },
    )
    critical.refresh_from_db()
    assert (critical.answer_hours, critical.resolve_days) == (1, 2)
    office = ServiceSettings.current()
    refused = client.post(
        url,
        {
            "form": "office",
            "opens_at": "18:00",
            "closes_at": "09:00",
            "visit_every_days": 30,
            "version": office.version,
        },
    )
    assert refused.status_code == 400
    client.post(
        url,
        {
            "form": "office",
            "opens_at": "08:30",
            "closes_at": "17:30",
            "visit_every_days": 30,
            "version": office.version,
        },
    )
    assert ServiceSettings.current().opens_at == time(8, 30)
    # The new hours and targets count for complaints logged from now on.
    _a, _r, answer_due, _resolve_due = promises(at("2026-09-28 17:00"), "critical")
    # Half an hour on Monday, half an hour from 08:30 on Tuesday.
    assert answer_due == at("2026-09-29 09:00")


def test_only_admins_reach_the_settings(login, cast):
    for user in [cast.ad, cast.gm, cast.designer]:
        assert login(user).get(reverse("service:settings")).status_code == 404
