"""The client's pages of documents, under /portal/ in the portal's namespace."""

from django.urls import path

from jobbag.documents import portal_views

urlpatterns: list = [
    path("archive/", portal_views.archive, name="archive"),
    path("archive/<int:pk>/", portal_views.archive_detail, name="archive_detail"),
    path("archive/<int:pk>/pdf/", portal_views.archive_pdf, name="archive_pdf"),
    path("archive/<int:pk>/files/<int:file_pk>/", portal_views.archive_file, name="archive_file"),
]
