"""Test helpers shared by every app's tests."""

from dataclasses import dataclass

from django.test import Client


@dataclass(frozen=True)
class Case:
    """One row of a permission matrix: as `role`, `method` `url` answers `status`."""

    role: str
    method: str
    url: str
    status: int
    data: dict | None = None


def run_permission_matrix(cast, cases: list[Case]) -> None:
    """Runs every case with a fresh client signed in as the cast member named by `role`
    ("anonymous" for no one) and reports all mismatches at once."""
    failures = []
    clients: dict[str, Client] = {}
    for case in cases:
        # One signed-in client per role: building a client builds the whole middleware stack.
        client = clients.get(case.role)
        if client is None:
            client = clients[case.role] = Client()
            if case.role != "anonymous":
                client.force_login(getattr(cast, case.role))
        call = getattr(client, case.method.lower())
        if case.url.startswith("/api/") and case.method.upper() in {"POST", "PUT", "PATCH"}:
            response = call(case.url, data=case.data or {}, content_type="application/json")
        elif case.method.upper() == "POST":
            response = call(case.url, data=case.data or {})
        else:
            response = call(case.url)
        if response.status_code != case.status:
            failures.append(
                f"{case.role:10} {case.method:6} {case.url}: "
                f"expected {case.status}, got {response.status_code}"
            )
    assert not failures, "Permission matrix mismatches:\n" + "\n".join(failures)
