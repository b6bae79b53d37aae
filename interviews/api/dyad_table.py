"""REST API of the dyads table's paste box: ``POST /api/v1/studies/<slug>/dyads/paste/``."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from healing.api.base import StrictSerializer
from healing.api.errors import error_response
from interviews.models import Role
from interviews.selectors import study_get_for_user
from interviews.services.dyad_table import MAX_PASTE_BYTES, dyad_table_paste


class DyadTablePasteSerializer(StrictSerializer):
    text = serializers.CharField(
        allow_blank=True,
        trim_whitespace=False,
        # Characters, not bytes: the service refuses a block over MAX_PASTE_BYTES in UTF-8.
        max_length=MAX_PASTE_BYTES,
        help_text="The block: tab-separated, the first row the table's column headings "
        '("Dyad" first), each further row an existing dyad\'s label and its cells.',
    )
    apply = serializers.BooleanField(
        default=False, help_text="false: preview only; true: apply all the changes, or none."
    )


class PasteChangeSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="The row of the block (1 is the heading row).")
    dyad = serializers.CharField()
    column = serializers.CharField(help_text="The column's heading.")
    before = serializers.CharField()
    after = serializers.CharField()


class PasteErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(allow_null=True)
    column = serializers.CharField(allow_blank=True)
    message = serializers.CharField(help_text='Names the row and heading, e.g. "row 3, …".')


# A declared field named "errors" would hide Serializer.errors: the answer's shape is inline.
DyadTablePasteResultSerializer = inline_serializer(
    name="DyadTablePasteResult",
    fields={
        "changes": PasteChangeSerializer(many=True),
        "errors": PasteErrorSerializer(many=True),
        "applied": serializers.BooleanField(),
    },
)


class DyadTablePasteView(APIView):
    """The lead pastes a block of rows copied from a spreadsheet into the dyads table: a preview
    (``apply: false``) lists the cells that would change and every problem; applying stores all
    the changes (each audited) or, if there is any problem, none (400 with the same errors)."""

    @extend_schema(
        request=DyadTablePasteSerializer,
        # A refused apply's 400 is the shared Error shape, with changes, errors and applied too.
        responses={200: DyadTablePasteResultSerializer},
    )
    def post(self, request: Request, slug: str) -> Response:
        study, _ = study_get_for_user(user=request.user, slug=slug, min_role=Role.LEAD)
        data = DyadTablePasteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        preview = dyad_table_paste(
            study=study,
            text=data.validated_data["text"],
            actor=request.user,
            apply=data.validated_data["apply"],
        )
        body = preview.as_dict()
        if data.validated_data["apply"] and preview.errors:
            messages = [error["message"] for error in preview.errors]
            response = error_response(
                400, "invalid", f"Nothing was stored: {messages[0]}", {"text": messages}
            )
            response.data.update(body)
            return response
        return Response(body)
