"""The speaker page of an interview: every member reads the table; the lead corrects roles."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from healing.types import AuthenticatedRequest
from interviews.models import TurnRole
from interviews.selectors import interview_get_for_user
from interviews.speakers.selectors import speakers_for_interview
from interviews.speakers.services import speaker_role_set


@login_required
@require_http_methods(["GET", "POST"])
def interview_speakers(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The speaker labels of an interview as found in its turns, with role, turns and person.
    A lead changes a label's role (POST speaker, role); the text and codings stay as they are."""
    interview, access = interview_get_for_user(user=request.user, pk=pk, with_text=False)
    errors: list[str] = []
    if request.method == "POST":
        if not access.is_lead:
            raise PermissionDenied("Only the study's lead corrects speaker roles.")
        speaker = request.POST.get("speaker", "")
        role = request.POST.get("role", "")
        try:
            count = speaker_role_set(
                interview=interview, speaker=speaker, role=role, actor=request.user
            )
        except ValidationError as exc:
            errors = [f"{field}: {' '.join(text)}" for field, text in exc.message_dict.items()]
        else:
            messages.success(
                request,
                f"{speaker or '(no label)'} is now {TurnRole(role).label.lower()} "
                f"in {count} turn{'s' if count != 1 else ''}.",
            )
            return redirect("interview-speakers", pk=interview.pk)
    return render(
        request,
        "interviews/speakers.html",
        {
            "interview": interview,
            "study": interview.dyad.study,
            "access": access,
            "speakers": speakers_for_interview(interview=interview),
            "roles": TurnRole.choices,
            "errors": errors,
        },
        status=400 if errors else 200,
    )
