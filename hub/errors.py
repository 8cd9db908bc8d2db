"""Domain errors raised by services; the web, API and CLI layers turn them into messages.

One refusal, one status, everywhere: the API answers `{"error": message}` with `status` (one
handler, hub.api), pages show the message on the form with the same status (hub.web.util.refused)
or the error page for 403 and 404.
"""


class DomainError(Exception):
    """A rule of the hub was broken; `message` is fit to show to a person (lazily translated)."""

    status = 422

    def __init__(self, message, field=None, **extra):
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.extra = extra  # more for the API's answer beside "error" (e.g. the steps allowed)


class BadRequest(DomainError):
    """The request itself is malformed: a parameter no form of the hub sends (a page marker)."""
    status = 400


class Unauthenticated(DomainError):
    """Wrong credentials, or an account that may not log in."""
    status = 401


class NotFound(DomainError):
    status = 404


class Forbidden(DomainError):
    status = 403


class Conflict(DomainError):
    """The input is fine but the state forbids it: done already, taken, flagged."""
    status = 409


class Invalid(DomainError):
    """An input that breaks a rule; `field` names it."""
    status = 422


class Throttled(DomainError):
    status = 429

    def __init__(self, message, retry_after):
        super().__init__(message)
        self.retry_after = retry_after
