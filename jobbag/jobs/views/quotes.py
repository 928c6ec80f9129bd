"""Pages of the job chain: quotes."""

urlpatterns: list = []
