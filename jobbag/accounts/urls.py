from django.urls import path

from jobbag.accounts import auth_views, views

app_name = "accounts"

urlpatterns = [
    # Signing in and security (accounts.auth_views).
    path("login/", auth_views.login_view, name="login"),
    path("logout/", auth_views.logout_view, name="logout"),
    path("profile/", auth_views.profile, name="profile"),
    path("password/", auth_views.password_change, name="password_change"),
    path("password/reset/", auth_views.password_reset, name="password_reset"),
    path("password/reset/sent/", auth_views.password_reset_done, name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.password_reset_complete,
        name="password_reset_complete",
    ),
    path("two-step/", auth_views.otp_verify, name="otp_verify"),
    path("two-step/setup/", auth_views.otp_setup, name="otp_setup"),
    path("two-step/remove/", auth_views.otp_remove, name="otp_remove"),
    path("tokens/", auth_views.token_create_view, name="token_create"),
    path("tokens/<int:pk>/revoke/", auth_views.token_revoke_view, name="token_revoke"),
    path("security-policy/", auth_views.security_policy, name="security_policy"),
    # People and organisation (accounts.views).
    path("directory/", views.directory, name="directory"),
    path("people/<int:pk>/", views.user_detail, name="user_detail"),
    path("deputies/", views.my_deputies, name="my_deputies"),
    path("deputies/<int:pk>/cancel/", views.deputy_cancel, name="deputy_cancel"),
    path("manage/", views.manage, name="manage"),
    path("manage/departments/", views.department_list, name="department_list"),
    path("manage/departments/new/", views.department_create, name="department_create"),
    path("manage/departments/<int:pk>/", views.department_edit, name="department_edit"),
    path("manage/positions/", views.position_list, name="position_list"),
    path("manage/positions/new/", views.position_create, name="position_create"),
    path("manage/positions/<int:pk>/", views.position_edit, name="position_edit"),
    path("manage/client-groups/", views.client_group_list, name="client_group_list"),
    path("manage/client-groups/new/", views.client_group_create, name="client_group_create"),
    path("manage/client-groups/<int:pk>/", views.client_group_edit, name="client_group_edit"),
    path("manage/client-groups/<int:pk>/team/", views.service_team_add, name="service_team_add"),
    path("manage/service-team/<int:pk>/end/", views.service_team_end, name="service_team_end"),
    path("manage/users/", views.user_list, name="user_list"),
    path("manage/users/new/", views.user_create, name="user_create"),
    path("manage/users/<int:pk>/", views.user_edit, name="user_edit"),
    path("manage/users/<int:pk>/deactivate/", views.user_deactivate, name="user_deactivate"),
    path("manage/users/<int:pk>/reactivate/", views.user_reactivate, name="user_reactivate"),
    path("manage/deputies/", views.deputy_list, name="deputy_list"),
    path("manage/deputies/new/", views.deputy_create, name="deputy_create"),
    path("manage/authority/", views.authority_limit_list, name="authority_limit_list"),
    path("manage/authority/new/", views.authority_limit_create, name="authority_limit_create"),
    path("manage/authority/<int:pk>/", views.authority_limit_edit, name="authority_limit_edit"),
    path(
        "manage/authority/<int:pk>/remove/",
        views.authority_limit_remove,
        name="authority_limit_remove",
    ),
]
