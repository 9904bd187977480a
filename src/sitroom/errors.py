"""The small exception hierarchy: every rejected input comes back with a reason."""


class SitroomError(Exception):
    """Base of every error sitroom raises on purpose."""


class InputError(SitroomError):
    """A document could not be read or decoded (binary, wrong encoding, too large, empty)."""


class ExtractionError(SitroomError):
    """Text could not be extracted from a document (e.g. HTML with no main text)."""


class SettingsError(SitroomError):
    """Unknown or invalid settings."""


class StoreError(SitroomError):
    """The store could not be opened or written."""
