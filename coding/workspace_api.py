"""The coding workspace's API: an interview's text with a layer's codings, and live changes.

Served under the interview's URL (``/api/v1/interviews/<id>/workspace/`` and ``.../changes/``,
names ``interview-workspace-api`` and ``interview-changes``), beside the interviews app's own
endpoints, because what it returns is codings.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from coding.selectors import LAYER_NAMES, coding_changes, layer_choice
from coding.workspace import workspace_payload
from healing.api.base import int_param
from healing.audit.services import audit_view
from interviews.api.common import pk_or_404
from interviews.api.transcripts import InterviewSerializer
from interviews.models import Interview
from interviews.selectors import interview_get_for_user


class InterviewWorkspaceViewSet(viewsets.GenericViewSet):
    """An interview as the coding page reads it."""

    serializer_class = InterviewSerializer
    queryset = Interview.objects.none()

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "layer",
                str,
                enum=[*LAYER_NAMES],
                description="mine (default), coder, all, consensus",
            ),
            OpenApiParameter("coder", int, description="The coder's user id, with layer=coder"),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    # Named "interview-workspace-api": "interview-workspace" is the page at /interviews/<id>/.
    @action(detail=True, methods=["get"], url_name="workspace-api")
    def workspace(self, request: Request, pk: str) -> Response:
        """Everything the coding page needs in one request: text, turns, and a layer's codings.

        A read of the transcript, audited: the workspace page's script loads it once per page
        (and per layer switch); its polls go to ``changes``, which is never audited."""
        interview, access = interview_get_for_user(user=request.user, pk=pk_or_404(pk))
        layer = layer_choice(
            name=request.query_params.get("layer"),
            coder=request.query_params.get("coder"),
            study_id=interview.dyad.study_id,
            user=request.user,
            access=access,
        )
        audit_view(
            study_id=interview.dyad.study_id,
            interview_id=interview.pk,
            actor=request.user,
            what="workspace",
        )
        return Response(
            workspace_payload(interview=interview, access=access, layer=layer, user=request.user)
        )

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "since", int, required=True, description="The cursor from the last response"
            ),
            OpenApiParameter("layer", str, enum=[*LAYER_NAMES]),
            OpenApiParameter("coder", int),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    @action(detail=True, methods=["get"])
    def changes(self, request: Request, pk: str) -> Response:
        """Codings created, changed or deleted since a cursor, for live updates while coding."""
        interview, access = interview_get_for_user(
            user=request.user, pk=pk_or_404(pk), with_text=False
        )
        layer = layer_choice(
            name=request.query_params.get("layer"),
            coder=request.query_params.get("coder"),
            study_id=interview.dyad.study_id,
            user=request.user,
            access=access,
        )
        since = int_param(request.query_params, "since") or 0
        return Response(coding_changes(interview=interview, layer=layer, since=since))
