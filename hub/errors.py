"""Domain errors raised by services; the web, API and CLI layers turn them into messages."""


class DomainError(Exception):
    """A rule of the hub was broken; `message` is fit to show to a person (lazily translated)."""

    status = 400

    def __init__(self, message, field=None):
        super().__init__(str(message))
        self.message = message
        self.field = field


class NotFound(DomainError):
    status = 404


class Forbidden(DomainError):
    status = 403


class Conflict(DomainError):
    status = 409


class Invalid(DomainError):
    status = 422


class Throttled(DomainError):
    status = 429

    def __init__(self, message, retry_after):
        super().__init__(message)
        self.retry_after = retry_after
