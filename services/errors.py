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


class FieldErrors(dict):
    """Field → message, collected over a whole input before answering once.

    Rules add to it instead of raising at the first problem; ``check`` then
    raises one ValidationFailed naming every offending field.
    """

    def add(self, field: str, message: str) -> None:
        """Keep the first message given for FIELD (a parse error outranks a rule)."""
        self.setdefault(field, message)

    def check(self, message: str = "Dữ liệu chưa hợp lệ.") -> None:
        if self:
            raise ValidationFailed(message, dict(self))
