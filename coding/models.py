"""Codebooks and codes, codings, memos, assignments, case studies, adjudications and the
study's extra stop words for word frequencies.

Background jobs live in ``healing.jobs``, the audit trail in ``healing.audit``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q

from interviews.models import Dyad, Interview, Study

color_validator = RegexValidator(r"^#[0-9A-Fa-f]{6}$", "Use a colour like #1F4E79.")
code_key_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$",
    "Use letters, digits, dots, dashes and underscores (at most 40), like VAL.PRES.ATT.",
)


class Codebook(models.Model):
    """A study's codebook. ``version`` goes up with every change to its codes.

    Codes keep their identity across versions (codings point at them); each version's codes can
    be rebuilt from CodebookVersion (see there), and each coding records the version it was made
    with.
    """

    study = models.OneToOneField(Study, on_delete=models.CASCADE, related_name="codebook")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    origin = models.CharField(max_length=200, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(version__gte=1), name="codebook_version_positive")
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"


class CodebookVersion(models.Model):
    """One version of a codebook, stored either whole or as the change from the version before.

    ``snapshot`` holds every code of the version (a list of entries, ``coding.services.
    codebook_snapshot``) for a codebook's first version, imports, merges, splits and admin edits,
    and for every version written before changes were stored. Adding or editing one code stores
    only ``changes``, the entries of the codes it added or changed, so that a codebook built one
    code at a time costs the same per code at any size. ``coding.selectors.
    codebook_version_snapshots`` rebuilds a version's codes by replaying changes onto the nearest
    whole snapshot before it.
    """

    codebook = models.ForeignKey(Codebook, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    summary = models.CharField(max_length=300)
    snapshot = models.JSONField(null=True, blank=True, default=None)
    changes = models.JSONField(null=True, blank=True, default=None)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["codebook", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["codebook", "number"], name="codebook_version_unique"),
            models.CheckConstraint(
                condition=Q(snapshot__isnull=False) | Q(changes__isnull=False),
                name="codebook_version_whole_or_changes",
            ),
        ]

    def __str__(self) -> str:
        return f"v{self.number}: {self.summary}"


class CodeGroup(models.TextChoices):
    PROCESS = "process", "Process"
    OUTCOME = "outcome", "Outcome"
    COMPETENCY = "competency", "Competency"
    OTHER = "other", "Other"


class Code(models.Model):
    codebook = models.ForeignKey(Codebook, on_delete=models.CASCADE, related_name="codes")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    key = models.CharField(max_length=40, validators=[code_key_validator])
    name = models.CharField(max_length=200)
    group = models.CharField(max_length=12, choices=CodeGroup.choices, default=CodeGroup.OTHER)
    definition = models.TextField(blank=True)
    inclusion = models.TextField(blank=True)
    exclusion = models.TextField(blank=True)
    example = models.TextField(blank=True)
    color = models.CharField(max_length=7, default="#808080", validators=[color_validator])
    order = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    # Set when the code was merged into another: its codings moved there and it was switched off.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_from"
    )
    guid = models.UUIDField(default=uuid.uuid4)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["codebook", "order", "key"]
        constraints = [
            models.UniqueConstraint(fields=["codebook", "key"], name="code_key_unique"),
            models.UniqueConstraint(fields=["codebook", "guid"], name="code_guid_unique"),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="code_not_own_parent"),
            models.CheckConstraint(
                condition=Q(group__in=CodeGroup.values), name="code_group_valid"
            ),
            models.CheckConstraint(condition=Q(color__startswith="#"), name="code_color_hex"),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.name}"


class Layer(models.TextChoices):
    INDIVIDUAL = "individual", "Individual"
    CONSENSUS = "consensus", "Consensus"


class Coding(models.Model):
    """A code applied to the half-open span ``[start, end)`` of an interview's text.

    Offsets are Unicode code points. ``quote`` keeps the coded text as it was, so a later edit of
    the transcript can never silently move a coding.
    """

    # No index of its own: both composite indexes below begin with the interview, and a lone
    # one tempted PostgreSQL to scan every coding of an interview where the code was known.
    interview = models.ForeignKey(
        Interview, on_delete=models.CASCADE, related_name="codings", db_index=False
    )
    # RESTRICT: a code with codings cannot be deleted (merge it instead), unless its study goes.
    code = models.ForeignKey(Code, on_delete=models.RESTRICT, related_name="codings")
    coder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="codings"
    )
    layer = models.CharField(max_length=10, choices=Layer.choices, default=Layer.INDIVIDUAL)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    quote = models.TextField()
    memo = models.TextField(blank=True)
    codebook_version = models.PositiveIntegerField(default=1)
    guid = models.UUIDField(default=uuid.uuid4, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["interview", "start", "end", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__gte=0) & Q(start__lt=F("end")), name="coding_span_valid"
            ),
            models.CheckConstraint(condition=Q(layer__in=Layer.values), name="coding_layer_valid"),
            models.UniqueConstraint(
                fields=["interview", "code", "coder", "layer", "start", "end"],
                name="coding_unique_per_coder_layer",
            ),
            models.UniqueConstraint(
                fields=["interview", "code", "start", "end"],
                condition=Q(layer="consensus"),
                name="coding_unique_in_consensus",
            ),
        ]
        indexes = [
            # The workspace loads one interview's layer (optionally one coder) in text order.
            models.Index(fields=["interview", "layer", "coder", "start"], name="coding_workspace"),
            # Analyses and exports scan a code's codings per layer.
            models.Index(fields=["code", "layer"], name="coding_by_code_layer"),
        ]

    def __str__(self) -> str:
        return f"{self.code.key} [{self.start}, {self.end})"


class MemoType(models.TextChoices):
    """What kind of note a memo is: the analyst's thinking about the data (analytic), about the
    method (methodological), about themselves (reflexive), a case summary (case_note), or other."""

    ANALYTIC = "analytic", "Analytic"
    METHODOLOGICAL = "methodological", "Methodological"
    REFLEXIVE = "reflexive", "Reflexive"
    CASE_NOTE = "case_note", "Case note"
    OTHER = "other", "Other"


class Memo(models.Model):
    """A note on a study, or on one dyad, interview, code or coding of it."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="memos")
    dyad = models.ForeignKey(
        Dyad, null=True, blank=True, on_delete=models.CASCADE, related_name="memos"
    )
    interview = models.ForeignKey(
        Interview, null=True, blank=True, on_delete=models.CASCADE, related_name="memos"
    )
    code = models.ForeignKey(
        Code, null=True, blank=True, on_delete=models.CASCADE, related_name="memos"
    )
    coding = models.ForeignKey(
        Coding, null=True, blank=True, on_delete=models.CASCADE, related_name="memos"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memos"
    )
    type = models.CharField(max_length=20, choices=MemoType.choices, default=MemoType.ANALYTIC)
    title = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    guid = models.UUIDField(default=uuid.uuid4, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated"]
        indexes = [
            # The Memos tab lists a study's memos newest first.
            models.Index(fields=["study", "-updated"], name="memo_study_updated"),
        ]
        constraints = [
            models.CheckConstraint(
                # At most one target besides the study.
                condition=(
                    Q(
                        dyad__isnull=True,
                        interview__isnull=True,
                        code__isnull=True,
                        coding__isnull=True,
                    )
                    | Q(
                        dyad__isnull=False,
                        interview__isnull=True,
                        code__isnull=True,
                        coding__isnull=True,
                    )
                    | Q(
                        dyad__isnull=True,
                        interview__isnull=False,
                        code__isnull=True,
                        coding__isnull=True,
                    )
                    | Q(
                        dyad__isnull=True,
                        interview__isnull=True,
                        code__isnull=False,
                        coding__isnull=True,
                    )
                    | Q(
                        dyad__isnull=True,
                        interview__isnull=True,
                        code__isnull=True,
                        coding__isnull=False,
                    )
                ),
                name="memo_one_target",
            ),
            models.CheckConstraint(condition=~Q(body=""), name="memo_body_not_empty"),
            models.CheckConstraint(condition=Q(type__in=MemoType.values), name="memo_type_valid"),
        ]

    def __str__(self) -> str:
        return self.title or self.body[:60]


class Assignment(models.Model):
    """The lead asks a coder to code an interview."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="assignments")
    coder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    done = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["interview", "coder"], name="assignment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.coder} → {self.interview}"


class CaseStudy(models.Model):
    """The team's written synthesis for one dyad: an overall summary and one text per component."""

    dyad = models.OneToOneField(Dyad, on_delete=models.CASCADE, related_name="case_study")
    summary = models.TextField(blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "case studies"

    def __str__(self) -> str:
        return f"Case study {self.dyad.label}"


class CaseStudySection(models.Model):
    """The synthesis for one code (model component) in a case study, with its evidence."""

    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="sections")
    code = models.ForeignKey(Code, on_delete=models.CASCADE, related_name="case_study_sections")
    synthesis = models.TextField(blank=True)
    evidence = models.ManyToManyField(Coding, blank=True, related_name="supports")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case_study", "code"], name="case_study_section_unique")
        ]

    def __str__(self) -> str:
        return f"{self.case_study} · {self.code.key}"


class Adjudication(models.Model):
    """A decision settling a passage where two coders differ on a code, and what it wrote.

    The passage is ``[start, end)`` of the interview; ``source`` keeps both coders' spans there
    as they were (``{"a": [[coding id, start, end], ...], "b": [...]}``) and ``result`` the
    consensus codings the decision left (``[[coding id, code id, start, end], ...]``, empty when
    the accepted coder had not coded the passage).
    """

    class Decision(models.TextChoices):
        AGREED = "agreed", "Agreed by the coders"
        ACCEPT = "accept", "Accepted one coder's coding"
        MERGE = "merge", "Merged both coders' spans"
        NEW = "new", "Wrote a new coding"

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="adjudications")
    code = models.ForeignKey(Code, on_delete=models.RESTRICT, related_name="adjudications")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    decision = models.CharField(max_length=10, choices=Decision.choices)
    coder_a = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    coder_b = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Whose coding was accepted (decision accept).",
    )
    note = models.TextField(blank=True)
    source = models.JSONField(default=dict)
    result = models.JSONField(default=list)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["interview", "start", "-created", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__gte=0) & Q(start__lt=F("end")), name="adjudication_span_valid"
            ),
            models.CheckConstraint(
                condition=Q(decision__in=["agreed", "accept", "merge", "new"]),
                name="adjudication_decision_valid",
            ),
        ]
        indexes = [
            # The disagreements page looks up the decisions of an interview's passages.
            models.Index(fields=["interview", "code", "start"], name="adjudication_by_passage")
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} {self.code_id} [{self.start}, {self.end})"


class StudyStopWords(models.Model):
    """The study's own stop words, left out of word frequencies on top of the English list
    (``coding.comparison.selectors.words``). The lead edits them; stored lower-cased."""

    study = models.OneToOneField(Study, on_delete=models.CASCADE, related_name="stop_words")
    words = models.JSONField(default=list, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Stop words of study {self.study_id} ({len(self.words)})"


class SavedQuery(models.Model):
    """A coding query (docs/queries.md) saved with a name and shared with the study, with the
    counts of its last run: re-running it reads the current data."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="saved_queries")
    name = models.CharField(max_length=200)
    query = models.JSONField(help_text="the query in the JSON grammar of docs/queries.md")
    layer = models.CharField(
        max_length=20, blank=True, help_text="the layer it reads; blank: the reader's default"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="saved_queries"
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    last_run = models.DateTimeField(null=True, blank=True)
    last_run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_layer = models.JSONField(
        null=True, blank=True, help_text="the layer the last run read: name, coder, label"
    )
    last_total = models.PositiveIntegerField(null=True, blank=True)
    last_dyads = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["study", "name"], name="saved_query_name_unique"),
            models.CheckConstraint(condition=~Q(name=""), name="saved_query_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name
