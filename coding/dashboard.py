"""The study dashboard (the study's overview page): the lead's set-up checklist, each interview's
coding progress, agreement, consensus and open disagreements, per code the dyads that have it on
the ``best`` layer, and the saturation curve. A fixed number of queries, whatever the size of the
study (tests/coding/test_dashboard.py pins it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef
from django.urls import reverse

from coding.analysis.measures import layer_label
from coding.analysis.subsets import DyadSubset
from coding.comparison.selectors.base import comparison_base
from coding.comparison.selectors.prevalence import prevalence
from coding.comparison.selectors.saturation import Saturation, saturation_curve
from coding.comparison.selectors.scope import Scope
from coding.models import Adjudication, Assignment
from coding.selectors import coding_progress, default_layer_for
from coding.team.reports import latest_agreement_by_interview
from coding.team.selectors import open_disagreement_counts
from interviews.models import (
    AttributeDefinition,
    Dyad,
    Interview,
    Invitation,
    Study,
)
from interviews.selectors import Access


@dataclass(frozen=True)
class SetupStep:
    key: str
    label: str
    done: bool
    url: str
    action: str  # the link's text
    hint: str


def setup_checklist(*, study: Study) -> list[SetupStep]:
    """The four steps of setting a study up, each done or not. One query."""
    pending = Invitation.objects.filter(study=OuterRef("pk"), state=Invitation.State.PENDING)
    interviews = Interview.objects.filter(dyad__study=OuterRef("pk"))
    attributes = AttributeDefinition.objects.filter(study=OuterRef("pk"))
    assignments = Assignment.objects.filter(interview__dyad__study=OuterRef("pk"))
    flags = (
        Study.objects.filter(pk=study.pk)
        .annotate(
            has_members=Count("memberships", distinct=True),
            has_pending=Exists(pending),
            has_interviews=Exists(interviews),
            has_attributes=Exists(attributes),
            has_assignments=Exists(assignments),
        )
        .values("has_members", "has_pending", "has_interviews", "has_attributes", "has_assignments")
        .get()
    )
    slug = study.slug
    return [
        SetupStep(
            "members",
            "Add members",
            flags["has_members"] > 1 or bool(flags["has_pending"]),
            reverse("team-members", args=[slug]),
            "Invite coders and viewers",
            "Done when someone besides the lead is a member or has a pending invitation.",
        ),
        SetupStep(
            "transcripts",
            "Import transcripts",
            bool(flags["has_interviews"]),
            reverse("study-import-transcripts", args=[slug]),
            "Import transcripts",
            "Done when the study has an interview.",
        ),
        SetupStep(
            "attributes",
            "Define attributes",
            bool(flags["has_attributes"]),
            reverse("study-dyads", args=[slug]),
            "Define attributes on the dyads page",
            "Done when the study has a dyad, clinician or patient attribute.",
        ),
        SetupStep(
            "assignments",
            "Assign coders",
            bool(flags["has_assignments"]),
            reverse("team-assignments", args=[slug]),
            "Assign interviews to coders",
            "Done when an interview is assigned to a coder.",
        ),
    ]


def _interview_rows(
    *, study: Study, access: Access, user: Any
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Dyads, each with its interviews' progress, agreement, consensus and disagreements."""
    interviews = list(
        Interview.objects.filter(dyad__study=study)
        .select_related("dyad")
        .only(
            "id",
            "perspective",
            "consensus_complete",
            "word_count",
            "deid_status",
            "dyad__id",
            "dyad__label",
        )
        .order_by("dyad__label", "perspective", "id")
    )
    progress = coding_progress(study=study, access=access, user=user)
    adjudicating = set(
        Adjudication.objects.filter(interview__dyad__study=study)
        .order_by()
        .values_list("interview_id", flat=True)
        .distinct()
    )
    sees_others = access.sees_other_coders
    agreement = latest_agreement_by_interview(study=study) if sees_others else {}
    open_counts = open_disagreement_counts(study=study) if sees_others else {}
    dyads: list[dict[str, Any]] = []
    counts = {"consensus": 0, "other": 0}
    for interview in interviews:
        if not dyads or dyads[-1]["id"] != interview.dyad_id:
            dyads.append({"id": interview.dyad_id, "label": interview.dyad.label, "interviews": []})
        if interview.consensus_complete:
            consensus = "complete"
            counts["consensus"] += 1
        else:
            consensus = "adjudicating" if interview.pk in adjudicating else "open"
            counts["other"] += 1
        dyads[-1]["interviews"].append(
            {
                "interview": interview,
                "progress": progress.get(interview.pk, []),
                "agreement": agreement.get(interview.pk),
                "consensus": consensus,
                "disagreements": open_counts.get(interview.pk, 0) if sees_others else None,
            }
        )
    return dyads, counts


def _code_dyads(*, study: Study, access: Access, user: Any) -> tuple[list[dict[str, Any]], int]:
    """Per code (sub-codes rolled up into their parent, as the comparison counts them): the
    dyads where it is present on the default layer. Four queries (the comparison's base)."""
    layer = default_layer_for(access=access, user=user)
    scope = Scope(study=study, layer=layer, layer_label=layer_label(layer), subset=DyadSubset())
    rows = prevalence(base=comparison_base(scope=scope))
    dyads = rows[0].dyads if rows else Dyad.objects.filter(study=study).count()
    return [
        {
            "key": row.code.key,
            "name": row.code.name,
            "depth": row.code.depth,
            "dyads": row.either,
            "percent": round(100 * row.share("either")),
        }
        for row in rows
    ], dyads


def study_dashboard(
    *, study: Study, access: Access, user: Any, order: str = "import"
) -> dict[str, Any]:
    """Everything the dashboard shows, for this member (blind coding respected: a blinded coder
    gets only their own progress, and no agreement or disagreements)."""
    dyads, counts = _interview_rows(study=study, access=access, user=user)
    codes, dyad_total = _code_dyads(study=study, access=access, user=user)
    layer = default_layer_for(access=access, user=user)
    saturation: Saturation = saturation_curve(study=study, layer=layer, order=order)
    return {
        # An archived study has nothing left to set up: no "to do" steps.
        "checklist": setup_checklist(study=study) if access.can_lead else [],
        "dyads": dyads,
        "interview_count": counts["consensus"] + counts["other"],
        "layer": {
            "name": layer.name,
            "consensus": counts["consensus"],
            "other": counts["other"],
            "other_name": "your own codings" if layer.coder_id is not None else "coders' union",
        },
        "codes": codes,
        "dyad_total": dyad_total,
        "saturation": saturation,
    }
