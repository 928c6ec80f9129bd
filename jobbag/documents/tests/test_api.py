"""The archive's API: search, borrow, open (logged) and the access log."""

from jobbag.approvals import services as engine
from jobbag.approvals.models import Approval
from jobbag.documents.models import AccessLog, Borrowing


def test_it_searches_through_the_api_with_keyset_pages(cast, signed_quote, login):
    signed_quote()
    signed_quote()
    client = login(cast.gm)
    first = client.get("/api/v1/archive/documents", {"type": "quote"}).json()
    assert len(first["items"]) == 2 and first["next"] == ""
    assert first["items"][0]["company"] == "海尔集团"
    none = client.get("/api/v1/archive/documents", {"q": "nothing"}).json()
    assert none == {"items": [], "next": ""}
    bad = client.get("/api/v1/archive/documents", {"since": "yesterday"})
    assert bad.status_code == 422


def test_it_borrows_and_opens_through_the_api(cast, chain, quote_document, login):
    client = login(cast.designer)
    url = f"/api/v1/archive/documents/{quote_document.pk}"
    refused = client.get(f"{url}/content")
    assert refused.status_code == 403
    assert refused.json()["code"] == "forbidden"
    assert AccessLog.objects.get().outcome == "refused"
    bad = client.post(
        f"{url}/borrowings", {"reason": "看", "days": 31}, content_type="application/json"
    )
    assert bad.status_code == 400 and "days" in bad.json()["fields"]
    made = client.post(
        f"{url}/borrowings", {"reason": "参考", "days": 3}, content_type="application/json"
    )
    assert made.status_code == 201, made.content
    assert made.json()["state"] == "pending"
    again = client.post(
        f"{url}/borrowings", {"reason": "参考", "days": 3}, content_type="application/json"
    )
    assert again.status_code == 409
    assert Borrowing.objects.count() == 1
    approval = Approval.objects.get(document_type="borrowing")
    engine.approval_decide(actor=chain.design_head, approval=approval, outcome="approve")
    opened = client.get(f"{url}/content")
    assert opened.status_code == 200
    assert opened.json()["content_hash"] == quote_document.snapshot.content_hash
    mine = client.get("/api/v1/archive/borrowings").json()
    assert [b["state"] for b in mine] == ["open"]
    log = login(cast.admin).get("/api/v1/archive/access-log", {"user": cast.designer.pk}).json()
    assert [(e["outcome"], e["via"]) for e in log] == [("allowed", "api"), ("refused", "api")]
    assert log[0]["borrowing"] == mine[0]["id"]
