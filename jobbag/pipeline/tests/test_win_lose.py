"""Winning makes the prospect a client that keeps its history; losing needs a reason."""

import pytest

from jobbag.accounts.models import ServiceTeamMembership
from jobbag.clients.models import Company, Contact
from jobbag.core.errors import Conflict, DomainError
from jobbag.core.models import AuditEntry
from jobbag.pipeline import services
from jobbag.pipeline.models import Prospect, Stage
from jobbag.pipeline.selectors import pipeline_history_for

pytestmark = pytest.mark.django_db


def win(prospect, *, actor=None, code="TSING", **extra):
    return services.prospect_win(
        actor=actor or prospect.owner,
        prospect=prospect,
        expected_version=prospect.version,
        code=code,
        **extra,
    )


def test_it_wins_a_pitch_into_a_client_with_its_contact_and_history(cast, prospect_at):
    prospect = prospect_at(Stage.PITCH)

    company = win(prospect, reason="创意最好", company_name="青岛啤酒股份有限公司")

    assert (company.code, company.name, company.industry) == (
        "TSING",
        "青岛啤酒股份有限公司",
        "啤酒",
    )
    prospect = Prospect.objects.get(pk=prospect.pk)
    assert (prospect.stage, prospect.company, prospect.probability) == (Stage.WON, company, 100)
    assert prospect.outcome_reason == "创意最好" and prospect.closed_at is not None
    contact = Contact.objects.get(company=company)
    assert (contact.name, contact.title, contact.mobile, contact.email) == (
        "刘强",
        "品牌经理",
        "13912345678",
        "liuqiang@tsingtao.example",
    )
    assert ServiceTeamMembership.objects.filter(company=company, user=cast.ae).count() == 1
    # The prospect and every move stay, as the client's history.
    history = list(pipeline_history_for(company))
    assert history == [prospect]
    assert [m.to_stage for m in history[0].moves.all()] == [
        Stage.COLLECT_INFO,
        Stage.PITCH,
        Stage.WON,
    ]
    assert AuditEntry.objects.filter(
        object_id=str(prospect.pk), action=AuditEntry.Action.TRANSITION, note="创意最好"
    ).exists()
    assert AuditEntry.objects.filter(
        object_id=str(company.pk), action=AuditEntry.Action.CREATE
    ).exists()


def test_a_superior_wins_for_the_owner_who_joins_the_team(team, prospect_at):
    prospect = prospect_at(Stage.PITCH)
    company = win(prospect, actor=team.ad)
    served_by = set(
        ServiceTeamMembership.objects.filter(company=company).values_list("user", flat=True)
    )
    assert served_by == {team.ae.pk, team.ad.pk}


def test_the_gm_wins_for_the_owner(cast, prospect_at):
    prospect = prospect_at(Stage.PITCH, contact_phone="0532-88938888")
    company = win(prospect, actor=cast.gm)
    assert Contact.objects.get(company=company).phone == "0532-88938888"
    assert ServiceTeamMembership.objects.filter(company=company, user=cast.ae).exists()


@pytest.mark.parametrize("code", ["", "t", "TOO-LONG-CODE!", "HAIER"])
def test_it_refuses_a_bad_or_taken_code_and_writes_nothing(clientele, prospect_at, code):
    prospect = prospect_at(Stage.PITCH)
    companies = Company.objects.count()

    with pytest.raises(DomainError) as refused:
        win(prospect, code=code)

    assert "code" in refused.value.fields
    assert Company.objects.count() == companies
    prospect.refresh_from_db()
    assert (prospect.stage, prospect.company) == (Stage.PITCH, None)
    assert prospect.moves.count() == 2


def test_it_wins_only_from_the_pitch(prospect_at):
    prospect = prospect_at(Stage.REHEARSAL)
    with pytest.raises(DomainError):
        win(prospect)
    assert not Company.objects.filter(code="TSING").exists()


def test_a_double_win_creates_one_client(prospect_at):
    prospect = prospect_at(Stage.PITCH)
    seen = prospect.version
    services.prospect_win(
        actor=prospect.owner, prospect=prospect, expected_version=seen, code="TSING"
    )
    with pytest.raises(Conflict):
        services.prospect_win(
            actor=prospect.owner, prospect=prospect, expected_version=seen, code="TSING2"
        )
    assert Company.objects.filter(code__startswith="TSING").count() == 1
    assert prospect.moves.filter(to_stage=Stage.WON).count() == 1


def test_a_prospect_without_a_contact_person_wins_without_one(prospect_at):
    prospect = prospect_at(Stage.PITCH, contact_name="", contact_phone="", contact_email="")
    company = win(prospect)
    assert not Contact.objects.filter(company=company).exists()


def test_it_loses_only_with_a_reason(prospect_at):
    prospect = prospect_at(Stage.FIRST_MEETING)

    with pytest.raises(DomainError) as refused:
        services.prospect_lose(
            actor=prospect.owner, prospect=prospect, expected_version=prospect.version, reason=" "
        )
    assert "reason" in refused.value.fields
    prospect.refresh_from_db()
    assert prospect.stage == Stage.FIRST_MEETING

    lost = services.prospect_lose(
        actor=prospect.owner,
        prospect=prospect,
        expected_version=prospect.version,
        reason="客户选了4A公司",
    )
    assert (lost.stage, lost.probability, lost.outcome_reason) == (
        Stage.LOST,
        0,
        "客户选了4A公司",
    )
    assert lost.moves.last().to_stage == Stage.LOST
    assert AuditEntry.objects.filter(
        object_id=str(lost.pk), action=AuditEntry.Action.TRANSITION, note="客户选了4A公司"
    ).exists()


def test_a_won_or_lost_prospect_cannot_be_lost_again(prospect_at):
    prospect = prospect_at(Stage.PITCH)
    win(prospect)
    prospect = Prospect.objects.get(pk=prospect.pk)
    with pytest.raises(DomainError):
        services.prospect_lose(
            actor=prospect.owner, prospect=prospect, expected_version=prospect.version, reason="x"
        )
    assert prospect.moves.filter(to_stage=Stage.LOST).count() == 0


def test_the_win_page_creates_the_client(prospect_at, login, cast):
    prospect = prospect_at(Stage.PITCH)
    client = login(cast.ae)

    page = client.get(f"/pipeline/{prospect.pk}/win/")
    assert page.status_code == 200
    bad = client.post(f"/pipeline/{prospect.pk}/win/", {"code": "x", "version": prospect.version})
    assert bad.status_code == 400
    assert "field-error" in bad.content.decode()
    assert not Company.objects.exists()

    done = client.post(
        f"/pipeline/{prospect.pk}/win/",
        {"code": "tsing", "company_name": "", "reason": "", "version": prospect.version},
    )

    assert done.status_code == 302
    company = Company.objects.get(code="TSING")
    assert company.name == "青岛啤酒"
    assert Prospect.objects.get(pk=prospect.pk).company == company


def test_the_lose_page_asks_for_the_reason(prospect_at, login, cast):
    prospect = prospect_at(Stage.RESEARCH)
    client = login(cast.ae)
    url = f"/pipeline/{prospect.pk}/lose/"

    refused = client.post(url, {"reason": "", "version": prospect.version})
    assert refused.status_code == 400
    assert str(services.LOSS_REASON) in refused.content.decode()
    assert Prospect.objects.get(pk=prospect.pk).stage == Stage.RESEARCH

    done = client.post(url, {"reason": "价格", "version": prospect.version})
    assert done.status_code == 302
    assert Prospect.objects.get(pk=prospect.pk).stage == Stage.LOST


def test_the_won_clients_page_shows_how_it_was_won(prospect_at, login, cast):
    prospect = prospect_at(Stage.PITCH)
    company = win(prospect, reason="创意最好")

    page = login(cast.ae).get(f"/clients/{company.pk}/")

    body = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="won-through-new-business"' in body
    assert prospect.name in body
    moves = list(Prospect.objects.get(pk=prospect.pk).moves.all())
    assert len(moves) >= 2 and str(moves[-1].by) in body


def test_a_client_not_won_through_new_business_has_no_such_panel(clientele, login, cast):
    page = login(cast.ae).get(f"/clients/{clientele.company.pk}/")

    assert 'data-testid="won-through-new-business"' not in page.content.decode()
