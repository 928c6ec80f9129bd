from django.urls import path

from jobbag.calendar import views

app_name = "calendar"

urlpatterns = [
    path("", views.year, name="year"),
    path("<int:year>/", views.year, name="year"),
    path("<int:year>/known/", views.year_known, name="year_known"),
    path("days/add/", views.day_add, name="day_add"),
    path("days/<str:day>/edit/", views.day_edit, name="day_edit"),
    path("days/<str:day>/remove/", views.day_remove, name="day_remove"),
    path("calculate/", views.calculate, name="calculate"),
]
