"""The three kinds of order the seeds name (SPEC §4), as data admins may extend."""

from django.db import migrations

# code, Chinese name, English name, formal, order.
ORDER_KINDS = [
    ("notice", "活动通知", "Activity notice", False, 10),
    ("intent", "意向订单", "Intent order", False, 20),
    ("formal", "正式订单", "Formal order", True, 30),
]


def create_order_kinds(apps, schema_editor):
    OrderKind = apps.get_model("jobs", "OrderKind")
    for code, name_zh, name_en, formal, order in ORDER_KINDS:
        OrderKind.objects.get_or_create(
            code=code,
            defaults={"name_zh": name_zh, "name_en": name_en, "is_formal": formal, "order": order},
        )


class Migration(migrations.Migration):
    dependencies = [("jobs", "0001_initial")]

    operations = [migrations.RunPython(create_order_kinds, migrations.RunPython.noop)]
