"""The benchmark's archive search runs on a tiny data set beside its floor."""

from jobbag.accounts.tests.factories import PASSWORD
from jobbag.bench import ops_archive
from jobbag.bench.operations import OPERATIONS, BenchData
from jobbag.bench.runner import run_operation
from jobbag.documents.models import ArchivedDocument


def test_it_times_the_archive_search_beside_its_floor(cast, clientele, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    operation = next(op for op in OPERATIONS if op.name.startswith("archive search"))
    data = BenchData(scale=0, staff_count=1, username=cast.ae.username, password=PASSWORD)
    result = run_operation(operation, data, requests=2, warmup=0)
    assert result.note == "", result.note
    assert result.p50_ms is not None and result.floor_p50_ms is not None
    assert ArchivedDocument.objects.count() == ops_archive.ARCHIVE_MIN
    # Setting up again makes no more rows.
    operation.setup(data)
    assert ArchivedDocument.objects.count() == ops_archive.ARCHIVE_MIN
    assert ArchivedDocument.objects.filter(search__contains="报价").exists()
