"""The client's complaints in the portal: log one, follow it, confirm it is resolved or
say it is not (reopens); only their own company's; staff and outsiders get 404."""

from django.urls import reverse

from jobbag.core.models import Notification
from jobbag.service import services
from jobbag.service.models import Complaint


def _resolved(complaint, cast):
    complaint = services.complaint_assign(
        actor=cast.ad, complaint=complaint, assignee=cast.ae, expected_version=complaint.version
    )
    complaint = services.complaint_answer(
        actor=cast.ae, complaint=complaint, answer="已收到", expected_version=complaint.version
    )
    return services.complaint_resolve(
        actor=cast.ae, complaint=complaint, resolution="已重印", expected_version=complaint.version
    )


def test_a_client_logs_a_complaint(login, cast, service, mailoutbox):
    client = login(cast.client)
    assert client.get(reverse("portal:complaint_create")).status_code == 200
    refused = client.post(reverse("portal:complaint_create"), {"category": "", "subject": ""})
    assert refused.status_code == 400 and not Complaint.objects.exists()
    response = client.post(
        reverse("portal:complaint_create"),
        {
            "category": service.category.pk,
            "severity": "high",
            "subject": "发布会物料迟到",
            "description": "物料比约定晚了一天。",
        },
    )
    complaint = Complaint.objects.get()
    assert response["Location"] == reverse("portal:complaint_detail", args=[complaint.pk])
    assert complaint.channel == "portal" and complaint.company == service.company
    assert complaint.raised_by == cast.client and complaint.contact == service.clientele.contact
    # The account team hears of it; high severity goes to the AD at once.
    assert complaint.escalations.get().level == 1
    assert Notification.objects.filter(recipient=cast.ae).exists()
    page = client.get(reverse("portal:complaint_list")).content.decode()
    assert "发布会物料迟到" in page


def test_a_client_confirms_the_resolution(login, complain, cast):
    complaint = _resolved(complain(), cast)
    client = login(cast.client)
    page = client.get(reverse("portal:complaint_detail", args=[complaint.pk])).content.decode()
    assert 'data-testid="portal-complaint-confirm"' in page and "已重印" in page
    url = reverse("portal:complaint_confirm", args=[complaint.pk])
    assert client.post(url, {"version": complaint.version}).status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.CLOSED
    assert complaint.confirmed_by == cast.client and complaint.confirmation_channel == "portal"
    # Sent twice: refused, nothing changes.
    client.post(url, {"version": complaint.version - 1})
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.CLOSED
    assert Notification.objects.filter(recipient=cast.ad, message__contains="海报").count() >= 2


def test_a_client_says_it_is_not_resolved(login, complain, cast):
    complaint = _resolved(complain(), cast)
    client = login(cast.client)
    url = reverse("portal:complaint_reopen", args=[complaint.pk])
    refused = client.post(url, {"reopen-version": complaint.version, "reopen-reason": ""})
    assert refused.status_code == 400
    response = client.post(
        url, {"reopen-version": complaint.version, "reopen-reason": "颜色还是不对"}
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.ANSWERED and complaint.reopen_count == 1


def test_a_client_cannot_confirm_before_resolution(login, complain, cast):
    complaint = complain()
    client = login(cast.client)
    client.post(reverse("portal:complaint_confirm", args=[complaint.pk]), {"version": 1})
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.NEW


def test_outsiders_and_staff_get_404(login, complain, cast):
    complaint = complain()
    outsider = login(cast.outsider)
    for name in ["complaint_detail", "complaint_confirm", "complaint_reopen"]:
        url = reverse(f"portal:{name}", args=[complaint.pk])
        method = outsider.get if name == "complaint_detail" else outsider.post
        assert method(url).status_code == 404
    assert "海报" not in outsider.get(reverse("portal:complaint_list")).content.decode()
    staff = login(cast.ae)
    assert staff.get(reverse("portal:complaint_list")).status_code == 404
    # A client user never reaches the staff pages.
    client = login(cast.client)
    assert client.get(reverse("service:complaint_detail", args=[complaint.pk])).status_code == 404
