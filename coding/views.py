"""Pages of the coding app. Views are thin: selectors read, services write."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from healing.types import AuthenticatedRequest
from interviews.selectors import interview_get_for_user, turns_for_interview


@login_required
def interview_transcript(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The transcript by speaker turns, for reading and printing (two queries)."""
    interview, access = interview_get_for_user(user=request.user, pk=pk)
    turns = [
        {
            "index": turn.index,
            "speaker": turn.speaker,
            "role": turn.role,
            "timestamp_ms": turn.timestamp_ms,
            "text": interview.text[turn.start : turn.end],
        }
        for turn in turns_for_interview(interview=interview)
    ]
    return render(
        request,
        "coding/transcript.html",
        {"interview": interview, "study": interview.dyad.study, "access": access, "turns": turns},
    )
