"""Menu items: forecasts, for everyone who may see them (monthly or quarterly)."""

from django.utils.translation import gettext_lazy as _

from jobbag.core.navigation import MenuItem, register

register(
    MenuItem(_("Forecasts"), "meetings:forecasts", "meetings.forecasts.view_quarter"), order=44
)

# The calendar feed page (every staff member, for themselves). Registered here because
# the navigation package has no module of its own for feeds.
register(MenuItem(_("Calendar feed"), "meetings:calendar_feed", "meetings.feeds.own"), order=46)
