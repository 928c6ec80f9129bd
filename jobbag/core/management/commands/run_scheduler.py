"""`manage.py run_scheduler`: every --interval seconds, runs the task reaper and enqueues
the daily sweep when it is due (core.tasks). Several schedulers may run at once."""

import logging
import signal
import time
from types import FrameType

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from jobbag.core.tasks import scheduler_tick

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Run the scheduler: retry failed tasks, recover lost ones, enqueue daily sweeps."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--interval", type=float, default=30, help="Seconds between passes.")
        parser.add_argument("--once", action="store_true", help="Run one pass, then exit.")

    def handle(self, *args, interval: float, once: bool, **options) -> None:
        if once:
            self.tick()
            return
        received: list[int] = []

        def stop(signum: int, frame: FrameType | None) -> None:
            # Only note it: the loop finishes its pass and leaves at the next check.
            received.append(signum)

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        logger.info("Scheduler started, a pass every %s s", interval)
        while not received:
            # A long-lived process drops connections the database may have closed, as
            # Django does around each request.
            close_old_connections()
            try:
                self.tick()
            except Exception:
                # One failed pass (say, the database restarting) must not end the scheduler.
                logger.exception("Scheduler pass failed")
            close_old_connections()
            next_pass = time.monotonic() + interval
            while not received and time.monotonic() < next_pass:
                time.sleep(min(0.5, interval))
        logger.info("Scheduler stopped (%s)", signal.strsignal(received[0]))

    def tick(self) -> None:
        outcome = scheduler_tick()
        if any(outcome.values()):
            logger.info("Scheduler pass: %s", outcome)
