"""An AE imports 50 contacts from Excel in a real browser, in Chinese: the file's two bad
rows are shown and nothing is written; the fixed file imports."""

import pytest
from openpyxl import Workbook

from jobbag.clients.models import Company, Contact, ImportJob
from jobbag.core.tests.tasks_for_tests import run_ready_tasks

pytestmark = pytest.mark.browser

BAD_MOBILE_ROW, BAD_BOSS_ROW = 10, 31


def contacts_file(path, *, broken: bool) -> str:
    """A workbook with one new client and its 50 people: a general manager and the rest
    reporting to them (or to the marketing director)."""
    book = Workbook()
    companies = book.active
    companies.title = "客户"
    companies.append(["客户代码", "客户名称", "英文名称", "行业"])
    companies.append(["XINGHE", "星河食品", "Galaxy Foods", "食品"])
    people = book.create_sheet("联系人")
    people.append(["客户代码", "姓名", "职务", "手机", "电子邮件", "上级"])
    people.append(["XINGHE", "林总", "总经理", "13800000000", "lin@galaxy.example", ""])
    people.append(["XINGHE", "江敏", "市场总监", "13800000001", "jiang@galaxy.example", "林总"])
    for n in range(2, 50):
        people.append(
            ["XINGHE", f"员工{n:02d}", "市场专员", f"138{n:08d}", f"p{n}@galaxy.example", "江敏"]
        )
    if broken:
        people.cell(row=BAD_MOBILE_ROW, column=4, value="138-call-me")
        people.cell(row=BAD_BOSS_ROW, column=6, value="王不在")
    book.save(path)
    return str(path)


def upload(page, file: str) -> None:
    page.goto("/clients/import/")
    page.get_by_test_id("import-title").wait_for()
    page.set_input_files("input[name=file]", file)
    with page.expect_navigation():
        page.get_by_test_id("import-upload").click()
    page.get_by_test_id("import-status").wait_for()


def test_an_ae_imports_fifty_contacts_after_fixing_two_bad_rows(
    page, cast, clientele, password, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    page.goto("/accounts/login/")
    page.fill("input[name=username]", cast.ae.username)
    page.fill("input[name=password]", password)
    page.get_by_test_id("login-submit").click()
    page.get_by_test_id("home-title").wait_for()
    assert page.get_attribute("html", "lang") == "zh-hans"

    # The file with two bad rows: the page polls while a worker checks it, then shows both.
    upload(page, contacts_file(tmp_path / "bad.xlsx", broken=True))
    page.get_by_test_id("import-progress").wait_for()
    run_ready_tasks()
    page.get_by_test_id("import-invalid").wait_for()
    rows = page.locator("[data-testid=import-problems] tbody tr")
    assert rows.count() == 2
    assert rows.nth(0).get_attribute("data-row") == str(BAD_MOBILE_ROW)
    assert rows.nth(1).get_attribute("data-row") == str(BAD_BOSS_ROW)
    assert "王不在" not in rows.nth(1).inner_text() and "联系人" in rows.nth(1).inner_text()
    assert page.get_by_test_id("import-confirm").count() == 0
    assert not Company.objects.filter(code="XINGHE").exists()
    assert not Contact.objects.filter(name="林总").exists()

    # The fixed file: clean, confirmed, imported while the progress bar runs.
    upload(page, contacts_file(tmp_path / "fixed.xlsx", broken=False))
    run_ready_tasks()
    page.get_by_test_id("import-confirm").wait_for()
    with page.expect_navigation():
        page.get_by_test_id("import-confirm").click()
    run_ready_tasks()
    page.get_by_test_id("import-done").wait_for()
    assert page.get_by_test_id("import-status").get_attribute("data-status") == "done"

    xinghe = Company.objects.get(code="XINGHE")
    assert Contact.objects.filter(company=xinghe).count() == 50
    assert Contact.objects.get(name="员工30").reports_to.name == "江敏"
    assert ImportJob.objects.filter(status=ImportJob.Status.DONE).count() == 1

    # Once in English: the outcome reads the same.
    with page.expect_navigation():
        page.get_by_test_id("language-select").select_option("en")
    page.get_by_test_id("import-done").wait_for()
    assert (
        "Imported: 1 clients, 0 brands and 50 contacts."
        in page.get_by_test_id("import-done").inner_text()
    )
