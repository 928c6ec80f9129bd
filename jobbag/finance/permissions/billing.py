"""Who sees and handles invoices, payments and receivables. Read as a table:

| action                        | who                                                    |
| ----------------------------- | ------------------------------------------------------ |
| finance.invoice.list          | Finance, administrators, management (GM, deputy GM),   |
|                               | DCS, Marketing Manager (every client); the account     |
|                               | ladder (their served clients only, read-only)          |
| finance.invoice.view (obj)    | staff as above, for the rows in their scope; client    |
|                               | users: their own company's issued invoices (portal)    |
| finance.invoice.create        | Finance: drafts from quotes, time, retainers           |
| finance.invoice.issue         | Finance only                                           |
| finance.invoice.credit        | Finance only                                           |
| finance.payment.record        | Finance only (record and allocate receipts)            |
| finance.receivables.view      | whoever may list invoices (ageing and statements of    |
|                               | the clients in their scope)                            |
| finance.period.close          | Finance only                                           |
| finance.series.manage         | Finance and administrators                             |
| finance.settings.edit         | Finance and administrators                             |
| finance.portal.invoices       | client users with a company (their invoices, statement)|

Rows: `@scope(Invoice)` and `@scope(Payment)` — staff who oversee money see every
client's; account people the clients whose confidential file they see; others none.
Client users see their own company's issued invoices and its payments. Anything outside
the scope is a 404.
"""

from django.db.models import QuerySet

from jobbag.accounts.models import ACCOUNT_LADDER, MANAGEMENT_ROLES, Role, User
from jobbag.core.permissions import rule, scope
from jobbag.finance.models import Invoice, Payment
from jobbag.jobs.permissions.jobs import served_company_ids

# Those who see every client's money.
MONEY_ROLES = {*MANAGEMENT_ROLES, Role.DCS, Role.MARKETING_MANAGER, Role.FINANCE}
ACCOUNT_ROLES = set(ACCOUNT_LADDER)


def is_staff(user) -> bool:
    return user.is_authenticated and user.is_active and user.kind == User.Kind.STAFF


def is_finance(user) -> bool:
    return is_staff(user) and user.role == Role.FINANCE


def is_client_user(user) -> bool:
    return user.is_authenticated and user.is_active and user.kind == User.Kind.CLIENT


def billing_company_ids(user) -> set[int] | None:
    """The clients whose invoices `user` sees (None: all); read once per request inside
    `remembered` (core.memo)."""
    if not is_staff(user):
        return set()
    if user.is_admin or user.role in MONEY_ROLES:
        return None
    if user.role in ACCOUNT_ROLES:
        return served_company_ids(user)
    return set()


def sees_company(user, company_id: int) -> bool:
    ids = billing_company_ids(user)
    return ids is None or company_id in ids


def _scoped(user, queryset: QuerySet, *, issued_only_for_clients: bool) -> QuerySet:
    if is_client_user(user):
        if not user.company_id:
            return queryset.none()
        rows = queryset.filter(company_id=user.company_id)
        return rows.filter(status=Invoice.Status.ISSUED) if issued_only_for_clients else rows
    ids = billing_company_ids(user)
    if ids is None:
        return queryset
    return queryset.filter(company_id__in=ids) if ids else queryset.none()


@scope(Invoice)
def visible_invoices(user, queryset: QuerySet) -> QuerySet:
    return _scoped(user, queryset, issued_only_for_clients=True)


@scope(Payment)
def visible_payments(user, queryset: QuerySet) -> QuerySet:
    return _scoped(user, queryset, issued_only_for_clients=False)


@rule("finance.invoice.list")
def can_list_invoices(user, obj=None) -> bool:
    if not is_staff(user):
        return False
    return user.is_admin or user.role in MONEY_ROLES or user.role in ACCOUNT_ROLES


@rule("finance.invoice.view")
def can_view_invoice(user, obj=None) -> bool:
    if obj is None:
        return can_list_invoices(user) or is_client_user(user)
    return visible_invoices(user, Invoice.objects.filter(pk=obj.pk)).exists()


@rule("finance.invoice.create")
def can_create_invoice(user, obj=None) -> bool:
    return is_finance(user)


@rule("finance.invoice.issue")
def can_issue_invoice(user, obj=None) -> bool:
    return is_finance(user)


@rule("finance.invoice.credit")
def can_credit_invoice(user, obj=None) -> bool:
    return is_finance(user)


@rule("finance.payment.record")
def can_record_payment(user, obj=None) -> bool:
    return is_finance(user)


@rule("finance.receivables.view")
def can_view_receivables(user, obj=None) -> bool:
    return can_list_invoices(user)


@rule("finance.period.close")
def can_close_period(user, obj=None) -> bool:
    return is_finance(user)


@rule("finance.series.manage")
def can_manage_series(user, obj=None) -> bool:
    return is_finance(user) or (is_staff(user) and user.is_admin)


@rule("finance.settings.edit")
def can_edit_finance_settings(user, obj=None) -> bool:
    return is_finance(user) or (is_staff(user) and user.is_admin)


@rule("finance.portal.invoices")
def can_see_portal_invoices(user, obj=None) -> bool:
    return is_client_user(user) and bool(user.company_id)
