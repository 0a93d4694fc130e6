"""The current request's id, so that audit records written by services can be tied to one request."""

from contextvars import ContextVar

_request_id: ContextVar[str | None] = ContextVar("wellled_request_id", default=None)


def current_request_id() -> str | None:
    """The id of the request being served, or None outside a request (commands, tests)."""
    return _request_id.get()


def set_request_id(value: str | None):
    """Set the request id; returns a token for `reset_request_id`."""
    return _request_id.set(value)


def reset_request_id(token) -> None:
    """Restore the previous request id."""
    _request_id.reset(token)
