"""The study-wide identity of an identifier, without storing it: a keyed hash."""

from __future__ import annotations

import hashlib
import hmac
import unicodedata

from django.conf import settings


def identifier_key(text: str) -> str:
    """What makes two occurrences the same identifier: the text case-folded, with its white
    space collapsed and its accents kept (Zoë and Zoe are different people)."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def entity_digest(*, study_id: int, kind: str, text: str) -> str:
    """HMAC-SHA256 (the site's secret key) of the study, kind and identifier key: stable across
    a study's interviews, useless to anyone without the secret, and never the name itself."""
    message = f"{study_id}\x1f{kind}\x1f{identifier_key(text)}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()
