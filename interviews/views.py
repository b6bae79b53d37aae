"""Pages for the user's studies, their account and the transcript import (thin: selectors read,
services write). A study's and a dyad's pages show coding progress: they are coding's."""

from __future__ import annotations

from base64 import b32encode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from healing.accounts.two_factor import (
    totp_device_confirm,
    totp_device_confirmed,
    totp_device_pending,
    totp_device_remove,
    totp_device_start,
    totp_qr_svg,
    user_two_factor_verified,
)
from healing.tokens.models import ApiToken
from healing.types import AuthenticatedRequest
from interviews.dyad_table import dyad_table
from interviews.manifest import ManifestError, manifest_items
from interviews.models import AttributeType, Entity, Perspective, Role
from interviews.selectors import (
    invitation_pending_for_user,
    invitations_pending_for_user,
    studies_for_user,
    study_get_for_user,
    user_may_create_study,
)
from interviews.services import (
    api_token_create,
    api_token_revoke,
    invitation_accept,
    invitation_decline,
    parse_speaker_map,
    token_lifetime_choices,
    transcripts_import_start,
)


@login_required
def home(request: AuthenticatedRequest) -> HttpResponse:
    """My studies: one query, whatever the number of studies."""
    return render(
        request,
        "interviews/home.html",
        {
            "studies": list(studies_for_user(user=request.user)),
            "invitations": invitations_pending_for_user(user=request.user).count(),
            "may_create": user_may_create_study(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def invitations(request: AuthenticatedRequest) -> HttpResponse:
    """The studies that invited me: accept (I join with the invited role) or decline."""
    if request.method == "POST":
        try:
            pk = int(request.POST.get("invitation", ""))
        except ValueError:
            pk = 0
        invitation = invitation_pending_for_user(user=request.user, pk=pk)
        if request.POST.get("answer") == "accept":
            invitation_accept(invitation=invitation, user=request.user)
            messages.success(request, f"You joined {invitation.study.title}.")
        else:
            invitation_decline(invitation=invitation, user=request.user)
            messages.info(request, f"You declined the invitation to {invitation.study.title}.")
        return redirect("invitations")
    return render(
        request,
        "interviews/invitations.html",
        {"invitations": list(invitations_pending_for_user(user=request.user))},
    )


@login_required
@require_http_methods(["GET", "POST"])
def account(request: AuthenticatedRequest) -> HttpResponse:
    """The user's account page: personal API tokens (create with an expiry, list, revoke) and
    two-factor sign-in (set up an authenticator app, confirm it with a code, turn it off)."""
    new_token = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            try:
                days = int(request.POST.get("days") or 0) or None
            except ValueError:
                days = -1
            try:
                _, new_token = api_token_create(
                    user=request.user,
                    name=request.POST.get("name", ""),
                    days=days,
                    two_factor=user_two_factor_verified(request.user),
                )
            except ValidationError as exc:
                for text in exc.messages:
                    messages.error(request, text)
                return redirect("account")
        elif action == "revoke":
            token = ApiToken.objects.filter(
                user=request.user, pk=request.POST.get("token") or 0
            ).first()
            if token is None:
                messages.error(request, "No such token.")
            else:
                api_token_revoke(token=token)
                messages.success(request, f"Token “{token.name}” revoked.")
            return redirect("account")
        elif action in TWO_FACTOR_ACTIONS:
            return _two_factor_action(request, action)
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created")
    pending = totp_device_pending(user=request.user)
    return render(
        request,
        "interviews/account.html",
        {
            "tokens": tokens,
            "new_token": new_token,
            "lifetimes": token_lifetime_choices(),
            "now": timezone.now(),
            "device": totp_device_confirmed(user=request.user),
            "verified": user_two_factor_verified(request.user),
            "pending": pending,
            "pending_qr": totp_qr_svg(pending) if pending else "",
            "pending_secret": b32encode(pending.bin_key).decode("ascii") if pending else "",
        },
    )


TWO_FACTOR_ACTIONS = ("totp-start", "totp-confirm", "totp-remove")


def _two_factor_action(request: AuthenticatedRequest, action: str) -> HttpResponse:
    code = request.POST.get("code", "")
    if action == "totp-start":
        totp_device_start(user=request.user)
    elif action == "totp-confirm":
        pending = totp_device_pending(user=request.user)
        if pending is None or not totp_device_confirm(device=pending, code=code):
            messages.error(request, "That code is wrong or has expired: try the current one.")
        else:
            otp_login(request, pending)
            messages.success(request, "Two-factor sign-in is on; sign-ins now ask for a code.")
    elif action == "totp-remove":
        if totp_device_remove(user=request.user, code=code):
            messages.success(request, "Two-factor sign-in is off.")
        else:
            messages.error(request, "Enter a current code from your app to turn two-factor off.")
    return redirect(reverse("account") + "#two-factor")


@login_required
def study_dyads(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """The dyads table: every member reads it; the lead edits it in place (static/js/
    dyads-table.js, through the API). Five queries, whatever the number of dyads."""
    study, access = study_get_for_user(user=request.user, slug=slug)
    return render(
        request,
        "interviews/study_dyads.html",
        {
            "study": study,
            "access": access,
            "table": dyad_table(study=study),
            "attribute_types": AttributeType.choices,
            "entities": Entity.choices,
            "tab": "dyads",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def study_import_transcripts(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """Leads upload transcripts: one file with its dyad and perspective, or several files with a
    manifest CSV. The import runs as a job whose page reports every file."""
    study, access = study_get_for_user(user=request.user, slug=slug, min_role=Role.LEAD)
    errors: list[str] = []
    values = {"dyad": "", "perspective": "", "speakers": "", "clinician": "", "patient": ""}
    if request.method == "POST":
        values.update({name: request.POST.get(name, "").strip() for name in values})
        try:
            job = transcripts_import_start(
                study=study,
                user=request.user,
                uploads=request.FILES.getlist("files"),
                items=_import_items(request, values),
                force=request.POST.get("force") == "on",
            )
            return redirect("job-detail", pk=job.pk)
        except ValidationError as exc:
            errors = exc.messages
    return render(
        request,
        "interviews/import_transcripts.html",
        {
            "study": study,
            "access": access,
            "values": values,
            "errors": errors,
            "perspectives": [p for p in Perspective.choices if p[0] != Perspective.OTHER],
            "tab": "overview",
        },
        status=400 if errors else 200,
    )


def _import_items(request: AuthenticatedRequest, values: dict[str, str]) -> list[dict[str, object]]:
    uploads = request.FILES.getlist("files")
    if not uploads:
        raise ValidationError("Choose at least one transcript file.")
    manifest = request.FILES.get("manifest")
    if manifest is not None:
        try:
            return manifest_items(data=manifest.read(), name=manifest.name or "manifest.csv")
        except ManifestError as exc:
            raise ValidationError(str(exc)) from None
    if len(uploads) > 1:
        raise ValidationError(
            "Several files need a manifest CSV saying each file's dyad and perspective."
        )
    if not values["dyad"]:
        raise ValidationError("Give the dyad's label (a new label creates the dyad).")
    if len(values["dyad"]) > 60:
        raise ValidationError("Keep the dyad's label under 60 characters.")
    if values["perspective"] not in {Perspective.PATIENT, Perspective.CLINICIAN}:
        raise ValidationError("Say whether this is the patient's or the clinician's interview.")
    return [
        {
            "file": uploads[0].name,
            "dyad": values["dyad"],
            "perspective": values["perspective"],
            "clinician": values["clinician"],
            "patient": values["patient"],
            "speaker_map": parse_speaker_map(values["speakers"]),
            "dyad_attributes": {},
            "clinician_attributes": {},
            "patient_attributes": {},
            "conducted_on": "",
            "interviewer": "",
        }
    ]
