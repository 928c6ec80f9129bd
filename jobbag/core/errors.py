"""Domain errors raised by services; views and the API turn them into messages/4xx."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A rule refused the change. `message` is shown to the user; `fields` maps field errors."""

    status = 400
    code = "invalid"
    default_message = _("The request could not be carried out.")

    def __init__(self, message=None, *, fields: dict | None = None, code: str | None = None):
        self.message = message or self.default_message
        self.fields = fields or {}
        if code:
            self.code = code
        super().__init__(str(self.message))


class NotAllowed(DomainError):
    status = 403
    code = "forbidden"
    default_message = _("You are not allowed to do this.")


class NotFound(DomainError):
    status = 404
    code = "not_found"
    default_message = _("Not found.")


class Conflict(DomainError):
    """The record changed since the user loaded it (stale version) or a state clash."""

    status = 409
    code = "conflict"
    default_message = _("Someone else changed this record in the meantime. Reload and try again.")
