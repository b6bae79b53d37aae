"""REST API for exports (download, or a job for large files) and for importing a whole study.

- ``GET  /api/v1/studies/{slug}/exports/`` — the formats, for this study.
- ``GET  /api/v1/studies/{slug}/exports/{fmt}/?layer=&coder=`` — the file. CSV and JSON Lines
  stream row by row whatever the size; formats written whole (XLSX, the whole-study JSON) are
  sent directly up to ``DIRECT_EXPORT_MAX_CODINGS`` codings, and otherwise answer 400 asking for
  a job.
- ``POST /api/v1/studies/{slug}/exports/`` — any export as a job (202); the file is then at
  ``/api/v1/jobs/{id}/files/{file_id}/``.
- ``GET  /api/v1/studies/{slug}/codebook/exports/{fmt}/`` — the codebook (CSV, XLSX, Markdown).
- ``POST /api/v1/study-imports/`` — a whole-study JSON file becomes a new study (a job, 202).

Every member may export (viewers read and export). While blind coding is on, a coder exports
only the consensus layer or their own codings.
"""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from coding.codings_api import JobSerializer
from coding.exchange.registry import (
    CODEBOOK_EXPORTS,
    STUDY_EXPORTS,
    ExportFormat,
    ExportOptions,
    load_formats,
)
from coding.exchange.study_import import StudyImportError, parse_document, study_import_check
from coding.exports import (
    DIRECT_EXPORT_MAX_CODINGS,
    EXPORT_LAYER_NAMES,
    export_codebook_write,
    export_default_layer,
    export_filename,
    export_is_direct,
    export_job_start,
    export_options_for,
    export_study_bytes,
    export_study_stream,
)
from coding.job_kinds import JobKind
from healing.api.base import StrictSerializer
from healing.api.errors import error_response
from healing.jobs.services import JobInput, job_create
from interviews.models import Study
from interviews.selectors import Access, study_get_for_user

load_formats()
LAYERS = list(EXPORT_LAYER_NAMES)
# Named in settings.SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] as ExportLayerEnum.
EXPORT_LAYERS = [(name, name) for name in LAYERS]


class SendFileNegotiation(BaseContentNegotiation):
    """These endpoints send files whatever the Accept header says; errors are JSON."""

    def select_renderer(self, request: Any, renderers: Any, format_suffix: Any = None) -> Any:
        return (JSONRenderer(), JSONRenderer.media_type)

    def select_parser(self, request: Any, parsers: Any) -> Any:
        for parser in parsers:
            if request.content_type.startswith(parser.media_type.split(";")[0]):
                return parser
        return None


def _options(request: Request, access: Access, fmt: str) -> ExportOptions:
    """Layer (default: the format's) and coder from the query, checked against what the member
    may see."""
    layer = request.query_params.get("layer") or export_default_layer(fmt)
    coder = request.query_params.get("coder") or None
    raw = (request.query_params.get("raw") or "").lower()
    if raw not in ("", "0", "false", "1", "true"):
        raise ValidationError({"raw": "Use true or false."})
    return export_options_for(
        layer=layer, coder=coder, user=request.user, access=access, raw=raw in ("1", "true")
    )


def _format_or_404(exports: dict[str, ExportFormat], name: str) -> ExportFormat:
    if name not in exports:
        raise NotFound(f"Unknown format {name!r}; known: {', '.join(sorted(exports))}.")
    return exports[name]


def _file_response(data: bytes, fmt: ExportFormat, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=fmt.content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class ExportFormatSerializer(serializers.Serializer):
    name = serializers.CharField()
    target = serializers.ChoiceField(choices=["study", "codebook"])
    extension = serializers.CharField()
    content_type = serializers.CharField()
    description = serializers.CharField()
    streamed = serializers.BooleanField(help_text="Sent row by row, whatever the study's size.")
    url = serializers.CharField()


class ExportJobSerializer(StrictSerializer):
    format = serializers.CharField(max_length=40)
    target = serializers.ChoiceField(choices=["study", "codebook"], default="study")
    layer = serializers.ChoiceField(
        choices=LAYERS,
        required=False,
        allow_null=True,
        default=None,
        help_text="Default: best for coded segments and the matrix, all for json and qdpx.",
    )
    coder = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    raw = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Leave text a spreadsheet would evaluate (=, +, -, @) as it is.",
    )


def _format_enum(exports: dict[str, ExportFormat]) -> list[str]:
    return sorted(exports)


def _content_types(exports: dict[str, ExportFormat]) -> dict[Any, Any]:
    types = sorted({fmt.content_type.split(";")[0] for fmt in exports.values()})
    return {
        (200, media): OpenApiTypes.OBJECT if media == "application/json" else OpenApiTypes.BINARY
        for media in types
    }


class StudyExportsView(APIView):
    """The export formats of a study, and exports run as jobs."""

    @extend_schema(responses=ExportFormatSerializer(many=True))
    def get(self, request: Request, slug: str) -> Response:
        study, _ = study_get_for_user(user=request.user, slug=slug)
        base = f"/api/v1/studies/{study.slug}"
        rows = [
            {
                "name": fmt.name,
                "target": "study",
                "extension": fmt.extension,
                "content_type": fmt.content_type,
                "description": fmt.description,
                "streamed": fmt.stream is not None,
                "url": f"{base}/exports/{fmt.name}/",
            }
            for fmt in sorted(STUDY_EXPORTS.values(), key=lambda f: f.name)
        ] + [
            {
                "name": fmt.name,
                "target": "codebook",
                "extension": fmt.extension,
                "content_type": fmt.content_type,
                "description": fmt.description,
                "streamed": False,
                "url": f"{base}/codebook/exports/{fmt.name}/",
            }
            for fmt in sorted(CODEBOOK_EXPORTS.values(), key=lambda f: f.name)
        ]
        return Response(ExportFormatSerializer(rows, many=True).data)

    @extend_schema(request=ExportJobSerializer, responses={202: JobSerializer})
    def post(self, request: Request, slug: str) -> Response:
        """Run an export as a job (any format); the job's output file is the export."""
        study, access = study_get_for_user(user=request.user, slug=slug)
        data = ExportJobSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        job = export_job_start(
            study=study,
            user=request.user,
            access=access,
            target=values["target"],
            fmt=values["format"],
            layer=values["layer"],
            coder=values["coder"] or None,
            raw=values["raw"],
        )
        return Response(
            JobSerializer(job).data,
            status=status.HTTP_202_ACCEPTED,
            headers={"Location": f"/api/v1/jobs/{job.pk}/"},
        )


class StudyExportDownloadView(APIView):
    """Download a study export. CSV and JSON Lines stream row by row; other formats of a large
    study answer 400 and are exported as a job instead (POST …/exports/)."""

    content_negotiation_class = SendFileNegotiation

    @extend_schema(
        parameters=[
            OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=_format_enum(STUDY_EXPORTS)),
            OpenApiParameter(
                "layer",
                str,
                enum=LAYERS,
                description="Which codings: best (default for segments and the matrix: per "
                "interview the consensus where complete, else the coders' layers), all (default "
                "for json and qdpx), consensus or individual.",
            ),
            OpenApiParameter("coder", str, description="Only this coder's codings (username)"),
            OpenApiParameter(
                "raw",
                bool,
                description="CSV and XLSX: leave text beginning with =, +, -, @, tab or CR as it "
                "is (default false: such text gets a leading apostrophe so a spreadsheet shows "
                "it as text instead of evaluating it).",
            ),
        ],
        responses=_content_types(STUDY_EXPORTS),
    )
    def get(self, request: Request, slug: str, fmt: str) -> HttpResponseBase:
        study, access = study_get_for_user(user=request.user, slug=slug)
        export = _format_or_404(STUDY_EXPORTS, fmt)
        options = _options(request, access, export.name)
        if export.stream is not None:
            streamed = export_study_stream(study=study, fmt=export, options=options, via="api")
            response = StreamingHttpResponse(streamed.chunks, content_type=export.content_type)
            response["Content-Disposition"] = f'attachment; filename="{streamed.filename}"'
            for name, value in streamed.stamp.headers().items():
                response[name] = value
            return response
        if not export_is_direct(study=study, fmt=export):
            return error_response(
                400,
                "use_a_job",
                f"This study has more than {DIRECT_EXPORT_MAX_CODINGS:,} codings: export "
                f"{export.name} as a job (POST /api/v1/studies/{study.slug}/exports/ with "
                f'{{"format": "{export.name}"}}) and download the job\'s file.',
            )
        data = export_study_bytes(study=study, fmt=export, options=options, via="api")
        return _file_response(
            data, export, export_filename(study=study, fmt=export, options=options)
        )


class CodebookExportDownloadView(APIView):
    """Download the study's codebook (CSV, XLSX, or Markdown for a paper's appendix)."""

    content_negotiation_class = SendFileNegotiation

    @extend_schema(
        parameters=[
            OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=_format_enum(CODEBOOK_EXPORTS))
        ],
        responses=_content_types(CODEBOOK_EXPORTS),
    )
    def get(self, request: Request, slug: str, fmt: str) -> HttpResponse:
        study, _ = study_get_for_user(user=request.user, slug=slug)
        export = _format_or_404(CODEBOOK_EXPORTS, fmt)
        buffer = io.BytesIO()
        export_codebook_write(study=study, fmt=export, out=buffer, actor=request.user, via="api")
        return _file_response(
            buffer.getvalue(), export, export_filename(study=study, fmt=export, options=None)
        )


class StudyImportSerializer(StrictSerializer):
    file = serializers.FileField(help_text="A whole-study export (.json, or gzipped .json.gz).")
    slug = serializers.SlugField(
        max_length=64, required=False, help_text="Import under this slug instead of the file's."
    )


class StudyImportView(APIView):
    """Create a study from a whole-study JSON export, as a job (202). Staff only (unless
    HEALING_STUDY_IMPORT=any); the importer becomes the new study's lead. The file's people
    become placeholders and its authors and times imported metadata (docs/api.md)."""

    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": StudyImportSerializer}, responses={202: JobSerializer}
    )
    def post(self, request: Request) -> Response:
        study_import_check(request.user)
        data = StudyImportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        limit = settings.HEALING_MAX_UPLOAD_BYTES
        if upload.size > limit:
            return error_response(
                413,
                "too_large",
                f"{upload.name} is {upload.size / 1_000_000:.1f} MB; the limit is "
                f"{limit / 1_000_000:.1f} MB (HEALING_MAX_UPLOAD_BYTES). Gzip it, or use "
                "manage.py import_study on the server.",
            )
        content = upload.read()
        try:
            document = parse_document(content)
        except StudyImportError as exc:
            raise ValidationError({"file": [f"{upload.name}: {exc}"]}) from None
        study = document.get("study")
        slug = data.validated_data.get("slug") or (
            study.get("slug") if isinstance(study, dict) else None
        )
        if isinstance(slug, str) and Study.objects.filter(slug=slug).exists():
            raise ValidationError(
                {"slug": [f"A study with the slug {slug!r} exists; give another slug."]}
            )
        job = job_create(
            kind=JobKind.IMPORT_STUDY,
            user=request.user,
            params={"slug": data.validated_data.get("slug") or ""},
            inputs=[JobInput(upload.name, content, "application/json")],
        )
        job.refresh_from_db()
        return Response(
            JobSerializer(job).data,
            status=status.HTTP_202_ACCEPTED,
            headers={"Location": f"/api/v1/jobs/{job.pk}/"},
        )
