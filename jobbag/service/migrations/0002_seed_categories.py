"""Seeds the complaint categories and the promises per severity (admins edit both)."""

from django.db import migrations

CATEGORIES = [
    ("creative", "创意质量", "Creative quality"),
    ("deadline", "交付期限", "Deadline"),
    ("attitude", "服务态度", "Service attitude"),
    ("billing", "费用结算", "Billing"),
    ("media", "媒介执行", "Media execution"),
    ("production", "制作质量", "Production quality"),
    ("other", "其他", "Other"),
]
# severity: (first answer within working hours, resolved within working days)
TARGETS = {"critical": (2, 1), "high": (4, 3), "normal": (8, 5), "low": (16, 10)}


def seed(apps, schema_editor):
    Category = apps.get_model("service", "ComplaintCategory")
    Target = apps.get_model("service", "SeverityTarget")
    for order, (code, name_zh, name_en) in enumerate(CATEGORIES, start=1):
        Category.objects.get_or_create(
            code=code, defaults={"name_zh": name_zh, "name_en": name_en, "order": order * 10}
        )
    for severity, (hours, days) in TARGETS.items():
        Target.objects.get_or_create(
            severity=severity, defaults={"answer_hours": hours, "resolve_days": days}
        )


class Migration(migrations.Migration):
    dependencies = [("service", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
