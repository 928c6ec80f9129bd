"""manage.py bench [--scale 500] [--requests 30] [--out bench/results]

Times key operations against their raw SQL floor on a database of its own: a fresh
SQLite file var/bench.sqlite3, or the PostgreSQL database in BENCH_DATABASE_URL (which
it empties). The main database is never touched: the harness runs in a child process
whose DATABASE_URL points at the benchmark database.
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from jobbag.bench.data import data_load, database_prepare
from jobbag.bench.report import report_meta, write_report
from jobbag.bench.runner import run_operations


class Command(BaseCommand):
    help = "Times key operations and their raw SQL floor; writes bench/results/latest.md/json."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=500, help="Generated staff to add.")
        parser.add_argument("--requests", type=int, default=30, help="Timed requests each.")
        parser.add_argument("--warmup", type=int, default=3, help="Untimed requests first.")
        parser.add_argument("--out", default="bench/results", help="Where to write the table.")
        # Set by the parent process on the child that runs against the benchmark database.
        parser.add_argument("--in-bench-database", action="store_true", help=argparse.SUPPRESS)

    def handle(self, *args, scale, requests, warmup, out, in_bench_database, **options):
        if scale < 0 or requests < 1 or warmup < 0:
            raise CommandError("--scale and --warmup must be zero or more, --requests one or more.")
        out_dir = Path(out) if Path(out).is_absolute() else settings.BASE_DIR / out
        if in_bench_database:
            self.run_here(scale=scale, requests=requests, warmup=warmup, out_dir=out_dir)
        else:
            self.run_child(scale=scale, requests=requests, warmup=warmup, out_dir=out_dir)

    def run_child(self, *, scale: int, requests: int, warmup: int, out_dir: Path) -> None:
        url = os.environ.get("BENCH_DATABASE_URL", "")
        if url and url == os.environ.get("DATABASE_URL"):
            raise CommandError("BENCH_DATABASE_URL must name a database of its own: it is emptied.")
        if url:
            self.stdout.write("Benchmark database: BENCH_DATABASE_URL")
        else:
            path = settings.VAR_DIR / "bench.sqlite3"
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            url = f"sqlite:///{path}"
            self.stdout.write(f"Benchmark database: {path} (fresh)")
        command = [
            sys.executable,
            str(settings.BASE_DIR / "manage.py"),
            "bench",
            "--in-bench-database",
            f"--scale={scale}",
            f"--requests={requests}",
            f"--warmup={warmup}",
            f"--out={out_dir}",
        ]
        env = {**os.environ, "DATABASE_URL": url}
        with subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        ) as child:
            for line in child.stdout:
                self.stdout.write(line, ending="")
        if child.returncode:
            raise CommandError(f"The benchmark stopped with exit status {child.returncode}.")

    def run_here(self, *, scale: int, requests: int, warmup: int, out_dir: Path) -> None:
        self.stdout.write("Migrating and loading data…")
        database_prepare()
        data = data_load(scale=scale)
        self.stdout.write(f"{data.staff_count} staff. Timing {requests} requests per operation…")
        results = run_operations(data, requests=requests, warmup=warmup)
        meta = report_meta(data, requests=requests, warmup=warmup)
        self.stdout.write(write_report(results, meta, out_dir=out_dir))
        self.stdout.write(f"Written: {out_dir / 'latest.md'} and {out_dir / 'latest.json'}")
