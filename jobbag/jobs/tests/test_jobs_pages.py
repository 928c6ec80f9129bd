"""Intake pages: the job list (filters, export, query budget), taking and editing a job,
the job's page with its panels and history, the number, cancelling, settings, and the
home card and menu."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.urls import resolve
from openpyxl import load_workbook

from jobbag.core.testing import Case, run_permission_matrix
from jobbag.jobs.models import Job, JobSettings, OrderKind, Stage
from jobbag.jobs.panels import JobPanel, _panels
from jobbag.jobs.services import jobs as services
from jobbag.jobs.tests.factories import JobFactory, order_kind


@pytest.fixture
def english(cast):
    for user in (cast.ae, cast.ad, cast.gm, cast.admin, cast.designer, cast.finance):
        user.language = "en"
        user.save(update_fields=["language"])


@pytest.fixture
def only_my_panels(monkeypatch):
    """The job page with only intake's panels (others register theirs as they land)."""
    # Every step's views module registers its panel when the URLs load: load them first.
    resolve("/jobs/")
    mine = [p for p in _panels if p.key in {"requirements", "history"}]
    monkeypatch.setattr("jobbag.jobs.panels._panels", mine)
    return mine


def many_jobs(clientele, owner, count: int) -> list[Job]:
    return [
        JobFactory(
            company=clientele.company,
            brand=clientele.brand,
            owner=owner,
            received_on=date(2026, 3, 1) + timedelta(days=n),
        )
        for n in range(count)
    ]


# The list ----------------------------------------------------------------------------------


def test_the_list_shows_only_the_jobs_one_may_see_newest_first(login, cast, clientele, english):
    old, new = many_jobs(clientele, cast.ae, 2)
    nike = JobFactory(company=clientele.other_company, owner=clientele.other_ae)

    response = login(cast.ae).get("/jobs/")
    assert response.status_code == 200
    assert list(response.context["page_obj"]) == [new, old]
    assert nike.title not in response.content.decode()

    response = login(cast.gm).get("/jobs/")
    assert set(response.context["page_obj"]) == {old, new, nike}


def test_the_list_filters(login, cast, clientele, english):
    first, second = many_jobs(clientele, cast.ae, 2)
    services.job_brief_review(actor=cast.ae, job=first)
    first.refresh_from_db()
    other = JobFactory(company=clientele.company, owner=cast.ad, title="洗衣机路演")
    client = login(cast.ae)

    def shown(query: str) -> set[Job]:
        return set(client.get(f"/jobs/?{query}").context["page_obj"])

    assert shown("stage=review") == {first}
    assert shown("stage=open") == {first, second, other}
    assert shown(f"q={first.number}") == {first}
    assert shown("q=洗衣机") == {other}
    assert shown("mine=on") == {first, second}
    assert shown(f"owner={cast.ad.pk}") == {other}
    assert shown(f"company={clientele.company.pk}") == {first, second, other}
    assert shown("received_from=2026-03-02&received_to=2026-03-02") == {second}
    kind = order_kind("intent")
    assert shown(f"order_kind={kind.pk}") == {first, second, other}
    # A filter that makes no sense is ignored rather than failing the page.
    assert client.get("/jobs/?received_from=yesterday").status_code == 200


def test_the_list_exports_the_filtered_jobs(login, cast, clientele, english):
    many_jobs(clientele, cast.ae, 3)
    response = login(cast.ae).get("/jobs/?export=xlsx&q=冰箱")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(BytesIO(response.content)).active.values)
    assert rows[0][:3] == ("Job number", "Job name", "Client")
    assert len(rows) == 4 and rows[1][2] == "HAIER 海尔集团"


def test_the_list_costs_the_same_queries_for_many_jobs(
    login, cast, clientele, django_assert_num_queries
):
    many_jobs(clientele, cast.ae, 3)
    client = login(cast.ae)
    client.get("/jobs/?stage=open&q=冰箱")
    # Session, user, the user's team and served clients (for the scope and the client
    # filter), the count, the unread notices, the filter's choices and the page.
    with django_assert_num_queries(15) as few:
        client.get("/jobs/?stage=open&q=冰箱")
    many_jobs(clientele, cast.ad, 30)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get("/jobs/?stage=open&q=冰箱")
    assert len(response.context["page_obj"]) == 30


# Taking and editing a job --------------------------------------------------------------------


def test_an_ae_takes_a_job_through_the_form(login, cast, clientele, english):
    formal = order_kind("formal")
    client = login(cast.ae)
    page = client.get("/jobs/new/")
    assert page.status_code == 200
    # Only the clients whose file the AE may open are offered.
    assert list(page.context["form"].fields["company"].queryset) == [clientele.company]

    response = client.post(
        "/jobs/new/",
        {
            "company": clientele.company.pk,
            "brand": clientele.brand.pk,
            "client_contact": clientele.contact.pk,
            "order_kind": formal.pk,
            "title": "冰箱夏季促销",
            "owner": cast.ae.pk,
            "received_on": "2026-05-06",
            "estimated_amount": "80000",
            "currency": "CNY",
            "theme": "清凉一夏",
            "launch_date": "2026-06-18",
        },
    )
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert (job.title, job.stage, job.theme, job.launch_date) == (
        "冰箱夏季促销",
        Stage.INTAKE,
        "清凉一夏",
        date(2026, 6, 18),
    )


def test_the_form_offers_the_chosen_clients_brands_and_people(login, cast, clientele):
    from jobbag.clients.tests.factories import BrandFactory

    BrandFactory(company=clientele.other_company, name="耐克跑鞋")
    response = login(cast.gm).get(f"/jobs/new/client-choices/?company={clientele.company.pk}")
    assert response.status_code == 200
    html = response.content.decode()
    assert clientele.brand.name in html and clientele.contact.name in html
    assert "耐克跑鞋" not in html
    # Someone who may not open HAIER's file learns nothing of its people.
    html = login(cast.designer).get(f"/jobs/new/client-choices/?company={clientele.company.pk}")
    assert clientele.contact.name not in html.content.decode()


def test_the_form_shows_the_services_refusal(login, cast, clientele, english):
    formal = order_kind("formal")
    response = login(cast.ae).post(
        "/jobs/new/",
        {"company": clientele.company.pk, "order_kind": formal.pk, "title": "", "currency": "X"},
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "title" in errors and "currency" in errors
    assert not Job.objects.exists()


def test_editing_refuses_a_stale_version(login, cast, clientele, english):
    job = JobFactory(company=clientele.company, owner=cast.ae, title="原标题")
    client = login(cast.ae)
    page = client.get(f"/jobs/{job.pk}/edit/")
    data = {k: v for k, v in page.context["form"].initial.items() if v is not None}
    data.update(title="新标题")
    assert client.post(f"/jobs/{job.pk}/edit/", data).status_code == 302
    job.refresh_from_db()
    assert (job.title, job.version) == ("新标题", 2)
    data.update(title="过时的修改")
    response = client.post(f"/jobs/{job.pk}/edit/", data)
    assert response.status_code == 409
    assert Job.objects.get(pk=job.pk).title == "新标题"


# The job's page ---------------------------------------------------------------------------


def test_the_job_page_shows_the_header_the_panels_and_the_number_button(
    login, cast, clientele, english, only_my_panels
):
    job = JobFactory(company=clientele.company, brand=clientele.brand, owner=cast.ae)
    client = login(cast.ae)
    response = client.get(f"/jobs/{job.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "no number yet" in html and 'id="requirements"' in html and 'id="history"' in html
    assert [p.key for p, _c in response.context["panels"]] == ["requirements", "history"]
    assert 'aria-current="step">Intake<' in html
    assert "held: The job has no job number yet" in html
    assert 'data-testid="brief-review"' in html

    response = client.post(f"/jobs/{job.pk}/brief-reviewed/", {"version": job.version})
    assert response.status_code == 302
    job.refresh_from_db()
    year = date.today().year
    assert job.number == f"HAIER-{year}-0001" and job.stage == Stage.REVIEW
    html = client.get(f"/jobs/{job.pk}/").content.decode()
    assert f"HAIER-{year}-0001" in html and 'data-testid="brief-review"' not in html
    assert "Brief reviewed; job number issued." in html
    # A second click (an old page) issues nothing more.
    client.post(f"/jobs/{job.pk}/brief-reviewed/", {"version": 1})
    job.refresh_from_db()
    assert job.number == f"HAIER-{year}-0001"


def test_the_job_page_renders_every_registered_panel_with_its_context(
    login, cast, clientele, monkeypatch, only_my_panels, tmp_path, settings
):
    (tmp_path / "jobs").mkdir()
    (tmp_path / "jobs" / "_test_panel.html").write_text("<p>{{ greeting }} {{ job.title }}</p>")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    panels = [
        *only_my_panels,
        JobPanel("extra", "Extra", "jobs/_test_panel.html", lambda r, j: {"greeting": "你好"}, 50),
        JobPanel("hidden", "Hidden", "jobs/_test_panel.html", lambda r, j: None, 60),
    ]
    monkeypatch.setattr("jobbag.jobs.panels._panels", sorted(panels, key=lambda p: p.order))
    job = JobFactory(company=clientele.company, owner=cast.ae, title="路演")
    html = login(cast.ae).get(f"/jobs/{job.pk}/").content.decode()
    assert f"<p>你好 {job.title}</p>" in html and 'id="extra"' in html
    assert 'id="hidden"' not in html
    assert html.index('id="requirements"') < html.index('id="extra"') < html.index('id="history"')


def test_the_history_holds_the_job_and_its_documents(login, cast, clientele, english):
    from jobbag.core import audit
    from jobbag.jobs.models import Review

    job = JobFactory(company=clientele.company, owner=cast.ae)
    audit.record_create(actor=cast.ae, obj=job)
    review = Review.objects.create(
        job=job,
        kind=Review.Kind.PRE_REVIEW,
        held_on=date(2026, 5, 1),
        attendees="x",
        minutes="会议纪要",
        created_by=cast.ae,
    )
    audit.record_create(actor=cast.ae, obj=review)
    other = JobFactory(company=clientele.company, owner=cast.ae)
    audit.record_create(actor=cast.ae, obj=other)

    from jobbag.jobs.selectors.jobs import job_history

    history = job_history(job)
    assert [(e.content_type.model, e.object_id) for e in history] == [
        ("review", str(review.pk)),
        ("job", str(job.pk)),
    ]


def test_the_job_page_costs_the_same_queries_with_a_long_history(
    login, cast, clientele, django_assert_num_queries, only_my_panels
):
    job = JobFactory(company=clientele.company, owner=cast.ae)
    client = login(cast.ae)
    client.get(f"/jobs/{job.pk}/")
    with django_assert_num_queries(15) as few:
        client.get(f"/jobs/{job.pk}/")
    for n in range(20):
        job = services.job_update(
            actor=cast.ae, job=job, expected_version=job.version, timing=f"第{n}周"
        )
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(f"/jobs/{job.pk}/")
    assert len(response.context["panels"][-1][1]["history"]) == 20


def test_cancelling_asks_for_a_reason(login, cast, clientele, english):
    job = JobFactory(company=clientele.company, owner=cast.ae)
    client = login(cast.ae)
    assert client.get(f"/jobs/{job.pk}/cancel/").status_code == 200
    response = client.post(f"/jobs/{job.pk}/cancel/", {"reason": "", "version": job.version})
    assert response.status_code == 400
    response = client.post(
        f"/jobs/{job.pk}/cancel/", {"reason": "客户取消", "version": job.version}
    )
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.stage == Stage.CANCELLED
    html = client.get(f"/jobs/{job.pk}/").content.decode()
    assert 'data-testid="job-edit"' not in html


# Settings -----------------------------------------------------------------------------------


def test_admins_set_the_number_format_and_a_broken_one_is_refused(login, cast, english):
    client = login(cast.admin)
    page = client.get("/jobs/settings/")
    assert page.status_code == 200
    data = dict(page.context["form"].initial)
    data["number_format"] = "{client}-{year}"
    response = client.post("/jobs/settings/", data)
    assert response.status_code == 400
    assert "number_format" in response.context["form"].errors
    data["number_format"] = "{client}{yy}-{seq:03d}"
    assert client.post("/jobs/settings/", data).status_code == 302
    assert JobSettings.current().number_format == "{client}{yy}-{seq:03d}"


def test_admins_add_a_kind_of_order(login, cast, english):
    client = login(cast.admin)
    response = client.post(
        "/jobs/order-kinds/new/",
        {
            "code": "framework",
            "name_zh": "框架订单",
            "name_en": "Framework",
            "order": 40,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    kind = OrderKind.objects.get(code="framework")
    assert kind.is_active and not kind.is_formal
    response = client.post(
        f"/jobs/order-kinds/{kind.pk}/",
        {"code": "framework", "name_zh": "框架订单", "order": 40},
    )
    kind.refresh_from_db()
    assert not kind.is_active


# Home and menu ----------------------------------------------------------------------------


def test_the_home_card_lists_my_open_jobs_with_their_holds(
    login, cast, clientele, english, django_assert_max_num_queries
):
    jobs = many_jobs(clientele, cast.ae, 10)
    services.job_cancel(actor=cast.ae, job=jobs[0], reason="x")
    client = login(cast.ae)
    response = client.get("/")
    html = response.content.decode()
    assert 'data-testid="home-jobs"' in html and ">Jobs<" in html
    section = next(s for t, s in response.context["sections"] if t == "jobs/_jobs_home.html")
    assert section["total"] == 9 and len(section["jobs"]) == 8
    # No number, no signed quote: two reasons hold each.
    assert {job.blockers for job in section["jobs"]} == {2}
    html = login(cast.designer).get("/").content.decode()
    assert 'data-testid="home-jobs"' not in html


# Who may do what ----------------------------------------------------------------------------


def test_the_permission_matrix_of_the_pages(cast, clientele):
    job = JobFactory(company=clientele.company, owner=cast.ae)
    url = f"/jobs/{job.pk}/"
    cases = []
    for role, list_status, view, edit, create, settings_status in [
        ("ae", 200, 200, 200, 200, 403),
        ("ad", 200, 200, 200, 200, 403),
        ("gm", 200, 200, 200, 200, 403),
        ("designer", 200, 404, 404, 403, 403),
        ("finance", 200, 200, 403, 403, 403),
        ("admin", 200, 200, 200, 200, 200),
        ("client", 404, 404, 404, 404, 404),
        ("outsider", 404, 404, 404, 404, 404),
    ]:
        cases += [
            Case(role, "GET", "/jobs/", list_status),
            Case(role, "GET", url, view),
            Case(role, "GET", f"{url}edit/", edit),
            Case(role, "GET", f"{url}cancel/", edit),
            Case(role, "GET", "/jobs/new/", create),
            Case(role, "GET", "/jobs/settings/", settings_status),
        ]
    cases += [
        Case("designer", "POST", f"{url}brief-reviewed/", 404, {"version": 1}),
        Case("finance", "POST", f"{url}brief-reviewed/", 403, {"version": 1}),
        Case("client", "POST", f"{url}brief-reviewed/", 404, {"version": 1}),
        Case("anonymous", "GET", url, 302),
    ]
    run_permission_matrix(cast, cases)
    job.refresh_from_db()
    assert job.number is None
