"""`manage.py serve`: the web server (gunicorn), one task worker and one scheduler.

Used by `make run`. The three run as child processes; SIGINT/SIGTERM are passed on to
them, and when any of them dies the others are stopped and serve exits, so a supervisor
(systemd, a container runtime) sees the failure instead of a half-working Jobbag.
"""

import os
import signal
import subprocess
import sys
import time
from types import FrameType

from django.conf import settings
from django.core.management.base import BaseCommand

STOP_TIMEOUT = 15


def default_port() -> int:
    return int(os.environ.get("PORT", 8000))


class Command(BaseCommand):
    help = "Run the web server, a task worker and the scheduler until stopped."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--port", type=int, default=default_port())
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--web-workers", type=int, default=2)

    def handle(self, *args, host: str, port: int, web_workers: int, **options) -> None:
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        commands = {
            "web": [
                *(sys.executable, "-m", "gunicorn", "jobbag.wsgi"),
                *("--bind", f"{host}:{port}", "--workers", str(web_workers)),
                *("--access-logfile", "-"),
                # No control socket: it lives at one path per user, which would make two
                # Jobbags on one machine (say, tests beside `make run`) trip over each other.
                "--no-control-socket",
            ],
            "worker": [*manage, "run_worker", "--no-reload"],
            "scheduler": [*manage, "run_scheduler"],
        }
        received: list[int] = []

        def on_signal(signum: int, frame: FrameType | None) -> None:
            received.append(signum)

        signal.signal(signal.SIGINT, on_signal)
        signal.signal(signal.SIGTERM, on_signal)

        # Each child gets a session of its own, so a Ctrl+C in the terminal reaches them
        # only once, through us, rather than twice (which makes the worker abandon a task).
        children = {
            name: subprocess.Popen(command, cwd=settings.BASE_DIR, start_new_session=True)
            for name, command in commands.items()
        }
        self.stdout.write(f"Jobbag is running on http://{host}:{port}/ (Ctrl+C stops it)")
        self.print_demo_logins()

        exit_code = 0
        while not received:
            dead = [(name, child) for name, child in children.items() if child.poll() is not None]
            if dead:
                name, child = dead[0]
                self.stderr.write(f"{name} exited with status {child.returncode}; stopping")
                exit_code = child.returncode or 1
                break
            time.sleep(0.5)
        self.stop(children, received[0] if received else signal.SIGTERM)
        if exit_code:
            sys.exit(exit_code)

    def stop(self, children: dict[str, subprocess.Popen], signum: int) -> None:
        for child in children.values():
            if child.poll() is None:
                child.send_signal(signum)
        deadline = time.monotonic() + STOP_TIMEOUT
        for child in children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()

    def print_demo_logins(self) -> None:
        # The demo module belongs to accounts and may not exist in every installation.
        try:
            from jobbag.accounts.demo import print_demo_logins
        except ImportError:
            return
        print_demo_logins()
