"""Reads for codebooks, codings, memos and jobs, scoped to what the user may see.

Layers: each coder's own work is the ``individual`` layer (one per coder); the team's settled
version is the ``consensus`` layer. While a study codes blind, a coder sees only their own
individual layer and the consensus.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from coding.models import AuditEvent, Code, Codebook, Coding, Job, Layer, Memo
from interviews.models import Dyad, Interview, Role, Study
from interviews.selectors import Access, access_from_annotations, study_ids_seeing_all_layers

# How far back a poll for changes looks again, so a transaction that committed late is not missed.
CHANGES_OVERLAP = dt.timedelta(seconds=15)


def codebook_for_study(*, study: Study) -> Codebook:
    return Codebook.objects.get(study=study)


def codes_for_study(*, study: Study) -> QuerySet[Code]:
    return Code.objects.filter(codebook__study=study).order_by("order", "id")


def codings_visible_to(*, user: Any) -> QuerySet[Coding]:
    """Every coding the user may read: their studies, minus others' layers where coding is blind."""
    if not user.is_authenticated:
        return Coding.objects.none()
    return Coding.objects.filter(interview__dyad__study__memberships__user=user).filter(
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
    blind = bool(coding and coding.interview.dyad.study.blind_coding)
    access = access_from_annotations(coding, Role.VIEWER, blind=blind)
    assert coding is not None
    return coding, access


@dataclass(frozen=True)
class LayerChoice:
    """Which codings of an interview to show: mine, one coder's, all coders', or the consensus."""

    name: str
    coder_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "coder": self.coder_id}


LAYER_NAMES = ("mine", "coder", "all", "consensus")


def layer_choice(
    *, name: str | None, coder: str | int | None, user: Any, access: Access
) -> LayerChoice:
    """Check a requested layer against what the member may see."""
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
    return LayerChoice(name, user.pk if name == "mine" else None)


def codings_in_layer(*, interview: Interview, layer: LayerChoice) -> QuerySet[Coding]:
    queryset = Coding.objects.filter(interview=interview)
    if layer.name == "consensus":
        return queryset.filter(layer=Layer.CONSENSUS)
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
    if not user.is_authenticated:
        return Memo.objects.none()
    return Memo.objects.filter(study__memberships__user=user).select_related("author")


def jobs_for_user(*, user: Any) -> QuerySet[Job]:
    """A member sees the jobs they started; a lead sees every job of their studies."""
    if not user.is_authenticated:
        return Job.objects.none()
    lead_of = user.memberships.filter(role=Role.LEAD).values("study_id")
    return Job.objects.filter(Q(user=user) | Q(study_id__in=lead_of)).select_related(
        "study", "user"
    )


def job_get_for_user(*, user: Any, pk: int) -> Job:
    job = jobs_for_user(user=user).filter(pk=pk).first()
    if job is None:
        raise Http404("Not found.")
    return job


def default_layer_for(target: Interview | Dyad | Study) -> LayerChoice:
    """The layer analyses use unless asked otherwise: the consensus where it exists.

    For an interview or a dyad: ``consensus`` when it has at least one consensus coding (or
    is marked consensus complete), else ``all`` (the union of every coder's individual layer).
    For a study: ``consensus`` when any of its interviews has one, else ``all``. One query.
    Pages that use it say which layer they show, and let the reader switch.
    """
    if isinstance(target, Interview):
        interviews = Interview.objects.filter(pk=target.pk)
    elif isinstance(target, Dyad):
        interviews = Interview.objects.filter(dyad=target)
    else:
        interviews = Interview.objects.filter(dyad__study=target)
    consensus = Coding.objects.filter(interview=OuterRef("pk"), layer=Layer.CONSENSUS)
    has_consensus = interviews.filter(Q(consensus_complete=True) | Exists(consensus)).exists()
    return LayerChoice("consensus") if has_consensus else LayerChoice("all")
