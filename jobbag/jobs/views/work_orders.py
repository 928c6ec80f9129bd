"""Pages of the job chain: work_orders."""

urlpatterns: list = []
