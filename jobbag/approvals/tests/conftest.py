"""Fixtures of the sign-off engine's tests: the job chain's cast (`chain`) and quotes
as the documents that go through sign-off."""

from decimal import Decimal

import pytest

from jobbag.approvals import services
from jobbag.jobs.models import QuoteVersion
from jobbag.jobs.tests.conftest import chain  # noqa: F401, F811


@pytest.fixture
def quote(chain, cast):  # noqa: F811
    """quote(total, number=next) creates a draft QuoteVersion of chain.job."""

    def make(total="30000", *, number=None, job=None):
        job = job or chain.job
        if number is None:
            number = QuoteVersion.objects.filter(job=job).count() + 1
        amount = Decimal(total)
        return QuoteVersion.objects.create(
            job=job, number=number, total=amount, net_total=amount, created_by=cast.ae
        )

    return make


@pytest.fixture
def submitted(quote, cast):
    """submitted(total) creates a quote and sends it for sign-off as its owner."""

    def make(total="30000", **kwargs):
        document = quote(total, **kwargs)
        approval = services.approval_submit(actor=cast.ae, document=document)
        return document, approval

    return make


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Signed copies and snapshot files go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
