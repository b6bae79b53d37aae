"""Reads for codebooks, codings, memos and jobs, scoped to what the user may see.

Layers: each coder's own work is the ``individual`` layer (one per coder); the team's settled
version is the ``consensus`` layer. While a study codes blind, a coder sees only their own
individual layer and the consensus.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from coding.job_kinds import JobKind
from coding.models import Assignment, Code, Codebook, CodebookVersion, Coding, Layer, Memo
from healing.audit.models import AuditEvent
from healing.jobs.models import Job
from interviews.models import DeidStatus, Dyad, Interview, Membership, Role, Study
from interviews.selectors import (
    Access,
    access_from_annotations,
    studies_open_q,
    study_ids_blinding,
    study_ids_seeing_all_layers,
)

# How far back a poll for changes looks again, so a transaction that committed late is not missed.
CHANGES_OVERLAP = dt.timedelta(seconds=15)


def codebook_for_study(*, study: Study) -> Codebook:
    return Codebook.objects.get(study=study)


class VersionReplay:
    """A codebook's codes version by version: a whole snapshot replaces them (kept in its stored
    order, entries of codes that no longer exist included), changes (entries of codes added or
    changed; ``{"id": N, "removed": true}`` for one removed) update them, after which they are
    listed in codebook order as ``coding.services.codebook_snapshot`` lists them."""

    def __init__(self) -> None:
        self._codes: dict[Any, dict[str, Any]] = {}
        self._reordered = False

    def apply(self, *, snapshot: Any, changes: Any) -> None:
        if snapshot is not None:
            self._codes = {
                entry["id"] if entry.get("id") is not None else ("index", index): entry
                for index, entry in enumerate(snapshot)
                if isinstance(entry, dict)
            }
            self._reordered = False
            return
        self._codes = dict(self._codes)
        for entry in changes or []:
            if entry.get("removed"):
                self._codes.pop(entry["id"], None)
            else:
                self._codes[entry["id"]] = entry
            self._reordered = True

    def codes(self) -> list[dict[str, Any]]:
        entries = list(self._codes.values())
        if self._reordered:
            entries.sort(key=lambda e: (e.get("order") or 0, e.get("id") or 0))
        return entries


def codebook_versions_replayable(
    *, codebook: Codebook, low: int, high: int
) -> QuerySet[CodebookVersion]:
    """The versions from the nearest whole snapshot at or before ``low`` up to ``high``, oldest
    first: what replaying versions ``low`` to ``high`` needs (one query)."""
    base = (
        CodebookVersion.objects.filter(codebook=codebook, number__lte=low, snapshot__isnull=False)
        .order_by("-number")
        .values("number")[:1]
    )
    return CodebookVersion.objects.filter(
        codebook=codebook, number__lte=high, number__gte=Coalesce(Subquery(base), 0)
    ).order_by("number")


def codebook_version_snapshots(
    *, codebook: Codebook, numbers: Iterable[int]
) -> dict[int, list[dict[str, Any]]]:
    """Every code of each of the given versions (those that exist), rebuilt by replaying the
    versions' changes from the nearest whole snapshot at or before the lowest (one query)."""
    wanted = set(numbers)
    if not wanted:
        return {}
    rows = codebook_versions_replayable(
        codebook=codebook, low=min(wanted), high=max(wanted)
    ).values_list("number", "snapshot", "changes")
    found: dict[int, list[dict[str, Any]]] = {}
    replay = VersionReplay()
    for number, whole, changes in rows:
        replay.apply(snapshot=whole, changes=changes)
        if number in wanted:
            found[number] = replay.codes()
    return found


def codebook_all_version_snapshots(*, codebook: Codebook) -> dict[int, list[dict[str, Any]]]:
    """Every version's codes, oldest first (one query), e.g. for a whole-study export."""
    found: dict[int, list[dict[str, Any]]] = {}
    replay = VersionReplay()
    rows = (
        CodebookVersion.objects.filter(codebook=codebook)
        .order_by("number")
        .values_list("number", "snapshot", "changes")
    )
    for number, whole, changes in rows:
        replay.apply(snapshot=whole, changes=changes)
        found[number] = replay.codes()
    return found


def codes_for_study(*, study: Study) -> QuerySet[Code]:
    return Code.objects.filter(codebook__study=study).order_by("order", "id")


def codings_visible_to(*, user: Any) -> QuerySet[Coding]:
    """Every coding the user may read: their studies, minus others' layers where coding is blind."""
    if not user.is_authenticated:
        return Coding.objects.none()
    return Coding.objects.filter(
        studies_open_q(user, "interview__dyad__study"),
        interview__dyad__study__memberships__user=user,
    ).filter(
        Q(layer=Layer.CONSENSUS)
        | Q(coder=user)
        | Q(interview__dyad__study_id__in=study_ids_seeing_all_layers(user=user))
    )


def coding_get_for_user(*, user: Any, pk: int) -> tuple[Coding, Access]:
    """A coding the user may see, with its interview, study and code loaded (one query)."""
    if not user.is_authenticated:
        raise Http404("Not found.")
    coding = (
        codings_visible_to(user=user)
        .select_related("interview__dyad__study", "code__codebook", "coder")
        .annotate(
            my_role=F("interview__dyad__study__memberships__role"),
            my_adjudicator=F("interview__dyad__study__memberships__adjudicator"),
        )
        .filter(pk=pk)
        .first()
    )
    study = coding.interview.dyad.study if coding else None
    access = access_from_annotations(
        coding,
        Role.VIEWER,
        blind=bool(study and study.blind_coding),
        archived=bool(study and study.archived),
    )
    assert coding is not None
    return coding, access


# Substring positions are 1-based integers in SQL; beyond this no transcript reaches.
_SQL_INT_MAX = 2_000_000_000


@dataclass(frozen=True)
class CodingTarget:
    """Where one new coding goes, read in one query: the interview, its dyad and study, the user's
    access, the requested code (None when the study's codebook has no such code), and the text
    at the span, cut by the database (shorter than the span when the span runs past the end)."""

    interview_id: int
    study_id: int
    study_slug: str
    dyad_id: int
    dyad_label: str
    perspective: str
    access: Access
    quote: str
    requested_code: int | str | None
    code_id: int | None
    code_key: str | None
    code_active: bool
    codebook_version: int | None
    # The study codes only de-identified interviews and this one's review is not complete.
    awaits_deid: bool = False


def _coding_target_sql(*, by_key: bool) -> str:
    q = connection.ops.quote_name
    interview, dyad, study = Interview._meta.db_table, Dyad._meta.db_table, Study._meta.db_table
    membership = Membership._meta.db_table
    codebook, code = Codebook._meta.db_table, Code._meta.db_table
    code_match = f"c.{q('key')} = %s" if by_key else "c.id = %s"
    columns = (
        "i.id, s.id, s.slug, s.blind_coding, d.id, d.label, i.perspective, m.role, m.adjudicator, "
        f"SUBSTR(i.{q('text')}, %s, %s), c.id, c.{q('key')}, c.is_active, b.version, s.archived, "
        "s.deid_required, i.deid_status"
    )
    joins = (
        f"JOIN {q(dyad)} d ON d.id = i.dyad_id "
        f"JOIN {q(study)} s ON s.id = d.study_id "
        f"JOIN {q(membership)} m ON m.study_id = s.id AND m.user_id = %s "
        f"LEFT JOIN {q(codebook)} b ON b.study_id = s.id "
        f"LEFT JOIN {q(code)} c ON c.codebook_id = b.id AND {code_match}"
    )
    # Only table and column names (from the models) are formatted in; every value is a parameter.
    return f"SELECT {columns} FROM {q(interview)} i {joins} WHERE i.id = %s"  # noqa: S608


def coding_target_for_user(
    *,
    user: Any,
    interview_id: int,
    start: int,
    end: int,
    code_id: int | None = None,
    code_key: str | None = None,
) -> CodingTarget:
    """Everything creating one coding needs, in one query and without reading the whole text.

    The hot path of coding in the browser: the ORM's equivalent (the interview with its study,
    then the code) costs three times as much. Refuses like ``interview_get_for_user``: another
    study's interview is 404. The caller checks the role (``target.access``).
    """
    if not user.is_authenticated or not 0 < interview_id <= 2**62:
        raise Http404("Not found.")
    # An impossible span cuts nothing: the service then explains what is wrong with it.
    cut_from, cut_length = (start + 1, end - start) if 0 <= start < end < _SQL_INT_MAX else (1, 0)
    code_param: Any = code_key if code_id is None else (code_id if 0 < code_id <= 2**62 else 0)
    with connection.cursor() as cursor:
        cursor.execute(
            _coding_target_sql(by_key=code_id is None),
            [cut_from, cut_length, user.pk, code_param, interview_id],
        )
        row = cursor.fetchone()
    if row is None:
        raise Http404("Not found.")
    blind = bool(row[3])
    return CodingTarget(
        interview_id=row[0],
        study_id=row[1],
        study_slug=row[2],
        dyad_id=row[4],
        dyad_label=row[5],
        perspective=row[6],
        access=Access(role=row[7], adjudicator=bool(row[8]), blind=blind, archived=bool(row[14])),
        quote=row[9] or "",
        requested_code=code_key if code_id is None else code_id,
        code_id=row[10],
        code_key=row[11],
        code_active=bool(row[12]),
        codebook_version=row[13],
        awaits_deid=bool(row[15]) and row[16] != DeidStatus.COMPLETE,
    )


def interview_text_length(*, interview_id: int) -> int:
    """The length of an interview's text in code points (the database counts characters)."""
    from django.db.models.functions import Length

    return (
        Interview.objects.filter(pk=interview_id)
        .annotate(length=Length("text"))
        .values_list("length", flat=True)
        .get()
    )


@dataclass(frozen=True)
class LayerChoice:
    """Which codings to read: mine, one coder's, all coders' (their union), the consensus, or
    ``best``: per interview, the consensus where that interview is consensus-complete and the
    union of the coders' layers elsewhere. ``best`` with a ``coder_id`` (what a blinded coder
    gets) reads that coder's own layer where the consensus is not complete."""

    name: str
    coder_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "coder": self.coder_id}


LAYER_NAMES = ("mine", "coder", "all", "consensus", "best")


def coder_param_check(*, coder: str | int | None, study_id: int) -> None:
    """A ``coder`` parameter, when given, names a member of the study or someone who coded in it
    (a 400 otherwise: an unknown or foreign id is refused, not ignored). One query."""
    if coder in (None, ""):
        return
    try:
        named = int(coder)
    except (TypeError, ValueError):
        raise ValidationError({"coder": "Give the coder's user id."}) from None
    if not (
        Membership.objects.filter(study_id=study_id, user_id=named).exists()
        or Coding.objects.filter(interview__dyad__study_id=study_id, coder_id=named).exists()
    ):
        raise ValidationError({"coder": "Not a coder of this study."})


def layer_choice(
    *,
    name: str | None,
    coder: str | int | None,
    user: Any,
    access: Access,
    study_id: int | None = None,
) -> LayerChoice:
    """Check a requested layer against what the member may see; with ``study_id``, a ``coder``
    given at all must be the study's member or have coded in it (else a 400, never ignored)."""
    if study_id is not None:
        coder_param_check(coder=coder, study_id=study_id)
    name = name or "mine"
    if name not in LAYER_NAMES:
        raise ValidationError(
            {"layer": f"Unknown layer {name!r}: use one of {', '.join(LAYER_NAMES)}."}
        )
    if name == "coder":
        try:
            coder_id = int(coder)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise ValidationError({"coder": "Give the coder's user id with layer=coder."}) from None
        if coder_id != user.pk and not access.sees_other_coders:
            raise PermissionDenied(
                "Blind coding is on: you see only your own codings until the lead reveals."
            )
        return LayerChoice("coder", coder_id)
    if name == "all" and not access.sees_other_coders:
        raise PermissionDenied(
            "Blind coding is on: you see only your own codings until the lead reveals."
        )
    if name == "best":
        # A blinded coder's best layer is the consensus where complete, else their own codings.
        return LayerChoice("best", None if access.sees_other_coders else user.pk)
    return LayerChoice(name, user.pk if name == "mine" else None)


def best_layer_q(*, coder_id: int | None = None, prefix: str = "") -> Q:
    """The ``best`` layer as a filter on codings (``prefix`` leads from another model to them)."""
    individual = Q(**{f"{prefix}layer": Layer.INDIVIDUAL})
    if coder_id is not None:
        individual &= Q(**{f"{prefix}coder_id": coder_id})
    return Q(
        **{f"{prefix}layer": Layer.CONSENSUS, f"{prefix}interview__consensus_complete": True}
    ) | (individual & Q(**{f"{prefix}interview__consensus_complete": False}))


def codings_in_layer(*, interview: Interview, layer: LayerChoice) -> QuerySet[Coding]:
    queryset = Coding.objects.filter(interview=interview)
    if layer.name == "consensus":
        return queryset.filter(layer=Layer.CONSENSUS)
    if layer.name == "best":
        return queryset.filter(best_layer_q(coder_id=layer.coder_id))
    queryset = queryset.filter(layer=Layer.INDIVIDUAL)
    if layer.coder_id is not None:
        queryset = queryset.filter(coder_id=layer.coder_id)
    return queryset


WORKSPACE_CODING_FIELDS = ("id", "code_id", "coder_id", "layer", "start", "end", "memo", "updated")


def coding_rows(queryset: QuerySet[Coding]) -> list[dict[str, Any]]:
    """Compact rows for the workspace (no quote: the page cuts it from the text)."""
    return [
        {
            "id": row[0],
            "code": row[1],
            "coder": row[2],
            "layer": row[3],
            "start": row[4],
            "end": row[5],
            "memo": row[6],
            "updated": row[7].isoformat(),
        }
        for row in queryset.order_by("start", "end", "id").values_list(*WORKSPACE_CODING_FIELDS)
    ]


def coders_of_interview(*, interview: Interview) -> list[dict[str, Any]]:
    """Everyone with codings in this interview, per layer, with counts (one query)."""
    rows = (
        Coding.objects.filter(interview=interview)
        .values("coder_id", "coder__username", "coder__first_name", "coder__last_name", "layer")
        .annotate(count=Count("id"))
        .order_by("coder__username")
    )
    return [
        {
            "id": row["coder_id"],
            "username": row["coder__username"],
            "name": f"{row['coder__first_name']} {row['coder__last_name']}".strip()
            or row["coder__username"],
            "layer": row["layer"],
            "count": row["count"],
        }
        for row in rows
    ]


CODEBOOK_CODE_FIELDS = (
    "id",
    "parent_id",
    "key",
    "name",
    "group",
    "color",
    "definition",
    "inclusion",
    "exclusion",
    "example",
    "is_active",
    "order",
)


def codebook_rows(*, study: Study) -> dict[str, Any]:
    """The study's codebook for the workspace: its version and every code in display order
    (one query; the version rides along on each code row)."""
    rows = list(
        Code.objects.filter(codebook__study=study)
        .order_by("order", "id")
        .values(*CODEBOOK_CODE_FIELDS, "codebook__version")
    )
    version = rows[0]["codebook__version"] if rows else None
    codes = []
    for row in rows:
        del row["codebook__version"]
        row["parent"] = row.pop("parent_id")
        codes.append(row)
    return {"version": version, "codes": codes}


def interview_memo_rows(*, interview: Interview, user: Any) -> list[dict[str, Any]]:
    """Memos on the interview itself that the user may read (``memos_visible_to``), newest
    first, with their authors (one query)."""
    rows = (
        memos_visible_to(user=user)
        .filter(interview=interview)
        .order_by("-updated", "-id")
        .values(
            "id",
            "type",
            "title",
            "body",
            "author_id",
            "author__username",
            "author__first_name",
            "author__last_name",
            "created",
            "updated",
        )
    )
    return [
        {
            "id": row["id"],
            "type": row["type"],
            "title": row["title"],
            "body": row["body"],
            "author": row["author_id"],
            "author_name": f"{row['author__first_name']} {row['author__last_name']}".strip()
            or row["author__username"],
            "created": row["created"].isoformat(),
            "updated": row["updated"].isoformat(),
        }
        for row in rows
    ]


def latest_event_id(*, interview: Interview) -> int:
    last = (
        AuditEvent.objects.filter(interview=interview)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )
    return last or 0


def coding_changes(*, interview: Interview, layer: LayerChoice, since: int) -> dict[str, Any]:
    """Codings created, changed or deleted in this interview after audit event ``since``.

    Events of the last few seconds are sent again on every poll (a transaction that committed
    after a later one would otherwise be missed); applying them twice is harmless because
    upserts carry each coding's current state and deletes are idempotent.
    """
    events = list(
        AuditEvent.objects.filter(interview=interview, object_type="coding")
        .filter(Q(id__gt=since) | Q(at__gte=timezone.now() - CHANGES_OVERLAP))
        .order_by("id")
        .values_list("id", "action", "object_id")[:2000]
    )
    changed = {
        int(object_id) for _, action, object_id in events if action != "delete" and object_id
    }
    deleted = [
        int(object_id) for _, action, object_id in events if action == "delete" and object_id
    ]
    upserts = (
        coding_rows(codings_in_layer(interview=interview, layer=layer).filter(id__in=changed))
        if changed
        else []
    )
    cursor = max([since, *(event_id for event_id, _, _ in events)])
    return {"cursor": cursor, "upserts": upserts, "deleted": deleted}


def memos_visible_to(*, user: Any) -> QuerySet[Memo]:
    """Every memo the user may read: their studies' memos, except while a study codes blind,
    where a coder reads only their own memos and the lead's guidance.

    The lead's guidance is a memo written by a current lead of the study on the study, a code, a
    dyad or an interview, or on a coding the user sees (the consensus, or the user's own). Memos
    by other coders, and the lead's memos on other coders' codings, stay hidden until the lead
    reveals: they would tell what the others coded. A single query (the blind test is a
    subquery, like the one for codings).
    """
    if not user.is_authenticated:
        return Memo.objects.none()
    by_a_lead = Membership.objects.filter(
        study_id=OuterRef("study_id"), user_id=OuterRef("author_id"), role=Role.LEAD
    )
    on_a_visible_coding = (
        Q(coding__isnull=True) | Q(coding__layer=Layer.CONSENSUS) | Q(coding__coder=user)
    )
    return (
        Memo.objects.filter(studies_open_q(user, "study"), study__memberships__user=user)
        .filter(
            Q(study_id__in=study_ids_seeing_all_layers(user=user))
            | Q(author=user)
            | (Exists(by_a_lead) & on_a_visible_coding)
        )
        .select_related("author")
    )


# Jobs that write into a study (imports): their reports and inputs are for the study's leads, so a
# lead lowered to coder or viewer no longer sees even the ones they started.
# Autocode writes into any coder's layer and reports on it: a lead's tool, like the imports.
LEAD_ONLY_JOB_KINDS = (
    JobKind.IMPORT_TRANSCRIPTS,
    JobKind.IMPORT_QDPX,
    JobKind.IMPORT_STUDY,
    JobKind.AUTOCODE,
)


def jobs_for_user(*, user: Any) -> QuerySet[Job]:
    """A current member sees the jobs they started in the study; a lead sees every job of their
    studies. Access follows membership on every request: removed from a study, a member no
    longer sees its jobs, not even their own; a job of no study (an import into a new study not
    yet created) is its starter's alone.

    Imports are the leads' (``LEAD_ONLY_JOB_KINDS``).

    While a study codes blind, a coder's own jobs whose results hold other coders' layers are
    hidden until the lead reveals: agreement reports, and exports that were not limited to the
    consensus or the coder's own codings (say, one run in an earlier, revealed round). Exports
    of the codebook alone stay.
    """
    if not user.is_authenticated:
        return Job.objects.none()
    lead_of = user.memberships.filter(role=Role.LEAD).values("study_id")
    # Positive tests only: a missing params key compares as NULL and leaves the job hidden.
    blind_safe = (
        Q(study_id__isnull=True)
        | ~Q(study_id__in=study_ids_blinding(user=user))
        | ~Q(kind__in=[JobKind.AGREEMENT, JobKind.EXPORT, JobKind.EXPORT_QDPX])
        | Q(kind=JobKind.EXPORT, params__target="codebook")
        | Q(kind=JobKind.EXPORT_QDPX, params__format="qdc")
        | Q(params__layer=Layer.CONSENSUS)
        | Q(params__coder=user.get_username())
    )
    member_of = user.memberships.values("study_id")
    own = Q(user=user) & (
        Q(study_id__isnull=True) | (Q(study_id__in=member_of) & ~Q(kind__in=LEAD_ONLY_JOB_KINDS))
    )
    return (
        Job.objects.filter(own | Q(study_id__in=lead_of))
        .filter(blind_safe)
        .select_related("study", "user")
    )


def job_may_cancel(*, user: Any, job: Job) -> bool:
    """Who sees a job may cancel it if they started it or lead its study."""
    if job.user_id == user.pk:
        return True
    return (
        job.study_id is not None
        and user.memberships.filter(study_id=job.study_id, role=Role.LEAD).exists()
    )


def job_get_for_user(*, user: Any, pk: int) -> Job:
    job = jobs_for_user(user=user).filter(pk=pk).first()
    if job is None:
        raise Http404("Not found.")
    return job


def default_layer_for(*, access: Access, user: Any) -> LayerChoice:
    """The layer analyses use unless asked otherwise: ``best`` — per interview, the consensus
    where it is complete, else the union of the coders' layers (a blinded coder: their own).

    Pages that use it say which layer each dyad used (:func:`layer_usage`) and let the
    reader switch.
    """
    return LayerChoice("best", None if access.sees_other_coders else user.pk)


@dataclass(frozen=True)
class LayerUsage:
    """Which layer each dyad's interviews were read from under ``best`` (or which dyads a chosen
    layer leaves without codings). Counts of dyads; ``empty`` names the dyads with no codings."""

    layer: LayerChoice
    dyads: int
    consensus: int
    union: int
    mixed: int
    empty: tuple[str, ...] = ()

    @property
    def union_name(self) -> str:
        return "your own codings" if self.layer.coder_id is not None else "coders' union"

    @property
    def description(self) -> str:
        if self.layer.name == "best":
            parts = [f"consensus for {self.consensus} of {self.dyads} dyads"]
            parts.append(f"{self.union_name} for {self.union}")
            if self.mixed:
                parts.append(
                    f"consensus on one side and {self.union_name} on the other for {self.mixed}"
                )
            return "Best available layer: " + ", ".join(parts) + "."
        return ""

    @property
    def warning(self) -> str:
        if not self.empty:
            return ""
        names = ", ".join(self.empty[:12]) + (" …" if len(self.empty) > 12 else "")
        what = {"consensus": "consensus codings"}.get(self.layer.name, "codings in this layer")
        return f"{len(self.empty)} of {self.dyads} dyads have no {what}: {names}."

    def as_dict(self) -> dict[str, Any]:
        return {
            "dyads": self.dyads,
            "consensus": self.consensus,
            "union": self.union,
            "mixed": self.mixed,
            "dyads_without_codings": list(self.empty),
            "description": self.description,
            "warning": self.warning,
        }


def layer_usage_from_counts(
    *,
    layer: LayerChoice,
    complete: dict[int, tuple[int, int]],
    labels: dict[int, str],
    coded: set[int],
) -> LayerUsage:
    """``complete``: dyad id → (interviews consensus-complete, interviews); ``coded``: the dyads
    with at least one coding in the layer. No query."""
    consensus = union = mixed = 0
    for dyad_id in labels:
        done, total = complete.get(dyad_id, (0, 0))
        if total and done == total:
            consensus += 1
        elif done:
            mixed += 1
        else:
            union += 1
    empty = tuple(sorted(labels[d] for d in labels if d not in coded))
    return LayerUsage(
        layer=layer,
        dyads=len(labels),
        consensus=consensus,
        union=union,
        mixed=mixed,
        empty=empty,
    )


def coding_progress(
    *, study: Study, access: Access, user: Any, interview_ids: list[int] | None = None
) -> dict[int, list[dict[str, Any]]]:
    """Per interview: each coder's number of codings, layer, assignment and done state.

    Two aggregate queries, whatever the number of interviews and codings. While coding is
    blind, a coder sees only their own progress and the consensus.
    """
    progress: dict[int, dict[tuple[int, str], dict[str, Any]]] = {}
    codings = Coding.objects.filter(interview__dyad__study=study)
    assigned = Assignment.objects.filter(interview__dyad__study=study)
    if interview_ids is not None:
        codings = codings.filter(interview_id__in=interview_ids)
        assigned = assigned.filter(interview_id__in=interview_ids)
    if not access.sees_other_coders:
        codings = codings.filter(Q(coder=user) | Q(layer="consensus"))
        assigned = assigned.filter(coder=user)
    rows = codings.values(
        "interview_id",
        "coder_id",
        "coder__username",
        "coder__first_name",
        "coder__last_name",
        "layer",
    ).annotate(count=Count("id"))
    for row in rows:
        name = (
            f"{row['coder__first_name']} {row['coder__last_name']}".strip()
            or row["coder__username"]
        )
        progress.setdefault(row["interview_id"], {})[(row["coder_id"], row["layer"])] = {
            "coder_id": row["coder_id"],
            "name": name if row["layer"] == "individual" else "Consensus",
            "layer": row["layer"],
            "count": row["count"],
            "assigned": False,
            "done": False,
        }
    assignments = assigned.values(
        "interview_id",
        "coder_id",
        "coder__username",
        "coder__first_name",
        "coder__last_name",
        "done",
    )
    for assignment in assignments:
        name = (
            f"{assignment['coder__first_name']} {assignment['coder__last_name']}".strip()
            or assignment["coder__username"]
        )
        entry = progress.setdefault(assignment["interview_id"], {}).setdefault(
            (assignment["coder_id"], "individual"),
            {"coder_id": assignment["coder_id"], "name": name, "layer": "individual", "count": 0},
        )
        entry["assigned"] = True
        entry["done"] = assignment["done"]
    return {
        interview_id: sorted(entries.values(), key=lambda e: (e["layer"] == "consensus", e["name"]))
        for interview_id, entries in progress.items()
    }
