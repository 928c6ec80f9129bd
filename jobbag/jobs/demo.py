"""The demo agency's jobs: a dozen orders from the demo clients at intake and review (and
one cancelled), taken through the services by the account people who serve each client,
so that the history, the numbers and the notices are what the app itself makes.

Deterministic: the same jobs, owners and requirements every time; the dates count back
from the day the demo is loaded and the numbers follow the order below.
"""

import random
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from jobbag.accounts.models import User
from jobbag.clients.models import Brand, Company, Contact
from jobbag.jobs.models import Job, JobNumberCounter, OrderKind
from jobbag.jobs.services.jobs import job_brief_review, job_cancel, job_create

# client code, brand (or None), contact name (or None), owner (username), kind of order,
# title, days ago received, estimate, important, what happens next ("review": the brief is
# reviewed and the number issued; "cancel": reviewed, then cancelled), requirements.
JOBS = [
    ("HAIER", "海尔冰箱", "王海", "xuli", "formal", "海尔冰箱夏季促销活动", 40,
     "180000", True, "review",
     {"theme": "清凉一夏·鲜活到家", "timing": "6月1日至7月15日，全国30个城市",
      "quality": "门店物料色差ΔE<2，展架承重30公斤",
      "packaging": "物料分城市独立打包，外箱标注门店编号",
      "logistics": "5月25日前送达各城市仓库", "materials": "主KV、门店海报、展架、易拉宝、DM单页",
      "effect": "活动期间门店销量提升15%"}),
    ("HAIER", "海尔冰箱", "陈晓", "xuli", "intent", "海尔冰箱新品上市发布会", 12,
     "320000", True, "review",
     {"theme": "鲜享未来", "timing": "9月中旬，北京", "materials": "发布会舞美、邀请函、媒体资料包",
      "effect": "到场媒体50家以上"}),
    ("HAIER", "海尔冰箱", "王海", "xuli", "notice", "海尔冰箱双十一电商视觉", 3,
     "45000", False, "",
     {"theme": "双十一焕新季", "timing": "10月20日前交付全部设计",
      "materials": "电商主图、详情页、直播间背景"}),
    ("HAIER", "海尔洗衣机", "赵倩", "zhuxiaoyan", "formal", "海尔洗衣机校园路演", 25,
     "68000", False, "review",
     {"theme": "洗净青春", "timing": "9月开学季，10所高校",
      "logistics": "路演物资循环使用，每站运输",
      "materials": "路演舞台、展示机、互动游戏道具"}),
    ("HAIER", "海尔洗衣机", "赵倩", "zhuxiaoyan", "intent", "海尔洗衣机门店陈列升级", 6,
     None, False, "",
     {"theme": "干净生活馆", "quality": "陈列道具需防潮阻燃"}),
    ("DONGGAN", "耐克", "郑浩", "tangxin", "formal", "耐克跑步季城市广告", 30,
     "450000", True, "review",
     {"theme": "跑出你的城市", "timing": "10月全月，上海、北京、广州",
      "materials": "地铁灯箱、户外大牌、社交媒体短片",
      "effect": "曝光量5000万人次"}),
    ("DONGGAN", "匡威", "吴倩", "hanmei", "intent", "匡威帆布鞋快闪店", 9,
     "95000", False, "",
     {"theme": "Made by you", "timing": "11月第2周，成都太古里",
      "materials": "快闪店搭建、定制涂鸦墙"}),
    ("DONGGAN", "彪马", "黄磊", "hujun", "notice", "彪马新品社群活动", 2,
     None, False, "",
     {"theme": "Forever Faster", "timing": "待客户确认"}),
    ("LVYE", "绿野酸奶", "许文", "gaofeng", "formal", "绿野酸奶超市试吃推广", 35,
     "52000", False, "review",
     {"theme": "一口好鲜", "timing": "8月每个周末，华北200家门店", "packaging": "试吃杯独立包装",
      "logistics": "冷链配送，每日补货", "materials": "试吃台、围裙、价签、海报"}),
    ("LVYE", "绿野纯牛奶", "何静", "gaofeng", "intent", "绿野纯牛奶包装焕新设计", 15,
     "38000", False, "cancel",
     {"theme": "草原直达", "materials": "包装设计、系列产品延展"}),
    ("QINGQUAN", "清泉矿泉水", "杨柳", "heyu", "formal", "清泉矿泉水马拉松赞助物料", 20,
     "76000", False, "review",
     {"theme": "每一程都清泉", "timing": "11月马拉松赛前一周完成布置", "quality": "补给站物料防水",
      "logistics": "赛道沿线15个补给站", "materials": "补给站桁架、横幅、瓶身贴"}),
    ("QINGQUAN", "清泉矿泉水", "陈志远", "heyu", "notice", "清泉矿泉水年度品牌策略", 1,
     None, True, "",
     {"theme": "年度传播策略", "timing": "12月提案"}),
]  # fmt: skip

CANCEL_REASON = "客户调整预算，项目取消"

# The kinds of order the jobs migration seeds (code, Chinese, English, formal, order),
# made again here when a flushed database (a reused benchmark database) lost them.
ORDER_KINDS = [
    ("notice", "活动通知", "Activity notice", False, 10),
    ("intent", "意向订单", "Intent order", False, 20),
    ("formal", "正式订单", "Formal order", True, 30),
]


def order_kinds_ensure() -> dict[str, OrderKind]:
    for code, name_zh, name_en, formal, order in ORDER_KINDS:
        OrderKind.objects.get_or_create(
            code=code,
            defaults={"name_zh": name_zh, "name_en": name_en, "is_formal": formal, "order": order},
        )
    return {kind.code: kind for kind in OrderKind.objects.all()}


def jobs_loaded() -> bool:
    return Job.objects.exists()


@transaction.atomic
def jobs_build() -> list[Job]:
    """Builds the demo jobs on top of the demo agency and clients (accounts.demo,
    clients.demo)."""
    today = timezone.localdate()
    users = {u.username: u for u in User.objects.filter(kind=User.Kind.STAFF)}
    companies = {c.code: c for c in Company.objects.all()}
    brands = {(b.company.code, b.name): b for b in Brand.objects.select_related("company")}
    contacts = {(c.company.code, c.name): c for c in Contact.objects.select_related("company")}
    kinds = order_kinds_ensure()
    made = []
    for row in JOBS:
        code, brand, contact, owner, kind, title, days, estimate, important, then, wants = row
        actor = users[owner]
        job = job_create(
            actor=actor,
            company=companies[code],
            brand=brands.get((code, brand)),
            client_contact=contacts.get((code, contact)),
            order_kind=kinds[kind],
            title=title,
            owner=actor,
            received_on=today - timedelta(days=days),
            is_important=important,
            estimated_amount=Decimal(estimate) if estimate else None,
            **wants,
        )
        if then in {"review", "cancel"}:
            job = job_brief_review(actor=actor, job=job)
        if then == "cancel":
            job = job_cancel(actor=actor, job=job, reason=CANCEL_REASON)
        made.append(job)
    return made


# Generated jobs for the benchmark: titles from these parts, stages by these weights.
PRODUCTS = ["新品", "旗舰系列", "经典款", "年度", "春季", "夏季", "秋季", "冬季", "会员", "校园"]
ACTIVITIES = [
    "上市活动", "促销推广", "路演", "发布会", "门店陈列", "电商视觉", "品牌焕新", "节日营销",
    "户外广告", "包装设计",
]  # fmt: skip
STAGE_WEIGHTS = [
    ("intake", 4), ("review", 4), ("quote", 6), ("production", 10), ("acceptance", 4),
    ("summary", 2), ("closed", 65), ("cancelled", 5),
]  # fmt: skip
ACCOUNT_POSITIONS = ["ae", "am", "ad"]


def jobs_generate(*, count: int) -> int:
    """Adds `count` generated jobs in bulk (no services, no history), spread over every
    client, owned by the account people, received over the last three years; all but
    those at intake carry a number, and the number counters follow."""
    if count <= 0:
        return 0
    start = (Job.objects.aggregate(top=Max("id"))["top"] or 0) + 1
    rng = random.Random(start)
    today = timezone.localdate()
    companies = list(Company.objects.order_by("pk").values_list("pk", "code"))
    owners = list(
        User.objects.filter(kind=User.Kind.STAFF, position__code__in=ACCOUNT_POSITIONS)
        .order_by("pk")
        .values_list("pk", "department_id")
    )
    order_kinds_ensure()
    kinds = list(OrderKind.objects.order_by("pk").values_list("pk", flat=True))
    stages = [stage for stage, _weight in STAGE_WEIGHTS]
    weights = [weight for _stage, weight in STAGE_WEIGHTS]
    counters = dict(JobNumberCounter.objects.values_list("key", "last"))
    taken = set(Job.objects.exclude(number=None).values_list("number", flat=True))
    jobs = []
    for number in range(start, start + count):
        company_id, code = companies[number % len(companies)]
        owner_id, department_id = rng.choice(owners)
        received_on = today - timedelta(days=rng.randrange(3 * 365))
        stage = rng.choices(stages, weights)[0]
        job_number = None
        if stage != "intake":
            key = f"{code}-{received_on.year}"
            while job_number is None or job_number in taken:
                counters[key] = counters.get(key, 0) + 1
                job_number = f"{key}-{counters[key]:04d}"
        jobs.append(
            Job(
                number=job_number,
                title=f"{rng.choice(PRODUCTS)}{rng.choice(ACTIVITIES)}{number}",
                company_id=company_id,
                order_kind_id=rng.choice(kinds),
                received_on=received_on,
                owner_id=owner_id,
                department_id=department_id,
                stage=stage,
                is_important=rng.random() < 0.1,
                estimated_amount=Decimal(rng.randrange(5, 800) * 1000),
                theme=rng.choice(ACTIVITIES),
                created_by_id=owner_id,
            )
        )
    Job.objects.bulk_create(jobs, batch_size=2000)
    JobNumberCounter.objects.bulk_create(
        [JobNumberCounter(key=key, last=last) for key, last in counters.items()],
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["key"],
        update_fields=["last"],
    )
    return count
