"""What a refused client user gets: on pages, 404 (the portal keeps client users inside
it); from the API, which decides for itself, 403."""

PAGE_REFUSED_TO_CLIENTS = 404
API_REFUSED_TO_CLIENTS = 403
