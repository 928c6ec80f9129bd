from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.management import CommandError, call_command
from django.utils import timezone

from jobbag.accounts import services
from jobbag.accounts.demo import DEMO_LOGINS, DEMO_PASSWORD, print_demo_logins
from jobbag.accounts.models import (
    AuthorityLimit,
    ClientGroup,
    Department,
    Position,
    Role,
    ServiceTeamMembership,
    User,
)
from jobbag.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_it_builds_the_departments_of_the_agency():
    seed()
    names = set(Department.objects.values_list("name_zh", flat=True))
    assert {
        "客户部",
        "客户拓展",
        "客户服务",
        "市场部",
        "创意部",
        "设计部",
        "项目部",
        "文案",
        "策划",
    } <= names
    assert {"媒介部", "制作部/工程部", "工艺部", "采购部", "品管部", "生产计划组"} <= names
    assert {"财务部", "行政部", "总经理室"} <= names
    assert not Department.objects.filter(name_en="").exists()
    account = Department.objects.get(code="account")
    assert set(account.teams.values_list("name_zh", flat=True)) == {"客户拓展", "客户服务"}
    # Every department has a head who works in it.
    for department in Department.objects.select_related("head"):
        assert department.head is not None, department.code
        assert department.head.department_id in {department.pk, department.parent_id}


def test_it_fills_every_role_with_chinese_names_and_contacts():
    seed()
    staff = User.objects.filter(kind=User.Kind.STAFF).select_related("position")
    assert 40 <= staff.count() <= 50
    assert {user.position.role for user in staff} == set(Role.values)
    for user in staff:
        assert user.full_name and all("\u4e00" <= ch <= "\u9fff" for ch in user.full_name)
        assert user.username.isascii() and user.email.startswith(user.username + "@")
        assert len(user.mobile) == 11 and user.mobile.startswith("1")
    approvers = set(Position.objects.filter(is_approver=True).values_list("role", flat=True))
    assert {Role.GM, Role.DCS, Role.AD, Role.MARKETING_MANAGER, Role.DEPT_HEAD} <= approvers
    assert Role.AE not in approvers and Role.DESIGNER not in approvers


def test_it_chains_reports_up_the_account_ladder():
    seed()
    chain = []
    user = User.objects.get(username="xuli")
    while user is not None:
        chain.append(user.role)
        user = user.reports_to
    assert chain == [Role.AE, Role.AM, Role.AD, Role.GAD, Role.DCS, Role.GM]


def test_it_sets_up_client_groups_with_service_teams():
    seed()
    groups = {g.name_zh: g for g in ClientGroup.objects.all()}
    assert {"耐克组", "匡威组", "彪马组", "综合组", "冰箱组"} <= set(groups)
    for group in groups.values():
        assert group.leader is not None
        assert group.members.filter(pk=group.leader_id).exists()
        team_roles = set(group.service_team.values_list("team_role", flat=True))
        assert Role.AM in team_roles and Role.AE in team_roles
    # Every membership serves something: a group here, a client or brand (clients.demo).
    assert (
        ServiceTeamMembership.objects.filter(
            client_group__isnull=True, company__isnull=True, brand__isnull=True
        ).count()
        == 0
    )


def test_it_names_a_deputy_for_someone_on_leave_this_week():
    seed()
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    principal = User.objects.get(username="zhouting")
    assert list(services.deputies_on(monday, principal=principal)) == [
        User.objects.get(username="wujie")
    ]


def test_it_stores_the_authority_limits_as_data():
    seed()
    quote = {
        limit.position.role: limit.max_amount
        for limit in AuthorityLimit.objects.filter(document_type="quote").select_related("position")
    }
    assert quote[Role.DEPT_HEAD] == Decimal("50000")
    assert quote[Role.MARKETING_MANAGER] == Decimal("200000")
    assert quote[Role.GM] is None
    assert AuthorityLimit.objects.filter(document_type="work_order").exists()
    assert AuthorityLimit.objects.filter(document_type="invoice").exists()


def test_it_creates_one_administrator_and_a_shared_valid_password():
    output = seed()
    admins = User.objects.filter(is_superuser=True)
    assert [u.username for u in admins] == ["admin"]
    validate_password(DEMO_PASSWORD)
    assert User.objects.get(username="lina").check_password(DEMO_PASSWORD)
    assert f"Demo logins (password: {DEMO_PASSWORD})" in output


def test_it_prints_a_login_for_each_key_role():
    seed()
    out = StringIO()
    print_demo_logins(out)
    lines = out.getvalue().splitlines()
    assert lines[0] == f"Demo logins (password: {DEMO_PASSWORD}):"
    assert len(lines) == 1 + len(DEMO_LOGINS)
    roles = {}
    for login in DEMO_LOGINS:
        user = User.objects.get(username=login.username)
        assert user.full_name == login.name
        roles[user.role] = user
    assert {Role.GM, Role.DCS, Role.AD, Role.AM, Role.AE, Role.DESIGNER, Role.FINANCE} <= set(roles)
    assert User.objects.get(username="admin").is_admin


def test_it_does_nothing_when_users_exist_and_if_empty_is_given():
    UserFactory(username="someone")
    output = seed("--if-empty")
    assert "not loaded" in output
    assert User.objects.count() == 1
    assert not Department.objects.exists()


def test_it_loads_the_agency_once():
    seed("--if-empty")
    count = User.objects.count()
    output = seed()
    assert "loaded already" in output
    assert User.objects.count() == count


def test_it_adds_generated_staff_at_scale():
    seed("--scale", "60")
    generated = User.objects.filter(email__regex=r"\d@")
    assert generated.count() == 60
    # Generated staff sign in with the demo password and report to their department head.
    sample = generated.select_related("department__head").first()
    assert sample.check_password(DEMO_PASSWORD)
    assert sample.reports_to == sample.department.head
    seed("--scale", "40")
    assert User.objects.filter(email__regex=r"\d@").count() == 100


def test_it_refuses_a_negative_scale_and_writes_nothing():
    with pytest.raises(CommandError, match="--scale"):
        seed("--scale", "-1")
    assert not User.objects.exists()
