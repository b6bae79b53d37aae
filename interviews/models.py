"""Studies, their members, participants, dyads, interviews and speaker turns."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length


class Role(models.TextChoices):
    """A member's role in a study, from most to least powerful."""

    LEAD = "lead", "Lead"
    CODER = "coder", "Coder"
    VIEWER = "viewer", "Viewer"

    @classmethod
    def rank(cls, role: str) -> int:
        return {cls.VIEWER: 1, cls.CODER: 2, cls.LEAD: 3}[cls(role)]


# A study's slug is a path segment: /studies/<slug>/ and /api/v1/studies/<slug>/. These would be
# read as the site's own pages (the new-study page, the slug check) and are never a study's.
RESERVED_STUDY_SLUGS = frozenset({"new", "slug-check"})
STUDY_SLUG_MAX_LENGTH = 64


def study_slug_not_reserved(value: str) -> None:
    """A study's slug is none of the site's own path segments (every way in: the page, the API,
    a whole-study or REFI-QDA import, all validate through the model)."""
    if value in RESERVED_STUDY_SLUGS:
        raise ValidationError(
            f"“{value}” is reserved for the site's own pages: choose another.", code="reserved"
        )


class Study(models.Model):
    slug = models.SlugField(
        max_length=STUDY_SLUG_MAX_LENGTH, unique=True, validators=[study_slug_not_reserved]
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    # While on, coders see only their own layer until the lead reveals the others.
    blind_coding = models.BooleanField(default=False)
    # While on, members open the study only from a two-factor-verified sign-in (or a token
    # created from one).
    require_two_factor = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    # While on, the study is read-only for everyone (reads and exports still work); only a lead
    # may turn it off again (interviews.selectors refuses any write access to it).
    archived = models.BooleanField(default=False)
    archived_at = models.DateTimeField(null=True, blank=True)
    # While on, an interview cannot be coded until its de-identification review is complete.
    deid_required = models.BooleanField(default=False)
    # Applying a review keeps the original text, readable by leads only (for re-identification);
    # off (the default), the original is destroyed.
    deid_keep_original = models.BooleanField(default=False)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="studies"
    )

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "studies"

    def __str__(self) -> str:
        return self.title


class Membership(models.Model):
    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices)
    # A member the lead names may adjudicate (write the consensus layer) besides the leads.
    adjudicator = models.BooleanField(default=False)
    # A member the lead names may review de-identification besides the leads.
    deid_reviewer = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["study", "user"], name="membership_one_per_user"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
        ]
        # Every request scopes by the user's memberships.
        indexes = [models.Index(fields=["user", "study"], name="membership_by_user")]

    def __str__(self) -> str:
        return f"{self.user} ({self.role}) in {self.study}"


class Invitation(models.Model):
    """A lead's invitation to join a study; the invitee becomes a member only by accepting.

    ``invited_name`` is the name the lead typed, shown on the team page whether or not an
    account has it; ``user`` is the account it reached (None when none has that name, so the
    lead's answer never reveals whether a username exists).
    """

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="invitations")
    invited_name = models.CharField(max_length=150)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="study_invitations",
    )
    role = models.CharField(max_length=10, choices=Role.choices)
    adjudicator = models.BooleanField(default=False)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    answered = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(role__in=Role.values), name="invitation_role_valid"),
            models.UniqueConstraint(
                fields=["study", "invited_name"],
                condition=Q(state="pending"),
                name="invitation_one_pending_per_name",
            ),
        ]
        indexes = [models.Index(fields=["user", "state"], name="invitation_by_user")]

    def __str__(self) -> str:
        return f"{self.invited_name} invited to {self.study} as {self.role} ({self.state})"


class PlaceholderPerson(models.Model):
    """An author named in an imported file: an inactive account that cannot sign in and is
    no member, standing for the file's claim. Its work is the file's, not a real user's."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="placeholder"
    )
    claimed_username = models.CharField(max_length=150)
    claimed_name = models.CharField(max_length=300, blank=True)
    source = models.CharField(max_length=200, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.claimed_username} (imported placeholder)"


class Entity(models.TextChoices):
    """What an attribute describes: a clinician, a patient, or the dyad itself."""

    CLINICIAN = "clinician", "Clinician"
    PATIENT = "patient", "Patient"
    DYAD = "dyad", "Dyad"


class AttributeType(models.TextChoices):
    TEXT = "text", "Text"
    INTEGER = "integer", "Whole number"
    DECIMAL = "decimal", "Decimal number"
    BOOLEAN = "boolean", "Yes / no"
    DATE = "date", "Date"
    CHOICE = "choice", "One of a list"


attribute_key_validator = RegexValidator(
    r"^[a-z][a-z0-9_]{0,39}$",
    "Use lower-case letters, digits and underscores, starting with a letter (at most 40).",
)


class AttributeDefinition(models.Model):
    """Declares a typed attribute that clinicians, patients or dyads of a study carry.

    Values live in the ``attributes`` JSON of Participant and Dyad, checked against this
    definition by the services, so analyses can group dyads by any attribute.
    """

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="attribute_definitions")
    entity = models.CharField(max_length=10, choices=Entity.choices)
    key = models.CharField(max_length=40, validators=[attribute_key_validator])
    label = models.CharField(max_length=120)
    type = models.CharField(max_length=10, choices=AttributeType.choices)
    choices = models.JSONField(default=list, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["entity", "order", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["study", "entity", "key"], name="attribute_key_unique_per_entity"
            ),
            models.CheckConstraint(
                condition=Q(entity__in=Entity.values), name="attribute_entity_valid"
            ),
            models.CheckConstraint(
                condition=Q(type__in=AttributeType.values), name="attribute_type_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entity}.{self.key}"


class ParticipantRole(models.TextChoices):
    CLINICIAN = "clinician", "Clinician"
    PATIENT = "patient", "Patient"


class Participant(models.Model):
    """A clinician or a patient. One clinician can belong to several dyads."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="participants")
    role = models.CharField(max_length=10, choices=ParticipantRole.choices)
    pseudonym = models.CharField(max_length=120)
    attributes = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["role", "pseudonym"]
        constraints = [
            models.UniqueConstraint(
                fields=["study", "role", "pseudonym"], name="participant_pseudonym_unique"
            ),
            models.CheckConstraint(
                condition=Q(role__in=ParticipantRole.values), name="participant_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.pseudonym


class Dyad(models.Model):
    """One clinician and one patient, each interviewed separately."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="dyads")
    label = models.CharField(max_length=60)
    clinician = models.ForeignKey(
        Participant,
        null=True,
        blank=True,
        # RESTRICT: a person in a dyad cannot be deleted, unless the whole study goes.
        on_delete=models.RESTRICT,
        related_name="dyads_as_clinician",
        limit_choices_to={"role": ParticipantRole.CLINICIAN},
    )
    patient = models.ForeignKey(
        Participant,
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="dyads_as_patient",
        limit_choices_to={"role": ParticipantRole.PATIENT},
    )
    attributes = models.JSONField(default=dict, blank=True)
    guid = models.UUIDField(default=uuid.uuid4, editable=False)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["label"]
        constraints = [
            models.UniqueConstraint(fields=["study", "label"], name="dyad_label_unique_per_study"),
            models.CheckConstraint(
                condition=Q(clinician__isnull=True)
                | Q(patient__isnull=True)
                | ~Q(clinician=F("patient")),
                name="dyad_two_different_people",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class Perspective(models.TextChoices):
    PATIENT = "patient", "Patient"
    CLINICIAN = "clinician", "Clinician"
    OTHER = "other", "Other"


class DeidStatus(models.TextChoices):
    """Where an interview's de-identification review stands."""

    NOT_REVIEWED = "not_reviewed", "Not reviewed"
    IN_REVIEW = "in_review", "In review"
    COMPLETE = "complete", "Complete"


class Interview(models.Model):
    """A transcript. ``text`` is normalised (no BOM, LF line ends, NFC); offsets are code points."""

    dyad = models.ForeignKey(Dyad, on_delete=models.CASCADE, related_name="interviews")
    perspective = models.CharField(max_length=10, choices=Perspective.choices)
    title = models.CharField(max_length=200, blank=True)
    conducted_on = models.DateField(null=True, blank=True)
    interviewer = models.CharField(max_length=120, blank=True)
    text = models.TextField()
    text_sha256 = models.CharField(max_length=64, editable=False)
    # The text's length in code points, kept by the database: analyses divide by it (coverage)
    # for every interview, and must not read (and decompress) every text to get it.
    text_length = models.GeneratedField(
        expression=Length("text"), output_field=models.PositiveIntegerField(), db_persist=True
    )
    word_count = models.PositiveIntegerField(default=0, editable=False)
    source_name = models.CharField(max_length=255, blank=True)
    source_format = models.CharField(max_length=10, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    consensus_complete = models.BooleanField(default=False)
    deid_status = models.CharField(
        max_length=12, choices=DeidStatus.choices, default=DeidStatus.NOT_REVIEWED
    )
    guid = models.UUIDField(default=uuid.uuid4, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["dyad__label", "perspective", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(perspective__in=Perspective.values), name="interview_perspective_valid"
            ),
            models.CheckConstraint(condition=~Q(text=""), name="interview_text_not_empty"),
            models.CheckConstraint(
                condition=Q(deid_status__in=DeidStatus.values), name="interview_deid_status_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["dyad", "perspective"], name="interview_by_dyad"),
            # Duplicate detection on import looks the hash up.
            models.Index(fields=["text_sha256"], name="interview_by_text_hash"),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.dyad.label} · {self.get_perspective_display()}"


class TurnRole(models.TextChoices):
    INTERVIEWER = "interviewer", "Interviewer"
    PATIENT = "patient", "Patient"
    CLINICIAN = "clinician", "Clinician"
    OTHER = "other", "Other"


class Turn(models.Model):
    """A speaker turn. ``[start, end)`` spans what was said, without the speaker label."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="turns")
    index = models.PositiveIntegerField()
    speaker = models.CharField(max_length=120, blank=True)
    role = models.CharField(max_length=12, choices=TurnRole.choices, default=TurnRole.OTHER)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    timestamp_ms = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["interview", "index"]
        constraints = [
            models.UniqueConstraint(fields=["interview", "index"], name="turn_index_unique"),
            models.CheckConstraint(
                condition=Q(start__gte=0) & Q(start__lt=F("end")), name="turn_span_valid"
            ),
            models.CheckConstraint(condition=Q(role__in=TurnRole.values), name="turn_role_valid"),
        ]
        indexes = [
            # The turn a passage starts in is the interview's first turn ending after its start
            # (turns never overlap): retrieval and queries look it up per coding and per hit.
            # The role is included so that a role filter reads the index alone (PostgreSQL).
            models.Index(fields=["interview", "end"], include=["role"], name="turn_by_end"),
        ]

    def __str__(self) -> str:
        return f"{self.index}: {self.speaker}"


class DeidKind(models.TextChoices):
    """What a de-identification span identifies (HIPAA Safe Harbor's identifiers, grouped)."""

    PERSON = "PERSON", "Person"
    LOCATION = "LOCATION", "Location"
    DATE = "DATE", "Date"
    AGE = "AGE", "Age over 89"
    PHONE = "PHONE", "Phone or fax"
    EMAIL = "EMAIL", "Email"
    URL = "URL", "Web address"
    ID = "ID", "Record, account, licence or device number"
    ORG = "ORG", "Organisation"


class DeidEntity(models.Model):
    """One identifier across a study and its one replacement (a pseudonym or a tag).

    The identifier itself is never stored: ``digest`` is a keyed hash (HMAC-SHA256 with the
    site's secret) of its kind and case-folded text, so every occurrence in every interview gets
    the same replacement and nothing in this table names anyone.
    """

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="deid_entities")
    kind = models.CharField(max_length=10, choices=DeidKind.choices)
    digest = models.CharField(max_length=64)
    replacement = models.CharField(max_length=120)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["study", "digest"], name="deid_entity_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=DeidKind.values), name="deid_entity_kind_valid"
            ),
            models.CheckConstraint(
                condition=~Q(replacement=""), name="deid_entity_replacement_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.replacement}"


class DeidSpan(models.Model):
    """A proposed, accepted or rejected identifier ``[start, end)`` of an interview's text.

    No copy of the text: the span points into the interview. Once applied, the span keeps where
    the replacement now stands (status ``applied``) as the record of what was redacted.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"
        APPLIED = "applied", "Applied"

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="deid_spans")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=DeidKind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    confidence = models.FloatField(default=1.0)
    # Which rule found it ("pattern", "gazetteer", "names_list", "speaker_label", "person"…).
    source = models.CharField(max_length=40, blank=True)
    entity = models.ForeignKey(
        DeidEntity, null=True, blank=True, on_delete=models.SET_NULL, related_name="spans"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["interview", "start", "end"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__gte=0) & Q(start__lt=F("end")), name="deid_span_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=DeidKind.values), name="deid_span_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["proposed", "accepted", "rejected", "applied"]),
                name="deid_span_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["interview", "status", "start"], name="deid_span_review")]

    def __str__(self) -> str:
        return f"{self.kind} [{self.start}, {self.end}) {self.status}"


class DeidTerm(models.Model):
    """A study's private list entry for the detector: a real name (``names``) or a place the lead
    lists (``places``), proposed wherever it occurs. Protected like originals: leads only."""

    class List(models.TextChoices):
        NAMES = "names", "Names"
        PLACES = "places", "Places"

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="deid_terms")
    list = models.CharField(max_length=6, choices=List.choices)
    text = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["study", "list", "text"]
        constraints = [
            models.UniqueConstraint(fields=["study", "list", "text"], name="deid_term_unique"),
            models.CheckConstraint(
                condition=Q(list__in=["names", "places"]), name="deid_term_list_valid"
            ),
            models.CheckConstraint(condition=~Q(text=""), name="deid_term_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.list}: {self.text}"


class ProtectedOriginal(models.Model):
    """An interview's text as it was before de-identification, kept only when the study keeps
    originals (``Study.deid_keep_original``), for leads only (re-identification)."""

    interview = models.OneToOneField(
        Interview, on_delete=models.CASCADE, related_name="protected_original"
    )
    text = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Original of interview {self.interview_id}"
