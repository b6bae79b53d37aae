"""The one exception the transcript parser raises."""


class TranscriptError(ValueError):
    """One-line message a user can act on, naming the file. Raised for every bad input."""
