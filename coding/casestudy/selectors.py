"""Reads for the case study of one dyad: each model component from the patient's and the
clinician's side, with the passages, and the team's written synthesis.

Definitions (present, count, coverage, roll-up) are those of ``coding.analysis.measures`` and
docs/analysis.md. **Concordance** of a component in a dyad: ``both`` when it is present in the
patient's and in the clinician's interview, ``patient`` / ``clinician`` when only in one,
``neither`` when in none. A dyad with several interviews of one perspective counts them together
(counts and covered characters add up, coverage is over their joint length).

``case_study_data`` runs a fixed number of queries (nine, eight with the tree given) whatever the
number of codings, sections, evidence or edits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Length
from django.urls import reverse

from coding.analysis.measures import (
    CodeNode,
    CodeTree,
    code_tree,
    interview_code_stats,
    layer_label,
)
from coding.models import CaseStudy, CaseStudySection, Code, CodeGroup, Coding, Layer
from coding.selectors import (
    LayerChoice,
    LayerUsage,
    best_layer_q,
    layer_usage_from_counts,
    memos_visible_to,
)
from healing.audit.models import AuditEvent
from interviews.models import Dyad, Interview, Perspective, Turn
from interviews.selectors import Access

SIDES = (Perspective.PATIENT.value, Perspective.CLINICIAN.value)
GROUP_ORDER = [
    (CodeGroup.PROCESS.value, "Processes"),
    (CodeGroup.OUTCOME.value, "Outcomes"),
    (CodeGroup.COMPETENCY.value, "Clinician competencies"),
    (CodeGroup.OTHER.value, "Other codes"),
]
CONCORDANCE_LABELS = {
    "both": "Both sides",
    "patient": "Patient only",
    "clinician": "Clinician only",
    "neither": "Neither side",
}
# Audit trail object types of the case study's writing.
AUDIT_SUMMARY = "case_study"
AUDIT_SECTION = "case_study_section"
AUDIT_EVIDENCE = "case_study_evidence"
# How many earlier versions a section's history shows.
HISTORY_LIMIT = 20


def summary_object_id(dyad_id: int) -> str:
    return str(dyad_id)


def section_object_id(dyad_id: int, code_id: int) -> str:
    return f"{dyad_id}:{code_id}"


def person_name(username: str | None, first: str | None, last: str | None) -> str:
    full = f"{first or ''} {last or ''}".strip()
    return full or username or ""


def workspace_link(
    *, interview_id: int, layer_name: str, coder_id: int | None, start: int, end: int
) -> str:
    """The workspace opened at a passage, in a layer (docs/workspace.md: deep links)."""
    query = f"?layer={layer_name}" + (f"&coder={coder_id}" if coder_id is not None else "")
    return reverse("interview-workspace", args=[interview_id]) + f"{query}#span-{start}-{end}"


def _coding_link(*, interview_id: int, layer: str, coder_id: int, start: int, end: int) -> str:
    """A link showing one coding in its own layer (consensus, or its coder's)."""
    if layer == Layer.CONSENSUS:
        return workspace_link(
            interview_id=interview_id, layer_name="consensus", coder_id=None, start=start, end=end
        )
    return workspace_link(
        interview_id=interview_id, layer_name="coder", coder_id=coder_id, start=start, end=end
    )


@dataclass
class InterviewInfo:
    id: int
    perspective: str
    title: str
    length: int
    word_count: int
    link: str
    consensus_complete: bool = False


@dataclass
class Excerpt:
    coding_id: int
    interview_id: int
    perspective: str
    code_id: int
    code_key: str
    start: int
    end: int
    quote: str
    speaker: str
    coders: list[int]
    layer: str
    link: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "coding": self.coding_id,
            "interview": self.interview_id,
            "perspective": self.perspective,
            "code": self.code_key,
            "start": self.start,
            "end": self.end,
            "quote": self.quote,
            "speaker": self.speaker,
            "coders": self.coders,
            "layer": self.layer,
            "link": self.link,
        }


@dataclass
class SideFigures:
    """One component in one side's interview(s)."""

    perspective: str
    interviewed: bool
    count: int = 0
    covered: int = 0
    length: int = 0
    excerpts: list[Excerpt] = field(default_factory=list)

    @property
    def present(self) -> bool:
        return self.count > 0

    @property
    def coverage(self) -> float:
        return self.covered / self.length if self.length else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "interviewed": self.interviewed,
            "present": self.present,
            "count": self.count,
            "covered": self.covered,
            "length": self.length,
            "coverage": round(self.coverage, 6),
            "excerpts": [e.as_dict() for e in self.excerpts],
        }


@dataclass
class HistoryEntry:
    at: Any
    who: str
    action: str
    text: str | None
    note: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "who": self.who,
            "action": self.action,
            "text": self.text,
            "note": self.note,
        }


@dataclass
class Writing:
    """A text the team writes (summary or a section's synthesis) with who saved it last."""

    text: str = ""
    updated: Any = None
    updated_by: str = ""
    history: list[HistoryEntry] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "updated": self.updated.isoformat() if self.updated else None,
            "updated_by": self.updated_by,
            "history": [h.as_dict() for h in self.history],
        }


@dataclass
class Component:
    node: CodeNode
    patient: SideFigures
    clinician: SideFigures
    writing: Writing
    evidence: list[Excerpt]
    children: list[Component] = field(default_factory=list)

    @property
    def concordance(self) -> str:
        if self.patient.present and self.clinician.present:
            return "both"
        if self.patient.present:
            return "patient"
        if self.clinician.present:
            return "clinician"
        return "neither"

    @property
    def concordance_label(self) -> str:
        return CONCORDANCE_LABELS[self.concordance]

    @property
    def sides(self) -> list[SideFigures]:
        return [self.patient, self.clinician]

    @property
    def evidence_ids(self) -> set[int]:
        return {e.coding_id for e in self.evidence}

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.node.key,
            "name": self.node.name,
            "group": self.node.group,
            "definition": self.node.definition,
            "depth": self.node.depth,
            "parent": None,
            "concordance": self.concordance,
            "patient": self.patient.as_dict(),
            "clinician": self.clinician.as_dict(),
            "synthesis": self.writing.as_dict(),
            "evidence": [e.as_dict() for e in self.evidence],
            "children": [child.as_dict() for child in self.children],
        }


@dataclass
class ComponentGroup:
    key: str
    label: str
    components: list[Component]


@dataclass
class CaseStudyData:
    dyad: Dyad
    layer: LayerChoice
    layer_label: str
    interviews: dict[str, list[InterviewInfo]]
    groups: list[ComponentGroup]
    summary: Writing
    coders: list[dict[str, Any]]
    usage: LayerUsage

    @property
    def layer_source(self) -> str:
        """Under ``best``: which layer each side was read from, in words."""
        if self.layer.name != "best":
            return ""
        other = "your own codings" if self.layer.coder_id is not None else "the coders' union"
        parts = []
        for side in SIDES:
            infos = self.interviews.get(side, [])
            if infos:
                used = "consensus" if all(i.consensus_complete for i in infos) else other
                parts.append(f"{side}: {used}")
        return "; ".join(parts)

    def components(self) -> list[Component]:
        """Every component, parents before their sub-codes (codebook order)."""
        found: list[Component] = []

        def walk(items: list[Component]) -> None:
            for item in items:
                found.append(item)
                walk(item.children)

        for group in self.groups:
            walk(group.components)
        return found

    @property
    def concordance_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(CONCORDANCE_LABELS, 0)
        for component in self.components():
            counts[component.concordance] += 1
        return counts

    @property
    def missing_sides(self) -> list[str]:
        return [side for side in SIDES if not self.interviews.get(side)]

    def as_dict(self) -> dict[str, Any]:
        dyad = self.dyad
        return {
            "dyad": {
                "id": dyad.pk,
                "label": dyad.label,
                "study": dyad.study.slug,
                "attributes": dyad.attributes,
                "clinician": _person(dyad.clinician),
                "patient": _person(dyad.patient),
            },
            "layer": {
                "name": self.layer.name,
                "coder": self.layer.coder_id,
                "label": self.layer_label,
                "usage": self.usage.as_dict(),
                "sides": self.layer_source,
            },
            "interviews": [
                {
                    "id": info.id,
                    "perspective": info.perspective,
                    "title": info.title,
                    "length": info.length,
                    "word_count": info.word_count,
                    "link": info.link,
                    "consensus_complete": info.consensus_complete,
                }
                for side in SIDES
                for info in self.interviews.get(side, [])
            ],
            "summary": self.summary.as_dict(),
            "concordance": self.concordance_counts,
            "groups": [
                {
                    "key": group.key,
                    "label": group.label,
                    "components": [c.as_dict() for c in group.components],
                }
                for group in self.groups
            ],
        }


def _person(participant: Any) -> dict[str, Any] | None:
    if participant is None:
        return None
    return {
        "id": participant.pk,
        "pseudonym": participant.pseudonym,
        "attributes": participant.attributes,
    }


def _layer_filter(layer: LayerChoice, prefix: str = "") -> Q:
    if layer.name == "consensus":
        return Q(**{f"{prefix}layer": Layer.CONSENSUS})
    if layer.name == "best":
        return best_layer_q(coder_id=layer.coder_id, prefix=prefix)
    condition = Q(**{f"{prefix}layer": Layer.INDIVIDUAL})
    if layer.coder_id is not None:
        condition &= Q(**{f"{prefix}coder_id": layer.coder_id})
    return condition


def _speaker_at(interview_ref: str, start_ref: str) -> Subquery:
    """The speaker of the turn a passage starts in (the last turn starting at or before it)."""
    return Subquery(
        Turn.objects.filter(interview_id=OuterRef(interview_ref), start__lte=OuterRef(start_ref))
        .order_by("-start")
        .values("speaker")[:1]
    )


def coders_of_dyad(*, dyad: Dyad) -> list[dict[str, Any]]:
    """Everyone with individual codings in the dyad's interviews, for the layer switcher."""
    rows = (
        Coding.objects.filter(interview__dyad=dyad, layer=Layer.INDIVIDUAL)
        .values_list("coder_id", "coder__username", "coder__first_name", "coder__last_name")
        .distinct()
        .order_by("coder__username")
    )
    return [{"id": r[0], "name": person_name(r[1], r[2], r[3])} for r in rows]


def _interviews(dyad: Dyad) -> dict[str, list[InterviewInfo]]:
    found: dict[str, list[InterviewInfo]] = {}
    rows = (
        Interview.objects.filter(dyad=dyad)
        .annotate(length=Length("text"))
        .order_by("perspective", "id")
        .values_list("id", "perspective", "title", "length", "word_count", "consensus_complete")
    )
    for row in rows:
        found.setdefault(row[1], []).append(
            InterviewInfo(
                id=row[0],
                perspective=row[1],
                title=row[2],
                length=row[3],
                word_count=row[4],
                link=reverse("interview-workspace", args=[row[0]]),
                consensus_complete=row[5],
            )
        )
    return found


def _link_layer(layer: LayerChoice, coding_layer: str) -> str:
    if layer.name != "best":
        return layer.name
    if coding_layer == Layer.CONSENSUS:
        return "consensus"
    return "all" if layer.coder_id is None else "coder"


def _excerpts(
    *, dyad: Dyad, layer: LayerChoice, keys: dict[int, str], perspective_of: dict[int, str]
) -> dict[tuple[int, str], list[Excerpt]]:
    """The layer's passages of the dyad by (code, perspective). One query.

    In the union of coders, two coders' codings of the very same span are one passage (as in
    the counts); the first coding's id stands for it.
    """
    rows = (
        Coding.objects.filter(_layer_filter(layer), interview__dyad=dyad)
        .annotate(speaker=_speaker_at("interview_id", "start"))
        .order_by("interview_id", "start", "end", "id")
        .values_list(
            "id", "interview_id", "code_id", "coder_id", "start", "end", "quote", "speaker",
            "layer",
        )
    )  # fmt: skip
    seen: dict[tuple[int, int, int, int], Excerpt] = {}
    found: dict[tuple[int, str], list[Excerpt]] = {}
    for coding_id, interview_id, code_id, coder_id, start, end, quote, speaker, row_layer in rows:
        if code_id not in keys:
            continue  # an inactive or merged code: not a component of the case study
        same = seen.get((interview_id, code_id, start, end))
        if same is not None:
            same.coders.append(coder_id)
            continue
        excerpt = Excerpt(
            coding_id=coding_id,
            interview_id=interview_id,
            perspective=perspective_of.get(interview_id, ""),
            code_id=code_id,
            code_key=keys[code_id],
            start=start,
            end=end,
            quote=quote,
            speaker=speaker or "",
            coders=[coder_id],
            layer=layer.name,
            link=workspace_link(
                interview_id=interview_id,
                # Under "best" a passage opens in the layer it was read from.
                layer_name=_link_layer(layer, row_layer),
                coder_id=layer.coder_id,
                start=start,
                end=end,
            ),
        )
        seen[(interview_id, code_id, start, end)] = excerpt
        found.setdefault((code_id, excerpt.perspective), []).append(excerpt)
    return found


def _evidence(
    *,
    dyad: Dyad,
    keys: dict[int, str],
    access: Access | None,
    user_id: int | None,
    code_id: int | None = None,
) -> dict[int, list[Excerpt]]:
    """Evidence codings per section code, each linked in its own layer. One query.

    While coding is blind a coder sees the consensus and their own codings only, so evidence
    taken from another coder's layer is left out for them.
    """
    through = CaseStudySection.evidence.through
    links = through.objects.filter(casestudysection__case_study__dyad=dyad)
    if code_id is not None:
        links = links.filter(casestudysection__code_id=code_id)
    rows = (
        links.annotate(speaker=_speaker_at("coding__interview_id", "coding__start"))
        .order_by("coding__interview__perspective", "coding__start", "coding_id")
        .values_list(  # type: ignore[misc]  # "speaker" is the annotation above
            "casestudysection__code_id",
            "coding_id",
            "coding__interview_id",
            "coding__interview__perspective",
            "coding__code_id",
            "coding__coder_id",
            "coding__layer",
            "coding__start",
            "coding__end",
            "coding__quote",
            "speaker",
        )
    )
    hide_others = access is not None and not access.sees_other_coders
    found: dict[int, list[Excerpt]] = {}
    for section_code, coding_id, interview_id, perspective, code_id, coder_id, layer, *rest in rows:
        start, end, quote, speaker = rest
        if hide_others and layer != Layer.CONSENSUS and coder_id != user_id:
            continue
        found.setdefault(section_code, []).append(
            Excerpt(
                coding_id=coding_id,
                interview_id=interview_id,
                perspective=perspective,
                code_id=code_id,
                code_key=keys.get(code_id, ""),
                start=start,
                end=end,
                quote=quote,
                speaker=speaker or "",
                coders=[coder_id],
                layer=layer if layer == Layer.CONSENSUS else "coder",
                link=_coding_link(
                    interview_id=interview_id, layer=layer, coder_id=coder_id, start=start, end=end
                ),
            )
        )
    return found


def _writings(*, dyad: Dyad, tree: CodeTree) -> tuple[Writing, dict[int, Writing], dict[int, int]]:
    """The summary and each section's synthesis with their history. Three queries."""
    summary = Writing()
    case_study = (
        CaseStudy.objects.filter(dyad=dyad)
        .values_list(
            "summary",
            "updated",
            "updated_by__username",
            "updated_by__first_name",
            "updated_by__last_name",
        )
        .first()
    )
    if case_study is not None:
        summary = Writing(
            text=case_study[0],
            updated=case_study[1],
            updated_by=person_name(case_study[2], case_study[3], case_study[4]),
        )
    sections: dict[int, Writing] = {}
    section_ids: dict[int, int] = {}
    for row in CaseStudySection.objects.filter(case_study__dyad=dyad).values_list(
        "id",
        "code_id",
        "synthesis",
        "updated",
        "updated_by__username",
        "updated_by__first_name",
        "updated_by__last_name",
    ):
        section_ids[row[1]] = row[0]
        sections[row[1]] = Writing(
            text=row[2], updated=row[3], updated_by=person_name(row[4], row[5], row[6])
        )
    object_ids = [summary_object_id(dyad.pk)] + [
        section_object_id(dyad.pk, node.id) for node in tree.nodes
    ]
    events = (
        AuditEvent.objects.filter(
            study_id=dyad.study_id,
            object_type__in=[AUDIT_SUMMARY, AUDIT_SECTION, AUDIT_EVIDENCE],
            object_id__in=object_ids,
        )
        .order_by("-at", "-id")
        .values_list(
            "object_type",
            "object_id",
            "action",
            "summary",
            "after",
            "at",
            "actor__username",
            "actor__first_name",
            "actor__last_name",
        )
    )
    code_of = {section_object_id(dyad.pk, node.id): node.id for node in tree.nodes}
    for object_type, object_id, action, note, after, at, *who in events:
        entry = HistoryEntry(
            at=at,
            who=person_name(*who),
            action=action,
            text=(after or {}).get("text") if object_type != AUDIT_EVIDENCE else None,
            note=note,
        )
        if object_type == AUDIT_SUMMARY:
            target = summary
        else:
            target = sections.setdefault(code_of[object_id], Writing())
        if len(target.history) < HISTORY_LIMIT:
            target.history.append(entry)
    return summary, sections, section_ids


def case_study_data(
    *,
    dyad: Dyad,
    layer: LayerChoice,
    tree: CodeTree | None = None,
    access: Access | None = None,
    user_id: int | None = None,
) -> CaseStudyData:
    """Everything the case study page shows, for one layer. Nine queries (eight with ``tree``).

    ``dyad`` comes from ``dyad_get_for_user`` (study, clinician and patient loaded); ``access``
    and ``user_id`` hide evidence from other coders' layers while coding is blind.
    """
    study = dyad.study
    tree = tree or code_tree(study=study)
    keys = {node.id: node.key for node in tree.nodes}
    interviews = _interviews(dyad)
    perspective_of = {info.id: side for side, infos in interviews.items() for info in infos}
    lengths = {side: sum(info.length for info in infos) for side, infos in interviews.items()}
    stats = interview_code_stats(
        study=study, layer=layer, dyads=Dyad.objects.filter(pk=dyad.pk), tree=tree
    )
    figures: dict[tuple[int, str], tuple[int, int]] = {}
    for stat in stats:
        count, covered = figures.get((stat.code_id, stat.perspective), (0, 0))
        figures[(stat.code_id, stat.perspective)] = (count + stat.passages, covered + stat.covered)
    excerpts = _excerpts(dyad=dyad, layer=layer, keys=keys, perspective_of=perspective_of)
    summary, writings, _ = _writings(dyad=dyad, tree=tree)
    evidence = _evidence(dyad=dyad, keys=keys, access=access, user_id=user_id)
    coders = coders_of_dyad(dyad=dyad)

    def side(node: CodeNode, perspective: str) -> SideFigures:
        count, covered = figures.get((node.id, perspective), (0, 0))
        return SideFigures(
            perspective=perspective,
            interviewed=bool(interviews.get(perspective)),
            count=count,
            covered=covered,
            length=lengths.get(perspective, 0),
            excerpts=excerpts.get((node.id, perspective), []),
        )

    def build(node: CodeNode) -> Component:
        return Component(
            node=node,
            patient=side(node, Perspective.PATIENT),
            clinician=side(node, Perspective.CLINICIAN),
            writing=writings.get(node.id, Writing()),
            evidence=evidence.get(node.id, []),
            children=[build(child) for child in tree.children(node.id)],
        )

    roots = [build(node) for node in tree.children(None)]
    groups = [
        ComponentGroup(key=key, label=label, components=[c for c in roots if c.node.group == key])
        for key, label in GROUP_ORDER
    ]
    names = {coder["id"]: coder["name"] for coder in coders}
    infos = [info for side in SIDES for info in interviews.get(side, [])]
    usage = layer_usage_from_counts(
        layer=layer,
        complete={dyad.pk: (sum(i.consensus_complete for i in infos), len(infos))},
        labels={dyad.pk: dyad.label},
        coded={dyad.pk} if stats else set(),
    )
    return CaseStudyData(
        dyad=dyad,
        layer=layer,
        layer_label=layer_label(layer, names),
        interviews=interviews,
        groups=[group for group in groups if group.components],
        summary=summary,
        coders=coders,
        usage=usage,
    )


def section_evidence(
    *, dyad: Dyad, code: Any, access: Access | None, user_id: int | None
) -> list[Excerpt]:
    """One section's evidence (after attaching or detaching). One query."""
    keys = dict(Code.objects.filter(codebook__study_id=dyad.study_id).values_list("id", "key"))
    return _evidence(dyad=dyad, keys=keys, access=access, user_id=user_id, code_id=code.pk).get(
        code.pk, []
    )


def section_state(*, dyad: Dyad, code_id: int) -> CaseStudySection | None:
    return (
        CaseStudySection.objects.filter(case_study__dyad=dyad, code_id=code_id)
        .select_related("updated_by")
        .first()
    )


def code_by_key(*, tree: CodeTree, key: str) -> CodeNode | None:
    return next((node for node in tree.nodes if node.key == key), None)


@dataclass
class CaseMemo:
    """A memo on the dyad or on one of its interviews, as the case-study export states it."""

    about: str
    type: str
    type_label: str
    author: str
    written: str
    title: str
    body: str


def case_study_memos(*, dyad: Dyad, user: Any) -> list[CaseMemo]:
    """The memos on the dyad and on its interviews that the user may read (blind coding holds),
    the dyad's first, then each interview's, oldest first within each. One query."""
    memos = (
        memos_visible_to(user=user)
        .filter(Q(dyad=dyad) | Q(interview__dyad=dyad))
        .select_related("author", "interview")
        .defer("interview__text")
        .order_by("interview__perspective", "interview_id", "created", "id")
    )
    found = []
    for memo in memos:
        if memo.interview_id:
            interview = memo.interview
            assert interview is not None
            about = f"{interview.get_perspective_display()} interview"
        else:
            about = "the dyad"
        found.append(
            CaseMemo(
                about=about,
                type=memo.type,
                type_label=memo.get_type_display(),
                author=person_name(
                    memo.author.username, memo.author.first_name, memo.author.last_name
                ),
                written=memo.created.strftime("%Y-%m-%d"),
                title=memo.title,
                body=memo.body,
            )
        )
    found.sort(key=lambda memo: memo.about != "the dyad")
    return found
