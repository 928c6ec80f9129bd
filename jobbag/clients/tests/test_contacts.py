"""People at the client: phone numbers checked, seen by the team only."""

from jobbag.clients.models import Contact
from jobbag.core.models import AuditEntry


def test_it_adds_a_person_with_their_details(cast, clientele, login):
    company = clientele.company
    response = login(cast.ae).post(
        f"/clients/{company.pk}/contacts/new/",
        {
            "name": "周强",
            "title": "广告经理",
            "brand": clientele.brand.pk,
            "reports_to": clientele.contact.pk,
            "mobile": "13912345678",
            "email": "zhouqiang@haier.example",
            "is_decision_maker": "on",
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    person = Contact.objects.get(name="周强")
    assert person.reports_to == clientele.contact and person.brand == clientele.brand
    assert person.is_decision_maker and "zhouqiang" in person.search
    assert AuditEntry.objects.filter(object_id=str(person.pk), action="create", actor=cast.ae)


def test_it_shows_every_bad_field_and_writes_nothing(cast, clientele, login):
    response = login(cast.ae).post(
        f"/clients/{clientele.company.pk}/contacts/new/",
        {"name": "", "mobile": "12ab", "phone": "x", "email": "not-an-address"},
    )

    assert response.status_code == 400
    assert {"name", "mobile", "phone", "email"} <= set(response.context["form"].errors)
    assert Contact.objects.count() == 1
    assert not AuditEntry.objects.exists()


def test_it_refuses_a_superior_from_another_client(cast, clientele, login):
    response = login(cast.ae).post(
        f"/clients/{clientele.company.pk}/contacts/new/",
        {"name": "周强", "reports_to": "999999"},
    )
    assert response.status_code == 400
    assert "reports_to" in response.context["form"].errors


def test_it_edits_a_person_and_refuses_a_stale_edit(cast, clientele, login):
    person = clientele.contact
    client = login(cast.ae)
    data = {"name": "孙丽", "title": "副总裁", "is_active": "on", "version": person.version}

    assert client.post(f"/clients/contacts/{person.pk}/edit/", data).status_code == 302
    person.refresh_from_db()
    assert person.title == "副总裁"
    assert AuditEntry.objects.filter(object_id=str(person.pk), action="change").exists()

    stale = client.post(f"/clients/contacts/{person.pk}/edit/", {**data, "title": "总裁"})
    assert stale.status_code == 400 and stale.context["form"].non_field_errors()
    person.refresh_from_db()
    assert person.title == "副总裁"


def test_a_person_is_hidden_from_staff_outside_the_team(cast, clientele, login):
    url = f"/clients/contacts/{clientele.contact.pk}/"
    assert login(cast.ae).get(url).status_code == 200
    assert login(clientele.other_ae).get(url).status_code == 404
    assert login(cast.designer).get(url).status_code == 404
    assert login(cast.gm).get(url).status_code == 200
