"""Pages of the job chain: plans."""

urlpatterns: list = []
