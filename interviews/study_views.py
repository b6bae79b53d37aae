"""Pages that set a study up: create one (``study-new``, who may: ``STUDY_CREATORS``) and its
lead's settings (``study-settings``: title, description, blind coding, two-factor, archive).
Thin: selectors read and decide access, ``study_create`` and ``study_update`` write and audit."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from healing.types import AuthenticatedRequest
from interviews.models import Role, Study
from interviews.selectors import (
    Access,
    studies_for_user,
    study_create_check,
    study_get_for_user,
    study_slug_available,
)
from interviews.services import study_create, study_update

CODEBOOK_CHOICES = [
    ("healing", "The healing-relationships codebook", "The shipped model: its codes, "
     "definitions and examples, ready to code with (you can change it later)."),
    ("empty", "An empty codebook", "Start with no codes and build the codebook yourself."),
    ("copy", "A copy of another study's codebook", "The current codebook of a study you "
     "belong to."),
]  # fmt: skip


def _field_errors(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {
            ("form" if name == "__all__" else name): list(msgs)
            for name, msgs in exc.message_dict.items()
        }
    return {"form": exc.messages}


@login_required
@require_http_methods(["GET", "POST"])
def study_new(request: AuthenticatedRequest) -> HttpResponse:
    """A new study: title, slug, description and where its codebook comes from. The creator
    becomes its lead and lands on its overview."""
    study_create_check(request.user)
    mine = list(studies_for_user(user=request.user))
    values = {"title": "", "slug": "", "description": "", "codebook": "healing", "copy_from": ""}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        values.update({name: request.POST.get(name, "").strip() for name in values})
        errors, copy_from = _new_study_errors(request, values)
        if not errors:
            try:
                study = study_create(
                    slug=values["slug"],
                    title=values["title"],
                    description=values["description"],
                    created_by=request.user,
                    codebook=values["codebook"],
                    copy_codebook_from=copy_from,
                )
            except ValidationError as exc:
                errors = _field_errors(exc)
            else:
                messages.success(request, f"Study “{study.title}” created: you are its lead.")
                return redirect("study-overview", slug=study.slug)
    return render(
        request,
        "interviews/study_new.html",
        {
            "values": values,
            "errors": errors,
            "codebooks": CODEBOOK_CHOICES,
            "mine": mine,
        },
        status=400 if errors else 200,
    )


def _new_study_errors(
    request: AuthenticatedRequest, values: dict[str, str]
) -> tuple[dict[str, list[str]], Study | None]:
    """The form's problems by field (nothing is stored while there is one), and the study whose
    codebook to copy."""
    errors: dict[str, list[str]] = {}
    if not values["title"]:
        errors["title"] = ["Give the study a title."]
    elif len(values["title"]) > 200:
        errors["title"] = ["Keep the title to 200 characters."]
    available, message = study_slug_available(slug=values["slug"])
    if not available:
        errors["slug"] = [message]
    copy_from = None
    if values["codebook"] not in {choice[0] for choice in CODEBOOK_CHOICES}:
        errors["codebook"] = ["Choose where the codebook comes from."]
    elif values["codebook"] == "copy":
        try:
            copy_from, _ = study_get_for_user(user=request.user, slug=values["copy_from"])
        except (Http404, PermissionDenied):
            errors["copy_from"] = ["Choose one of your studies to copy the codebook from."]
    return errors, copy_from


# --- Settings -----------------------------------------------------------------------------------


def _settings_context(study: Study, access: Access, **extra: Any) -> dict[str, Any]:
    return {"study": study, "access": access, "tab": "settings", **extra}


@login_required
@require_http_methods(["GET", "POST"])
def study_settings(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """The lead's settings: title, description, blind coding, two-factor; archive (read-only
    for everyone) and unarchive. Revealing (blind coding off) and archiving are confirmed on
    the server: the form comes back asking until "I understand" is ticked."""
    # read_only: the page shows, and unarchives, an archived study; the service refuses every
    # other change to it.
    study, access = study_get_for_user(
        user=request.user, slug=slug, min_role=Role.LEAD, read_only=True
    )
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action == "archive":
        return _archive(request, study, access)
    if action == "unarchive":
        study_update(study=study, actor=request.user, archived=False)
        messages.success(request, "The study is no longer archived: members can change it again.")
        return redirect("study-settings", slug=study.slug)
    if action == "save":
        return _save(request, study, access)
    if action:
        messages.error(request, "Unknown action.")
    return render(request, "interviews/study_settings.html", _settings_context(study, access))


def _save(request: AuthenticatedRequest, study: Study, access: Access) -> HttpResponse:
    access.require_writable()
    post = request.POST
    changes: dict[str, Any] = {
        "title": post.get("title", "").strip(),
        "description": post.get("description", "").strip(),
        "blind_coding": post.get("blind_coding") == "on",
        "require_two_factor": post.get("require_two_factor") == "on",
        "deid_required": post.get("deid_required") == "on",
        "deid_keep_original": post.get("deid_keep_original") == "on",
    }
    errors: dict[str, list[str]] = {}
    if not changes["title"]:
        errors["title"] = ["Give the study a title."]
    reveal = study.blind_coding and not changes["blind_coding"]
    confirm_reveal = reveal and post.get("confirm_reveal") != "on"
    if not errors and not confirm_reveal:
        try:
            study_update(study=study, actor=request.user, **changes)
        except ValidationError as exc:
            errors = _field_errors(exc)
            study.refresh_from_db()
        else:
            messages.success(
                request,
                "Settings saved; blind coding is off: coders now see each other's codings."
                if reveal
                else "Settings saved.",
            )
            return redirect("study-settings", slug=study.slug)
    return render(
        request,
        "interviews/study_settings.html",
        _settings_context(
            study, access, values=changes, errors=errors, confirm_reveal=confirm_reveal
        ),
        status=400 if errors else 200,
    )


def _archive(request: AuthenticatedRequest, study: Study, access: Access) -> HttpResponse:
    if study.archived:
        messages.info(request, "The study is already archived.")
        return redirect("study-settings", slug=study.slug)
    if request.POST.get("confirm_archive") != "on":
        return render(
            request,
            "interviews/study_settings.html",
            _settings_context(
                study,
                access,
                errors={"confirm_archive": ["Tick “I understand” to archive the study."]},
            ),
            status=400,
        )
    study_update(study=study, actor=request.user, archived=True)
    messages.success(request, "The study is archived: it is read-only for everyone.")
    return redirect("study-settings", slug=study.slug)
