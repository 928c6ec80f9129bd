"""Attachments of the brand dossier: type and size checks, downloads only through a
permission check, removal audited."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jobbag.clients.models import DossierAttachment
from jobbag.clients.services import dossier
from jobbag.core.errors import DomainError
from jobbag.core.models import AuditEntry

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


def office(folder: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}/document.xml", "<document/>")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.MAX_UPLOAD_BYTES = 1024
    return tmp_path


def stored_files(media) -> list:
    return [path for path in media.rglob("*") if path.is_file()]


def upload_url(brand, section: str = "reviews") -> str:
    return f"/clients/brands/{brand.pk}/dossier/{section}/files/"


def test_it_attaches_a_pdf_to_a_section_and_lists_it(cast, clientele, login, media):
    brand = clientele.brand
    client = login(cast.ae)

    response = client.post(
        upload_url(brand), {"file": SimpleUploadedFile("美的广告评议.pdf", PDF, "text/html")}
    )

    assert response.status_code == 302
    attachment = DossierAttachment.objects.get()
    assert (attachment.section, attachment.original_name) == ("reviews", "美的广告评议.pdf")
    # The type comes from the checked content, not from what the browser claimed.
    assert attachment.content_type == "application/pdf"
    assert (attachment.size, attachment.uploaded_by) == (len(PDF), cast.ae)
    [path] = stored_files(media)
    assert path.read_bytes() == PDF and "美的" not in path.name
    entry = AuditEntry.objects.get(object_id=str(attachment.pk), action="create")
    assert entry.actor == cast.ae and entry.changes["original_name"] == [None, "美的广告评议.pdf"]

    section = client.get(f"/clients/brands/{brand.pk}/dossier/reviews/")
    assert section.context["attachments"] == [attachment]
    assert "美的广告评议.pdf" in client.get(f"/clients/brands/{brand.pk}/dossier/").content.decode()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("setup.pdf", EXE, dossier.FILE_CONTENT % {"ext": "pdf"}),
        ("photo.png", PDF, dossier.FILE_CONTENT % {"ext": "png"}),
        ("notes.txt", EXE, dossier.FILE_CONTENT % {"ext": "txt"}),
        ("report.docx", b"PK\x03\x04" + b"\x00" * 40, dossier.FILE_CONTENT % {"ext": "docx"}),
        ("report.docx", office("xl"), dossier.FILE_CONTENT % {"ext": "docx"}),
        ("setup.exe", EXE, dossier.FILE_TYPE),
        ("no-extension", PDF, dossier.FILE_TYPE),
        (
            "big.pdf",
            PDF + b"x" * 3000,
            dossier.FILE_TOO_LARGE % {"size": "3.0\xa0KB", "limit": "1.0\xa0KB"},
        ),
    ],
)
def test_it_refuses_files_of_the_wrong_type_or_size_and_writes_nothing(
    cast, clientele, login, media, name, content, message
):
    response = login(cast.ae).post(
        upload_url(clientele.brand), {"file": SimpleUploadedFile(name, content)}
    )

    assert response.status_code == 400
    errors = response.context["upload_form"].errors["file"]
    assert errors == [str(message)]
    assert not DossierAttachment.objects.exists()
    assert stored_files(media) == []
    assert not AuditEntry.objects.exists()


def test_it_refuses_an_empty_or_missing_file(cast, clientele):
    for upload in (None, SimpleUploadedFile("empty.txt", b"")):
        with pytest.raises(DomainError) as refused:
            dossier.dossier_attachment_add(
                actor=cast.ae, brand=clientele.brand, section="market", upload=upload
            )
        assert "file" in refused.value.fields


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("logo.png", PNG, "image/png"),
        ("photo.JPG", b"\xff\xd8\xff\xe0" + b"\x00" * 16, "image/jpeg"),
        ("anim.gif", b"GIF89a" + b"\x00" * 16, "image/gif"),
        ("shot.webp", b"RIFF\x10\x00\x00\x00WEBPVP8 ", "image/webp"),
        ("brief.docx", office("word"), dossier.ALLOWED_TYPES["docx"]),
        ("plan.xlsx", office("xl"), dossier.ALLOWED_TYPES["xlsx"]),
        ("deck.pptx", office("ppt"), dossier.ALLOWED_TYPES["pptx"]),
        ("纪要.txt", "会议纪要：品牌定位".encode("gb18030"), "text/plain"),
        ("notes.txt", "Meeting notes ✓".encode(), "text/plain"),
    ],
)
def test_it_accepts_the_allowed_types(cast, clientele, name, content, content_type):
    attachment = dossier.dossier_attachment_add(
        actor=cast.ae,
        brand=clientele.brand,
        section="strategy",
        upload=SimpleUploadedFile(name, content),
    )
    assert attachment.content_type == content_type


def attach(cast, brand, name="brief.pdf", content=PDF, section="research"):
    return dossier.dossier_attachment_add(
        actor=cast.ae, brand=brand, section=section, upload=SimpleUploadedFile(name, content)
    )


def test_a_download_goes_through_the_permission_check_and_is_logged(cast, clientele, login):
    brand = clientele.brand
    attachment = attach(cast, brand, name="调查报告.pdf")
    path = f"/clients/brands/{brand.pk}/dossier/files/{attachment.pk}/"

    response = login(cast.ad).get(path)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''%E8%B0%83" in response["Content-Disposition"]
    access = AuditEntry.objects.get(action=AuditEntry.Action.ACCESS)
    assert (access.actor, access.object_id) == (cast.ad, str(attachment.pk))

    for user in (clientele.other_ae, cast.designer, cast.client, cast.outsider):
        assert login(user).get(path).status_code == 404, user
    assert AuditEntry.objects.filter(action=AuditEntry.Action.ACCESS).count() == 1
    # Another brand's id with this file's id finds nothing.
    other = clientele.other_company.brands.create(name="耐克跑鞋")
    assert (
        login(cast.gm).get(f"/clients/brands/{other.pk}/dossier/files/{attachment.pk}/").status_code
        == 404
    )
    # Files are never served from a public media URL.
    assert login(cast.ae).get(f"/media/{attachment.file.name}").status_code == 404


def test_it_removes_an_attachment_with_an_audit_entry_and_its_file(
    cast, clientele, login, media, django_capture_on_commit_callbacks
):
    brand = clientele.brand
    attachment = attach(cast, brand)
    path = f"/clients/brands/{brand.pk}/dossier/files/{attachment.pk}/remove/"

    assert login(clientele.other_ae).post(path).status_code == 404
    assert login(cast.ae).get(path).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = login(cast.ad).post(path)

    assert response.status_code == 302
    assert response["Location"] == f"/clients/brands/{brand.pk}/dossier/research/"
    assert not DossierAttachment.objects.exists()
    assert stored_files(media) == []
    removal = AuditEntry.objects.get(action=AuditEntry.Action.DELETE)
    assert removal.actor == cast.ad
    assert removal.changes["original_name"] == ["brief.pdf", None]
    section = login(cast.ae).get(f"/clients/brands/{brand.pk}/dossier/research/")
    assert list(section.context["attachment_removals"]) == [removal]


def test_only_those_who_may_edit_upload(cast, clientele, login, media):
    for user in (clientele.other_ae, cast.client, cast.designer):
        response = login(user).post(
            upload_url(clientele.brand), {"file": SimpleUploadedFile("a.pdf", PDF)}
        )
        assert response.status_code == 404
    assert not DossierAttachment.objects.exists() and stored_files(media) == []
