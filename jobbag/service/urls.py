from jobbag.service import configuration, views

app_name = "service"

urlpatterns = [*views.urlpatterns, *configuration.urlpatterns]
