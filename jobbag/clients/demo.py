"""The demo agency's clients (loaded by `seed_demo` after accounts.demo): an appliance
maker, a sportswear group whose brands are each served by their own client group, a
dairy, a beverage company and two quieter clients, with their people and org charts,
service teams, some dossier sections and contact-log entries.

Everything goes through the services (as the administrator, or as the AE who made the
visit), so every record has its audit entry. `clients_generate` adds plain generated
clients in bulk for the benchmark (thousands, in seconds): no audit rows for those.
"""

import random
from datetime import date, timedelta
from functools import cache

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from jobbag.accounts.demo import ADMIN_USERNAME, GIVEN_NAMES, SURNAMES
from jobbag.accounts.models import ClientGroup, Role, User
from jobbag.clients.models import Brand, Company, Contact
from jobbag.clients.search import search_key
from jobbag.clients.services import (
    brand_create,
    company_create,
    contact_create,
    contact_log_add,
    dossier_row_add,
    dossier_section_set,
    team_member_add,
)

# code, name, English name, industry, status, key client, client group code, profile.
COMPANIES = [
    ("HAIER", "海尔集团", "Haier Group", "家电", "active", True, None,
     {"founded_on": date(1984, 12, 26), "headcount": 99000, "phone": "0532-88938888",
      "address": "山东省青岛市崂山区海尔路1号", "fiscal_year_end_month": 12,
      "product_mix": "冰箱、洗衣机、空调、热水器、厨电"}),
    ("DONGGAN", "动感体育集团", "Dynamic Sports Group", "运动服饰", "active", True, None,
     {"headcount": 12000, "address": "上海市静安区南京西路1266号", "phone": "021-62881234",
      "product_mix": "运动鞋、运动服、配件（代理耐克、匡威、彪马）"}),
    ("LVYE", "绿野乳业", "Green Meadow Dairy", "乳制品", "active", False, "general",
     {"headcount": 5600, "address": "内蒙古呼和浩特市金川开发区", "phone": "0471-3350000"}),
    ("QINGQUAN", "清泉饮料", "Clear Spring Beverages", "饮料", "active", False, "general",
     {"headcount": 2100, "address": "浙江省杭州市西湖区", "phone": "0571-87001234"}),
    ("HUAXING", "华星电子", "Huaxing Electronics", "消费电子", "dormant", False, None, {}),
    ("JINGCHENG", "京城地产", "Jingcheng Properties", "房地产", "former", False, None, {}),
]  # fmt: skip

# company code, name, English name, category, client group code.
BRANDS = [
    ("HAIER", "海尔冰箱", "Haier Refrigerators", "冰箱", "fridge"),
    ("HAIER", "海尔洗衣机", "Haier Washing Machines", "洗衣机", None),
    ("DONGGAN", "耐克", "Nike", "运动鞋服", "nike"),
    ("DONGGAN", "匡威", "Converse", "帆布鞋", "converse"),
    ("DONGGAN", "彪马", "Puma", "运动鞋服", "puma"),
    ("LVYE", "绿野纯牛奶", "Green Meadow Milk", "液态奶", None),
    ("LVYE", "绿野酸奶", "Green Meadow Yoghurt", "酸奶", None),
    ("QINGQUAN", "清泉矿泉水", "Clear Spring Water", "饮用水", None),
    ("HUAXING", "华星手机", "Huaxing Phones", "手机", None),
]

# company code, name, title, responsibility, brand, reports to, decision maker.
CONTACTS = [
    ("HAIER", "刘建国", "董事长", "集团战略", None, None, True),
    ("HAIER", "孙丽", "市场总监", "品牌与广告", None, "刘建国", True),
    ("HAIER", "王海", "冰箱品牌经理", "冰箱推广", "海尔冰箱", "孙丽", False),
    ("HAIER", "陈晓", "广告专员", "广告投放与物料", "海尔冰箱", "王海", False),
    ("HAIER", "赵倩", "洗衣机品牌经理", "洗衣机推广", "海尔洗衣机", "孙丽", False),
    ("HAIER", "周明", "采购经理", "供应商与合同", None, "刘建国", False),
    ("DONGGAN", "周强", "总经理", "全面经营", None, None, True),
    ("DONGGAN", "林娜", "市场副总裁", "市场与品牌", None, "周强", True),
    ("DONGGAN", "郑浩", "耐克品牌经理", "耐克推广", "耐克", "林娜", False),
    ("DONGGAN", "吴倩", "匡威品牌经理", "匡威推广", "匡威", "林娜", False),
    ("DONGGAN", "黄磊", "彪马品牌经理", "彪马推广", "彪马", "林娜", False),
    ("LVYE", "马骏", "总经理", "全面经营", None, None, True),
    ("LVYE", "何静", "市场部经理", "品牌与渠道", None, "马骏", True),
    ("LVYE", "许文", "品牌主管", "酸奶推广", "绿野酸奶", "何静", False),
    ("QINGQUAN", "陈志远", "市场总监", "品牌与广告", None, None, True),
    ("QINGQUAN", "杨柳", "品牌专员", "促销活动", "清泉矿泉水", "陈志远", False),
    ("HUAXING", "高远", "市场经理", "手机推广", "华星手机", None, True),
]

# company code or (company code, brand name), username, role on the team.
TEAMS = [
    ("HAIER", "lina", Role.AD),
    ("HAIER", "zhouting", Role.AM),
    ("HAIER", "xuli", Role.AE),
    (("HAIER", "海尔洗衣机"), "wujie", Role.AM),
    (("HAIER", "海尔洗衣机"), "zhuxiaoyan", Role.AE),
    ("DONGGAN", "mali", Role.GAD),
    ("LVYE", "gaofeng", Role.AM),
    ("QINGQUAN", "heyu", Role.AE),
]

PEOPLE_DOMAINS = {
    "HAIER": "haier.example",
    "DONGGAN": "donggan.example",
    "LVYE": "lvye.example",
    "QINGQUAN": "qingquan.example",
    "HUAXING": "huaxing.example",
}


def clients_loaded() -> bool:
    return Company.objects.filter(code="HAIER").exists()


@transaction.atomic
def clients_build() -> dict[str, Company]:
    """Builds the demo clients on top of the demo agency (accounts.demo.agency_build)."""
    rng = random.Random(2026)
    users = {u.username: u for u in User.objects.filter(kind=User.Kind.STAFF)}
    admin = users[ADMIN_USERNAME]
    groups = {g.code: g for g in ClientGroup.objects.all()}

    companies: dict[str, Company] = {}
    for code, name, name_en, industry, status, key, group, profile in COMPANIES:
        companies[code] = company_create(
            actor=admin,
            code=code,
            name=name,
            name_en=name_en,
            industry=industry,
            status=status,
            is_key_client=key,
            client_group=groups.get(group),
            **profile,
        )
    brands: dict[tuple[str, str], Brand] = {}
    for code, name, name_en, category, group in BRANDS:
        brands[(code, name)] = brand_create(
            actor=admin,
            company=companies[code],
            name=name,
            name_en=name_en,
            category=category,
            client_group=groups.get(group),
        )
    people: dict[tuple[str, str], Contact] = {}
    for number, (code, name, title, duty, brand, boss, decides) in enumerate(CONTACTS):
        people[(code, name)] = contact_create(
            actor=admin,
            company=companies[code],
            name=name,
            title=title,
            responsibility=duty,
            brand=brands.get((code, brand)),
            reports_to=people.get((code, boss)),
            is_decision_maker=decides,
            mobile=f"13{rng.randrange(5, 9)}{rng.randrange(10**8):08d}",
            email=f"contact{number + 1}@{PEOPLE_DOMAINS[code]}",
        )
    for target, username, role in TEAMS:
        where = {"brand": brands[target]} if isinstance(target, tuple) else {}
        team_member_add(
            actor=admin,
            company=None if where else companies[target],
            user=users[username],
            team_role=role,
            **where,
        )
    _dossier(admin, brands)
    _contact_log(users, companies, brands, people)
    return companies


def _dossier(admin: User, brands: dict) -> None:
    fridge = brands[("HAIER", "海尔冰箱")]
    dossier_section_set(
        actor=admin,
        brand=fridge,
        section="market",
        expected_version=0,
        market_size="国内冰箱零售额约 1,100 亿元／年",
        sales="约 1,500 万台／年",
        share="零售量份额约 36%，行业第一",
        trends="多门、对开门与嵌入式增长快；三四线城市以旧换新；线上渠道占比过半。",
    )
    dossier_row_add(
        actor=admin,
        brand=fridge,
        section="competitors",
        name="美的冰箱",
        company="美的集团",
        product="对开门风冷冰箱",
        grid={
            "retail_price": {"strength": "同容量便宜约 10%", "weakness": ""},
            "design": {"strength": "", "weakness": "外观同质化"},
        },
    )
    dossier_row_add(
        actor=admin,
        brand=fridge,
        section="reviews",
        reviewed_on=timezone.localdate() - timedelta(days=20),
        brand_product="美的冰箱 · 新品“微晶一周鲜”",
        selling_points="微晶保鲜，肉类一周不冻也新鲜",
        target="25–40 岁城市家庭主妇",
        promise_and_support="“一周鲜”承诺，第三方检测报告",
        creative_concept_and_tone="生活化情景剧，温馨",
        production_quality="中上，棚拍为主",
        media_and_format="央视 15 秒 + 抖音信息流 + 电商详情页",
    )
    milk = brands[("LVYE", "绿野纯牛奶")]
    dossier_section_set(
        actor=admin,
        brand=milk,
        section="market",
        expected_version=0,
        market_size="液态奶约 1,600 亿元／年",
        share="华北约 8%",
        trends="高端白奶与低温奶增长；渠道下沉。",
    )


def _contact_log(users: dict, companies: dict, brands: dict, people: dict) -> None:
    now = timezone.now()
    today = timezone.localdate()
    contact_log_add(
        actor=users["xuli"],
        company=companies["HAIER"],
        kind="visit",
        occurred_at=now - timedelta(days=3, hours=2),
        discussed="拜访王海，讨论冰箱年中促销的主题与物料清单。",
        staff=[users["zhouting"]],
        contacts=[people[("HAIER", "王海")], people[("HAIER", "陈晓")]],
        brand=brands[("HAIER", "海尔冰箱")],
        next_step="提交促销主题三套方案",
        next_step_due=today + timedelta(days=4),
    )
    contact_log_add(
        actor=users["xuli"],
        company=companies["HAIER"],
        kind="call",
        occurred_at=now - timedelta(days=1, hours=5),
        discussed="与孙丽电话确认下季度广告预算的审批时间。",
        contacts=[people[("HAIER", "孙丽")]],
        next_step="发送预算调整说明",
        next_step_due=today + timedelta(days=1),
    )
    contact_log_add(
        actor=users["tangxin"],
        company=companies["DONGGAN"],
        kind="received",
        occurred_at=now - timedelta(days=6),
        discussed="郑浩来访，介绍耐克秋季新品上市计划。",
        contacts=[people[("DONGGAN", "郑浩")]],
        brand=brands[("DONGGAN", "耐克")],
        next_step="安排创意部参加新品说明会",
        next_step_due=today + timedelta(days=2),
    )
    contact_log_add(
        actor=users["heyu"],
        company=companies["QINGQUAN"],
        kind="visit",
        occurred_at=now - timedelta(days=40),
        discussed="拜访陈志远，了解夏季促销需求。",
        contacts=[people[("QINGQUAN", "陈志远")]],
    )


# Generated clients for the benchmark.

CITY = ["华东", "华南", "华北", "西部", "东方", "中原", "江南", "北方", "海天", "新城"]
WORD = ["星辰", "恒远", "博雅", "金辉", "瑞丰", "宏图", "联创", "鼎盛", "嘉禾", "天成", "盛世"]
TRADE = [
    ("科技", "科技"), ("食品", "食品"), ("饮料", "饮料"), ("家电", "家电"), ("服饰", "服饰"),
    ("汽车", "汽车"), ("地产", "房地产"), ("医药", "医药"), ("日化", "日化"), ("电子", "电子"),
]  # fmt: skip
TITLES = ["总经理", "市场总监", "品牌经理", "广告经理", "市场专员", "采购经理", "销售总监"]
CONTACTS_PER_CLIENT = 10
STATUSES = ["active"] * 6 + ["dormant", "former"]


@cache
def _key(*texts: str) -> str:
    # Generated names repeat (a thousand or so combinations): pinyin once per name.
    return search_key(*texts)


def clients_generate(*, count: int) -> int:
    """Adds `count` generated clients, each with 1 to 3 brands and ten contacts (the
    first their superior), in bulk; spread over the demo's client groups."""
    if count <= 0:
        return 0
    start = (Company.objects.aggregate(top=Max("id"))["top"] or 0) + 1
    rng = random.Random(start)
    groups = list(ClientGroup.objects.order_by("code"))
    companies = []
    for number in range(start, start + count):
        # Group and brand count go by offset, not id, so that every group gets clients
        # with one, two and three brands wherever the ids start.
        offset = number - start
        city, word = rng.choice(CITY), rng.choice(WORD)
        trade, industry = rng.choice(TRADE)
        name = f"{city}{word}{trade}有限公司"
        code = f"G{number:05d}"
        companies.append(
            Company(
                code=code,
                name=name,
                industry=industry,
                status=rng.choice(STATUSES),
                client_group=groups[offset % len(groups)] if groups else None,
                search=f"{_key(name)} {code.lower()}",
            )
        )
    Company.objects.bulk_create(companies, batch_size=500)
    brands = []
    for offset, company in enumerate(companies):
        for index in range(1 + (offset // max(len(groups), 1)) % 3):
            name = f"{company.name[2:4]}{'一二三'[index]}号"
            brands.append(Brand(company=company, name=name, search=_key(name)))
    Brand.objects.bulk_create(brands, batch_size=1000)

    def person(company: Company, index: int, boss: Contact | None) -> Contact:
        name = rng.choice(SURNAMES)[0] + rng.choice(GIVEN_NAMES)[0]
        mobile = f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"
        email = f"c{company.pk}.{index}@client{company.pk}.example"
        return Contact(
            company=company,
            name=name,
            title=TITLES[0] if boss is None else rng.choice(TITLES[1:]),
            mobile=mobile,
            email=email,
            reports_to=boss,
            is_decision_maker=boss is None,
            search=" ".join([_key(name), email, mobile]),
        )

    # Superiors first, so that their ids exist when the others point at them.
    bosses = Contact.objects.bulk_create([person(c, 0, None) for c in companies], batch_size=1000)
    Contact.objects.bulk_create(
        [
            person(company, index, boss)
            for company, boss in zip(companies, bosses, strict=True)
            for index in range(1, CONTACTS_PER_CLIENT)
        ],
        batch_size=1000,
    )
    return count
