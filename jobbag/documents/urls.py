from django.urls import path

from jobbag.documents import views

app_name = "documents"

urlpatterns = [
    path("", views.archive, name="archive"),
    path("<int:pk>/", views.archive_detail, name="archive_detail"),
    path("<int:pk>/view/", views.archive_view, name="archive_view"),
    path("<int:pk>/files/<int:file_pk>/", views.archive_download, name="archive_download"),
    path("<int:pk>/borrow/", views.borrow, name="borrow"),
    path("borrowings/", views.borrowings, name="borrowings"),
    path("access-log/", views.access_log, name="access_log"),
    path("rules/", views.rules, name="rules"),
]
