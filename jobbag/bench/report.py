"""The benchmark's table, as markdown for people and JSON for tools."""

import json
import platform
from dataclasses import asdict
from pathlib import Path

import django
from django.db import connection
from django.utils import timezone

from jobbag.bench.operations import BenchData
from jobbag.bench.runner import Result

COLUMNS = [
    "operation",
    "scale",
    "p50 ms",
    "p95 ms",
    "queries/request",
    "db p50 ms",
    "floor p50 ms",
    "ratio",
    "db ratio",
    "note",
]


def database_description() -> str:
    if connection.vendor == "sqlite":
        return f"SQLite {connection.Database.sqlite_version}"
    if connection.vendor == "postgresql":
        major, minor = divmod(connection.pg_version, 10000)
        return f"PostgreSQL {major}.{minor}"
    return connection.vendor


def report_meta(data: BenchData, *, requests: int, warmup: int) -> dict:
    return {
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "database": database_description(),
        "scale": data.scale,
        "staff": data.staff_count,
        "clients": data.client_count,
        "contacts": data.contact_count,
        "requests": requests,
        "warmup": warmup,
        "python": platform.python_version(),
        "django": django.get_version(),
    }


def _cell(value) -> str:
    if value is None:
        return "–"
    return str(value).replace("|", "\\|")


def markdown_table(results: list[Result]) -> str:
    lines = [
        "| " + " | ".join(COLUMNS) + " |",
        "| --- | " + " | ".join("---:" for _ in COLUMNS[1:-1]) + " | --- |",
    ]
    for r in results:
        row = [r.operation, r.scale, r.p50_ms, r.p95_ms, r.queries, r.db_p50_ms, r.floor_p50_ms]
        row += [f"{r.ratio}×" if r.ratio is not None else None]
        row += [f"{r.db_ratio}×" if r.db_ratio is not None else None, r.note]
        lines.append("| " + " | ".join(_cell(v) for v in row) + " |")
    return "\n".join(lines) + "\n"


def markdown_report(results: list[Result], meta: dict) -> str:
    return (
        "# Jobbag benchmark\n\n"
        f"{meta['generated_at']} · {meta['database']} · {meta['staff']} staff "
        f"(scale {meta['scale']}) · {meta.get('clients', 0)} clients, "
        f"{meta.get('contacts', 0)} contacts · {meta['requests']} requests after {meta['warmup']} "
        f"warm-up · Django {meta['django']} · Python {meta['python']}\n\n"
        + markdown_table(results)
        + "\np50 and p95: the median and 95th percentile of one request through Django's "
        "test client, in milliseconds. floor: the same data read with hand-written SQL "
        "(for sign-in, plus one Argon2 check), timed the same way in the same run. "
        "db p50: the median time the request spends inside database queries. "
        "ratio: p50 / floor p50, the whole request (session, middleware, templates) against "
        "bare SQL. db ratio: db p50 / floor p50, the ORM's queries against the hand-written "
        "ones.\n"
    )


def write_report(results: list[Result], meta: dict, *, out_dir: Path) -> str:
    """Writes latest.md and latest.json into `out_dir`; returns the markdown."""
    out_dir.mkdir(parents=True, exist_ok=True)
    markdown = markdown_report(results, meta)
    (out_dir / "latest.md").write_text(markdown, encoding="utf-8")
    payload = {**meta, "results": [asdict(result) for result in results]}
    (out_dir / "latest.json").write_text(
        json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return markdown
