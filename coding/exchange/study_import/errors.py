"""The one error a study import raises: the file cannot be imported, and nothing was stored."""

from __future__ import annotations


class StudyImportError(Exception):
    """The file cannot be imported; the message says where and why. Nothing was stored."""
