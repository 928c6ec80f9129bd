"""Seeds the holiday and make-up-day table from the chinese-calendar package."""

from django.db import migrations

from jobbag.calendar.seeding import seed_from_package


def seed(apps, schema_editor):
    seed_from_package(apps.get_model("calendar", "CalendarDay"), apps.get_model("calendar", "CalendarYear"))


class Migration(migrations.Migration):
    dependencies = [("calendar", "0001_initial")]

    # Reversing leaves the rows: dropping the tables (0001 reversed) removes them.
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
