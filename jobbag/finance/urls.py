from django.urls import path

from jobbag.finance import views

app_name = "finance"

urlpatterns = [
    path("rates/", views.rates, name="rates"),
    path("rates/new/", views.rate_new, name="rate_new"),
    path("rates/<int:pk>/", views.rate_edit, name="rate_edit"),
    path("taxes/", views.taxes, name="taxes"),
    path("taxes/new/", views.tax_new, name="tax_new"),
    path("taxes/<int:pk>/", views.tax_detail, name="tax_detail"),
    path("taxes/<int:pk>/components/", views.tax_component_add, name="tax_component_add"),
    path(
        "taxes/<int:pk>/components/<int:component_pk>/remove/",
        views.tax_component_remove,
        name="tax_component_remove",
    ),
]
