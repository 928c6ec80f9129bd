from jobbag.jobs.views import changes, closing, jobs, plans, quotes, reviews, work_orders

app_name = "jobs"

# Each step's pages live in their own module (which also registers its job-page panel).
urlpatterns = [
    *jobs.urlpatterns,
    *quotes.urlpatterns,
    *reviews.urlpatterns,
    *work_orders.urlpatterns,
    *changes.urlpatterns,
    *plans.urlpatterns,
    *closing.urlpatterns,
]
