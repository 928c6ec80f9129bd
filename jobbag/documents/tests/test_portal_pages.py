"""The archive in the client portal: the list (their company's client documents only,
search, keyset pages, a fixed query count), a document's signed content, its PDF and
files, each logged in the access log with the client user; 404 for another company's
document (logged as refused) and for staff; the menu entry."""

from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from jobbag.approvals.models import SnapshotFile
from jobbag.core.navigation import menu_for
from jobbag.documents.models import AccessLog, ArchivedDocument, Level
from jobbag.documents.tests.factories import archived

pytestmark = pytest.mark.django_db

ARCHIVE = reverse("portal:archive")


def detail(document) -> str:
    return reverse("portal:archive_detail", args=[document.pk])


@pytest.fixture
def shelf(cast, clientele):
    """HAIER's confidential quote and contract, its internal review minutes, a quote made
    secret; NIKE's quote."""

    def make(title, company=clientele.company, document_type="quote", level="confidential", on=1):
        return archived(
            actor=cast.ae,
            title=title,
            company=company,
            document_type=document_type,
            level=level,
            signed_on=date(2026, 5, on),
        )

    return {
        "quote": make("冰箱报价 V2", on=3),
        "contract": make("年度服务合同", document_type="contract", on=2),
        "review": make("冰箱评审纪要", document_type="review", level=Level.INTERNAL, on=4),
        "secret": make("秘密报价", level=Level.SECRET, on=5),
        "nike": make("Nike quote", company=clientele.other_company, on=6),
    }


def test_the_client_sees_only_their_documents_meant_for_them(shelf, cast, login):
    response = login(cast.client).get(ARCHIVE)
    assert response.status_code == 200
    assert [d.title for d in response.context["page"].documents] == ["冰箱报价 V2", "年度服务合同"]
    body = response.content.decode()
    assert "冰箱评审纪要" not in body and "秘密报价" not in body and "Nike quote" not in body
    nike = login(cast.outsider).get(ARCHIVE)
    assert [d.title for d in nike.context["page"].documents] == ["Nike quote"]


def test_it_searches_and_filters(shelf, cast, login):
    client = login(cast.client)

    def titles(**params):
        return [d.title for d in client.get(ARCHIVE, params).context["page"].documents]

    assert titles(q="合同") == ["年度服务合同"]
    assert titles(q=shelf["quote"].number) == ["冰箱报价 V2"]
    assert titles(document_type="quote") == ["冰箱报价 V2"]
    assert titles(since="2026-05-03") == ["冰箱报价 V2"]
    assert titles(until="2026-05-02") == ["年度服务合同"]
    assert titles(q="Nike") == []


def test_it_pages_by_keyset(cast, clientele, login):
    for n in range(25):
        archived(
            actor=cast.ae,
            title=f"报价 {n:02d}",
            company=clientele.company,
            document_type="quote",
            level=Level.CONFIDENTIAL,
            signed_on=date(2026, 1, 1) + timedelta(days=n),
        )
    client = login(cast.client)
    first = client.get(ARCHIVE)
    page = first.context["page"]
    assert len(page.documents) == 20 and page.documents[0].title == "报价 24"
    second = client.get(ARCHIVE, {"after": page.next_cursor})
    assert [d.title for d in second.context["page"].documents] == [
        f"报价 {n:02d}" for n in range(4, -1, -1)
    ]
    assert second.context["page"].next_cursor == ""


def test_the_list_has_a_fixed_query_count(cast, clientele, login, django_assert_num_queries):
    def documents(n):
        for _ in range(n):
            archived(
                actor=cast.ae,
                company=clientele.company,
                document_type="quote",
                level=Level.CONFIDENTIAL,
                job=None,
            )

    documents(2)
    client = login(cast.client)
    client.get(ARCHIVE)
    with django_assert_num_queries(4) as small:
        client.get(ARCHIVE)
    documents(18)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(ARCHIVE)
    assert len(response.context["page"].documents) == 20


def test_opening_a_document_shows_its_content_and_logs_the_view(shelf, cast, login):
    response = login(cast.client).get(detail(shelf["quote"]), REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    assert "<p>冰箱报价 V2</p>" in response.content.decode()
    log = AccessLog.objects.get()
    assert (log.user, log.document, log.action, log.outcome) == (
        cast.client,
        shelf["quote"],
        "view",
        "allowed",
    )
    assert (log.via, log.ip_address) == ("portal", "10.1.2.3")


def test_the_detail_page_has_a_fixed_query_count(shelf, cast, login, django_assert_num_queries):
    quote = shelf["quote"]
    client = login(cast.client)
    client.get(detail(quote))
    with django_assert_num_queries(6):
        client.get(detail(quote))
    for n in range(3):
        row = SnapshotFile(snapshot=quote.snapshot, name=f"附件{n}.pdf", sha256="0" * 64, size=1)
        row.file.save(f"a{n}.pdf", ContentFile(b"x"), save=True)
    with django_assert_num_queries(6):
        response = client.get(detail(quote))
    assert response.content.decode().count('data-testid="portal-archive-file"') == 3


def test_the_pdf_is_a_logged_download(shelf, cast, login):
    quote = shelf["quote"]
    response = login(cast.client).get(reverse("portal:archive_pdf", args=[quote.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]
    log = AccessLog.objects.get()
    assert (log.action, log.outcome, log.file_name) == (
        "download",
        "allowed",
        f"{quote.number}.pdf",
    )


def test_an_attached_file_is_a_logged_download(shelf, cast, login):
    quote = shelf["quote"]
    row = SnapshotFile(snapshot=quote.snapshot, name="报价单.xlsx", sha256="0" * 64, size=5)
    row.file.save("quote.xlsx", ContentFile(b"hello"), save=True)
    client = login(cast.client)
    assert 'data-testid="portal-archive-file"' in client.get(detail(quote)).content.decode()
    response = client.get(reverse("portal:archive_file", args=[quote.pk, row.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"hello"
    download = AccessLog.objects.get(action="download")
    assert (download.file_name, download.outcome) == ("报价单.xlsx", "allowed")
    wrong = client.get(reverse("portal:archive_file", args=[shelf["contract"].pk, row.pk]))
    assert wrong.status_code == 404


@pytest.mark.parametrize("which", ["nike", "review", "secret"])
def test_a_document_not_meant_for_the_client_is_404_and_logged_refused(shelf, cast, login, which):
    document = shelf[which]
    client = login(cast.client)
    assert client.get(detail(document)).status_code == 404
    assert client.get(reverse("portal:archive_pdf", args=[document.pk])).status_code == 404
    assert list(AccessLog.objects.values_list("outcome", flat=True)) == ["refused", "refused"]


def test_a_missing_document_is_404(cast, clientele, login):
    assert (
        login(cast.client).get(reverse("portal:archive_detail", args=[999999])).status_code == 404
    )


@pytest.mark.parametrize("who", ["ae", "gm", "admin"])
def test_staff_have_no_portal_archive(shelf, cast, login, who):
    client = login(getattr(cast, who))
    assert client.get(ARCHIVE).status_code == 404
    assert client.get(detail(shelf["quote"])).status_code == 404
    assert not AccessLog.objects.exists()


def test_the_admin_sees_the_clients_openings_in_the_access_log(shelf, cast, login):
    login(cast.client).get(detail(shelf["quote"]))
    login(cast.outsider).get(detail(shelf["quote"]))
    response = login(cast.admin).get(reverse("documents:access_log"))
    rows = list(response.context["page_obj"])
    assert {(r.user, r.outcome) for r in rows} == {
        (cast.client, "allowed"),
        (cast.outsider, "refused"),
    }
    assert "客户甲" in response.content.decode()


def test_a_document_made_secret_leaves_the_portal(shelf, cast, login):
    ArchivedDocument.objects.filter(pk=shelf["quote"].pk).update(level=Level.SECRET)
    client = login(cast.client)
    assert [d.title for d in client.get(ARCHIVE).context["page"].documents] == ["年度服务合同"]
    assert client.get(detail(shelf["quote"])).status_code == 404


def test_the_menu_has_the_archive_for_client_users_only(cast, clientele):
    def names(user):
        return {item.url_name for item in menu_for(user)}

    assert "portal:archive" in names(cast.client)
    assert "portal:archive" not in names(cast.ae)
    assert "portal:archive" not in names(cast.admin)
