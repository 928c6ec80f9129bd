"""The home card for account people: the open jobs I own, each with its stage and how
many reasons hold its work."""

from django.http import HttpRequest

from jobbag.core.home import HomeSection, register
from jobbag.jobs.permissions.jobs import ACCOUNT_ROLES, is_staff
from jobbag.jobs.selectors import jobs as selectors

SHOWN = 8


def my_jobs(request: HttpRequest) -> dict | None:
    user = request.user
    if not user.is_authenticated or not is_staff(user) or user.role not in ACCOUNT_ROLES:
        return None
    jobs, total = selectors.my_open_jobs(user, SHOWN)
    return {"jobs": jobs, "total": total}


register(HomeSection("jobs/_jobs_home.html", my_jobs, order=30))
