"""Menu entries of surveys (and the job page's survey panel, loaded with them)."""

from django.utils.translation import gettext_lazy as _

from jobbag.core.navigation import MenuItem, register
from jobbag.service.surveys import panels as _panels  # noqa: F401

register(MenuItem(_("Surveys"), "service:survey_list", "service.surveys.view"), order=64)
register(MenuItem(_("Survey results"), "service:survey_results", "service.surveys.view"), order=65)
register(MenuItem(_("Surveys"), "portal:survey_list", "service.survey.portal"), order=66)
