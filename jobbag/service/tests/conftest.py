"""What the service tests share: the cast's clients (HAIER served by cast.ae and cast.ad),
a moment in office hours and a way to log a complaint."""

from dataclasses import dataclass
from datetime import datetime
from importlib import import_module

import pytest
from django.apps import apps
from django.utils import timezone

from jobbag.accounts.models import Role
from jobbag.accounts.tests.factories import staff
from jobbag.service import services
from jobbag.service.models import ComplaintCategory


def at(text: str) -> datetime:
    """A local moment, "2026-09-28 10:00"."""
    return timezone.make_aware(datetime.fromisoformat(text))


@dataclass
class Service:
    clientele: object
    dcs: object
    category: ComplaintCategory

    @property
    def company(self):
        return self.clientele.company


def seeded() -> None:
    """The categories and severity targets the migration seeds, made again when a
    transactional test (a browser test) flushed them."""
    seed = import_module("jobbag.service.migrations.0002_seed_categories").seed
    seed(apps, None)


@pytest.fixture
def service(cast, clientele) -> Service:
    seeded()
    dcs = staff("dcs", Role.DCS, full_name="钱总监")
    return Service(clientele, dcs, ComplaintCategory.objects.get(code="deadline"))


@pytest.fixture
def complain(service, cast):
    """complain(**values) logs a complaint for HAIER as cast.ae (or `actor`)."""

    def make(**values):
        values.setdefault("actor", cast.ae)
        values.setdefault("company", service.company)
        values.setdefault("channel", "phone")
        values.setdefault("category", service.category)
        values.setdefault("severity", "normal")
        values.setdefault("subject", "海报交付延误")
        values.setdefault("description", "上市海报晚了两天。")
        return services.complaint_create(**values)

    return make
