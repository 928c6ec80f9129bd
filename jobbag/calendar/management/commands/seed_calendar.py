from django.core.management.base import BaseCommand

from jobbag.calendar.models import CalendarDay, CalendarYear
from jobbag.calendar.seeding import seed_from_package


class Command(BaseCommand):
    help = (
        "Fills the working-day calendar from the chinese-calendar package again. "
        "Idempotent; days entered or edited by an administrator are left alone."
    )

    def handle(self, *args, **options) -> None:
        result = seed_from_package(CalendarDay, CalendarYear)
        self.stdout.write(
            f"Calendar seeded for {result.years[0]}–{result.years[-1]}: "
            f"{result.created} added, {result.updated} updated, {result.deleted} removed, "
            f"{result.skipped_manual} manual days kept."
        )
