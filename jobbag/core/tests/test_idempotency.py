"""Idempotency-Key on API POSTs: a retry gets the first answer and never a second record."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from jobbag.accounts import tokens
from jobbag.accounts.models import ApiToken
from jobbag.accounts.tokens import token_create
from jobbag.core.idempotency import prune_idempotency_records
from jobbag.core.models import IdempotencyRecord
from jobbag.core.notifications import notify

JSON = "application/json"
TOKENS = "/api/v1/tokens"


def post(client, url=TOKENS, data=None, *, key="key-1", **headers):
    return client.post(
        url, data or {"name": "script"}, content_type=JSON, HTTP_IDEMPOTENCY_KEY=key, **headers
    )


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_a_retry_replays_the_first_answer(cast, login):
    client = login(cast.ae)
    notify(recipients=[cast.ae], message="hello")
    notification = cast.ae.notifications.get()
    url = f"/api/v1/notifications/{notification.pk}/read"

    first = post(client, url)
    notification.refresh_from_db()
    first_read_at = notification.read_at
    retry = post(client, url)

    assert first.status_code == retry.status_code == 200
    assert retry.content == first.content
    assert retry["Content-Type"] == first["Content-Type"]
    assert retry["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    notification.refresh_from_db()
    assert notification.read_at == first_read_at
    record = IdempotencyRecord.objects.get()
    assert (record.user, record.key, record.path, record.status_code) == (
        cast.ae,
        "key-1",
        url,
        200,
    )


def test_a_retried_token_creation_makes_no_second_token_and_keeps_no_secret(cast, login):
    client = login(cast.ae)

    first = post(client)
    retry = post(client)

    assert first.status_code == 201 and first["Cache-Control"] == "no-store"
    secret = first.json()["secret"]
    assert retry.status_code == 409
    assert retry.json()["code"] == "idempotency_result_withheld"
    assert ApiToken.objects.filter(user=cast.ae).count() == 1
    assert secret.encode() not in bytes(IdempotencyRecord.objects.get().body)


def test_different_keys_are_different_requests(cast, login):
    client = login(cast.ae)

    post(client, key="a")
    post(client, key="b")
    client.post(TOKENS, {"name": "no key"}, content_type=JSON)

    assert ApiToken.objects.filter(user=cast.ae).count() == 3
    assert IdempotencyRecord.objects.count() == 2


def test_keys_belong_to_their_user(cast, login):
    post(login(cast.ae))
    post(login(cast.ad))

    assert ApiToken.objects.count() == 2
    assert IdempotencyRecord.objects.count() == 2


def test_a_token_client_is_keyed_on_the_tokens_owner(cast):
    _token, secret = token_create(actor=cast.ae, name="script")
    client = Client()

    notify(recipients=[cast.ae], message="hello")
    url = f"/api/v1/notifications/{cast.ae.notifications.get().pk}/read"

    first = post(client, url, **bearer(secret))
    retry = post(client, url, **bearer(secret))

    assert retry.content == first.content and retry["Idempotent-Replayed"] == "true"
    assert IdempotencyRecord.objects.get().user == cast.ae


def test_a_key_reused_on_another_path_is_refused(cast, login):
    client = login(cast.ae)
    notify(recipients=[cast.ae], message="hello")
    notification = cast.ae.notifications.get()
    post(client)

    response = post(client, f"/api/v1/notifications/{notification.pk}/read")

    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert list(response.json()["fields"]) == ["Idempotency-Key"]
    notification.refresh_from_db()
    assert notification.read_at is None
    assert IdempotencyRecord.objects.count() == 1


def test_a_duplicate_while_the_first_is_running_gets_409(cast, login):
    IdempotencyRecord.objects.create(user=cast.ae, key="key-1", method="POST", path=TOKENS)

    response = post(login(cast.ae))

    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_in_flight"
    assert not ApiToken.objects.exists()


def test_a_client_error_is_kept_and_replayed(cast, login):
    client = login(cast.ae)

    first = post(client, data={"name": " "})
    retry = post(client, data={"name": "fixed"})

    assert first.status_code == retry.status_code == 400
    assert retry.content == first.content and retry["Idempotent-Replayed"] == "true"
    assert not ApiToken.objects.exists()


def test_a_server_error_is_not_kept_so_a_retry_can_succeed(cast, monkeypatch):
    client = Client(raise_request_exception=False)
    client.force_login(cast.ae)
    real_create = tokens.token_create

    def broken(**kwargs):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr(tokens, "token_create", broken)
    assert post(client).status_code == 500
    assert not IdempotencyRecord.objects.exists()

    monkeypatch.setattr(tokens, "token_create", real_create)
    retry = post(client)

    assert retry.status_code == 201 and "Idempotent-Replayed" not in retry
    assert ApiToken.objects.filter(user=cast.ae).count() == 1
    assert IdempotencyRecord.objects.count() == 1


def test_a_failed_csrf_check_is_not_kept(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.ae)

    refused = post(client)
    client.cookies["csrftoken"] = "c" * 32
    retry = post(client, HTTP_X_CSRFTOKEN="c" * 32)

    assert refused.status_code == 403 and retry.status_code == 201
    assert ApiToken.objects.filter(user=cast.ae).count() == 1
    assert IdempotencyRecord.objects.count() == 1


def test_anonymous_requests_are_not_keyed(db, client):
    response = post(client)

    assert response.status_code == 401
    assert not IdempotencyRecord.objects.exists()


def test_an_overlong_key_is_refused(cast, login):
    response = post(login(cast.ae), key="k" * 256)

    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["Idempotency-Key"]
    assert not ApiToken.objects.exists() and not IdempotencyRecord.objects.exists()


def test_only_api_posts_are_keyed(cast, login):
    client = login(cast.ae)

    client.get("/api/v1/tokens", HTTP_IDEMPOTENCY_KEY="key-1")
    client.post("/language/", {"language": "en"}, HTTP_IDEMPOTENCY_KEY="key-1")

    assert not IdempotencyRecord.objects.exists()


def test_records_older_than_a_day_are_pruned(cast):
    old = IdempotencyRecord.objects.create(user=cast.ae, key="old", method="POST", path=TOKENS)
    IdempotencyRecord.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(hours=25)
    )
    IdempotencyRecord.objects.create(user=cast.ae, key="new", method="POST", path=TOKENS)

    assert prune_idempotency_records() == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]


# PostgreSQL: real concurrency between connections -------------------------------------

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL for concurrent connections"
)


def _in_thread(fn, results: dict, name: str) -> threading.Thread:
    def run():
        try:
            results[name] = fn()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.mark.postgres
@needs_postgres
def test_a_concurrent_duplicate_gets_409_and_one_record(cast, transactional_db, monkeypatch):
    _token, secret = token_create(actor=cast.ae, name="auth")
    entered, release = threading.Event(), threading.Event()
    real_create = tokens.token_create

    def slow_create(**kwargs):
        entered.set()
        release.wait(10)
        return real_create(**kwargs)

    monkeypatch.setattr(tokens, "token_create", slow_create)
    results: dict = {}
    first = _in_thread(lambda: post(Client(), **bearer(secret)), results, "first")
    assert entered.wait(10)

    duplicate = post(Client(), **bearer(secret))
    release.set()
    first.join(10)
    retry = post(Client(), **bearer(secret))

    assert duplicate.status_code == 409
    assert duplicate.json()["code"] == "idempotency_in_flight"
    assert results["first"].status_code == 201
    assert retry.status_code == 409 and retry.json()["code"] == "idempotency_result_withheld"
    assert ApiToken.objects.filter(user=cast.ae).count() == 2
    assert IdempotencyRecord.objects.count() == 1


@pytest.mark.postgres
@needs_postgres
def test_simultaneous_duplicates_create_one_record(cast, transactional_db):
    _token, secret = token_create(actor=cast.ae, name="auth")
    start = threading.Barrier(4)
    results: dict = {}

    def send():
        start.wait(10)
        return post(Client(), **bearer(secret))

    threads = [_in_thread(send, results, str(n)) for n in range(4)]
    for thread in threads:
        thread.join(20)

    statuses = sorted(response.status_code for response in results.values())
    assert len(statuses) == 4 and set(statuses) <= {201, 409} and 201 in statuses
    created = [r.content for r in results.values() if r.status_code == 201]
    assert len(set(created)) == 1
    assert ApiToken.objects.filter(user=cast.ae).count() == 2
    assert IdempotencyRecord.objects.count() == 1
