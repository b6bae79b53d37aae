"""Background jobs: a Job row per task a user started, and the files it reads and writes.

The tables kept their names (``coding_job``, ``coding_jobfile``) when the models moved here from
``coding``: the move changed Django's state only, never a row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from healing.jobs.registry import job_kind_choices


class JobState(models.TextChoices):
    # Stored, not yet handed to the broker: nobody sees it; if the broker refuses it, it goes.
    PENDING = "pending", "Pending"
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


# States in which a job still has work ahead: it counts towards the user's limit and can be
# cancelled.
ACTIVE_STATES = (JobState.PENDING, JobState.QUEUED, JobState.RUNNING)


class Job(models.Model):
    """A background task a user started, updated by the task as it runs."""

    # Choices come from the registry the apps fill in ready(): an unregistered kind fails
    # full_clean(), and get_kind_display() shows the label its app gave.
    kind = models.CharField(max_length=30, choices=job_kind_choices)
    study = models.ForeignKey(
        "interviews.Study", null=True, blank=True, on_delete=models.CASCADE, related_name="jobs"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs"
    )
    state = models.CharField(max_length=10, choices=JobState.choices, default=JobState.PENDING)
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True)
    params = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    # Which process ran it ("hostname pid"), so a test can prove a real worker did.
    worker = models.CharField(max_length=200, blank=True)
    # Updated by the runner while the job runs; a running job whose heartbeat is older than
    # HEALING_JOB_HEARTBEAT_TIMEOUT lost its worker (see healing.jobs.sweep).
    heartbeat = models.DateTimeField(null=True, blank=True)
    # How many times the job was started again after its worker died.
    restarts = models.PositiveSmallIntegerField(default=0)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField(auto_now_add=True)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "coding_job"
        ordering = ["-created", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="job_progress_percent"),
            models.CheckConstraint(condition=Q(state__in=JobState.values), name="job_state_valid"),
        ]
        indexes = [
            models.Index(fields=["user", "-created"], name="job_by_user"),
            models.Index(fields=["study", "-created"], name="job_by_study"),
            # The sweep for jobs whose worker died, and the count of a user's active jobs.
            models.Index(fields=["state", "heartbeat"], name="job_by_state_heartbeat"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.state})"


class JobFile(models.Model):
    """A job's input or output file, kept in the database so web and workers share nothing else."""

    class Direction(models.TextChoices):
        INPUT = "input", "Input"
        OUTPUT = "output", "Output"

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="files")
    direction = models.CharField(max_length=6, choices=Direction.choices)
    name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120, default="application/octet-stream")
    size = models.PositiveBigIntegerField()
    data = models.BinaryField()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "coding_jobfile"
        ordering = ["job", "id"]

    def __str__(self) -> str:
        return self.name
