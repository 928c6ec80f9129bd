"""Pages of the job chain: closing."""

urlpatterns: list = []
