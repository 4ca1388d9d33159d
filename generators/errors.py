"""Errors a user can act on; their messages are shown as they are (one line, no traceback)."""


class QuillError(Exception):
    """Base class of every error whose message is meant for the user."""


class InputError(QuillError, ValueError):
    """The text or a parameter sent by the user cannot be used."""


class ModelNotFound(QuillError):
    """The model spec names no bundled model, local directory or hub id."""


class ModelUnavailable(QuillError):
    """The model exists but cannot be loaded here (e.g. the hub is unreachable)."""
