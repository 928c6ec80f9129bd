"""The demo agency (SPEC §1) that `make run` loads on first start and the benchmark
builds at scale: departments, positions, about forty staff with Chinese names along the
account ladder, client groups with their service teams, a deputy for someone on leave
this week, authority limits as data and one system administrator.

Everything here is deterministic: the same run builds the same agency.
"""

import random
import sys
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import TextIO

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobbag.accounts.models import (
    AuthorityLimit,
    ClientGroup,
    Department,
    Deputy,
    Position,
    Role,
    ServiceTeamMembership,
    User,
)

# Every demo user signs in with this password. It passes the validators in settings
# (ten characters or more, not a common password, not all digits).
DEMO_PASSWORD = "jobbag-demo-2026"
EMAIL_DOMAIN = "agency.example"
ADMIN_USERNAME = "admin"

K = Department.Kind

# code, kind, Chinese name, English name, the department it is a team of.
DEPARTMENTS = [
    ("management", K.MANAGEMENT, "总经理室", "General Manager's Office", None),
    ("account", K.ACCOUNT, "客户部", "Client Service", None),
    ("account-bd", K.ACCOUNT, "客户拓展", "Business Development", "account"),
    ("account-service", K.ACCOUNT, "客户服务", "Account Service", "account"),
    ("marketing", K.MARKETING, "市场部", "Marketing", None),
    ("creative", K.CREATIVE, "创意部", "Creative", None),
    ("design", K.DESIGN, "设计部", "Design", None),
    ("project", K.COPY, "项目部", "Projects (Copy and Planning)", None),
    ("project-copy", K.COPY, "文案", "Copywriting", "project"),
    ("project-planning", K.COPY, "策划", "Planning", "project"),
    ("media", K.MEDIA, "媒介部", "Media", None),
    ("production", K.PRODUCTION, "制作部/工程部", "Production and Engineering", None),
    ("process", K.PROCESS, "工艺部", "Process", None),
    ("purchasing", K.PURCHASING, "采购部", "Purchasing", None),
    ("qc", K.QC, "品管部", "Quality Control", None),
    ("planning", K.PLANNING, "生产计划组", "Production Planning", None),
    ("finance", K.FINANCE, "财务部", "Finance", None),
    ("administration", K.ADMINISTRATION, "行政部", "Administration", None),
]

# code, role, Chinese name, English name, home department (None: held in several),
# approves documents. The codes match the test factories (role with "-" for "_").
POSITIONS = [
    ("gm", Role.GM, "总经理", "General Manager", "management", True),
    ("deputy-gm", Role.DEPUTY_GM, "副总经理", "Deputy General Manager", "management", True),
    ("dcs", Role.DCS, "客户服务总监", "Director of Client Service", "account", True),
    ("gad", Role.GAD, "客户群总监", "Group Account Director", None, True),
    ("ad", Role.AD, "客户总监", "Account Director", None, True),
    ("am", Role.AM, "客户经理", "Account Manager", None, False),
    ("ae", Role.AE, "客户主任", "Account Executive", None, False),
    (
        "marketing-manager",
        Role.MARKETING_MANAGER,
        "市场部经理",
        "Marketing Manager",
        "marketing",
        True,
    ),
    (
        "creative-director",
        Role.CREATIVE_DIRECTOR,
        "创意总监",
        "Creative Director",
        "creative",
        True,
    ),
    # One position for every department's head: which department a head runs is the
    # holder's own department, so approval chains look it up from there.
    ("dept-head", Role.DEPT_HEAD, "部门经理", "Department Head", None, True),
    ("designer", Role.DESIGNER, "设计师", "Designer", "design", False),
    ("copywriter", Role.COPYWRITER, "文案", "Copywriter", "project-copy", False),
    ("planner", Role.PLANNER, "策划", "Planner", "project-planning", False),
    ("media", Role.MEDIA, "媒介策划", "Media Planner / Buyer", "media", False),
    ("producer", Role.PRODUCER, "制作主管", "Producer", "production", False),
    ("purchaser", Role.PURCHASER, "采购员", "Purchaser", "purchasing", False),
    ("qc", Role.QC, "品管员", "QC Inspector", "qc", False),
    ("finance", Role.FINANCE, "会计", "Accountant", "finance", False),
    (
        "admin-staff",
        Role.ADMIN_STAFF,
        "行政专员",
        "Administration Officer",
        "administration",
        False,
    ),
    ("staff", Role.STAFF, "职员", "Staff", None, False),
]

# username (pinyin), full name, position, department, reports to. Managers come first.
STAFF = [
    ("zhangwei", "张伟", "gm", "management", None),
    ("wangfang", "王芳", "deputy-gm", "management", "zhangwei"),
    # 客户部: the account ladder, DCS > GAD > AD > AM > AE.
    ("chenjing", "陈静", "dcs", "account", "zhangwei"),
    ("zhaolei", "赵磊", "gad", "account-service", "chenjing"),
    ("lina", "李娜", "ad", "account-service", "zhaolei"),
    ("sunhao", "孙浩", "ad", "account-service", "zhaolei"),
    ("zhouting", "周婷", "am", "account-service", "lina"),
    ("wujie", "吴杰", "am", "account-service", "sunhao"),
    ("xuli", "徐丽", "ae", "account-service", "zhouting"),
    ("hujun", "胡军", "ae", "account-service", "zhouting"),
    ("zhuxiaoyan", "朱晓燕", "ae", "account-service", "wujie"),
    ("gaofeng", "高峰", "am", "account-bd", "chenjing"),
    ("linxue", "林雪", "ae", "account-bd", "gaofeng"),
    ("heyu", "何宇", "ae", "account-bd", "gaofeng"),
    # 市场部, organised in client groups.
    ("guoqiang", "郭强", "marketing-manager", "marketing", "zhangwei"),
    ("mali", "马丽", "gad", "marketing", "guoqiang"),
    ("zhengkai", "郑凯", "am", "marketing", "mali"),
    ("luomin", "罗敏", "am", "marketing", "mali"),
    ("liangchen", "梁晨", "am", "marketing", "mali"),
    ("songjia", "宋佳", "am", "marketing", "guoqiang"),
    ("tangxin", "唐欣", "ae", "marketing", "zhengkai"),
    ("hanmei", "韩梅", "ae", "marketing", "luomin"),
    # Creative, design, copy and planning.
    ("fengtao", "冯涛", "creative-director", "creative", "zhangwei"),
    ("dongxu", "董旭", "dept-head", "design", "fengtao"),
    ("yuanyuan", "袁媛", "designer", "design", "dongxu"),
    ("panwei", "潘伟", "designer", "design", "dongxu"),
    ("jiangnan", "蒋楠", "designer", "design", "dongxu"),
    ("caili", "蔡丽", "dept-head", "project", "fengtao"),
    ("yuxin", "余欣", "copywriter", "project-copy", "caili"),
    ("duming", "杜明", "planner", "project-planning", "caili"),
    # Media, production and the departments a work order reaches.
    ("yewen", "叶文", "dept-head", "media", "wangfang"),
    ("chengbo", "程波", "media", "media", "yewen"),
    ("weidong", "魏东", "dept-head", "production", "wangfang"),
    ("sujian", "苏健", "producer", "production", "weidong"),
    ("lvping", "吕萍", "dept-head", "process", "wangfang"),
    ("dinghui", "丁辉", "dept-head", "purchasing", "wangfang"),
    ("renjie", "任杰", "purchaser", "purchasing", "dinghui"),
    ("yaolin", "姚琳", "dept-head", "qc", "wangfang"),
    ("lujia", "卢佳", "qc", "qc", "yaolin"),
    ("jiangtao", "江涛", "dept-head", "planning", "wangfang"),
    # Finance and administration.
    ("tianhong", "田红", "dept-head", "finance", "zhangwei"),
    ("fanxiao", "范晓", "finance", "finance", "tianhong"),
    ("shiyan", "石燕", "dept-head", "administration", "wangfang"),
    ("huangli", "黄莉", "admin-staff", "administration", "shiyan"),
    # The system administrator (is_superuser) works in administration.
    (ADMIN_USERNAME, "秦川", "staff", "administration", "shiyan"),
]

DEPARTMENT_HEADS = {
    "management": "zhangwei",
    "account": "chenjing",
    "account-bd": "gaofeng",
    "account-service": "zhaolei",
    "marketing": "guoqiang",
    "creative": "fengtao",
    "design": "dongxu",
    "project": "caili",
    "project-copy": "yuxin",
    "project-planning": "duming",
    "media": "yewen",
    "production": "weidong",
    "process": "lvping",
    "purchasing": "dinghui",
    "qc": "yaolin",
    "planning": "jiangtao",
    "finance": "tianhong",
    "administration": "shiyan",
}

# code, Chinese name, English name, department, leader, [(member, role on the team)].
# The sportswear brands are served by separate groups; clients.demo adds the companies
# and brands themselves (a sportswear group, an appliance maker's refrigerator brand)
# and links them to these groups.
CLIENT_GROUPS = [
    ("nike", "耐克组", "Nike group", "marketing", "zhengkai",
     [("mali", Role.GAD), ("zhengkai", Role.AM), ("tangxin", Role.AE)]),
    ("converse", "匡威组", "Converse group", "marketing", "luomin",
     [("mali", Role.GAD), ("luomin", Role.AM), ("hanmei", Role.AE)]),
    ("puma", "彪马组", "Puma group", "marketing", "liangchen",
     [("sunhao", Role.AD), ("liangchen", Role.AM), ("hujun", Role.AE)]),
    ("general", "综合组", "General group", "marketing", "songjia",
     [("songjia", Role.AM), ("heyu", Role.AE), ("linxue", Role.AE)]),
    ("fridge", "冰箱组", "Refrigerator group", "account-service", "lina",
     [("lina", Role.AD), ("zhouting", Role.AM), ("xuli", Role.AE), ("zhuxiaoyan", Role.AE)]),
]  # fmt: skip

# Demo approval policy: position, document type, up to amount (None: no upper limit).
AUTHORITY_LIMITS = [
    ("dept-head", "quote", Decimal("50000")),
    ("gad", "quote", Decimal("50000")),
    ("dcs", "quote", Decimal("50000")),
    ("marketing-manager", "quote", Decimal("200000")),
    ("gm", "quote", None),
    ("ad", "work_order", None),
    ("dcs", "work_order", None),
    ("dept-head", "invoice", Decimal("100000")),
    ("deputy-gm", "invoice", Decimal("500000")),
    ("gm", "invoice", None),
]

# Someone on leave this week and who acts for them (职务代理人).
ON_LEAVE, DEPUTY = "zhouting", "wujie"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    name: str
    role: str


# The key roles printed at start-up, so a visitor can try each home page.
DEMO_LOGINS = [
    DemoLogin("zhangwei", "张伟", Role.GM.label),
    DemoLogin("chenjing", "陈静", Role.DCS.label),
    DemoLogin("lina", "李娜", Role.AD.label),
    DemoLogin("wujie", "吴杰", Role.AM.label),
    DemoLogin("xuli", "徐丽", Role.AE.label),
    DemoLogin("yuanyuan", "袁媛", Role.DESIGNER.label),
    DemoLogin("fanxiao", "范晓", Role.FINANCE.label),
    DemoLogin(ADMIN_USERNAME, "秦川", _("System administrator")),
]


def print_demo_logins(out: TextIO | None = None) -> None:
    out = out or sys.stdout
    out.write(f"Demo logins (password: {DEMO_PASSWORD}):\n")
    for login in DEMO_LOGINS:
        out.write(f"  {login.username:<10} {login.name:<4} {login.role}\n")


def demo_loaded() -> bool:
    return User.objects.filter(username=ADMIN_USERNAME).exists()


def _mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"


@transaction.atomic
def agency_build(*, password_hash: str | None = None) -> dict[str, User]:
    """Builds the demo agency in an empty database; returns its staff by username."""
    rng = random.Random(2026)
    password_hash = password_hash or make_password(DEMO_PASSWORD)

    departments: dict[str, Department] = {}
    for code, kind, name_zh, name_en, parent in DEPARTMENTS:
        departments[code] = Department.objects.create(
            code=code, kind=kind, name_zh=name_zh, name_en=name_en, parent=departments.get(parent)
        )
    positions = {
        code: Position.objects.create(
            code=code,
            role=role,
            name_zh=name_zh,
            name_en=name_en,
            department=departments.get(dept),
            is_approver=approver,
        )
        for code, role, name_zh, name_en, dept, approver in POSITIONS
    }

    users: dict[str, User] = {}
    for username, full_name, position, dept, reports_to in STAFF:
        is_admin = username == ADMIN_USERNAME
        users[username] = User.objects.create(
            username=username,
            password=password_hash,
            full_name=full_name,
            email=f"{username}@{EMAIL_DOMAIN}",
            mobile=_mobile(rng),
            department=departments[dept],
            position=positions[position],
            reports_to=users.get(reports_to),
            is_superuser=is_admin,
            is_staff=is_admin,
        )

    for code, username in DEPARTMENT_HEADS.items():
        departments[code].head = users[username]
    Department.objects.bulk_update(departments.values(), ["head"])

    for code, name_zh, name_en, dept, leader, team in CLIENT_GROUPS:
        group = ClientGroup.objects.create(
            code=code,
            name_zh=name_zh,
            name_en=name_en,
            department=departments[dept],
            leader=users[leader],
        )
        group.members.set([users[username] for username, _role in team])
        ServiceTeamMembership.objects.bulk_create(
            ServiceTeamMembership(user=users[username], team_role=role, client_group=group)
            for username, role in team
        )

    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    Deputy.objects.create(
        principal=users[ON_LEAVE],
        deputy=users[DEPUTY],
        starts_on=monday,
        ends_on=monday + timedelta(days=4),
        reason="年假",
        created_by=users[ADMIN_USERNAME],
    )

    AuthorityLimit.objects.bulk_create(
        AuthorityLimit(position=positions[position], document_type=doc_type, max_amount=amount)
        for position, doc_type, amount in AUTHORITY_LIMITS
    )
    return users


# Name parts for generated staff: (characters, pinyin).
SURNAMES = [
    ("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"),
    ("杨", "yang"), ("黄", "huang"), ("赵", "zhao"), ("吴", "wu"), ("周", "zhou"),
    ("徐", "xu"), ("孙", "sun"), ("马", "ma"), ("朱", "zhu"), ("胡", "hu"),
    ("郭", "guo"), ("何", "he"), ("林", "lin"), ("罗", "luo"), ("高", "gao"),
    ("郑", "zheng"), ("梁", "liang"), ("谢", "xie"), ("宋", "song"), ("唐", "tang"),
    ("许", "xu"), ("邓", "deng"), ("韩", "han"), ("冯", "feng"), ("曹", "cao"),
]  # fmt: skip
GIVEN_NAMES = [
    ("伟", "wei"), ("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"),
    ("丽", "li"), ("强", "qiang"), ("磊", "lei"), ("洋", "yang"), ("艳", "yan"),
    ("勇", "yong"), ("军", "jun"), ("杰", "jie"), ("娟", "juan"), ("涛", "tao"),
    ("明", "ming"), ("超", "chao"), ("秀英", "xiuying"), ("霞", "xia"), ("平", "ping"),
    ("刚", "gang"), ("桂英", "guiying"), ("晓东", "xiaodong"), ("海燕", "haiyan"),
    ("思远", "siyuan"), ("雨萱", "yuxuan"), ("子涵", "zihan"), ("浩然", "haoran"),
    ("欣怡", "xinyi"), ("一鸣", "yiming"), ("嘉怡", "jiayi"), ("俊杰", "junjie"),
]  # fmt: skip
# Where generated staff work: position and department, weighted towards account.
GENERATED_POSTS = [
    ("ae", "account-service"), ("ae", "account-service"), ("ae", "account-bd"),
    ("am", "account-service"), ("ae", "marketing"), ("designer", "design"),
    ("designer", "design"), ("copywriter", "project-copy"), ("planner", "project-planning"),
    ("media", "media"), ("producer", "production"), ("staff", "process"),
    ("purchaser", "purchasing"), ("qc", "qc"), ("staff", "planning"),
    ("finance", "finance"), ("admin-staff", "administration"),
]  # fmt: skip


def staff_generate(*, count: int, password_hash: str | None = None) -> int:
    """Adds `count` generated staff for large-scale data (the benchmark), in bulk.

    They share one precomputed password hash: hashing each with Argon2 would take
    minutes for a few thousand people.
    """
    if count <= 0:
        return 0
    password_hash = password_hash or make_password(DEMO_PASSWORD)
    departments = {d.code: d for d in Department.objects.select_related("head")}
    positions = {p.code: p for p in Position.objects.all()}
    # Numbering continues after the highest id, so usernames never repeat across runs.
    start = (User.objects.aggregate(top=Max("id"))["top"] or 0) + 1
    rng = random.Random(start)
    users = []
    for number in range(start, start + count):
        surname, surname_pinyin = rng.choice(SURNAMES)
        given, given_pinyin = rng.choice(GIVEN_NAMES)
        position, dept = rng.choice(GENERATED_POSTS)
        username = f"{surname_pinyin}{given_pinyin}{number}"
        department = departments[dept]
        users.append(
            User(
                username=username,
                password=password_hash,
                full_name=surname + given,
                email=f"{username}@{EMAIL_DOMAIN}",
                mobile=_mobile(rng),
                department=department,
                position=positions[position],
                reports_to=department.head,
            )
        )
    User.objects.bulk_create(users, batch_size=500)
    return count
