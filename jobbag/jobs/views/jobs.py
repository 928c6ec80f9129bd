"""Pages of the job chain: jobs (placeholder until the job pages land)."""

from django.http import Http404
from django.urls import path


def detail(request, pk: int):
    raise Http404


urlpatterns: list = [path("<int:pk>/", detail, name="detail")]
