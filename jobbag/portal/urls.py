from django.urls import path

from jobbag.approvals import portal_views as signoff_views
from jobbag.documents import portal_urls as documents_urls
from jobbag.finance import portal_urls as finance_urls
from jobbag.meetings import portal_urls as meetings_urls
from jobbag.portal import views
from jobbag.service import portal_urls as service_urls

app_name = "portal"

urlpatterns = [
    # What client users see.
    path("", views.home, name="home"),
    path("team/", views.team, name="team"),
    # Documents the client signs (approvals.portal_views).
    path("signoffs/", signoff_views.signoff_list, name="signoff_list"),
    path("signoffs/<int:pk>/", signoff_views.signoff_detail, name="signoff_detail"),
    # Meetings, contact reports, actions and weekly reports (meetings.portal).
    *meetings_urls.urlpatterns,
    # Complaints, surveys (service) and the client's archive (documents).
    *service_urls.urlpatterns,
    *documents_urls.urlpatterns,
    # The client's invoices and statement (finance.portal).
    *finance_urls.urlpatterns,
    # The e-mailed link: opened without signing in.
    path("invitations/<str:token>/", views.accept, name="accept"),
    # Staff pages: a contact's portal access.
    path("staff/contacts/<int:pk>/", views.contact_access, name="contact_access"),
    path("staff/contacts/<int:pk>/invite/", views.invite, name="invite"),
    path("staff/contacts/<int:pk>/revoke/", views.revoke, name="revoke"),
]

# Pages under portal/ that are for staff: client users never reach them, although the
# isolation middleware lets client users into the rest of the portal namespace.
STAFF_URL_NAMES = {"portal:contact_access", "portal:invite", "portal:revoke"}
