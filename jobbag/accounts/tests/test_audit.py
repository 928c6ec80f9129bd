"""The audit trail: every change to the organisation is recorded with before and after,
and nobody can edit or delete a record of it."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from jobbag.accounts import services
from jobbag.core.audit import history_for
from jobbag.core.models import AuditEntry


def make_department(cast):
    return services.department_create(
        actor=cast.admin, code="media", name_zh="媒介部", name_en="Media", kind="media"
    )


def test_creating_a_department_records_who_and_what(cast):
    department = make_department(cast)

    entry = AuditEntry.objects.get()
    assert entry.action == AuditEntry.Action.CREATE and entry.actor == cast.admin
    assert entry.object_id == str(department.pk) and entry.object_repr == "媒介部"
    assert entry.changes["code"] == [None, "media"]
    assert entry.changes["name_en"] == [None, "Media"]
    assert entry.changes["kind"] == [None, "media"]


def test_changing_a_department_records_before_and_after_of_changed_fields_only(cast):
    department = make_department(cast)

    services.department_update(
        actor=cast.admin,
        department=department,
        expected_version=department.version,
        code="media",
        name_zh="媒介策划部",
        name_en="Media",
        kind="media",
        parent=cast.ae.department,
        head=cast.ad,
        is_active=True,
    )

    change = history_for(department).first()
    assert change.action == AuditEntry.Action.CHANGE and change.actor == cast.admin
    assert change.changes == {
        "name_zh": ["媒介部", "媒介策划部"],
        "parent": [None, str(cast.ae.department)],
        "head": [None, "李娜"],
    }


def test_saving_an_unchanged_department_records_nothing(cast):
    department = make_department(cast)

    services.department_update(
        actor=cast.admin,
        department=department,
        expected_version=department.version,
        code="media",
        name_zh="媒介部",
        name_en="Media",
        kind="media",
        parent=None,
        head=None,
        is_active=True,
    )

    assert history_for(department).count() == 1


def test_an_audit_entry_cannot_be_changed_or_deleted(cast):
    make_department(cast)
    entry = AuditEntry.objects.get()

    entry.note = "tampered"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(note="tampered")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()

    entry.refresh_from_db()
    assert entry.note == "" and AuditEntry.objects.count() == 1


def _all_routes(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _all_routes(pattern, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern.name or ""


def test_no_page_changes_or_deletes_audit_entries():
    offending = [
        (route, name)
        for route, name in _all_routes()
        if "audit" in route.lower() or "audit" in name.lower()
    ]
    assert offending == []


def test_no_api_operation_changes_or_deletes_audit_entries(cast, login):
    schema = login(cast.admin).get("/api/v1/openapi.json").json()

    writes = [
        (path, method)
        for path, operations in schema["paths"].items()
        for method in operations
        if "audit" in path.lower() and method.lower() in {"post", "put", "patch", "delete"}
    ]
    assert writes == []
