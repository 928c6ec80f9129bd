from jobbag.finance.views import billing, credit, incentives, reference, time

app_name = "finance"

# Each topic's pages live in their own module.
urlpatterns = [
    *reference.urlpatterns,
    *time.urlpatterns,
    *billing.urlpatterns,
    *credit.urlpatterns,
    *incentives.urlpatterns,
]
