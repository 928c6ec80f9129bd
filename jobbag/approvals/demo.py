"""The demo agency's sign-off policies (SPEC §4), as data an administrator can change:

- quotes by amount: up to 50,000 the department head; up to 200,000 then the Marketing
  Manager; above, then the GM; each followed by the client's sign-back;
- work orders: the client's Account Director, then the head of Account (客户部);
- change notices and reviews: the client's Account Director;
- acceptance: the head of QC, then the client;
- job summaries: the Marketing Manager;
- borrowing an archived document: the requester's department head.

Tests build the same policies, so that what the demo shows is what is tested.
"""

from decimal import Decimal

from django.db import transaction

from jobbag.accounts.models import Department, Position, Role
from jobbag.approvals.models import MemberKind, Policy, PolicyStep, StepKind, StepMember


def _policy(document_type, name, steps, *, above=None, up_to=None) -> Policy:
    policy = Policy.objects.create(
        document_type=document_type, name=name, above_amount=above, up_to_amount=up_to
    )
    for order, (kind, label, checks, members) in enumerate(steps, start=1):
        step = PolicyStep.objects.create(
            policy=policy, order=order, kind=kind, label=label, checks_authority=checks
        )
        for member in members:
            StepMember.objects.create(step=step, **member)
    return policy


def _position(code: str) -> dict:
    return {"kind": MemberKind.POSITION, "position": Position.objects.get(code=code)}


def _head(code: str | None = None) -> dict:
    department = Department.objects.get(code=code) if code else None
    return {"kind": MemberKind.DEPARTMENT_HEAD, "department": department}


def _team(role: str) -> dict:
    return {"kind": MemberKind.TEAM_ROLE, "team_role": role}


@transaction.atomic
def policies_build() -> list[Policy]:
    """The demo policies; needs the positions gm, marketing-manager and the departments
    account and qc (the demo agency and the test cast both have them)."""
    one, client = StepKind.ONE, StepKind.CLIENT
    head = (one, "部门经理审批", False, [_head()])
    head_final = (one, "部门经理审批", True, [_head()])
    manager = (one, "市场部经理审批", False, [_position("marketing-manager")])
    manager_final = (one, "市场部经理审批", True, [_position("marketing-manager")])
    gm_final = (one, "总经理审批", True, [_position("gm")])
    sign_back = (client, "客户签回", False, [])
    fifty, two_hundred = Decimal("50000"), Decimal("200000")
    return [
        _policy("quote", "报价 ≤ 5万", [head_final, sign_back], up_to=fifty),
        _policy(
            "quote",
            "报价 5万–20万",
            [head, manager_final, sign_back],
            above=fifty,
            up_to=two_hundred,
        ),
        _policy("quote", "报价 > 20万", [head, manager, gm_final, sign_back], above=two_hundred),
        _policy(
            "work_order",
            "工作单",
            [
                (one, "客户总监签字", True, [_team(Role.AD)]),
                (one, "客户部负责人签字", True, [_head("account")]),
            ],
        ),
        _policy("change_notice", "变更单", [(one, "客户总监签字", False, [_team(Role.AD)])]),
        _policy("review", "评审纪要", [(one, "客户总监签字", False, [_team(Role.AD)])]),
        _policy(
            "acceptance",
            "验收单",
            [(one, "品管部验收", False, [_head("qc")]), (client, "客户验收签字", False, [])],
        ),
        _policy("summary", "项目小结", [manager]),
        # Borrowing a restricted archived document: the requester's department head.
        _policy("borrowing", "档案借阅", [(one, "部门负责人审批", False, [_head()])]),
    ]
