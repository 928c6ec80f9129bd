import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from jobbag.jobs.models import Job, OrderKind


class OrderKindFactory(DjangoModelFactory):
    class Meta:
        model = OrderKind
        django_get_or_create = ("code",)

    code = "intent"
    name_zh = "意向订单"
    name_en = "Intent order"


class JobFactory(DjangoModelFactory):
    class Meta:
        model = Job

    title = factory.Sequence(lambda n: f"冰箱新品上市活动{n}")
    order_kind = factory.SubFactory(OrderKindFactory)
    received_on = factory.LazyFunction(timezone.localdate)
    department = factory.LazyAttribute(lambda job: job.owner.department)
    created_by = factory.LazyAttribute(lambda job: job.owner)
    theme = "新品上市"
