from django.urls import path  # noqa: F401

from jobbag.clients.views import companies, contact_log, dossier, search
from jobbag.clients.views import imports as imports_views

app_name = "clients"

# Each topic's routes: companies, brands and contacts; the dossier; the contact log;
# Excel import. Keep each topic's lines together.
urlpatterns: list = []

# Companies, brands, contacts, service teams and search.
urlpatterns += [
    path("", companies.company_list, name="list"),
    path("export/", companies.company_export, name="export"),
    path("new/", companies.company_create, name="create"),
    path("search/", search.search, name="search"),
    path("<int:pk>/", companies.company_detail, name="detail"),
    path("<int:pk>/edit/", companies.company_edit, name="edit"),
    path("<int:pk>/brands/new/", companies.brand_create, name="brand_create"),
    path("<int:pk>/contacts/new/", companies.contact_create, name="contact_create"),
    path("<int:pk>/team/add/", companies.team_add, name="team_add"),
    path("brands/<int:pk>/", companies.brand_detail, name="brand_detail"),
    path("brands/<int:pk>/edit/", companies.brand_edit, name="brand_edit"),
    path("contacts/<int:pk>/", companies.contact_detail, name="contact_detail"),
    path("contacts/<int:pk>/edit/", companies.contact_edit, name="contact_edit"),
    path("team/<int:pk>/end/", companies.team_end, name="team_end"),
]

# The brand dossier (品牌档案).
urlpatterns += [
    path("brands/<int:pk>/dossier/", dossier.overview, name="dossier"),
    path(
        "brands/<int:pk>/dossier/files/<int:attachment>/",
        dossier.attachment_download,
        name="dossier_attachment",
    ),
    path(
        "brands/<int:pk>/dossier/files/<int:attachment>/remove/",
        dossier.attachment_remove,
        name="dossier_attachment_remove",
    ),
    path("brands/<int:pk>/dossier/<slug:section>/", dossier.section_page, name="dossier_section"),
    path("brands/<int:pk>/dossier/<slug:section>/add/", dossier.row_add, name="dossier_row_add"),
    path(
        "brands/<int:pk>/dossier/<slug:section>/files/",
        dossier.attachment_add,
        name="dossier_attachment_add",
    ),
    path("brands/<int:pk>/dossier/<slug:section>/<int:row>/", dossier.row_edit, name="dossier_row"),
    path(
        "brands/<int:pk>/dossier/<slug:section>/<int:row>/remove/",
        dossier.row_remove,
        name="dossier_row_remove",
    ),
]

# The contact log.
urlpatterns += [
    path("<int:pk>/log/", contact_log.company_log, name="company_log"),
    path("<int:pk>/log/add/", contact_log.log_create, name="log_create"),
    path("log/<int:pk>/edit/", contact_log.log_edit, name="log_edit"),
    path("log/<int:pk>/done/", contact_log.log_done, name="log_done"),
    path("log/mine/", contact_log.my_log, name="my_log"),
    path("log/next-steps/", contact_log.next_steps, name="next_steps"),
    path("not-contacted/", contact_log.not_contacted, name="not_contacted"),
]

# Excel import of companies, brands and contacts.
urlpatterns += [
    path("import/", imports_views.import_start, name="import"),
    path("import/template.xlsx", imports_views.import_template, name="import_template"),
    path("import/<int:pk>/", imports_views.import_detail, name="import_detail"),
    path("import/<int:pk>/confirm/", imports_views.import_confirm, name="import_confirm"),
]
