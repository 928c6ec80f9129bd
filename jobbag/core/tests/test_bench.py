"""A tiny-scale smoke run of the benchmark harness: it checks the report's structure,
never the timings (the benchmark itself is not a test)."""

import json
import sqlite3

import pytest
from django.core.management import CommandError, call_command
from django.http import HttpResponse

from jobbag.bench.data import data_load
from jobbag.bench.operations import OPERATIONS, Operation, Unavailable, client_page_company
from jobbag.bench.report import COLUMNS, report_meta, write_report
from jobbag.bench.runner import run_operations
from jobbag.bench.timing import percentile
from jobbag.clients.demo import COMPANIES as DEMO_COMPANIES
from jobbag.clients.demo import CONTACTS as DEMO_CONTACTS
from jobbag.clients.models import Brand, Company

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def fast_passwords(settings):
    # Structure, not speed, is under test: spare the Argon2 checks of every sign-in.
    settings.PASSWORD_HASHERS = FAST_HASHER


def test_it_takes_nearest_rank_percentiles():
    samples = [5.0, 1.0, 4.0, 2.0, 3.0]
    assert percentile(samples, 0.5) == 3.0
    assert percentile(samples, 0.95) == 5.0
    assert percentile([7.0], 0.95) == 7.0


@pytest.mark.django_db
def test_it_times_every_operation_and_writes_the_table(fast_passwords, tmp_path):
    data = data_load(scale=5)
    assert data.staff_count == 45 + 5
    # The demo's clients plus four generated clients per scale step, ten people each.
    assert data.client_count == len(DEMO_COMPANIES) + 20
    assert data.contact_count == len(DEMO_CONTACTS) + 200
    results = run_operations(data, requests=2, warmup=0)

    assert [r.operation for r in results] == [op.name for op in OPERATIONS]
    by_name = {r.operation: r for r in results}
    for name in ("sign-in", "home page", "client list (filtered + search)", "client page"):
        row = by_name[name]
        assert row.note == "" and row.queries > 0
        assert row.floor_p50_ms > 0 and row.p50_ms <= row.p95_ms and row.ratio > 0
        assert 0 < row.db_p50_ms < row.p50_ms and row.db_ratio > 0
    for row in results:
        # Each row either has its numbers or says why not.
        assert (row.p50_ms is not None) != bool(row.note), row

    meta = report_meta(data, requests=2, warmup=0)
    markdown = write_report(results, meta, out_dir=tmp_path)
    table = [line for line in markdown.splitlines() if line.startswith("|")]
    assert table[0] == "| " + " | ".join(COLUMNS) + " |"
    assert len(table) == 2 + len(OPERATIONS)
    assert (tmp_path / "latest.md").read_text(encoding="utf-8") == markdown
    payload = json.loads((tmp_path / "latest.json").read_text(encoding="utf-8"))
    assert payload["scale"] == 5 and payload["requests"] == 2
    assert {"generated_at", "database", "staff", "clients", "contacts", "django"} <= set(payload)
    assert set(payload["results"][0]) == {
        "operation",
        "scale",
        "requests",
        "p50_ms",
        "p95_ms",
        "queries",
        "db_p50_ms",
        "floor_p50_ms",
        "floor_p95_ms",
        "ratio",
        "db_ratio",
        "note",
    }


@pytest.mark.django_db
def test_it_shows_a_client_of_the_actors_with_ten_contacts_and_three_brands(fast_passwords):
    data = data_load(scale=3)

    company = client_page_company(data)
    assert company.code.startswith("G")
    assert company.contacts.count() == 10 and Brand.objects.filter(company=company).count() == 3
    # The AE may open its file: the page times the whole client file, not the name only.
    assert company.client_group.members.filter(username=data.username).exists()
    assert Company.objects.filter(code__startswith="G").count() == 12


@pytest.mark.django_db
def test_it_notes_a_missing_or_failing_operation_and_goes_on(fast_passwords):
    data = data_load(scale=0)

    def missing(_data):
        raise Unavailable("not built yet")

    def broken(_state) -> HttpResponse:
        raise RuntimeError("boom")

    def not_found(_state) -> HttpResponse:
        return HttpResponse(status=404)

    operations = [
        Operation("missing", missing, broken, lambda state: None),
        Operation("broken", lambda d: d, broken, lambda state: None),
        Operation("not found", lambda d: d, not_found, lambda state: None),
        OPERATIONS[1],
    ]
    results = run_operations(data, requests=1, warmup=0, operations=operations)
    assert [r.note for r in results[:3]] == [
        "not built yet",
        "failed: RuntimeError: boom",
        "HTTP 404, expected 200",
    ]
    assert all(r.p50_ms is None for r in results[:3])
    assert results[3].p50_ms is not None


def test_it_runs_on_a_database_of_its_own(monkeypatch, tmp_path):
    bench_db = tmp_path / "bench.sqlite3"
    monkeypatch.setenv("BENCH_DATABASE_URL", f"sqlite:///{bench_db}")
    out_dir = tmp_path / "results"
    call_command("bench", "--scale=2", "--requests=1", "--warmup=0", f"--out={out_dir}")

    payload = json.loads((out_dir / "latest.json").read_text(encoding="utf-8"))
    assert payload["staff"] == 45 + 2
    assert payload["database"].startswith("SQLite")
    assert "| sign-in |" in (out_dir / "latest.md").read_text(encoding="utf-8")
    with sqlite3.connect(bench_db) as db:
        assert db.execute("SELECT COUNT(*) FROM accounts_user").fetchone() == (47,)


def test_it_refuses_to_empty_the_main_database(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/main")
    monkeypatch.setenv("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/main")
    with pytest.raises(CommandError, match="database of its own"):
        call_command("bench", "--scale=0", "--requests=1")


def test_it_refuses_nonsense_arguments():
    with pytest.raises(CommandError, match="--requests"):
        call_command("bench", "--requests=0")
