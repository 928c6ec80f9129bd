"""Outings (外出登记): registering, returning, the overdue flag and who is out now."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from jobbag.core.errors import Conflict, DomainError, NotAllowed
from jobbag.core.models import AuditEntry
from jobbag.core.testing import Case, run_permission_matrix
from jobbag.fieldwork.models import Outing
from jobbag.fieldwork.services import outing_register, outing_return
from jobbag.fieldwork.tests.helpers import chain

pytestmark = pytest.mark.django_db

LOCAL = "%Y-%m-%dT%H:%M"


def _outing(user, *, leaves=-1, back=2, **extra) -> Outing:
    now = timezone.now()
    return outing_register(
        actor=user,
        destination=extra.pop("destination", "海尔集团青岛总部"),
        whom=extra.pop("whom", "孙丽"),
        purpose=extra.pop("purpose", "提案前沟通"),
        leaves_at=now + timedelta(hours=leaves),
        back_by=now + timedelta(hours=back),
        **extra,
    )


def test_it_registers_an_outing_from_my_day(cast, clientele, login):
    now = timezone.localtime()
    response = login(cast.ae).post(
        reverse("fieldwork:outing_register"),
        {
            "destination": "海尔集团青岛总部",
            "whom": "孙丽",
            "company": clientele.company.pk,
            "purpose": "送提案样稿",
            "leaves_at": now.strftime(LOCAL),
            "back_by": (now + timedelta(hours=3)).strftime(LOCAL),
        },
    )

    assert response.status_code == 302
    outing = Outing.objects.get()
    assert outing.staff == cast.ae and outing.company == clientele.company
    assert AuditEntry.objects.filter(object_id=str(outing.pk), action="create").exists()
    page = login(cast.ae).get(reverse("fieldwork:my_day"))
    assert "送提案样稿" in page.content.decode()


def test_bad_input_is_refused_with_field_messages(cast, clientele, login):
    now = timezone.localtime()
    response = login(cast.ae).post(
        reverse("fieldwork:outing_register"),
        {
            "destination": "",
            "whom": "",
            "purpose": "",
            "leaves_at": now.strftime(LOCAL),
            "back_by": (now - timedelta(hours=1)).strftime(LOCAL),
        },
    )
    assert response.status_code == 400
    errors = response.context["outing_form"].errors
    assert {"destination", "whom", "purpose", "back_by"} <= set(errors)
    assert not Outing.objects.exists()


def test_client_people_stand_for_whom_and_must_belong_to_the_client(cast, clientele):
    outing = _outing(cast.ae, whom="", contacts=[clientele.contact])
    assert outing.company == clientele.company
    assert list(outing.contacts.all()) == [clientele.contact]
    with pytest.raises(DomainError) as error:
        _outing(cast.ae, company=clientele.other_company, contacts=[clientele.contact])
    assert "contacts" in error.value.fields


def test_only_the_person_marks_the_return_and_only_once(cast, clientele, login):
    outing = _outing(cast.ae)
    with pytest.raises(NotAllowed):
        outing_return(actor=cast.ad, outing=outing)
    response = login(cast.ae).post(reverse("fieldwork:outing_return", args=[outing.pk]))
    assert response.status_code == 302
    outing.refresh_from_db()
    assert outing.returned_at is not None
    assert AuditEntry.objects.filter(object_id=str(outing.pk), action="change").exists()
    with pytest.raises(Conflict):
        outing_return(actor=cast.ae, outing=outing)


def test_an_overdue_return_is_flagged_and_managers_see_who_is_out(cast, clientele, login):
    chain(cast)
    late = _outing(cast.ae, leaves=-5, back=-1, destination="广告公司制作厂")
    on_time = _outing(cast.ad, leaves=-1, back=3, destination="媒体")
    _outing(clientele.other_ae, destination="耐克")
    assert late.is_overdue and not on_time.is_overdue

    team = login(cast.ad).get(reverse("fieldwork:team"))
    assert [o.pk for o in team.context["out_now"]] == [late.pk]
    assert 'data-testid="overdue"' in team.content.decode()
    everyone = login(cast.gm).get(reverse("fieldwork:team"))
    assert len(everyone.context["out_now"]) == 3


def test_outings_permission_matrix(cast, clientele):
    outing = _outing(cast.ae)
    cast.other_ae = clientele.other_ae
    my_day = reverse("fieldwork:my_day")
    team = reverse("fieldwork:team")
    back = reverse("fieldwork:outing_return", args=[outing.pk])
    cases = []
    for role, day_status, team_status, back_status in [
        ("anonymous", 302, 302, 302),
        ("client", 404, 404, 404),
        ("outsider", 404, 404, 404),
        ("designer", 403, 403, 403),
        ("admin", 403, 403, 403),
        ("other_ae", 200, 403, 404),
        ("ad", 200, 200, 404),
        ("gm", 200, 200, 403),
    ]:
        cases += [
            Case(role, "GET", my_day, day_status),
            Case(role, "GET", team, team_status),
            Case(role, "POST", back, back_status),
        ]
    cases.append(Case("ae", "POST", back, 302))
    run_permission_matrix(cast, cases)
