"""Building the benchmark's data: the demo agency plus generated staff."""

from django.contrib.auth.hashers import make_password
from django.core.management import call_command

from jobbag.accounts.demo import DEMO_PASSWORD, agency_build, staff_generate
from jobbag.accounts.models import User
from jobbag.bench.operations import BenchData

# The AE of the demo agency: the person who signs in and browses in every operation.
ACTOR = "xuli"


def database_prepare() -> None:
    """Brings the benchmark database to the latest schema and empties it if reused."""
    call_command("migrate", interactive=False, verbosity=0)
    if User.objects.exists():
        call_command("flush", interactive=False, verbosity=0)


def data_load(*, scale: int) -> BenchData:
    """Loads the demo agency and `scale` generated staff into an empty database."""
    password_hash = make_password(DEMO_PASSWORD)
    agency_build(password_hash=password_hash)
    staff_generate(count=scale, password_hash=password_hash)
    return BenchData(
        scale=scale,
        staff_count=User.objects.filter(kind=User.Kind.STAFF).count(),
        username=ACTOR,
        password=DEMO_PASSWORD,
    )
