"""How a channel says a delivery failed: try again later, or never."""


class TransientError(Exception):
    """5xx, 429, timeouts, refused connections: the outbox retries with backoff."""


class PermanentError(Exception):
    """The provider refused the message itself; retrying would not help."""


class Unreachable(Exception):
    """The officer cannot be reached on this channel (not linked, no subscription)."""
