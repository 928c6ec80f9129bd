"""Search and filters of the archive, its keyset pages, and fixed query budgets for
the list and the detail page."""

from datetime import date

import pytest
from django.urls import reverse

from jobbag.documents.models import ArchivedDocument, Level
from jobbag.documents.selectors import Filters, archive_page
from jobbag.documents.tests.factories import archived
from jobbag.jobs.tests.factories import JobFactory


@pytest.fixture
def shelf(cast, clientele):
    job = JobFactory(company=clientele.company, owner=cast.ae, number="HAIER-2026-0042")
    return {
        "quote": archived(
            actor=cast.ae,
            title="冰箱报价 V2",
            company=clientele.company,
            job=job,
            document_type="quote",
            level=Level.CONFIDENTIAL,
            signed_on=date(2026, 3, 1),
        ),
        "review": archived(
            actor=cast.ae,
            title="冰箱评审纪要",
            company=clientele.company,
            job=job,
            signed_on=date(2026, 4, 1),
        ),
        "nike": archived(
            actor=cast.ae,
            title="Nike contract",
            company=clientele.other_company,
            document_type="contract",
            level=Level.SECRET,
            signed_on=date(2026, 5, 1),
        ),
    }


def _titles(user, **filters):
    return [row.document.title for row in archive_page(user, Filters(**filters)).rows]


def test_it_filters_by_text_client_job_type_level_and_dates(cast, shelf):
    gm = cast.gm
    assert _titles(gm) == ["Nike contract", "冰箱评审纪要", "冰箱报价 V2"]
    assert _titles(gm, q="冰箱") == ["冰箱评审纪要", "冰箱报价 V2"]
    assert _titles(gm, q="NIKE CONT") == ["Nike contract"]
    assert _titles(gm, q=shelf["quote"].number) == ["冰箱报价 V2"]
    assert _titles(gm, client="haier") == ["冰箱评审纪要", "冰箱报价 V2"]
    assert _titles(gm, client="耐克") == ["Nike contract"]
    assert _titles(gm, company=shelf["nike"].company_id) == ["Nike contract"]
    assert _titles(gm, job="HAIER-2026-0042") == ["冰箱评审纪要", "冰箱报价 V2"]
    assert _titles(gm, document_type="quote") == ["冰箱报价 V2"]
    assert _titles(gm, level=Level.SECRET) == ["Nike contract"]
    assert _titles(gm, since=date(2026, 3, 15), until=date(2026, 4, 30)) == ["冰箱评审纪要"]
    assert _titles(gm, q="nothing like it") == []


def test_it_pages_by_keyset_without_counting(cast, shelf):
    first = archive_page(cast.gm, Filters(), size=2)
    assert [r.document.title for r in first.rows] == ["Nike contract", "冰箱评审纪要"]
    assert first.next_cursor
    second = archive_page(cast.gm, Filters(), size=2, after=first.next_cursor)
    assert [r.document.title for r in second.rows] == ["冰箱报价 V2"]
    assert second.next_cursor == ""
    # A malformed cursor is ignored (the first page).
    assert len(archive_page(cast.gm, Filters(), size=2, after="junk").rows) == 2


def test_it_shows_the_designer_restricted_rows_as_titles_only(cast, shelf, login):
    rows = {r.document.title: r.opens for r in archive_page(cast.designer, Filters()).rows}
    assert rows["冰箱报价 V2"] is False and rows["Nike contract"] is False
    response = login(cast.designer).get(reverse("documents:archive"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-restricted="true"') == 2
    assert "HAIER-2026-0042" in html  # the internal review's row shows its job
    ae_rows = {r.document.title: r.opens for r in archive_page(cast.ae, Filters()).rows}
    assert ae_rows["冰箱报价 V2"] is True and ae_rows["Nike contract"] is False


def test_it_lists_and_searches_through_the_page(cast, shelf, login):
    client = login(cast.gm)
    response = client.get(reverse("documents:archive"), {"q": "冰箱", "level": "confidential"})
    html = response.content.decode()
    assert html.count('data-testid="archive-row"') == 1 and "冰箱报价 V2" in html
    bad = client.get(reverse("documents:archive"), {"since": "not a date"})
    assert bad.status_code == 200  # the malformed filter is shown, the list unfiltered


def _more(cast, clientele, count):
    for n in range(count):
        archived(
            actor=cast.ae,
            title=f"文档{n}",
            company=clientele.company,
            level=Level.CONFIDENTIAL if n % 2 else Level.INTERNAL,
        )


def test_it_lists_in_a_fixed_number_of_queries(cast, clientele, login, django_assert_num_queries):
    client = login(cast.designer)
    url = reverse("documents:archive")
    _more(cast, clientele, 3)
    client.get(url)
    with django_assert_num_queries(10) as few:
        client.get(url)
    _more(cast, clientele, 25)
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_it_shows_a_document_in_a_fixed_number_of_queries(
    cast, quote_document, login, django_assert_num_queries
):
    client = login(cast.ae)
    url = reverse("documents:archive_detail", args=[quote_document.pk])
    client.get(url)
    with django_assert_num_queries(13):
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-verified="true"' in html
    assert "陈主管" in html  # who signed: the account head
    assert ArchivedDocument.objects.count() == 1


def test_it_shows_the_archive_pages_in_english_too(cast, quote_document, login):
    cast.designer.language = "en"
    cast.designer.save(update_fields=["language"])
    client = login(cast.designer)
    html = client.get(reverse("documents:archive")).content.decode()
    assert "Archive" in html and "restricted" in html
    detail = client.get(reverse("documents:archive_detail", args=[quote_document.pk]))
    assert "Ask to borrow it" in detail.content.decode()
