"""Writes of the interviews app, by concern: ``studies`` (studies and members), ``people``
(attributes, participants, dyads) and ``transcripts`` (interviews and their import); API tokens
live in ``healing.tokens``. Every public name is importable from here."""

from healing.tokens.services import api_token_create, api_token_revoke
from interviews.services.fields import (
    INTERVIEW_FIELDS,
)
from interviews.services.people import (
    ATTRIBUTE_FIELDS,
    DYAD_FIELDS,
    KEEP,
    PARTICIPANT_FIELDS,
    Keep,
    attribute_define,
    attribute_delete,
    attribute_update,
    attributes_clean,
    dyad_delete,
    dyad_get_or_create,
    dyad_update,
    participant_create,
    participant_delete,
    participant_get_or_create,
    participant_update,
)
from interviews.services.studies import (
    MEMBERSHIP_FIELDS,
    STUDY_FIELDS,
    membership_remove,
    membership_set,
    study_create,
    study_update,
)
from interviews.services.transcripts import (
    BatchItem,
    BatchOutcome,
    ImportOutcome,
    interview_delete,
    interview_import,
    interview_update,
    interviews_import_batch,
    manifest_columns,
    parse_speaker_map,
    transcripts_import_start,
)

__all__ = [
    "ATTRIBUTE_FIELDS",
    "DYAD_FIELDS",
    "INTERVIEW_FIELDS",
    "KEEP",
    "MEMBERSHIP_FIELDS",
    "PARTICIPANT_FIELDS",
    "STUDY_FIELDS",
    "BatchItem",
    "BatchOutcome",
    "ImportOutcome",
    "Keep",
    "api_token_create",
    "api_token_revoke",
    "attribute_define",
    "attribute_delete",
    "attribute_update",
    "attributes_clean",
    "dyad_delete",
    "dyad_get_or_create",
    "dyad_update",
    "interview_delete",
    "interview_import",
    "interview_update",
    "interviews_import_batch",
    "manifest_columns",
    "membership_remove",
    "membership_set",
    "parse_speaker_map",
    "participant_create",
    "participant_delete",
    "participant_get_or_create",
    "participant_update",
    "study_create",
    "study_update",
    "transcripts_import_start",
]
