"""Pages of the job chain: reviews."""

urlpatterns: list = []
