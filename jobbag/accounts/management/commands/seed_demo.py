"""manage.py seed_demo [--if-empty] [--scale N] [--clients M]: loads the demo agency and
its clients."""

import time

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError

from jobbag.accounts.demo import (
    DEMO_PASSWORD,
    agency_build,
    demo_loaded,
    print_demo_logins,
    staff_generate,
)
from jobbag.accounts.models import User
from jobbag.approvals.demo import policies_build
from jobbag.approvals.models import Policy
from jobbag.clients.demo import clients_build, clients_generate, clients_loaded
from jobbag.finance.demo import finance_build
from jobbag.finance.demo_billing import billing_build
from jobbag.finance.demo_incentives import incentives_build
from jobbag.finance.demo_time import time_build
from jobbag.jobs.demo import jobs_build, jobs_loaded
from jobbag.meetings.demo import meetings_build, meetings_loaded
from jobbag.service.surveys.demo import surveys_build, surveys_loaded


class Command(BaseCommand):
    help = "Loads the demo agency: departments, positions, staff, client groups, limits."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if the database holds any user (make run calls this every time).",
        )
        parser.add_argument(
            "--scale",
            type=int,
            default=0,
            metavar="N",
            help="Also add N generated staff and N×4 generated clients with ten contacts each "
            "(large data for the benchmark).",
        )
        parser.add_argument(
            "--clients",
            type=int,
            default=None,
            metavar="M",
            help="Add M generated clients instead of N×4.",
        )

    def handle(self, *args, if_empty: bool, scale: int, clients: int | None, **options):
        clients = scale * 4 if clients is None else clients
        if scale < 0 or clients < 0:
            raise CommandError("--scale and --clients must be zero or more.")
        if if_empty and User.objects.exists():
            self.stdout.write("Users exist already: demo data not loaded.")
            return
        started = time.perf_counter()
        # One Argon2 hash for everyone: hashing per user would make --scale slow.
        password_hash = make_password(DEMO_PASSWORD)
        if demo_loaded():
            self.stdout.write("The demo agency is loaded already.")
        else:
            users = agency_build(password_hash=password_hash)
            self.stdout.write(f"Demo agency loaded: {len(users)} staff.")
        if not clients_loaded():
            companies = clients_build()
            self.stdout.write(f"Demo clients loaded: {len(companies)} companies.")
        if not Policy.objects.exists():
            policies = policies_build()
            self.stdout.write(f"Demo sign-off policies loaded: {len(policies)}.")
        # The rate card and default tax profile (idempotent): quotes are made from them.
        finance = finance_build()
        self.stdout.write(f"Demo rate card: {len(finance['rate_items'])} items.")
        if not jobs_loaded():
            jobs = jobs_build()
            self.stdout.write(f"Demo jobs loaded: {len(jobs)}.")
        if not meetings_loaded():
            meetings_build()
            self.stdout.write("Demo meetings, contact reports, actions and forecasts loaded.")
        # Time, invoices, commissions and surveys: each builder is idempotent.
        time_build()
        billing_build()
        incentives_build()
        if not surveys_loaded():
            surveys_build()
        self.stdout.write("Demo time, invoices, payments, commissions and surveys loaded.")
        if scale:
            staff_generate(count=scale, password_hash=password_hash)
            self.stdout.write(f"Added {scale} generated staff.")
        if clients:
            clients_generate(count=clients)
            self.stdout.write(f"Added {clients} generated clients.")
        self.stdout.write(f"Done in {time.perf_counter() - started:.1f} s.")
        print_demo_logins(self.stdout)
