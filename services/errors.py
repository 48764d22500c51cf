"""Typed errors the services raise; views turn them into flashes, form errors or JSON."""


class ServiceError(Exception):
    """Base of every domain error; ``message`` is shown to the user as it is."""

    code = "error"

    def __init__(self, message: str, fields: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class ValidationFailed(ServiceError):
    """Input breaks a rule; ``fields`` names the offending fields."""

    code = "validation_failed"


class NotFound(ServiceError):
    """No such record, or not one this user may see (the two look the same)."""

    code = "not_found"


class Forbidden(ServiceError):
    """The user's roles do not allow the action."""

    code = "forbidden"


class Conflict(ServiceError):
    """Wrong state, stale version or duplicate."""

    code = "conflict"
