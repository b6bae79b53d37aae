"""The interviews app's REST API, one module per concern: ``studies``, ``people`` (attribute
definitions, participants, dyads), ``dyad_table`` (the dyads table's paste box), ``transcripts``
(interviews and their upload) and ``tokens``."""

from interviews.api.dyad_table import DyadTablePasteView
from interviews.api.people import AttributeDefinitionViewSet, DyadViewSet, ParticipantViewSet
from interviews.api.studies import StudyViewSet
from interviews.api.tokens import ApiTokenViewSet
from interviews.api.transcripts import InterviewSerializer, InterviewViewSet

__all__ = [
    "ApiTokenViewSet",
    "AttributeDefinitionViewSet",
    "DyadTablePasteView",
    "DyadViewSet",
    "InterviewSerializer",
    "InterviewViewSet",
    "ParticipantViewSet",
    "StudyViewSet",
]
