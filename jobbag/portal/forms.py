"""The portal's forms only parse input; the rules are in portal.services."""

from jobbag.accounts.auth_forms import NewPasswordForm


class AcceptForm(NewPasswordForm):
    """The invited contact's new password, typed twice; the validators run in the service."""
