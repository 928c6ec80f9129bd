"""The sections of a job's page, one per step of the chain, each registered by the module
that owns the step, so the job page grows with the chain without knowing it."""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest

from jobbag.jobs.models import Job


@dataclass(frozen=True)
class JobPanel:
    key: str  # the anchor on the page, e.g. "quotes"
    title: str
    template: str
    # context(request, job) -> dict for a job the viewer may see, or None to hide it.
    context: Callable[[HttpRequest, Job], dict | None]
    order: int = 100


_panels: list[JobPanel] = []


def register(panel: JobPanel) -> JobPanel:
    if any(p.key == panel.key for p in _panels):
        raise ValueError(f"Job panel {panel.key!r} registered twice")
    _panels.append(panel)
    _panels.sort(key=lambda p: p.order)
    return panel


def panels_for(request: HttpRequest, job: Job) -> list[tuple[JobPanel, dict]]:
    shown = []
    for panel in _panels:
        context = panel.context(request, job)
        if context is not None:
            shown.append((panel, context))
    return shown
