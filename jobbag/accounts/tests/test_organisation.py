"""Managing the organisation: departments, positions, client groups, service teams and
users, through the services and the admin pages."""

from datetime import date

import pytest
from django.test import Client

from jobbag.accounts import services
from jobbag.accounts.models import (
    ApiToken,
    AuthorityLimit,
    ClientGroup,
    Department,
    Deputy,
    Position,
    Role,
    ServiceTeamMembership,
    User,
)
from jobbag.accounts.services import common as messages
from jobbag.accounts.tests.factories import ClientGroupFactory, DepartmentFactory, PositionFactory
from jobbag.core.audit import history_for
from jobbag.core.errors import Conflict, DomainError, NotAllowed
from jobbag.core.models import AuditEntry
from jobbag.core.testing import Case, run_permission_matrix


def department_data(**overrides) -> dict:
    data = {"code": "media", "name_zh": "媒介部", "name_en": "Media", "kind": "media"}
    data.update(overrides)
    return data


# Departments --------------------------------------------------------------------------------


def test_it_creates_a_department_through_the_page(cast, login):
    response = login(cast.admin).post(
        "/accounts/manage/departments/new/", department_data(head=cast.ad.pk)
    )

    department = Department.objects.get(code="media")
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/manage/departments/{department.pk}/"
    assert department.name_zh == "媒介部" and department.head == cast.ad and department.is_active
    entry = history_for(department).get()
    assert entry.action == AuditEntry.Action.CREATE and entry.actor == cast.admin
    assert entry.changes["code"] == [None, "media"]


def test_it_refuses_a_department_with_a_bad_code_and_no_name_and_writes_nothing(cast, login):
    before = Department.objects.count()

    response = login(cast.admin).post(
        "/accounts/manage/departments/new/", department_data(code="Media Dept!", name_zh=" ")
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert "code" in form.errors and "name_zh" in form.errors
    assert Department.objects.count() == before
    assert not AuditEntry.objects.filter(object_repr="媒介部").exists()


def test_it_refuses_a_duplicate_department_code(cast, login):
    response = login(cast.admin).post(
        "/accounts/manage/departments/new/", department_data(code="account")
    )

    assert response.status_code == 200
    assert response.context["form"].errors["code"] == [messages.CODE_TAKEN]
    assert Department.objects.filter(code="account").count() == 1


def test_it_edits_a_department_and_shows_its_history(cast, login):
    department = cast.ae.department
    client = login(cast.admin)
    data = department_data(
        code="account", name_zh="客户服务部", kind="account", version=department.version
    )
    data["is_active"] = "on"

    response = client.post(f"/accounts/manage/departments/{department.pk}/", data)

    assert response.status_code == 302
    department.refresh_from_db()
    assert department.name_zh == "客户服务部" and department.version == 2
    entry = history_for(department).get()
    assert entry.action == AuditEntry.Action.CHANGE
    assert entry.changes["name_zh"][1] == "客户服务部"
    page = client.get(f"/accounts/manage/departments/{department.pk}/")
    assert page.status_code == 200
    assert 'data-testid="history"' in page.content.decode()
    assert "客户服务部" in page.content.decode()


def test_it_refuses_a_stale_department_edit(cast, login):
    department = cast.ae.department
    services.department_update(
        actor=cast.admin,
        department=department,
        expected_version=1,
        code="account",
        name_zh="第一次",
        name_en="",
        kind="account",
        parent=None,
        head=None,
        is_active=True,
    )

    response = login(cast.admin).post(
        f"/accounts/manage/departments/{department.pk}/",
        department_data(
            code="account", name_zh="第二次", kind="account", version=1, is_active="on"
        ),
    )

    assert response.status_code == 200
    assert list(response.context["form"].non_field_errors()) == [Conflict.default_message]
    department.refresh_from_db()
    assert department.name_zh == "第一次" and department.version == 2
    assert history_for(department).count() == 1


def test_it_refuses_a_department_inside_its_own_team(cast):
    parent = cast.ae.department
    team = services.department_create(
        actor=cast.admin, code="bd", name_zh="客户拓展", kind="account", parent=parent
    )

    with pytest.raises(DomainError) as refused:
        services.department_update(
            actor=cast.admin,
            department=parent,
            expected_version=parent.version,
            code="account",
            name_zh="客户部",
            name_en="",
            kind="account",
            parent=team,
            head=None,
            is_active=True,
        )

    assert "parent" in refused.value.fields
    parent.refresh_from_db()
    assert parent.parent is None


def test_it_refuses_to_close_a_department_with_active_members(cast):
    department = cast.designer.department

    with pytest.raises(DomainError) as refused:
        services.department_update(
            actor=cast.admin,
            department=department,
            expected_version=department.version,
            code=department.code,
            name_zh=department.name_zh,
            name_en=department.name_en,
            kind=department.kind,
            parent=None,
            head=None,
            is_active=False,
        )

    assert "is_active" in refused.value.fields
    department.refresh_from_db()
    assert department.is_active


def test_only_admins_may_change_the_organisation(cast):
    with pytest.raises(NotAllowed):
        services.department_create(actor=cast.gm, code="x", name_zh="某部")
    assert not Department.objects.filter(code="x").exists()


# Positions ------------------------------------------------------------------------------------


def test_it_creates_and_edits_a_position(cast, login):
    client = login(cast.admin)
    response = client.post(
        "/accounts/manage/positions/new/",
        {"code": "gad", "name_zh": "客户群总监", "role": "gad", "is_approver": "on"},
    )

    position = Position.objects.get(code="gad")
    assert response.status_code == 302
    assert position.role == Role.GAD and position.is_approver
    assert history_for(position).get().action == AuditEntry.Action.CREATE

    response = client.post(
        f"/accounts/manage/positions/{position.pk}/",
        {"code": "gad", "name_zh": "客户群总监", "role": "gad", "version": 1},
    )

    assert response.status_code == 302
    position.refresh_from_db()
    assert not position.is_approver
    assert history_for(position).first().changes == {"is_approver": [True, False]}


def test_it_refuses_an_unknown_role(cast, login):
    response = login(cast.admin).post(
        "/accounts/manage/positions/new/", {"code": "boss", "name_zh": "老板", "role": "boss"}
    )

    assert response.status_code == 200
    assert "role" in response.context["form"].errors
    assert not Position.objects.filter(code="boss").exists()


# Client groups and service teams ------------------------------------------------------------


def test_it_creates_a_client_group_with_members(cast, login):
    response = login(cast.admin).post(
        "/accounts/manage/client-groups/new/",
        {
            "code": "nike",
            "name_zh": "耐克组",
            "name_en": "Nike group",
            "leader": cast.ad.pk,
            "members": [cast.ae.pk, cast.ad.pk],
        },
    )

    group = ClientGroup.objects.get(code="nike")
    assert response.status_code == 302
    assert set(group.members.all()) == {cast.ae, cast.ad} and group.leader == cast.ad
    entry = history_for(group).get()
    assert sorted(entry.changes["members"][1]) == sorted(["王小明", "李娜"])


def test_it_changes_the_members_of_a_client_group_and_records_them(cast, login):
    group = ClientGroupFactory(code="puma", name_zh="彪马组", name_en="")
    group.members.set([cast.ae])

    response = login(cast.admin).post(
        f"/accounts/manage/client-groups/{group.pk}/",
        {"code": "puma", "name_zh": "彪马组", "members": [cast.ad.pk], "version": group.version},
    )

    assert response.status_code == 302
    assert list(group.members.all()) == [cast.ad]
    entry = history_for(group).get()
    assert entry.changes == {"members": [["王小明"], ["李娜"]]}


def test_it_refuses_an_inactive_member(cast, login):
    cast.finance.is_active = False
    cast.finance.save()

    response = login(cast.admin).post(
        "/accounts/manage/client-groups/new/",
        {"code": "general", "name_zh": "综合组", "members": [cast.finance.pk]},
    )

    assert response.status_code == 200
    assert "members" in response.context["form"].errors
    assert not ClientGroup.objects.filter(code="general").exists()


def test_it_adds_and_ends_service_team_membership(cast, login):
    group = ClientGroupFactory(code="converse")
    client = login(cast.admin)

    response = client.post(
        f"/accounts/manage/client-groups/{group.pk}/team/",
        {"user": cast.ae.pk, "team_role": "ae", "starts_on": "2026-01-05"},
    )

    membership = ServiceTeamMembership.objects.get(client_group=group)
    assert response.status_code == 302
    assert membership.user == cast.ae and membership.ends_on is None
    assert history_for(membership).get().action == AuditEntry.Action.CREATE

    response = client.post(
        f"/accounts/manage/service-team/{membership.pk}/end/", {"ends_on": "2026-03-31"}
    )

    assert response.status_code == 302
    membership.refresh_from_db()
    assert str(membership.ends_on) == "2026-03-31"
    assert history_for(membership).first().changes == {"ends_on": [None, "2026-03-31"]}


def test_it_refuses_a_team_role_off_the_account_ladder_and_a_duplicate(cast, login):
    group = ClientGroupFactory(code="converse")
    services.service_team_add(actor=cast.admin, client_group=group, user=cast.ae, team_role="ae")
    client = login(cast.admin)

    response = client.post(
        f"/accounts/manage/client-groups/{group.pk}/team/",
        {"user": cast.ae.pk, "team_role": "ae"},
    )
    assert response.status_code == 200
    assert response.context["team_form"].errors["user"] == [messages.TEAM_DUPLICATE]

    with pytest.raises(DomainError) as refused:
        services.service_team_add(
            actor=cast.admin, client_group=group, user=cast.designer, team_role="designer"
        )
    assert "team_role" in refused.value.fields
    assert ServiceTeamMembership.objects.filter(client_group=group).count() == 1


def test_it_refuses_a_team_end_before_its_start(cast):
    group = ClientGroupFactory(code="converse")
    membership = services.service_team_add(
        actor=cast.admin,
        client_group=group,
        user=cast.ae,
        team_role="ae",
        starts_on=date(2026, 3, 1),
    )

    with pytest.raises(DomainError):
        services.service_team_end(
            actor=cast.admin,
            membership=membership,
            ends_on=date(2026, 2, 1),
        )
    membership.refresh_from_db()
    assert membership.ends_on is None


# Users ------------------------------------------------------------------------------------------


def user_data(**overrides) -> dict:
    data = {
        "username": "zhaolei",
        "full_name": "赵磊",
        "email": "zhaolei@agency.example",
        "phone": "010-8888 0001",
        "mobile": "13800000001",
        "language": "zh-hans",
    }
    data.update(overrides)
    return data


def test_it_creates_a_staff_user_who_can_sign_in(cast, login, password):
    position = PositionFactory(role=Role.AM)
    response = login(cast.admin).post(
        "/accounts/manage/users/new/",
        user_data(
            department=cast.ae.department.pk,
            position=position.pk,
            reports_to=cast.ad.pk,
            password=password,
        ),
    )

    user = User.objects.get(username="zhaolei")
    assert response.status_code == 302
    assert user.kind == User.Kind.STAFF and user.reports_to == cast.ad and user.position == position
    assert user.check_password(password)
    entry = history_for(user).get()
    assert entry.action == AuditEntry.Action.CREATE and "password" not in entry.changes
    assert Client().login(username="zhaolei", password=password)


def test_a_user_created_without_a_password_gets_one_nobody_knows(cast):
    user = services.user_create(
        actor=cast.admin, username="sunli", full_name="孙丽", email="sunli@agency.example"
    )

    assert user.has_usable_password()
    assert not user.check_password("")


def test_it_refuses_bad_user_input_and_writes_nothing(cast, login):
    before = User.objects.count()

    response = login(cast.admin).post(
        "/accounts/manage/users/new/",
        user_data(username="ae", email="ad@agency.example", full_name="", password="123456"),
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["username"] == [messages.USERNAME_TAKEN]
    assert errors["email"] == [messages.EMAIL_TAKEN]
    assert "full_name" in errors
    assert User.objects.count() == before


def test_it_refuses_a_weak_initial_password(cast):
    with pytest.raises(DomainError) as refused:
        services.user_create(
            actor=cast.admin,
            username="weak",
            full_name="弱",
            email="weak@agency.example",
            password="password",
        )
    assert "password" in refused.value.fields
    assert not User.objects.filter(username="weak").exists()


def test_it_edits_a_user_and_refuses_a_reporting_loop(cast, login):
    client = login(cast.admin)
    services.user_update(
        actor=cast.admin,
        user=cast.ae,
        expected_version=cast.ae.version,
        full_name=cast.ae.full_name,
        email=cast.ae.email,
        department=cast.ae.department,
        position=cast.ae.position,
        reports_to=cast.ad,
        phone="",
        mobile="",
        language="zh-hans",
        is_superuser=False,
    )
    cast.ad.refresh_from_db()

    response = client.post(
        f"/accounts/manage/users/{cast.ad.pk}/",
        user_data(
            full_name="李娜",
            email="ad@agency.example",
            reports_to=cast.ae.pk,
            version=cast.ad.version,
        ),
    )

    assert response.status_code == 200
    assert "reports_to" in response.context["form"].errors
    cast.ad.refresh_from_db()
    assert cast.ad.reports_to is None

    response = client.post(
        f"/accounts/manage/users/{cast.ad.pk}/",
        user_data(
            full_name="李娜",
            email="ad@agency.example",
            reports_to=cast.gm.pk,
            mobile="13900000000",
            version=cast.ad.version,
        ),
    )

    assert response.status_code == 302
    cast.ad.refresh_from_db()
    assert cast.ad.reports_to == cast.gm and cast.ad.mobile == "13900000000"
    assert history_for(cast.ad).first().changes["reports_to"] == [None, "张伟"]


def test_an_admin_cannot_take_away_their_own_admin_rights(cast):
    with pytest.raises(DomainError) as refused:
        services.user_update(
            actor=cast.admin,
            user=cast.admin,
            expected_version=cast.admin.version,
            full_name="赵敏",
            email=cast.admin.email,
            department=None,
            position=None,
            reports_to=None,
            phone="",
            mobile="",
            language="zh-hans",
            is_superuser=False,
        )
    assert "is_superuser" in refused.value.fields
    cast.admin.refresh_from_db()
    assert cast.admin.is_superuser


def test_it_deactivates_after_confirmation_and_reactivates(cast, login):
    ApiToken.objects.create(user=cast.ae, name="t", prefix="p", digest="d" * 64)
    client = login(cast.admin)

    confirm = client.get(f"/accounts/manage/users/{cast.ae.pk}/deactivate/")
    assert confirm.status_code == 200
    assert 'data-testid="confirm"' in confirm.content.decode()
    cast.ae.refresh_from_db()
    assert cast.ae.is_active

    response = client.post(f"/accounts/manage/users/{cast.ae.pk}/deactivate/")

    assert response.status_code == 302
    cast.ae.refresh_from_db()
    assert not cast.ae.is_active and cast.ae.session_epoch == 1
    assert not ApiToken.objects.filter(user=cast.ae, revoked_at__isnull=True).exists()
    assert history_for(cast.ae).first().changes == {"is_active": [True, False]}

    response = client.post(f"/accounts/manage/users/{cast.ae.pk}/reactivate/")

    assert response.status_code == 302
    cast.ae.refresh_from_db()
    assert cast.ae.is_active
    assert history_for(cast.ae).first().note == "reactivated"


def test_an_admin_cannot_deactivate_themselves(cast, login):
    User.objects.filter(pk=cast.admin.pk).update(language="en")

    response = login(cast.admin).post(
        f"/accounts/manage/users/{cast.admin.pk}/deactivate/", follow=True
    )

    assert response.status_code == 200
    assert "You cannot deactivate your own account." in response.content.decode()
    cast.admin.refresh_from_db()
    assert cast.admin.is_active


def test_reactivating_an_active_user_is_refused(cast):
    with pytest.raises(Conflict):
        services.user_reactivate(actor=cast.admin, user=cast.ae)


def test_the_user_list_is_paginated_with_a_fixed_number_of_queries(
    cast, login, django_assert_num_queries
):
    client = login(cast.admin)
    client.get("/accounts/manage/users/")
    department = DepartmentFactory(code="account")
    User.objects.bulk_create(
        User(username=f"bulk{n}", full_name=f"批量{n}", department=department) for n in range(40)
    )

    with django_assert_num_queries(USER_LIST_QUERIES):
        response = client.get("/accounts/manage/users/")
    assert len(response.context["page_obj"]) == 30


# Session and user (2), unread notifications (1), count and page (2).
USER_LIST_QUERIES = 5


def add_organisation_rows(cast, n: int) -> None:
    """`n` more of every kind of row the management lists show."""
    for i in range(n):
        department = DepartmentFactory(head=cast.ad, parent=cast.ae.department)
        position = PositionFactory(code=f"pos-{department.code}", department=department)
        group = ClientGroupFactory(department=department, leader=cast.ad)
        group.members.add(cast.ae, cast.ad)
        AuthorityLimit.objects.create(position=position, document_type="quote")
        Deputy.objects.create(
            principal=cast.designer,
            deputy=cast.ae,
            starts_on=date(2099, 1, 1 + i),
            ends_on=date(2099, 1, 1 + i),
            created_by=cast.admin,
        )


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # Session and user (2), unread notifications (1), the rows (1).
        ("/accounts/manage/departments/", 4),
        ("/accounts/manage/positions/", 4),
        ("/accounts/manage/client-groups/", 4),
        ("/accounts/manage/authority/", 4),
        # ... and for a paginated list, count and page (2).
        ("/accounts/manage/deputies/", 5),
    ],
)
def test_management_lists_cost_a_fixed_number_of_queries(
    cast, login, django_assert_num_queries, url, queries
):
    client = login(cast.admin)
    # The first request of a session does one-off work (the session's start, caches).
    client.get(url)
    add_organisation_rows(cast, 1)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    add_organisation_rows(cast, 8)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


# Who may open which management page -------------------------------------------------------


def test_management_pages_are_for_admins_only(cast):
    group = ClientGroupFactory(code="nike")
    membership = ServiceTeamMembership.objects.create(
        client_group=group, user=cast.ae, team_role="ae"
    )
    limit = AuthorityLimit.objects.create(
        position=cast.ad.position, document_type="quote", max_amount=1000
    )
    department = cast.ae.department
    position = cast.ae.position
    pages = [
        "/accounts/manage/",
        "/accounts/manage/departments/",
        "/accounts/manage/departments/new/",
        f"/accounts/manage/departments/{department.pk}/",
        "/accounts/manage/positions/",
        "/accounts/manage/positions/new/",
        f"/accounts/manage/positions/{position.pk}/",
        "/accounts/manage/client-groups/",
        "/accounts/manage/client-groups/new/",
        f"/accounts/manage/client-groups/{group.pk}/",
        "/accounts/manage/users/",
        "/accounts/manage/users/new/",
        f"/accounts/manage/users/{cast.ae.pk}/",
        f"/accounts/manage/users/{cast.ae.pk}/deactivate/",
        f"/accounts/manage/users/{cast.ae.pk}/reactivate/",
        "/accounts/manage/deputies/",
        "/accounts/manage/deputies/new/",
        "/accounts/manage/authority/",
        "/accounts/manage/authority/new/",
        f"/accounts/manage/authority/{limit.pk}/",
    ]
    posts = [
        f"/accounts/manage/client-groups/{group.pk}/team/",
        f"/accounts/manage/service-team/{membership.pk}/end/",
        f"/accounts/manage/users/{cast.ae.pk}/deactivate/",
        f"/accounts/manage/authority/{limit.pk}/remove/",
    ]
    cases = []
    for url in pages:
        cases.append(Case("anonymous", "GET", url, 302))
        for role in ("designer", "ae", "gm", "finance"):
            cases.append(Case(role, "GET", url, 403))
        # Client users meet 404 on every staff page: the portal isolates them.
        cases += [Case(role, "GET", url, 404) for role in ("client", "outsider")]
        cases.append(Case("admin", "GET", url, 200))
    for url in posts:
        cases.append(Case("anonymous", "POST", url, 302))
        for role in ("designer", "ae", "gm"):
            cases.append(Case(role, "POST", url, 403))
        cases += [Case(role, "POST", url, 404) for role in ("client", "outsider")]

    run_permission_matrix(cast, cases)

    # Nothing was changed by the refused posts.
    membership.refresh_from_db()
    cast.ae.refresh_from_db()
    assert membership.ends_on is None and cast.ae.is_active
    assert AuthorityLimit.objects.filter(pk=limit.pk).exists()
    assert not Deputy.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(cast):
    response = Client().get("/accounts/manage/departments/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
