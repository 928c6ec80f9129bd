"""One search box for the client file: companies, brands and people, grouped by kind."""

from django.shortcuts import render

from jobbag.clients import selectors
from jobbag.clients.views.companies import _staff_page


@_staff_page
def search(request):
    """Companies and brands by name in characters or pinyin; people also by phone or
    e-mail, only from files the user may open. Typing refreshes the results (htmx)."""
    query = request.GET.get("q", "")
    context = {"results": selectors.search(viewer=request.user, query=query), "q": query}
    if request.htmx and request.htmx.target == "search-results":
        return render(request, "clients/search/_results.html", context)
    return render(request, "clients/search/search.html", context)
