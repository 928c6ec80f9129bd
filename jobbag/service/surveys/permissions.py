"""Who may do what with satisfaction surveys. Read as a table:

| action                              | who                                               |
| ----------------------------------- | ------------------------------------------------- |
| service.surveys.view                | account roles (DCS…AE, Marketing Manager),        |
|                                     | management, admins: surveys, results (their scope)|
| service.survey.view (obj)           | whoever's rows hold it (below)                    |
| service.survey.send (company)       | those who work on the client (its service team,   |
|                                     | their superiors, deputies), management, admins    |
| service.survey.cancel (obj)         | those who work on its client, while unanswered    |
| service.survey.answer (obj)         | a client user of the survey's company (portal);   |
|                                     | the one-time link needs no sign-in: its token is  |
|                                     | the credential                                    |
| service.survey.portal               | client users with a company: the portal pages     |
| service.survey_templates.manage     | admins, the DCS and management: make, revise,     |
|                                     | retire templates                                  |
| service.survey_plan.edit (company)  | those who work on the client                      |

Rows each user may see:

| model          | staff                                             | client users     |
| -------------- | ------------------------------------------------- | ---------------- |
| Survey         | account roles (the DCS too): of clients they see  | their company's  |
|                | in full (served by them or by those who report to |                  |
|                | them); management, admins: all; other staff: none |                  |
| SurveyTemplate | account roles, management, admins                 | none             |
| SurveyPlan     | account roles: of clients they see in full        | none             |

Anything outside a user's rows is a 404, never a 403.
"""

from jobbag.accounts.models import Role
from jobbag.core.permissions import rule, scope
from jobbag.service.models import Survey, SurveyPlan, SurveyTemplate
from jobbag.service.permissions import (
    company_ids,
    is_client_user,
    is_manager,
    is_service_role,
    is_staff,
    works_on,
)


def survey_company_ids(user) -> set[int] | None:
    """The clients whose surveys `user` sees (None: all; empty: none)."""
    if not is_service_role(user):
        return set()
    if is_manager(user):
        return None
    return company_ids(user)


def runs_service(user) -> bool:
    """Management, admins and the DCS: they manage the templates."""
    return is_manager(user) or (is_staff(user) and user.role == Role.DCS)


@rule("service.surveys.view")
def can_view_surveys(user, obj=None) -> bool:
    return is_service_role(user)


@rule("service.survey.view")
def can_view(user, obj=None) -> bool:
    if obj is None:
        return is_service_role(user) or can_use_portal(user)
    if is_client_user(user):
        return obj.company_id == user.company_id
    ids = survey_company_ids(user)
    return is_service_role(user) and (ids is None or obj.company_id in ids)


@rule("service.survey.send")
def can_send(user, obj=None) -> bool:
    if obj is None:
        return is_service_role(user)
    return works_on(user, obj.pk)


@rule("service.survey.cancel")
def can_cancel(user, obj=None) -> bool:
    if obj is None:
        return is_service_role(user)
    return works_on(user, obj.company_id)


@rule("service.survey.portal")
def can_use_portal(user, obj=None) -> bool:
    return is_client_user(user) and bool(user.company_id)


@rule("service.survey.answer")
def can_answer(user, obj=None) -> bool:
    if not can_use_portal(user):
        return False
    return obj is None or obj.company_id == user.company_id


@rule("service.survey_templates.manage")
def can_manage_templates(user, obj=None) -> bool:
    return runs_service(user)


@rule("service.survey_plan.edit")
def can_edit_plan(user, obj=None) -> bool:
    if obj is None:
        return is_service_role(user)
    return works_on(user, obj.pk)


@scope(Survey)
def visible_surveys(user, queryset):
    if is_client_user(user):
        return queryset.filter(company_id=user.company_id) if user.company_id else queryset.none()
    ids = survey_company_ids(user)
    if ids is None:
        return queryset
    return queryset.filter(company_id__in=ids) if ids else queryset.none()


@scope(SurveyTemplate)
def visible_templates(user, queryset):
    return queryset if is_service_role(user) else queryset.none()


@scope(SurveyPlan)
def visible_plans(user, queryset):
    ids = survey_company_ids(user)
    if ids is None:
        return queryset
    return queryset.filter(company_id__in=ids) if ids else queryset.none()
