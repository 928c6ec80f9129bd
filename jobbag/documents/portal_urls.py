"""The client's pages of documents, under /portal/ in the portal's namespace."""

urlpatterns: list = []
