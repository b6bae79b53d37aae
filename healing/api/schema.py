"""OpenAPI schema post-processing: every operation documents the one error shape it can answer.

drf-spectacular documents the success responses; this hook adds 400, 401, 403 and 404 (and 413
where a file is uploaded) with the shared ``Error`` schema, so a client (or schemathesis) can
rely on the schema for every status the API sends.
"""

from __future__ import annotations

from typing import Any

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Every error has this shape.",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "status": {"type": "integer", "description": "The HTTP status, repeated."},
                "code": {
                    "type": "string",
                    "description": "invalid, not_found, permission_denied, not_authenticated, …",
                },
                "message": {"type": "string", "description": "One sentence a person can act on."},
                "fields": {
                    "type": "object",
                    "description": "Messages per input field (``items[3].end``), when any.",
                    "additionalProperties": {"type": "array", "items": {}},
                },
            },
            "required": ["status", "code", "message"],
        }
    },
    "required": ["error"],
}

ERRORS = {
    "400": "The request is not valid (bad input, unknown field, out-of-range value).",
    "401": "No valid credentials: send a session cookie or `Authorization: Bearer hl_…`.",
    "403": "You are a member of the study, but your role does not allow this.",
    "404": "No such object, or it belongs to a study you are not a member of.",
}


def add_error_responses(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            for status, description in ERRORS.items():
                responses.setdefault(status, {"description": description, "content": reference})
            content = operation.get("requestBody", {}).get("content", {})
            if content:
                responses.setdefault(
                    "415",
                    {
                        "description": "The body's content type is not one this operation reads.",
                        "content": reference,
                    },
                )
            if "multipart/form-data" in content:
                responses.setdefault(
                    "413",
                    {
                        "description": "A file is larger than HEALING_MAX_UPLOAD_BYTES.",
                        "content": reference,
                    },
                )
    return result
