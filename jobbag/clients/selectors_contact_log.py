"""Read queries of the contact log, shared by its pages, the API and field work."""

from datetime import timedelta

from django.db.models import F, Max, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from jobbag.accounts.models import User
from jobbag.accounts.services import principals_on
from jobbag.clients.models import Company, ContactLogEntry
from jobbag.clients.permissions import confidential_company_ids
from jobbag.core.permissions import can, visible


def company_for_log(user, pk: int) -> Company:
    """The company whose contact log `user` may read and add to; 404 for anyone else
    (a staff member outside the team learns nothing of the log)."""
    company = visible(user, Company.objects.all()).filter(pk=pk).first()
    if company is None or not can(user, "clients.contact_log.add", company):
        raise Http404
    return company


def entries() -> QuerySet[ContactLogEntry]:
    """Entries with everything a list shows, in a fixed number of queries."""
    return ContactLogEntry.objects.select_related(
        "company", "brand", "created_by"
    ).prefetch_related("staff", "contacts")


def entries_of_company(company: Company) -> QuerySet[ContactLogEntry]:
    return entries().filter(company=company)


def entry_for_user(user, pk: int) -> ContactLogEntry:
    entry = visible(user, entries()).filter(pk=pk).first()
    if entry is None:
        raise Http404
    return entry


def entries_of_person(viewer, person: User) -> QuerySet[ContactLogEntry]:
    """The entries `person` took part in, among those `viewer` may see."""
    return visible(viewer, entries()).filter(staff=person)


def people_below(user) -> QuerySet[User]:
    """Everyone reporting up to `user`, or to whoever `user` acts for today as deputy."""
    heads = {
        user.pk,
        *principals_on(timezone.localdate(), deputy=user).values_list("pk", flat=True),
    }
    below: set[int] = set()
    frontier = set(heads)
    while frontier:
        frontier = (
            set(User.objects.filter(reports_to__in=frontier).values_list("pk", flat=True))
            - below
            - heads
        )
        below |= frontier
    return User.objects.filter(pk__in=below, is_active=True).order_by("full_name", "username")


def not_contacted(user, *, days: int) -> QuerySet[Company]:
    """Active companies `user` may see in full whose last contact is more than `days`
    ago (or who were never contacted): key clients first, then the longest silent.
    The last contact comes from one aggregate in the same query."""
    cutoff = timezone.now() - timedelta(days=days)
    companies = Company.objects.filter(status=Company.Status.ACTIVE)
    ids = confidential_company_ids(user)
    if ids is not None:
        companies = companies.filter(pk__in=ids)
    return (
        companies.annotate(last_contact=Max("contact_log__occurred_at"))
        .filter(Q(last_contact__isnull=True) | Q(last_contact__lt=cutoff))
        .order_by("-is_key_client", F("last_contact").asc(nulls_first=True), "code")
    )


def days_since(moment) -> int | None:
    if moment is None:
        return None
    return (timezone.localdate() - timezone.localdate(moment)).days


def next_steps_for(user) -> QuerySet[ContactLogEntry]:
    """Open next steps that `user` wrote or took part in, the earliest due first."""
    mine = ContactLogEntry.objects.filter(Q(created_by=user) | Q(staff=user)).values("pk")
    return (
        visible(user, entries())
        .filter(pk__in=mine, next_step_done_at__isnull=True)
        .exclude(next_step="")
        .order_by(F("next_step_due").asc(nulls_last=True), "occurred_at")
    )
