"""Sign-in with an optional two-factor code: one form, username + password, and the 6-digit code
from an authenticator app when the user has set one up (healing/accounts/two_factor.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django_otp import login as otp_login

from healing.accounts.two_factor import totp_code_check, totp_device_confirmed

CODE_MISSING = "Enter the 6-digit code from your authenticator app."
CODE_WRONG = (
    "That code is wrong or has expired: enter the current code from your authenticator app."
)


class CodeAuthenticationForm(AuthenticationForm):
    otp_token = forms.CharField(required=False, max_length=12, strip=True)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self.otp_device = None
        user = self.get_user()
        if user is not None and totp_device_confirmed(user=user) is not None:
            code = cleaned.get("otp_token") or ""
            if not code:
                raise ValidationError(CODE_MISSING, code="otp_missing")
            device = totp_code_check(user=user, code=code)
            if device is None:
                raise ValidationError(CODE_WRONG, code="otp_wrong")
            self.otp_device = device
        return cleaned


class SignInView(LoginView):
    form_class = CodeAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        if form.otp_device is not None:
            otp_login(self.request, form.otp_device)
        return response
