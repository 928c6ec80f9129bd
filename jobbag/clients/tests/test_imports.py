"""The Excel import: upload, preview of every bad row, all-or-nothing import, progress."""

import re
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from openpyxl import Workbook, load_workbook

from jobbag.accounts.models import ServiceTeamMembership, User
from jobbag.clients.imports import SHEETS
from jobbag.clients.models import Brand, Company, Contact, ImportJob
from jobbag.clients.services.imports import progress_set
from jobbag.clients.tasks import import_run
from jobbag.clients.tests.factories import ContactFactory
from jobbag.core.models import AuditEntry
from jobbag.core.testing import Case, run_permission_matrix
from jobbag.core.tests.tasks_for_tests import run_ready_tasks


@pytest.fixture(autouse=True)
def english_speaking_ae(cast):
    """The messages asserted below are read in English."""
    User.objects.filter(pk=cast.ae.pk).update(language="en")
    cast.ae.language = "en"


S = ImportJob.Status
COMPANY_HEADERS = ["客户代码", "客户名称", "英文名称", "行业", "状态", "重点客户", "注册资本"]
BRAND_HEADERS = ["客户代码", "品牌名称", "英文名称", "产品类别"]
CONTACT_HEADERS = ["客户代码", "姓名", "职务", "品牌", "手机", "电子邮件", "上级"]


def workbook(companies=(), brands=(), contacts=(), *, headers=None, name="clients.xlsx"):
    """An uploaded .xlsx with the three sheets; `headers` replaces the Chinese ones."""
    headers = headers or {}
    book = Workbook()
    book.remove(book.active)
    for title, default, rows in (
        ("客户", COMPANY_HEADERS, companies),
        ("品牌", BRAND_HEADERS, brands),
        ("联系人", CONTACT_HEADERS, contacts),
    ):
        sheet = book.create_sheet(title)
        sheet.append(headers.get(title, default))
        for row in rows:
            sheet.append(list(row))
    buffer = BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


CLEAN = {
    "companies": [
        ("DAIRY", "绿野乳业", "Green Meadow Dairy", "乳制品", "", "是", 50000000),
        ("QQ", "清泉饮料", "", "饮料", "dormant", "否", None),
    ],
    "brands": [
        ("DAIRY", "绿野纯牛奶", "Green Meadow Milk", "牛奶"),
        ("DAIRY", "绿野酸奶", "", "酸奶"),
        ("QQ", "清泉矿泉水", "", "饮用水"),
    ],
    "contacts": [
        # A report listed before their superior: the import creates superiors first.
        ("DAIRY", "何静", "市场部经理", "绿野纯牛奶", 13900001111, "hejing@dairy.example", "马骏"),
        ("DAIRY", "马骏", "总经理", "", "139-0000-2222", "", ""),
        ("DAIRY", "许文", "品牌主管", "绿野酸奶", "", "", "何静"),
        ("QQ", "陈晓", "采购经理", "", "", "", ""),
        # Someone at an existing client the uploader serves, reporting to someone there.
        ("HAIER", "王海", "品牌经理", "海尔冰箱", "", "", "孙丽"),
    ],
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(client, file):
    return client.post(reverse("clients:import"), {"file": file})


def detail(job):
    return reverse("clients:import_detail", args=[job.pk])


def confirm(client, job):
    return client.post(reverse("clients:import_confirm", args=[job.pk]))


def test_it_imports_a_clean_file_once_with_the_org_chart(login, cast, clientele):
    client = login(cast.ae)

    response = upload(client, workbook(**CLEAN))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(job)
    assert job.status == S.UPLOADED and job.created_by == cast.ae
    assert AuditEntry.objects.filter(object_id=str(job.pk), action="create").exists()

    run_ready_tasks()
    job.refresh_from_db()
    assert job.status == S.VALID, job.errors
    assert job.total_rows == 10
    assert job.summary["create"] == {"companies": 2, "brands": 3, "contacts": 5}
    page = client.get(detail(job))
    assert page.status_code == 200 and 'data-testid="import-confirm"' in page.content.decode()
    assert not Company.objects.filter(code__in=["DAIRY", "QQ"]).exists()

    assert confirm(client, job).status_code == 302
    job.refresh_from_db()
    assert job.status == S.IMPORTING
    run_ready_tasks()
    job.refresh_from_db()
    assert job.status == S.DONE and job.processed_rows == 10
    assert job.summary["created"] == {"companies": 2, "brands": 3, "contacts": 5}

    dairy = Company.objects.get(code="DAIRY")
    assert dairy.name_en == "Green Meadow Dairy" and dairy.is_key_client
    assert dairy.registered_capital == 50000000 and dairy.status == Company.Status.ACTIVE
    assert "lvye" in dairy.search
    assert Company.objects.get(code="QQ").status == Company.Status.DORMANT
    assert set(dairy.brands.values_list("name", flat=True)) == {"绿野纯牛奶", "绿野酸奶"}
    people = {c.name: c for c in Contact.objects.filter(company=dairy)}
    assert people["何静"].reports_to == people["马骏"]
    assert people["许文"].reports_to == people["何静"]
    assert people["何静"].mobile == "13900001111" and people["何静"].brand.name == "绿野纯牛奶"
    wanghai = Contact.objects.get(name="王海")
    assert wanghai.company == clientele.company and wanghai.reports_to == clientele.contact
    # Through the services: audited as the uploader, who now serves the new clients.
    assert AuditEntry.objects.filter(
        actor=cast.ae, action="create", object_id=str(dairy.pk), content_type__model="company"
    ).exists()
    assert AuditEntry.objects.filter(actor=cast.ae, content_type__model="contact").count() == 5
    assert ServiceTeamMembership.objects.filter(user=cast.ae, company=dairy).exists()
    page = client.get(detail(job)).content.decode()
    assert 'data-testid="import-done"' in page

    # The same file again adds nothing: every row is already in the client file.
    upload(client, workbook(**CLEAN))
    again = ImportJob.objects.latest("id")
    run_ready_tasks()
    again.refresh_from_db()
    assert again.status == S.VALID
    assert again.summary["create"] == {"companies": 0, "brands": 0, "contacts": 0}
    assert again.summary["skip"] == {"companies": 2, "brands": 3, "contacts": 5}
    assert len(again.warnings) == 10
    confirm(client, again)
    run_ready_tasks()
    assert Company.objects.filter(code__in=["DAIRY", "QQ"]).count() == 2
    assert Contact.objects.filter(name="何静").count() == 1


def bad_file():
    contacts = [list(row) for row in CLEAN["contacts"]]
    contacts[2][4] = "call me"  # 许文, row 4: not a phone number.
    contacts[4][6] = "李四"  # 王海, row 6: no one of that name at HAIER.
    return workbook(CLEAN["companies"], CLEAN["brands"], contacts)


def test_it_lists_every_bad_row_and_writes_nothing(login, cast, clientele):
    client = login(cast.ae)
    upload(client, bad_file())
    run_ready_tasks()

    job = ImportJob.objects.get()
    assert job.status == S.INVALID
    assert [(e["sheet"], e["row"], e["field"]) for e in job.errors] == [
        ("contacts", 4, "mobile"),
        ("contacts", 6, "reports_to"),
    ]
    page = client.get(detail(job)).content.decode()
    assert 'data-testid="import-invalid"' in page and 'data-testid="import-confirm"' not in page
    assert page.count("<tr data-row=") == 2
    assert "call me" not in page and "联系人" in page

    # Confirming a file with bad rows is refused; nothing is queued, nothing written.
    response = confirm(client, job)
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == S.INVALID
    assert DBTaskResult.objects.filter(task_path__endswith="import_run").count() == 0
    assert not Company.objects.filter(code__in=["DAIRY", "QQ"]).exists()
    assert not Contact.objects.filter(name__in=["何静", "王海"]).exists()

    # The fixed file imports.
    upload(client, workbook(**CLEAN))
    fixed = ImportJob.objects.latest("id")
    run_ready_tasks()
    confirm(client, fixed)
    run_ready_tasks()
    fixed.refresh_from_db()
    assert fixed.status == S.DONE
    assert Contact.objects.filter(name__in=["何静", "王海", "许文"]).count() == 3


def test_it_checks_the_rules_across_rows(login, cast, clientele):
    ContactFactory(company=clientele.company, name="孙丽")  # A second 孙丽 at HAIER.
    companies = [
        ("DAIRY", "绿野乳业", "", "", "", "", ""),
        ("DAIRY", "又一个", "", "", "", "", ""),  # Row 3: code repeated.
        ("bad code!", "坏代码", "", "", "sleeping", "maybe", "lots"),  # Row 4.
        ("HAIER", "海尔集团", "", "", "", "", ""),  # Row 5: exists, left alone.
    ]
    brands = [
        ("DAIRY", "绿野纯牛奶", "", ""),
        ("DAIRY", "绿野纯牛奶", "", ""),  # Row 3: repeated.
        ("NOPE", "无主品牌", "", ""),  # Row 4: no such client.
        ("NIKE", "耐克跑鞋", "", ""),  # Row 5: the AE does not serve NIKE.
    ]
    contacts = [
        ("DAIRY", "甲", "", "不存在的品牌", "", "not-an-email", "乙"),  # Row 2.
        ("DAIRY", "乙", "", "", "", "", "甲"),  # Row 3: 甲 and 乙 report to each other.
        ("DAIRY", "丙", "", "", "", "", "丙"),  # Row 4: reports to themself.
        ("HAIER", "丁", "", "", "", "", "孙丽"),  # Row 5: two people called 孙丽 at HAIER.
        ("HAIER", "孙丽", "", "", "", "", ""),  # Row 6: exists, left alone.
        ("", "无名", "", "", "", "", ""),  # Row 7: no client code.
    ]
    client = login(cast.ae)
    upload(client, workbook(companies, brands, contacts))
    run_ready_tasks()

    job = ImportJob.objects.get()
    assert job.status == S.INVALID
    found = {(e["sheet"], e["row"], e["field"]): e["message"] for e in job.errors}
    assert set(found) == {
        ("companies", 3, "code"),
        ("companies", 4, "code"),
        ("companies", 4, "status"),
        ("companies", 4, "is_key_client"),
        ("companies", 4, "registered_capital"),
        ("brands", 3, "name"),
        ("brands", 4, "company"),
        ("brands", 5, "company"),
        ("contacts", 2, "brand"),
        ("contacts", 2, "email"),
        ("contacts", 2, "reports_to"),
        ("contacts", 3, "reports_to"),
        ("contacts", 4, "reports_to"),
        ("contacts", 5, "reports_to"),
        ("contacts", 7, "company"),
    }
    # The services' own messages, not copies.
    assert found[("companies", 4, "code")].startswith("Use 2 to 12 capital letters")
    assert found[("contacts", 2, "email")] == "Enter a valid e-mail address."
    assert {(w["sheet"], w["row"]) for w in job.warnings} == {("companies", 5), ("contacts", 6)}
    assert Company.objects.count() == 2


def test_it_reads_english_and_bilingual_headers(login, cast):
    headers = {
        "客户": ["Client code", "Name", "English name", "Industry", "Status", "Key client"],
        "品牌": ["客户代码 / Client code", "品牌名称 / Brand name"],
        "联系人": ["CLIENT CODE", "name", "Title", "Brand", "Mobile", "E-mail", "Reports to"],
    }
    file = workbook(
        [("ACME", "顶峰科技", "Acme Tech", "科技", "Active client", "no")],
        [("ACME", "顶峰云")],
        [("ACME", "钱七", "CEO", "顶峰云", "13700000000", "qian@acme.example", "")],
        headers=headers,
    )
    client = login(cast.ae)
    upload(client, file)
    run_ready_tasks()
    job = ImportJob.objects.get()
    assert job.status == S.VALID, job.errors


def test_it_refuses_a_file_that_is_not_an_xlsx_workbook(login, cast):
    client = login(cast.ae)
    fake = SimpleUploadedFile("clients.xlsx", "代码,名称\nHAIER,海尔".encode())

    response = upload(client, fake)

    assert response.status_code == 400
    assert "This is not an Excel workbook" in response.content.decode()
    assert not ImportJob.objects.exists() and not DBTaskResult.objects.exists()


def test_it_refuses_a_workbook_without_client_sheets_and_an_empty_form(login, cast):
    client = login(cast.ae)
    book = Workbook()
    book.active.append(["随便", "什么"])
    buffer = BytesIO()
    book.save(buffer)

    response = upload(client, SimpleUploadedFile("other.xlsx", buffer.getvalue()))
    assert response.status_code == 400 and "客户, 品牌" in response.content.decode()
    response = client.post(reverse("clients:import"), {})
    assert response.status_code == 400 and "Choose an Excel file" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_it_refuses_an_oversize_file(login, cast, settings):
    settings.MAX_UPLOAD_BYTES = 1024
    client = login(cast.ae)

    response = upload(client, workbook(**CLEAN))

    assert response.status_code == 400
    assert "larger than" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_it_imports_once_when_confirmed_twice(login, cast, clientele):
    client = login(cast.ae)
    upload(client, workbook(**CLEAN))
    run_ready_tasks()
    job = ImportJob.objects.get()

    confirm(client, job)
    second = confirm(client, job)
    assert second.status_code == 302
    messages = [str(m) for m in second.wsgi_request._messages]
    assert any("cannot be started now" in m for m in messages)
    assert DBTaskResult.objects.filter(task_path__endswith="import_run").count() == 1

    # Even a task queued twice imports once: the second finds the job done.
    import_run.enqueue(job.pk)
    run_ready_tasks()
    job.refresh_from_db()
    assert job.status == S.DONE
    assert Company.objects.filter(code="DAIRY").count() == 1
    assert Contact.objects.filter(name="何静").count() == 1
    assert Brand.objects.filter(name="绿野纯牛奶").count() == 1


def test_it_shows_the_progress_while_importing_and_reloads_when_done(login, cast):
    client = login(cast.ae)
    job = ImportJob.objects.create(
        created_by=cast.ae, original_name="big.xlsx", status=S.IMPORTING, total_rows=200
    )
    progress_set(job.pk, 50)

    page = client.get(detail(job)).content.decode()
    assert 'hx-trigger="every 1s"' in page and 'value="25"' in page
    assert "50" in page and "200" in page
    partial = client.get(detail(job), headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert partial.content.decode().lstrip().startswith('<div id="import-progress"')

    ImportJob.objects.filter(pk=job.pk).update(status=S.DONE, processed_rows=200)
    finished = client.get(detail(job), headers={"HX-Request": "true"})
    assert finished.status_code == 200 and finished["HX-Refresh"] == "true"
    assert 'hx-trigger="every 1s"' not in client.get(detail(job)).content.decode()


def test_it_downloads_a_template_with_chinese_and_english_headers(login, cast):
    response = login(cast.ae).get(reverse("clients:import_template"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames[:3] == ["客户 Companies", "品牌 Brands", "联系人 Contacts"]
    headers = [cell.value for cell in book["联系人 Contacts"][1]]
    assert headers[:2] == ["客户代码 / Client code", "姓名 / Name"]
    assert "上级 / Reports to" in headers
    assert len(headers) == len(SHEETS[2].columns)


def test_the_template_itself_imports(login, cast):
    client = login(cast.ae)
    template = client.get(reverse("clients:import_template")).content
    upload(client, SimpleUploadedFile("template.xlsx", template))
    run_ready_tasks()
    job = ImportJob.objects.get()
    assert job.status == S.VALID, job.errors
    assert job.summary["create"] == {"companies": 1, "brands": 1, "contacts": 1}


def test_each_user_sees_only_their_own_imports(cast, clientele):
    mine = ImportJob.objects.create(created_by=cast.ae, original_name="mine.xlsx")
    theirs = ImportJob.objects.create(created_by=clientele.other_ae, original_name="theirs.xlsx")
    cast.other_ae = clientele.other_ae
    start, template = reverse("clients:import"), reverse("clients:import_template")
    cases = [
        Case("anonymous", "GET", start, 302),
        Case("anonymous", "GET", detail(mine), 302),
        # Client users never reach staff pages; they do not learn they exist.
        Case("client", "GET", start, 404),
        Case("client", "GET", detail(mine), 404),
        Case("outsider", "GET", template, 404),
        Case("designer", "GET", start, 403),
        Case("designer", "GET", template, 403),
        Case("designer", "GET", detail(mine), 404),
        Case("designer", "POST", reverse("clients:import_confirm", args=[mine.pk]), 404),
        Case("ae", "GET", start, 200),
        Case("ae", "GET", template, 200),
        Case("ae", "GET", detail(mine), 200),
        Case("ae", "GET", detail(theirs), 404),
        Case("ae", "POST", reverse("clients:import_confirm", args=[theirs.pk]), 404),
        Case("other_ae", "GET", detail(mine), 404),
        Case("other_ae", "GET", detail(theirs), 200),
        Case("admin", "GET", detail(mine), 200),
        Case("admin", "GET", detail(theirs), 200),
    ]
    run_permission_matrix(cast, cases)


def test_the_upload_page_lists_imports_in_a_fixed_number_of_queries(
    login, cast, django_assert_num_queries
):
    client = login(cast.admin)
    ImportJob.objects.create(created_by=cast.ae, original_name="one.xlsx")
    client.get(reverse("clients:import"))  # The session's first request does one-off work.
    with django_assert_num_queries(5) as few:
        client.get(reverse("clients:import"))
    for n in range(15):
        ImportJob.objects.create(created_by=cast.ad, original_name=f"{n}.xlsx")
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(reverse("clients:import"))
    assert len(re.findall(r'href="/clients/import/\d+/"', response.content.decode())) == 16
