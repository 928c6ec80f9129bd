"""Who may call which API endpoint: anonymous, a client user, an AE and an admin."""

from jobbag.accounts.tokens import token_create
from jobbag.core.models import Notification
from jobbag.core.notifications import notify
from jobbag.core.testing import Case, run_permission_matrix

ROLES = ("anonymous", "client", "ae", "admin")


def each(method: str, url: str, statuses: dict[str, int], data: dict | None = None) -> list:
    return [Case(role, method, url, statuses[role], data) for role in ROLES]


def test_api_permission_matrix(cast):
    notify(recipients=[cast.ae], message="for the AE")
    note = Notification.objects.get()
    ae_token, _secret = token_create(actor=cast.ae, name="ae's")
    # Anonymous callers are refused (401); a rule saying no is 403; a row outside the
    # caller's scope is 404, as if it did not exist.
    ok = {"anonymous": 401, "client": 200, "ae": 200, "admin": 200}
    created = {"anonymous": 401, "client": 201, "ae": 201, "admin": 201}
    staff_only = {"anonymous": 401, "client": 403, "ae": 200, "admin": 200}
    staff_row = {"anonymous": 401, "client": 404, "ae": 200, "admin": 200}
    client_row = {"anonymous": 401, "client": 404, "ae": 404, "admin": 200}
    aes_own = {"anonymous": 401, "client": 404, "ae": 200, "admin": 404}

    run_permission_matrix(
        cast,
        [
            *each("GET", "/api/v1/users", staff_only),
            *each("GET", f"/api/v1/users/{cast.gm.pk}", staff_row),
            *each("GET", f"/api/v1/users/{cast.outsider.pk}", client_row),
            *each("GET", "/api/v1/users/me", ok),
            *each("PATCH", "/api/v1/users/me", ok, {"version": 1, "phone": "123456"}),
            *each("GET", "/api/v1/departments", staff_only),
            *each("GET", "/api/v1/tokens", ok),
            *each("POST", "/api/v1/tokens", created, {"name": "script"}),
            *each("DELETE", f"/api/v1/tokens/{ae_token.pk}", aes_own | {"ae": 204}),
            *each("GET", "/api/v1/notifications", ok),
            *each("POST", f"/api/v1/notifications/{note.pk}/read", aes_own),
        ],
    )
