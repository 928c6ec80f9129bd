"""The demo agency's meetings and reports, made through the services by HAIER's team:
an upcoming creative presentation with its agenda sent, a phone call's contact report sent
with its actions (one on the client's side), another still in draft and due soon, the
year's forecasts of two clients, and the weekly report drafted for last Friday.

Deterministic: the same rows every time, with dates counted from the day it is loaded.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from jobbag.accounts.models import User
from jobbag.clients.models import Company, Contact
from jobbag.jobs.models import Job
from jobbag.meetings.models import Meeting, Side
from jobbag.meetings.services.forecasts import forecast_set
from jobbag.meetings.services.meetings import agenda_send, meeting_create
from jobbag.meetings.services.reports import report_create, report_send, report_update
from jobbag.meetings.services.status_reports import status_report_draft

# Monthly ad spend and agency revenue (in 10,000 yuan) for January to December.
FORECASTS = {
    "HAIER": ([120, 80, 150, 160, 200, 260, 240, 180, 220, 300, 420, 260], Decimal("0.12")),
    "DONGGAN": ([60, 40, 90, 120, 150, 160, 140, 120, 180, 240, 300, 200], Decimal("0.15")),
}


def meetings_loaded() -> bool:
    return Meeting.objects.exists()


def _at(day, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@transaction.atomic
def meetings_build() -> dict:
    """Builds the demo meetings, reports, actions, forecasts and weekly report on top of
    the demo agency, clients and jobs."""
    today = timezone.localdate()
    names = ["xuli", "lina", "zhouting", "chenjing"]
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    ae, ad, am, dcs = (users[name] for name in names)
    haier = Company.objects.get(code="HAIER")
    contacts = {c.name: c for c in Contact.objects.filter(company=haier)}
    wang, chen = contacts["王海"], contacts["陈晓"]
    job = Job.objects.filter(company=haier, number__isnull=False).order_by("pk").first()

    meeting = meeting_create(
        actor=ae,
        company=haier,
        job=job,
        purpose="夏季促销活动创意提案",
        starts_at=_at(today + timedelta(days=3), 14),
        ends_at=_at(today + timedelta(days=3), 16),
        room="海尔总部3号会议室",
        attendees=[
            {"user": ae, "role": "记录"},
            {"user": ad, "role": "主持"},
            {"contact": wang, "role": "决策"},
            {"contact": chen, "role": ""},
        ],
        agenda=[
            {"title": "回顾上次会议决定事项", "owner": ae, "minutes": 10},
            {"title": "两套创意方向提案", "owner": ad, "minutes": 60},
            {"title": "门店物料预算确认", "owner_contact": wang, "minutes": 20},
        ],
    )
    agenda_send(actor=ae, meeting=meeting, expected_version=meeting.version)

    call = report_create(
        actor=ae,
        company=haier,
        job=job,
        source="phone",
        occurred_at=_at(today - timedelta(days=2), 10),
        subject="电话确认物料清单与交付时间",
        staff=[ae],
        contacts=[wang],
    )
    report_update(
        actor=ae,
        report=call,
        expected_version=call.version,
        subject=call.subject,
        discussion="客户确认门店物料清单，要求展架样品先行打样。",
        staff=[ae],
        contacts=[wang],
        decisions=["物料清单以本次确认版本为准", "展架先打样，客户确认后再批量生产"],
        actions=[
            {"text": "提交展架打样", "side": Side.AGENCY, "owner": ae,
             "due_on": today + timedelta(days=2)},
            {"text": "确认各城市门店数量", "side": Side.CLIENT, "owner_contact": wang,
             "due_on": today - timedelta(days=1)},
            {"text": "更新项目时间表", "side": Side.AGENCY, "owner": ae,
             "due_on": today + timedelta(days=5)},
        ],
    )  # fmt: skip
    call.refresh_from_db()
    report_send(actor=ae, report=call)

    report_create(
        actor=ae,
        company=haier,
        job=job,
        source="phone",
        occurred_at=timezone.now() - timedelta(hours=20),
        subject="电话沟通新品发布会场地",
        staff=[ae],
        contacts=[chen],
    )

    forecasts = []
    for code, (spend, share) in FORECASTS.items():
        company = Company.objects.get(code=code)
        for month, amount in enumerate(spend, start=1):
            ad_spend = Decimal(amount) * 10000
            forecasts.append(
                forecast_set(
                    actor=am if code == "HAIER" else dcs,
                    company=company,
                    month=today.replace(month=month, day=1),
                    ad_spend=ad_spend,
                    revenue=(ad_spend * share).quantize(Decimal("0.01")),
                )
            )
    weekly = status_report_draft(actor=ae, company=haier)
    return {"meeting": meeting, "report": call, "forecasts": forecasts, "weekly": weekly}
