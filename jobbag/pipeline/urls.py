from django.urls import path

from jobbag.pipeline import views

app_name = "pipeline"

urlpatterns = [
    path("", views.board, name="board"),
    path("list/", views.prospect_list, name="list"),
    path("list/export/", views.prospect_export, name="export"),
    path("new/", views.prospect_create, name="create"),
    path("<int:pk>/", views.prospect_detail, name="detail"),
    path("<int:pk>/edit/", views.prospect_edit, name="edit"),
    path("<int:pk>/move/", views.prospect_move, name="move"),
    path("<int:pk>/win/", views.prospect_win, name="win"),
    path("<int:pk>/lose/", views.prospect_lose, name="lose"),
    path("<int:pk>/reopen/", views.prospect_reopen, name="reopen"),
]
