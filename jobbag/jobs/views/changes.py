"""Pages of the job chain: changes."""

urlpatterns: list = []
