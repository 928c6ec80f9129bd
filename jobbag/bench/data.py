"""Building the benchmark's data: the demo agency and its clients, plus generated staff
and generated clients (four per generated staff member: 2,000 clients and 20,000
contacts at the default scale of 500)."""

from django.contrib.auth.hashers import make_password
from django.core.management import call_command

from jobbag.accounts.demo import DEMO_PASSWORD, agency_build, staff_generate
from jobbag.accounts.models import User
from jobbag.bench.operations import BenchData
from jobbag.clients.demo import clients_build, clients_generate
from jobbag.clients.models import Company, Contact

CLIENTS_PER_SCALE = 4

# The AE of the demo agency: the person who signs in and browses in every operation.
ACTOR = "xuli"


def database_prepare() -> None:
    """Brings the benchmark database to the latest schema and empties it if reused."""
    call_command("migrate", interactive=False, verbosity=0)
    if User.objects.exists():
        call_command("flush", interactive=False, verbosity=0)


def data_load(*, scale: int) -> BenchData:
    """Loads the demo agency with its clients, `scale` generated staff and
    `scale` × CLIENTS_PER_SCALE generated clients into an empty database."""
    password_hash = make_password(DEMO_PASSWORD)
    agency_build(password_hash=password_hash)
    clients_build()
    staff_generate(count=scale, password_hash=password_hash)
    clients_generate(count=scale * CLIENTS_PER_SCALE)
    return BenchData(
        scale=scale,
        staff_count=User.objects.filter(kind=User.Kind.STAFF).count(),
        client_count=Company.objects.count(),
        contact_count=Contact.objects.count(),
        username=ACTOR,
        password=DEMO_PASSWORD,
    )
