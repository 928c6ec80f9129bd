from django.urls import path

from jobbag.core import task_views, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("language/", views.set_language, name="set_language"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("admin/tasks/", task_views.failed_tasks, name="failed_tasks"),
    path("admin/tasks/<uuid:pk>/retry/", task_views.retry_task, name="retry_task"),
]
