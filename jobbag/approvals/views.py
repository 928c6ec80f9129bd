"""Sign-off pages (placeholder until the inbox and evidence pages land)."""

from django.http import Http404


def inbox(request):
    raise Http404


def detail(request, pk: int):
    raise Http404
