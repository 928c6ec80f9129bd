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


# The kinds of order the jobs migration seeds; a flushed database (a transactional test
# ran before) has lost them, so tests ask for them through `order_kind`.
SEEDED_ORDER_KINDS = {
    "notice": ("活动通知", "Activity notice", False, 10),
    "intent": ("意向订单", "Intent order", False, 20),
    "formal": ("正式订单", "Formal order", True, 30),
}


def order_kind(code: str) -> OrderKind:
    """One of the seeded kinds of order (made again if a flush removed it)."""
    name_zh, name_en, formal, order = SEEDED_ORDER_KINDS[code]
    return OrderKind.objects.get_or_create(
        code=code,
        defaults={"name_zh": name_zh, "name_en": name_en, "is_formal": formal, "order": order},
    )[0]
