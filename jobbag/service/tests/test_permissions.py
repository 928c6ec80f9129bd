"""Who reaches what: pages and API, by role (a row per case)."""

from jobbag.core.testing import Case, run_permission_matrix


def test_the_permission_matrix(cast, complain, service):
    mine = complain()
    other = complain(actor=service.clientele.other_ae, company=service.clientele.other_company)
    detail = f"/service/complaints/{mine.pk}/"
    other_detail = f"/service/complaints/{other.pk}/"
    api = f"/api/v1/service/complaints/{mine.pk}"
    cases = []
    for role, status in [
        ("ae", 200),
        ("ad", 200),
        ("gm", 200),
        ("admin", 200),
        ("designer", 404),
        ("finance", 404),
        ("client", 404),
        ("outsider", 404),
    ]:
        cases += [
            Case(role, "GET", detail, status),
            Case(role, "GET", api, 200 if role in {"ae", "ad", "gm", "admin", "client"} else 404),
        ]
    for role, status in [("ae", 404), ("ad", 404), ("gm", 200), ("admin", 200), ("designer", 404)]:
        cases.append(Case(role, "GET", other_detail, status))
    for role, status in [("ae", 200), ("designer", 200), ("client", 404), ("anonymous", 302)]:
        cases.append(Case(role, "GET", "/service/complaints/", status))
    for role, status in [
        ("ae", 200),
        ("gm", 200),
        ("designer", 404),
        ("finance", 404),
        ("client", 404),
    ]:
        cases += [
            Case(role, "GET", "/service/complaints/report/", status),
            Case(role, "GET", "/service/visits/", status),
            Case(role, "GET", "/service/complaints/new/", status),
        ]
    for role, status in [("client", 200), ("outsider", 200), ("ae", 404), ("admin", 404)]:
        cases.append(Case(role, "GET", "/portal/complaints/", status))
    for role, status in [("client", 200), ("outsider", 404), ("ae", 404)]:
        cases.append(Case(role, "GET", f"/portal/complaints/{mine.pk}/", status))
    # Moves: a designer who is not the assignee and an AE of another client are refused.
    cases += [
        Case("designer", "POST", f"{detail}assign/", 404, {"assignee": cast.ae.pk, "version": 1}),
        Case("finance", "POST", f"{api}/assign", 404, {"assignee": cast.ae.pk, "version": 1}),
        Case("outsider", "POST", f"{api}/reopen", 404, {"reason": "x", "version": 1}),
        Case("anonymous", "GET", api, 401),
    ]
    run_permission_matrix(cast, cases)
