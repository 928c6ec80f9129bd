"""The main menu, by role. Later apps add their entries to MENU."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jobbag.core.permissions import can


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    # A permission rule name; the item shows only to users for whom `can` holds.
    rule: str | None = None

    @property
    def url(self) -> str:
        return reverse(self.url_name)


_menu: list[tuple[int, MenuItem]] = []


def register(item: MenuItem, order: int = 100) -> None:
    """Apps add their menu entries at start-up (from their `navigation` module)."""
    _menu.append((order, item))
    _menu.sort(key=lambda pair: pair[0])


register(MenuItem(_("Home"), "core:home"), order=0)


def menu_for(user) -> list[MenuItem]:
    return [item for _order, item in _menu if item.rule is None or can(user, item.rule)]


register(MenuItem(_("Failed tasks"), "core:failed_tasks", "core.tasks.view_failed"), order=900)
