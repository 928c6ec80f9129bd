"""Home page sections. Each app registers what its roles should see first on sign-in."""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest

from jobbag.core.memo import remembered


@dataclass(frozen=True)
class HomeSection:
    template: str
    # Returns the section's context, or None when the section does not apply to the user.
    context: Callable[[HttpRequest], dict | None]
    order: int = 100


_sections: list[HomeSection] = []


def register(section: HomeSection) -> None:
    _sections.append(section)
    _sections.sort(key=lambda s: s.order)


def sections_for(request: HttpRequest) -> list[tuple[str, dict]]:
    shown = []
    # The cards ask the same questions (which clients the user serves): answered once.
    with remembered(request.user):
        for section in _sections:
            context = section.context(request)
            if context is not None:
                shown.append((section.template, context))
    return shown
