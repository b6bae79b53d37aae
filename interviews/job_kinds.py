"""The kinds of background job the interviews app starts (registered in its AppConfig.ready())."""

from django.db import models


class InterviewJobKind(models.TextChoices):
    IMPORT_TRANSCRIPTS = "import_transcripts", "Import transcripts"
