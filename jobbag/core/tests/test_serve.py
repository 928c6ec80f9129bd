"""`manage.py serve` runs the web server, a worker and the scheduler, and stops them all."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from jobbag.core.models import WorkerHeartbeat
from jobbag.core.tests.tasks_for_tests import WAIT, database_url, wait_for


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_serve(port: int, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(settings.BASE_DIR / "manage.py"), "serve", "--port", str(port)],
        env={**os.environ, "DATABASE_URL": database_url()},
        stdout=log.open("a"),
        stderr=subprocess.STDOUT,
    )


def health(port: int) -> dict | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
            return json.load(response)
    except OSError:
        return None


@pytest.mark.xdist_group("worker")
@pytest.mark.django_db(transaction=True)
def test_it_serves_runs_a_worker_and_stops_everything_on_sigterm(tmp_path):
    port, log = free_port(), tmp_path / "serve.log"
    serve = start_serve(port, log)
    try:
        wait_for(lambda: health(port) is not None, "the web server to answer")
        wait_for(lambda: WorkerHeartbeat.objects.exists(), "the worker's first heartbeat")
        assert health(port)["tasks"]["workers_alive"] == 1

        serve.send_signal(signal.SIGTERM)
        assert serve.wait(timeout=WAIT) == 0, log.read_text()
    finally:
        if serve.poll() is None:
            serve.kill()
            serve.wait()

    assert health(port) is None
    # The worker was stopped cleanly, not killed: it removed its heartbeat on the way out.
    assert not WorkerHeartbeat.objects.exists()
    assert f"http://127.0.0.1:{port}/" in log.read_text()


@pytest.mark.xdist_group("worker")
@pytest.mark.django_db(transaction=True)
def test_it_stops_everything_when_one_part_dies(tmp_path):
    log = tmp_path / "serve.log"
    # The web server cannot bind a port that is taken, and exits.
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        serve = start_serve(taken.getsockname()[1], log)
        try:
            deadline = time.monotonic() + 2 * WAIT
            while serve.poll() is None and time.monotonic() < deadline:
                time.sleep(0.1)
            assert serve.poll() not in (None, 0), log.read_text()
        finally:
            if serve.poll() is None:
                serve.kill()
                serve.wait()

    assert "web exited" in log.read_text()
    wait_for(lambda: not WorkerHeartbeat.objects.exists(), "the worker to stop")
