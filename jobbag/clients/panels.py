"""Panels other apps add to a client's page (e.g. how the client was won), so that
clients never imports the apps built on it. Each app registers its panels in its own
`panels` module, which core autodiscovers."""

from collections.abc import Callable
from dataclasses import dataclass

from jobbag.clients.models import Company


@dataclass(frozen=True)
class CompanyPanel:
    template: str
    # Returns the panel's context for a company whose file the viewer may open, or None
    # when there is nothing to show.
    context: Callable[[Company], dict | None]
    order: int = 100


_panels: list[CompanyPanel] = []


def register(panel: CompanyPanel) -> None:
    _panels.append(panel)
    _panels.sort(key=lambda p: p.order)


def panels_for(company: Company) -> list[tuple[str, dict]]:
    shown = []
    for panel in _panels:
        context = panel.context(company)
        if context is not None:
            shown.append((panel.template, context))
    return shown
