"""Who may do what in the archive: pages and API, for each role of the cast."""

from django.urls import reverse

from jobbag.core.testing import Case, run_permission_matrix
from jobbag.documents.models import AccessLog

STAFF = ["designer", "ae", "gm", "admin"]
CLIENTS = ["client", "outsider"]


def test_it_follows_the_permission_matrix(cast, quote_document):
    pk = quote_document.pk
    archive = reverse("documents:archive")
    detail = reverse("documents:archive_detail", args=[pk])
    view = reverse("documents:archive_view", args=[pk])
    borrow = reverse("documents:borrow", args=[pk])
    mine = reverse("documents:borrowings")
    log = reverse("documents:access_log")
    rules = reverse("documents:rules")
    api = "/api/v1/archive"
    cases = []
    for role in STAFF:
        cases += [
            Case(role, "GET", archive, 200),
            Case(role, "GET", detail, 200),
            Case(role, "GET", mine, 200),
            Case(role, "GET", f"{api}/documents", 200),
            Case(role, "GET", f"{api}/documents/{pk}", 200),
            Case(role, "GET", f"{api}/borrowings", 200),
        ]
    opens = {"designer": 403, "ae": 200, "gm": 200, "admin": 200}
    for role, status in opens.items():
        cases += [
            Case(role, "GET", view, status),
            Case(role, "GET", f"{api}/documents/{pk}/content", status),
            Case(role, "GET", borrow, 200 if status == 403 else 302),
        ]
    for role in ["designer", "ae", "gm"]:
        cases += [
            Case(role, "GET", log, 403),
            Case(role, "GET", rules, 403),
            Case(role, "GET", f"{api}/access-log", 403),
        ]
    cases += [
        Case("admin", "GET", log, 200),
        Case("admin", "GET", rules, 200),
        Case("admin", "GET", f"{api}/access-log", 200),
    ]
    for role in CLIENTS:
        cases += [
            Case(role, "GET", archive, 404),
            Case(role, "GET", detail, 404),
            Case(role, "GET", view, 404),
            Case(role, "GET", borrow, 404),
            Case(role, "POST", borrow, 404, {"reason": "看", "days": 3}),
            Case(role, "GET", mine, 404),
            Case(role, "GET", log, 404),
            Case(role, "GET", rules, 404),
            Case(role, "GET", f"{api}/documents", 403),
            Case(role, "GET", f"{api}/documents/{pk}", 404),
            Case(role, "GET", f"{api}/documents/{pk}/content", 404),
            Case(
                role, "POST", f"{api}/documents/{pk}/borrowings", 404, {"reason": "看", "days": 3}
            ),
            Case(role, "GET", f"{api}/borrowings", 403),
            Case(role, "GET", f"{api}/access-log", 403),
        ]
    cases += [
        Case("anonymous", "GET", archive, 302),
        Case("anonymous", "GET", f"{api}/documents", 401),
    ]
    run_permission_matrix(cast, cases)
    # Every opening and every refusal by staff was logged (the designer's twice).
    refused = AccessLog.objects.filter(outcome="refused")
    assert set(refused.values_list("user__username", flat=True)) == {"designer"}
    assert refused.count() == 2
    assert AccessLog.objects.filter(outcome="allowed").count() == 6


def test_it_hides_client_names_of_restricted_rows_in_the_api(cast, quote_document, login):
    body = login(cast.designer).get("/api/v1/archive/documents").json()
    row = body["items"][0]
    assert row["restricted"] is True and row["company"] == "" and row["job_number"] == ""
    detail = login(cast.designer).get(f"/api/v1/archive/documents/{quote_document.pk}").json()
    assert detail["may_open"] is False and detail["content_hash"] == ""
