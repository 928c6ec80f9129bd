"""manage.py archive_backfill: files in the archive every sign-off approved before the
archive existed (or missed); running it again files nothing twice."""

from django.core.management.base import BaseCommand

from jobbag.documents.services.filing import archive_backfill


class Command(BaseCommand):
    help = "Files every approved sign-off not yet in the archive."

    def handle(self, *args, **options):
        filed = archive_backfill()
        self.stdout.write(f"Filed {filed} document(s).")
