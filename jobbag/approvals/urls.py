from django.urls import path

from jobbag.approvals import views

app_name = "approvals"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/decide/", views.decide, name="decide"),
    path("<int:pk>/signed-copy/", views.signed_copy, name="signed_copy"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("decisions/<int:pk>/signed-copy/", views.decision_file, name="decision_file"),
    path("snapshot-files/<int:pk>/", views.snapshot_file, name="snapshot_file"),
    path("document/<slug:document_type>/<int:object_id>/", views.document, name="document"),
    # Administration.
    path("policies/", views.policy_list, name="policies"),
    path("policies/new/", views.policy_create, name="policy_create"),
    path("policies/settings/", views.settings_update, name="settings"),
    path("policies/<int:pk>/", views.policy_detail, name="policy"),
    path("policies/<int:pk>/edit/", views.policy_edit, name="policy_edit"),
    path("policies/<int:pk>/steps/", views.step_add, name="step_add"),
    path("policy-steps/<int:pk>/", views.step_update, name="step_update"),
    path("policy-steps/<int:pk>/remove/", views.step_remove, name="step_remove"),
    path("policy-steps/<int:pk>/move/", views.step_move, name="step_move"),
    path("policy-steps/<int:pk>/members/", views.member_add, name="member_add"),
    path("policy-members/<int:pk>/remove/", views.member_remove, name="member_remove"),
]
