"""The one error type for files that cannot be read: its message is shown to the user as is."""

from __future__ import annotations


class RefiError(Exception):
    """A REFI-QDA file that cannot be used: not a zip, no .qde, malformed XML, unsafe, too big.

    The message is one line a person can act on; nothing has been stored when it is raised.
    """
