"""The client's pages of service, under /portal/ in the portal's namespace."""

from django.urls import path

from jobbag.service import portal_views
from jobbag.service.health import portal as health_portal
from jobbag.service.surveys import portal as survey_portal

urlpatterns: list = [
    path("complaints/", portal_views.complaint_list, name="complaint_list"),
    path("complaints/new/", portal_views.complaint_create, name="complaint_create"),
    path("complaints/<int:pk>/", portal_views.complaint_detail, name="complaint_detail"),
    path("complaints/<int:pk>/confirm/", portal_views.complaint_confirm, name="complaint_confirm"),
    path("complaints/<int:pk>/reopen/", portal_views.complaint_reopen, name="complaint_reopen"),
]
urlpatterns += [*survey_portal.urlpatterns, *health_portal.urlpatterns]
