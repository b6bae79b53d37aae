"""Types shared across the apps."""

from django.contrib.auth.models import User
from django.http import HttpRequest


class AuthenticatedRequest(HttpRequest):
    """The request of a view behind ``login_required``: ``user`` is a real user."""

    user: User
