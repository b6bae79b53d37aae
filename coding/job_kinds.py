"""The kinds of background job, by name: coding's own (registered in its AppConfig.ready()) and
the interviews app's transcript import, so code on this floor names every kind one way."""

from django.db import models

from interviews.job_kinds import InterviewJobKind


class JobKind(models.TextChoices):
    IMPORT_TRANSCRIPTS = (
        InterviewJobKind.IMPORT_TRANSCRIPTS.value,
        InterviewJobKind.IMPORT_TRANSCRIPTS.label,
    )
    EXPORT = "export", "Export"
    AGREEMENT = "agreement", "Agreement report"
    IMPORT_QDPX = "import_qdpx", "Import REFI-QDA project"
    EXPORT_QDPX = "export_qdpx", "Export REFI-QDA project"
    IMPORT_STUDY = "import_study", "Import study"
    AUTOCODE = "autocode", "Autocode by speaker"
    SEARCH_CODE = "search_code", "Code search hits"
