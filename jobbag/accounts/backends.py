from django.contrib.auth.backends import ModelBackend

from jobbag.accounts.models import User


class AccountBackend(ModelBackend):
    """Django's username/password backend, loading the signed-in user with the position
    and department that every page's menu and permission checks read."""

    def get_user(self, user_id):
        user = (
            User._default_manager.select_related("position", "department")
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
