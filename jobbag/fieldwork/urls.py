from django.urls import path

from jobbag.fieldwork import views

app_name = "fieldwork"

urlpatterns = [
    path("", views.my_day, name="my_day"),
    path("outings/register/", views.outing_register, name="outing_register"),
    path("outings/<int:pk>/return/", views.outing_return, name="outing_return"),
    path("reports/", views.reports, name="reports"),
    path("reports/<str:day>/save/", views.report_save, name="report_save"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/review/", views.report_review, name="report_review"),
    path("team/", views.team, name="team"),
    path("summaries/", views.summaries, name="summaries"),
    path("summaries/start/", views.summary_start, name="summary_start"),
    path("summaries/<int:pk>/", views.summary_detail, name="summary_detail"),
    path("summaries/<int:pk>/save/", views.summary_save, name="summary_save"),
    path("summaries/<int:pk>/review/", views.summary_review, name="summary_review"),
    path("targets/", views.targets, name="targets"),
    path("targets/set/", views.target_set, name="target_set"),
    path("settings/", views.settings_update, name="settings_update"),
]
