"""Who and what a row describes: each interview's dyad, people and attributes, each code's place
in the hierarchy, each coder's name. Loaded once per export in a few small queries, so the rows
themselves come from one query with no joins per row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from coding.exchange.registry import ExportOptions
from coding.models import Code, Coding, Layer
from coding.selectors import best_layer_q
from interviews.models import AttributeDefinition, Dyad, Interview, Membership, Study

LAYER_OPTIONS = ("best", "all", "consensus", "individual")


def codings_selected(*, study: Study, options: ExportOptions) -> QuerySet[Coding]:
    """The study's codings an export covers: a layer (or all) and optionally one coder.

    ``best``: per interview, the consensus where it is complete, else the coders' layers (with
    ``coder``: that coder's own layer there).
    """
    if options.layer not in LAYER_OPTIONS:
        raise ValidationError(
            {"layer": f"Unknown layer {options.layer!r}: use {', '.join(LAYER_OPTIONS)}."}
        )
    codings = Coding.objects.filter(interview__dyad__study=study)
    if options.layer == "best":
        return codings.filter(best_layer_q(coder_id=_coder_id(options.coder)))
    if options.layer == "consensus":
        codings = codings.filter(layer=Layer.CONSENSUS)
    elif options.layer == "individual":
        codings = codings.filter(layer=Layer.INDIVIDUAL)
    if options.coder:
        codings = codings.filter(coder_id=_coder_id(options.coder))
    return codings


def _coder_id(username: str | None) -> int | None:
    if not username:
        return None
    coder_id = (
        get_user_model().objects.filter(username=username).values_list("id", flat=True).first()
    )
    if coder_id is None:
        raise ValidationError({"coder": f"No user {username!r}."})
    return coder_id


@dataclass
class AttributeColumns:
    """The attribute keys of dyads, clinicians and patients, as columns (defined ones first)."""

    dyad: list[str] = field(default_factory=list)
    clinician: list[str] = field(default_factory=list)
    patient: list[str] = field(default_factory=list)

    def header(self) -> list[str]:
        return [
            *(f"dyad.{key}" for key in self.dyad),
            "clinician",
            *(f"clinician.{key}" for key in self.clinician),
            "patient",
            *(f"patient.{key}" for key in self.patient),
        ]


@dataclass
class DyadInfo:
    id: int
    label: str
    cells: list[Any]  # the AttributeColumns cells: dyad attributes, clinician…, patient…
    interviews: dict[str, int] = field(default_factory=dict)  # perspective -> count
    complete: dict[str, int] = field(default_factory=dict)  # perspective -> consensus-complete

    def layer_used(self, layer: str, perspective: str | None = None) -> str:
        """Which codings the ``best`` layer read for a perspective (None: the whole dyad)."""
        if layer != "best":
            return layer
        if perspective is None:
            total, done = sum(self.interviews.values()), sum(self.complete.values())
        else:
            total, done = self.interviews.get(perspective, 0), self.complete.get(perspective, 0)
        if total and done == total:
            return "consensus"
        return "consensus + coders" if done else "coders"


@dataclass
class StudyFrame:
    study: Study
    columns: AttributeColumns
    dyads: list[DyadInfo]
    dyad_of_interview: dict[int, DyadInfo]
    perspective_of_interview: dict[int, str]
    codes: list[Code]
    code_path: dict[int, list[str]]  # code id -> keys of its ancestors, root first
    usernames: dict[int, str]  # user id -> username, members first; others found on demand

    def username(self, user_id: int) -> str:
        name = self.usernames.get(user_id)
        if name is None:
            # A coder who has left the study: rare, so one small query each.
            name = (
                get_user_model()
                .objects.filter(pk=user_id)
                .values_list("username", flat=True)
                .first()
                or f"user {user_id}"
            )
            self.usernames[user_id] = name
        return name


def study_frame(*, study: Study) -> StudyFrame:
    """Five small queries: attribute definitions, dyads with people, interviews, codes, members."""
    definitions: dict[str, list[str]] = {"dyad": [], "clinician": [], "patient": []}
    for entity, key in (
        AttributeDefinition.objects.filter(study=study)
        .order_by("entity", "order", "key")
        .values_list("entity", "key")
    ):
        definitions[entity].append(key)
    dyad_rows = list(
        Dyad.objects.filter(study=study)
        .order_by("label", "id")
        .values_list(
            "id",
            "label",
            "attributes",
            "clinician__pseudonym",
            "clinician__attributes",
            "patient__pseudonym",
            "patient__attributes",
        )
    )
    # Keys present in the data but not (or no longer) defined still get a column, after the rest.
    for _, _, dyad_attrs, _, clinician_attrs, _, patient_attrs in dyad_rows:
        for entity, values in (
            ("dyad", dyad_attrs),
            ("clinician", clinician_attrs),
            ("patient", patient_attrs),
        ):
            for key in values or {}:
                if key not in definitions[entity]:
                    definitions[entity].append(key)
    columns = AttributeColumns(
        dyad=definitions["dyad"],
        clinician=definitions["clinician"],
        patient=definitions["patient"],
    )
    dyads: list[DyadInfo] = []
    by_id: dict[int, DyadInfo] = {}
    for dyad_id, label, dyad_attrs, clinician, clinician_attrs, patient, patient_attrs in dyad_rows:
        cells = [
            *((dyad_attrs or {}).get(key) for key in columns.dyad),
            clinician,
            *((clinician_attrs or {}).get(key) for key in columns.clinician),
            patient,
            *((patient_attrs or {}).get(key) for key in columns.patient),
        ]
        info = DyadInfo(dyad_id, label, cells)
        dyads.append(info)
        by_id[dyad_id] = info
    dyad_of_interview: dict[int, DyadInfo] = {}
    perspective_of_interview: dict[int, str] = {}
    for interview_id, dyad_id, perspective, complete in Interview.objects.filter(
        dyad__study=study
    ).values_list("id", "dyad_id", "perspective", "consensus_complete"):
        info = by_id[dyad_id]
        dyad_of_interview[interview_id] = info
        perspective_of_interview[interview_id] = perspective
        info.interviews[perspective] = info.interviews.get(perspective, 0) + 1
        info.complete[perspective] = info.complete.get(perspective, 0) + int(complete)
    codes = list(
        Code.objects.filter(codebook__study=study)
        .order_by("order", "id")
        .only("id", "parent_id", "key", "name", "group", "order", "is_active")
    )
    by_code = {code.pk: code for code in codes}
    paths: dict[int, list[str]] = {}
    for code in codes:
        ancestors: list[str] = []
        parent = by_code.get(code.parent_id) if code.parent_id else None
        while parent is not None and len(ancestors) < len(codes):
            ancestors.insert(0, parent.key)
            parent = by_code.get(parent.parent_id) if parent.parent_id else None
        paths[code.pk] = ancestors
    usernames = dict(
        Membership.objects.filter(study=study).values_list("user_id", "user__username")
    )
    return StudyFrame(
        study=study,
        columns=columns,
        dyads=dyads,
        dyad_of_interview=dyad_of_interview,
        perspective_of_interview=perspective_of_interview,
        codes=codes,
        code_path=paths,
        usernames=usernames,
    )


def progress_every(
    options: ExportOptions, total: int, message: str, steps: int = 20
) -> tuple[int, Any]:
    """(every, report): call ``report(done)`` each ``every`` rows to move the job's bar."""
    progress = options.progress
    if progress is None or total <= 0:
        return 0, None
    every = max(1, total // steps)

    def report(done: int) -> None:
        assert progress is not None
        progress(min(99, int(100 * done / total)), f"{message}: {done:,} of {total:,}")

    return every, report
