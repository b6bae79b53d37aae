"""REST API for an interview's speakers: ``GET`` the speaker table (members), ``PATCH`` a
label's role (the lead). Routed in ``healing/api/urls.py``."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from healing.api.base import StrictSerializer
from interviews.models import Role, TurnRole
from interviews.selectors import interview_get_for_user
from interviews.speakers.selectors import speakers_for_interview
from interviews.speakers.services import speaker_role_set


class SpeakerSerializer(serializers.Serializer):
    speaker = serializers.CharField(help_text="The label as found in the transcript.")
    role = serializers.ChoiceField(choices=TurnRole.choices)
    turns = serializers.IntegerField(help_text="How many turns carry this label.")
    person = serializers.CharField(
        allow_null=True,
        help_text="The dyad's clinician or patient (pseudonym) for those roles, else null.",
    )


class SpeakerRoleSerializer(StrictSerializer):
    speaker = serializers.CharField(max_length=120, allow_blank=True, trim_whitespace=False)
    role = serializers.ChoiceField(choices=TurnRole.choices)


class InterviewSpeakersView(APIView):
    """The speaker labels of an interview, in order of first appearance."""

    @extend_schema(responses=SpeakerSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        interview, _ = interview_get_for_user(user=request.user, pk=pk, with_text=False)
        rows = [row.as_dict() for row in speakers_for_interview(interview=interview)]
        return Response(SpeakerSerializer(rows, many=True).data)

    @extend_schema(request=SpeakerRoleSerializer, responses=SpeakerSerializer(many=True))
    def patch(self, request: Request, pk: int) -> Response:
        """Give every turn with this label the role (the text and codings stay as they are);
        answers the updated speaker table."""
        interview, _ = interview_get_for_user(
            user=request.user, pk=pk, min_role=Role.LEAD, with_text=False
        )
        data = SpeakerRoleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        speaker_role_set(interview=interview, actor=request.user, **data.validated_data)
        return self.get(request, pk)
