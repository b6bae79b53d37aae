"""Reads for teamwork pages and endpoints. Each takes an object already loaded through an access
helper (so scoping by membership has happened) and runs a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Length

from coding.analysis.agreement_report import InterviewUnits, Passage, Span, disagreements
from coding.models import (
    Adjudication,
    Assignment,
    Code,
    Codebook,
    CodebookVersion,
    Coding,
    Layer,
    Memo,
)
from coding.selectors import VersionReplay, codebook_versions_replayable
from healing.audit.models import AuditEvent
from interviews.models import Interview, Membership, Role, Study, Turn
from interviews.selectors import Access


def display_name(first: str, last: str, username: str) -> str:
    return f"{first} {last}".strip() or username


# --- Members and assignments --------------------------------------------------------------------


def members_overview(*, study: Study, access: Access, user: Any) -> list[dict[str, Any]]:
    """Members with role, adjudicator flag, individual codings and assignments (three queries).

    A blinded coder gets None for everyone else's counts: how much a colleague coded, or how
    many of their assignments are done, is part of the work blind coding hides.
    """
    memberships = list(
        Membership.objects.filter(study=study)
        .select_related("user")
        .order_by("role", "user__username")
    )
    codings = dict(
        Coding.objects.filter(interview__dyad__study=study, layer=Layer.INDIVIDUAL)
        .values("coder_id")
        .annotate(n=Count("id"))
        .values_list("coder_id", "n")
    )
    assignments: dict[int, dict[str, int]] = {
        row["coder_id"]: {"total": row["total"], "done": row["done"]}
        for row in Assignment.objects.filter(interview__dyad__study=study)
        .values("coder_id")
        .annotate(total=Count("id"), done=Count("id", filter=Q(done=True)))
    }
    rank: dict[str, int] = {Role.LEAD: 0, Role.CODER: 1, Role.VIEWER: 2}

    def counts(user_id: int) -> dict[str, int | None]:
        if not access.sees_other_coders and user_id != user.pk:
            return {"codings": None, "assigned": None, "done": None}
        return {
            "codings": codings.get(user_id, 0),
            "assigned": assignments.get(user_id, {}).get("total", 0),
            "done": assignments.get(user_id, {}).get("done", 0),
        }

    rows = [
        {
            "membership": m,
            "id": m.pk,
            "user_id": m.user_id,
            "username": m.user.get_username(),
            "name": display_name(m.user.first_name, m.user.last_name, m.user.get_username()),
            "role": m.role,
            "adjudicator": m.adjudicator,
            **counts(m.user_id),
        }
        for m in memberships
    ]
    rows.sort(key=lambda r: (rank.get(str(r["role"]), 9), str(r["username"])))
    return rows


def coders_of_study(*, study: Study) -> list[dict[str, Any]]:
    """Members who code (coders and leads), for pickers (one query)."""
    return [
        {
            "id": m.user_id,
            "name": display_name(m.user.first_name, m.user.last_name, m.user.username),
        }
        for m in Membership.objects.filter(study=study, role__in=[Role.CODER, Role.LEAD])
        .select_related("user")
        .order_by("user__username")
    ]


def assignment_board(
    *, study: Study, dyad_label: str = "", perspective: str = ""
) -> list[dict[str, Any]]:
    """Interviews of the study (filtered) with who is assigned and whether done (two queries)."""
    interviews = (
        Interview.objects.filter(dyad__study=study)
        .select_related("dyad")
        .defer("text")
        .order_by("dyad__label", "perspective", "id")
    )
    if dyad_label:
        interviews = interviews.filter(dyad__label__icontains=dyad_label)
    if perspective:
        interviews = interviews.filter(perspective=perspective)
    rows = list(interviews)
    by_interview: dict[int, list[dict[str, Any]]] = {}
    for a in (
        Assignment.objects.filter(interview__in=[i.pk for i in rows])
        .select_related("coder")
        .order_by("coder__username")
    ):
        by_interview.setdefault(a.interview_id, []).append(
            {
                "id": a.pk,
                "coder_id": a.coder_id,
                "name": display_name(a.coder.first_name, a.coder.last_name, a.coder.username),
                "done": a.done,
            }
        )
    return [{"interview": i, "assigned": by_interview.get(i.pk, [])} for i in rows]


def my_assignments(*, study: Study, user: Any) -> list[Assignment]:
    """The user's assignments in the study with their own codings per interview (one query)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Assignment.objects.filter(interview__dyad__study=study, coder=user)
        .select_related("interview__dyad")
        .defer("interview__text")
        .annotate(
            my_codings=Count(
                "interview__codings",
                filter=Q(
                    interview__codings__coder=user,
                    interview__codings__layer=Layer.INDIVIDUAL,
                ),
            )
        )
        .order_by("done", "interview__dyad__label", "interview__perspective")
    )


# --- Agreement ----------------------------------------------------------------------------------


def coders_with_codings(*, study: Study) -> list[dict[str, Any]]:
    """Everyone with individual codings in the study, or a coder's role in it (two queries)."""
    rows = {
        row["coder_id"]: {
            "id": row["coder_id"],
            "name": display_name(
                row["coder__first_name"], row["coder__last_name"], row["coder__username"]
            ),
            "codings": row["n"],
        }
        for row in Coding.objects.filter(interview__dyad__study=study, layer=Layer.INDIVIDUAL)
        .values("coder_id", "coder__username", "coder__first_name", "coder__last_name")
        .annotate(n=Count("id"))
    }
    for coder in coders_of_study(study=study):
        rows.setdefault(coder["id"], {**coder, "codings": 0})
    return sorted(rows.values(), key=lambda r: (-r["codings"], r["name"]))


def study_interview_ids(*, study: Study, dyad_id: int | None = None) -> list[int]:
    queryset = Interview.objects.filter(dyad__study=study)
    if dyad_id is not None:
        queryset = queryset.filter(dyad_id=dyad_id)
    return list(queryset.order_by("id").values_list("id", flat=True))


def interview_labels(*, interview_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    return {
        row[0]: {"id": row[0], "dyad": row[1], "perspective": row[2]}
        for row in Interview.objects.filter(pk__in=list(interview_ids)).values_list(
            "id", "dyad__label", "perspective"
        )
    }


def agreement_inputs(
    *, interview_ids: Sequence[int], coder_ids: Sequence[int], unit: str, chunk: int = 5000
) -> Iterator[InterviewUnits]:
    """Each interview's length, turns (turn unit), the compared coders' individual codings and
    which of them are assigned to it (with the codings: who counts for the interview).

    Three streamed queries whatever the number of interviews, merged by interview id, so memory
    holds one interview at a time, and one for the assignments (a pair of ids each).
    """
    ids = sorted(interview_ids)
    assigned: dict[int, set[int]] = {}
    for interview_id, coder_id in Assignment.objects.filter(
        interview_id__in=ids, coder_id__in=list(coder_ids)
    ).values_list("interview_id", "coder_id"):
        assigned.setdefault(interview_id, set()).add(coder_id)
    lengths = Interview.objects.filter(pk__in=ids).annotate(n=Length("text")).order_by("id")
    codings = (
        Coding.objects.filter(
            interview_id__in=ids, layer=Layer.INDIVIDUAL, coder_id__in=list(coder_ids)
        )
        .order_by("interview_id")
        .values_list("interview_id", "code_id", "coder_id", "start", "end")
        .iterator(chunk_size=chunk)
    )
    turns = (
        Turn.objects.filter(interview_id__in=ids)
        .order_by("interview_id", "index")
        .values_list("interview_id", "start", "end")
        .iterator(chunk_size=chunk)
        if unit == "turn"
        else iter(())
    )
    next_coding = next(codings, None)
    next_turn = next(turns, None)
    for interview_id, length in lengths.values_list("id", "n").iterator(chunk_size=chunk):
        spans: list[Span] = []
        while next_coding is not None and next_coding[0] == interview_id:
            _, code, coder, start, end = next_coding
            spans.append(Span(code, coder, start, end))
            next_coding = next(codings, None)
        interview_turns: list[tuple[int, int]] = []
        while next_turn is not None and next_turn[0] == interview_id:
            interview_turns.append((next_turn[1], next_turn[2]))
            next_turn = next(turns, None)
        yield InterviewUnits(
            id=interview_id,
            length=length or 0,
            turns=interview_turns,
            codings=spans,
            assigned=frozenset(assigned.get(interview_id, ())),
        )


# --- Disagreements and the side-by-side view ----------------------------------------------------


def _users(ids: Sequence[int]) -> dict[int, str]:
    return {
        pk: display_name(first, last, username)
        for pk, username, first, last in get_user_model()
        .objects.filter(pk__in=list(ids))
        .values_list("pk", "username", "first_name", "last_name")
    }


def codes_by_id(*, study: Study) -> dict[int, Code]:
    return {
        code.pk: code
        for code in Code.objects.filter(codebook__study=study)
        .only("id", "key", "name", "color", "group", "is_active", "parent_id", "order")
        .order_by("order", "id")
    }


def interview_coders(*, interview: Interview) -> list[dict[str, Any]]:
    """Coders with individual codings in the interview, most codings first (one query)."""
    return [
        {
            "id": row["coder_id"],
            "name": display_name(
                row["coder__first_name"], row["coder__last_name"], row["coder__username"]
            ),
            "codings": row["n"],
        }
        for row in Coding.objects.filter(interview=interview, layer=Layer.INDIVIDUAL)
        .values("coder_id", "coder__username", "coder__first_name", "coder__last_name")
        .annotate(n=Count("id"))
        .order_by("-n", "coder__username")
    ]


@dataclass
class DisagreementRow:
    passage: Passage
    code: Code
    a: list[dict[str, Any]]
    b: list[dict[str, Any]]
    consensus: list[dict[str, Any]]
    decision: Adjudication | None
    quote: str
    # Both coders coded the code on exactly these characters (not a disagreement: shown so the
    # lead sees it enter the consensus, and can change that like any decision).
    agreed: bool = False

    @property
    def settled(self) -> bool:
        """Decided, already in the consensus, or agreed by both coders (which enters the
        consensus by itself)."""
        return self.agreed or self.decision is not None or bool(self.consensus)

    @property
    def in_consensus(self) -> bool:
        return self.decision is not None or bool(self.consensus)

    @property
    def anchor(self) -> str:
        return f"d-{self.passage.code}-{self.passage.start}-{self.passage.end}"


def compared_coder_ids(*, interview: Interview) -> list[int]:
    """The coders whose layers are compared in an interview: everyone assigned to it or with
    individual codings in it (one query)."""
    coded = Coding.objects.filter(interview=interview, layer=Layer.INDIVIDUAL).values("coder_id")
    assigned = Assignment.objects.filter(interview=interview).values("coder_id")
    return sorted(
        set(
            get_user_model()
            .objects.filter(Q(pk__in=coded) | Q(pk__in=assigned))
            .values_list("pk", flat=True)
        )
    )


def _agreed_passages(spans_a: Sequence[Span], spans_b: Sequence[Span]) -> list[Passage]:
    """Spans both coders coded with the same code on exactly the same characters."""
    theirs = {(s.code, s.start, s.end): s for s in spans_b}
    found = []
    for span in spans_a:
        other = theirs.get((span.code, span.start, span.end))
        if other is not None:
            found.append(Passage(span.code, span.start, span.end, "agreed", (span,), (other,), 1.0))
    return found


def interview_disagreements(
    *,
    interview: Interview,
    coder_a: int,
    coder_b: int,
    codes: dict[int, Code],
    with_agreed: bool = True,
) -> list[DisagreementRow]:
    """Passages where two coders' individual layers differ, with the consensus and any decision
    already there (three queries: both layers, the consensus, the decisions); with
    ``with_agreed`` also the passages they agreed on (marked ``agreed``)."""
    rows = list(
        Coding.objects.filter(
            interview=interview, layer=Layer.INDIVIDUAL, coder_id__in=[coder_a, coder_b]
        ).values_list("id", "code_id", "coder_id", "start", "end")
    )
    spans = [Span(c, coder, s, e, pk) for pk, c, coder, s, e in rows]
    return _disagreement_rows(
        text=interview.text,
        spans_a=[s for s in spans if s.coder == coder_a],
        spans_b=[s for s in spans if s.coder == coder_b],
        settled=_settled_state(interview),
        codes=codes,
        with_agreed=with_agreed,
    )


Consensus = list[tuple[int, int, int, int]]


def _settled_state(interview: Interview) -> tuple[Consensus, list[Adjudication]]:
    """The interview's consensus codings and decisions, newest decision first (two queries)."""
    consensus = list(
        Coding.objects.filter(interview=interview, layer=Layer.CONSENSUS).values_list(
            "id", "code_id", "start", "end"
        )
    )
    decisions = list(
        Adjudication.objects.filter(interview=interview)
        .select_related("decided_by", "accepted")
        .order_by("-created", "-id")
    )
    return consensus, decisions


def _disagreement_rows(
    *,
    text: str,
    spans_a: Sequence[Span],
    spans_b: Sequence[Span],
    settled: tuple[Consensus, list[Adjudication]],
    codes: dict[int, Code],
    with_agreed: bool,
) -> list[DisagreementRow]:
    consensus, decisions = settled
    passages = disagreements(spans_a, spans_b)
    if with_agreed:
        passages = sorted(
            [*passages, *_agreed_passages(spans_a, spans_b)],
            key=lambda p: (p.start, p.end, p.code),
        )

    def quoted(items: Sequence[Span]) -> list[dict[str, Any]]:
        return [
            {"id": s.id, "start": s.start, "end": s.end, "quote": text[s.start : s.end]}
            for s in items
        ]

    found = []
    for passage in passages:
        code = codes.get(passage.code)
        if code is None:
            continue
        overlapping = [
            {"id": pk, "start": s, "end": e, "quote": text[s:e]}
            for pk, c, s, e in consensus
            if c == passage.code and s < passage.end and e > passage.start
        ]
        decision = next(
            (
                d
                for d in decisions
                if d.code_id == passage.code and d.start < passage.end and d.end > passage.start
            ),
            None,
        )
        found.append(
            DisagreementRow(
                passage=passage,
                code=code,
                a=quoted(passage.a),
                b=quoted(passage.b),
                consensus=overlapping,
                decision=decision,
                quote=text[passage.start : passage.end],
                agreed=passage.kind == "agreed",
            )
        )
    return found


def open_disagreement_count(*, interview: Interview) -> int:
    """Disagreements not yet settled, over every pair of the interview's compared coders
    (five queries, however many coders: coders, codes, their codings, consensus, decisions)."""
    ids = compared_coder_ids(interview=interview)
    if len(ids) < 2:
        return 0
    codes = codes_by_id(study=interview.dyad.study)
    by_coder: dict[int, list[Span]] = {i: [] for i in ids}
    for pk, c, coder, s, e in Coding.objects.filter(
        interview=interview, layer=Layer.INDIVIDUAL, coder_id__in=ids
    ).values_list("id", "code_id", "coder_id", "start", "end"):
        by_coder[coder].append(Span(c, coder, s, e, pk))
    settled = _settled_state(interview)
    open_passages: set[tuple[int, int, int]] = set()
    for a, b in itertools.combinations(ids, 2):
        for row in _disagreement_rows(
            text=interview.text,
            spans_a=by_coder[a],
            spans_b=by_coder[b],
            settled=settled,
            codes=codes,
            with_agreed=False,
        ):
            if not row.settled:
                open_passages.add((row.passage.code, row.passage.start, row.passage.end))
    return len(open_passages)


def open_disagreement_counts(
    *, study: Study, interview_ids: Sequence[int] | None = None
) -> dict[int, int]:
    """:func:`open_disagreement_count` for many interviews at once (every interview of the
    study, or those listed), in six queries however many interviews, coders and codings:
    coded pairs, assigned pairs, codes, individual codings, consensus codings, decisions.
    Interviews with fewer than two compared coders are left out (no disagreement)."""
    scope = Q(interview__dyad__study=study)
    if interview_ids is not None:
        scope &= Q(interview_id__in=list(interview_ids))
    coders: dict[int, set[int]] = {}
    for interview_id, coder_id in (
        Coding.objects.filter(scope, layer=Layer.INDIVIDUAL)
        .order_by()
        .values_list("interview_id", "coder_id")
        .distinct()
    ):
        coders.setdefault(interview_id, set()).add(coder_id)
    for interview_id, coder_id in (
        Assignment.objects.filter(scope).order_by().values_list("interview_id", "coder_id")
    ):
        coders.setdefault(interview_id, set()).add(coder_id)
    compared = {pk: sorted(ids) for pk, ids in coders.items() if len(ids) >= 2}
    if not compared:
        return {}
    codes = codes_by_id(study=study)
    chosen = Q(interview_id__in=list(compared))
    spans: dict[int, dict[int, list[Span]]] = {
        pk: {c: [] for c in ids} for pk, ids in compared.items()
    }
    for pk, interview_id, c, coder, s, e in (
        Coding.objects.filter(chosen, layer=Layer.INDIVIDUAL)
        .order_by()
        .values_list("id", "interview_id", "code_id", "coder_id", "start", "end")
    ):
        by_coder = spans[interview_id]
        if coder in by_coder:
            by_coder[coder].append(Span(c, coder, s, e, pk))
    consensus: dict[int, Consensus] = {}
    for pk, interview_id, c, s, e in Coding.objects.filter(
        chosen, layer=Layer.CONSENSUS
    ).values_list("id", "interview_id", "code_id", "start", "end"):
        consensus.setdefault(interview_id, []).append((pk, c, s, e))
    decisions: dict[int, list[Adjudication]] = {}
    for decision in (
        Adjudication.objects.filter(chosen)
        .only("id", "interview_id", "code_id", "start", "end")
        .order_by("-created", "-id")
    ):
        decisions.setdefault(decision.interview_id, []).append(decision)
    counts: dict[int, int] = {}
    for interview_id, ids in compared.items():
        settled = (consensus.get(interview_id, []), decisions.get(interview_id, []))
        open_passages: set[tuple[int, int, int]] = set()
        for a, b in itertools.combinations(ids, 2):
            for row in _disagreement_rows(
                text="",
                spans_a=spans[interview_id][a],
                spans_b=spans[interview_id][b],
                settled=settled,
                codes=codes,
                with_agreed=False,
            ):
                if not row.settled:
                    open_passages.add((row.passage.code, row.passage.start, row.passage.end))
        counts[interview_id] = len(open_passages)
    return counts


@dataclass(frozen=True)
class Column:
    """One side of the comparison: a coder's individual layer, or the consensus (coder None)."""

    coder_id: int | None
    name: str

    @property
    def key(self) -> str:
        return "consensus" if self.coder_id is None else str(self.coder_id)


def column_names(*, ids: Sequence[int | None], study: Study | None = None) -> list[Column]:
    """Columns for these user ids (None: the consensus). With a study, only its members and
    people who coded in it are named; anyone else raises LookupError (the page answers 404)."""
    wanted = [i for i in ids if i is not None]
    names = _users(wanted)
    if study is not None and wanted:
        known = set(
            Membership.objects.filter(study=study, user_id__in=wanted).values_list(
                "user_id", flat=True
            )
        ) | set(
            Coding.objects.filter(interview__dyad__study=study, coder_id__in=wanted)
            .values_list("coder_id", flat=True)
            .distinct()
        )
        if set(wanted) - known:
            raise LookupError("Not a coder of this study.")
    return [
        Column(None, "Consensus") if i is None else Column(i, names.get(i, f"user {i}"))
        for i in ids
    ]


def compare_columns(
    *,
    interview: Interview,
    columns: Sequence[Column],
    codes: dict[int, Code],
    code_id: int | None = None,
    cuts: Sequence[int] = (),
) -> list[dict[str, Any]]:
    """The transcript by turns, split where any code of each column starts or ends (two queries).

    Returns one row per turn: ``{"turn", "cells": [[{"text", "codes": [Code, ...]}], ...]}``
    (one cell per column). An interview without turns shows as one turn. ``cuts`` adds split
    points (the passage a reader came to look at).
    """
    text = interview.text
    turns = list(
        Turn.objects.filter(interview=interview)
        .order_by("index")
        .values_list("index", "speaker", "role", "start", "end")
    ) or [(0, "", "other", 0, len(text))]
    condition = Q()
    for column in columns:
        condition |= (
            Q(layer=Layer.CONSENSUS)
            if column.coder_id is None
            else Q(layer=Layer.INDIVIDUAL, coder_id=column.coder_id)
        )
    queryset = Coding.objects.filter(interview=interview).filter(condition)
    if code_id is not None:
        queryset = queryset.filter(code_id=code_id)
    per_column: dict[str, list[tuple[int, int, int]]] = {c.key: [] for c in columns}
    for layer, coder, code, start, end in queryset.values_list(
        "layer", "coder_id", "code_id", "start", "end"
    ):
        key = "consensus" if layer == Layer.CONSENSUS else str(coder)
        if key in per_column:
            per_column[key].append((start, end, code))
    rows = []
    for index, speaker, role, turn_start, turn_end in turns:
        cells = []
        for column in columns:
            spans = [s for s in per_column[column.key] if s[0] < turn_end and s[1] > turn_start]
            points_set = {turn_start, turn_end}
            points_set.update(c for c in cuts if turn_start < c < turn_end)
            for start, end, _ in spans:
                points_set.add(max(start, turn_start))
                points_set.add(min(end, turn_end))
            points = sorted(points_set)
            pieces = []
            for low, high in itertools.pairwise(points):
                covering = sorted(
                    {code for start, end, code in spans if start <= low and end >= high},
                    key=lambda c: (codes[c].order, c) if c in codes else (0, c),
                )
                pieces.append(
                    {
                        "text": text[low:high],
                        "start": low,
                        "end": high,
                        "codes": [codes[c] for c in covering if c in codes],
                    }
                )
            cells.append(pieces)
        rows.append(
            {
                "index": index,
                "speaker": speaker,
                "role": role,
                "start": turn_start,
                "end": turn_end,
                "cells": cells,
            }
        )
    return rows


# --- Consensus queue ----------------------------------------------------------------------------


def consensus_queue(*, study: Study) -> list[dict[str, Any]]:
    """Each interview with its coders, consensus codings, decisions and completeness (3 queries)."""
    interviews = list(
        Interview.objects.filter(dyad__study=study)
        .select_related("dyad")
        .defer("text")
        .order_by("dyad__label", "perspective", "id")
    )
    layers: dict[int, dict[str, int]] = {}
    for row in (
        Coding.objects.filter(interview__dyad__study=study)
        .values("interview_id", "layer")
        .annotate(n=Count("id"), coders=Count("coder", distinct=True))
    ):
        entry = layers.setdefault(row["interview_id"], {"coders": 0, "individual": 0})
        if row["layer"] == Layer.CONSENSUS:
            entry["consensus"] = row["n"]
        else:
            entry["coders"] = row["coders"]
            entry["individual"] = row["n"]
    decisions = dict(
        Adjudication.objects.filter(interview__dyad__study=study)
        .values("interview_id")
        .annotate(n=Count("id"))
        .values_list("interview_id", "n")
    )
    return [
        {
            "interview": interview,
            "coders": layers.get(interview.pk, {}).get("coders", 0),
            "individual": layers.get(interview.pk, {}).get("individual", 0),
            "consensus": layers.get(interview.pk, {}).get("consensus", 0),
            "decisions": decisions.get(interview.pk, 0),
        }
        for interview in interviews
    ]


# --- Codebook -----------------------------------------------------------------------------------


def codebook_tree(*, study: Study) -> list[dict[str, Any]]:
    """Codes in tree order (parents before children, by order) with depth and coding counts."""
    codes = list(
        Code.objects.filter(codebook__study=study)
        .select_related("merged_into")
        .order_by("order", "id")
    )
    counts: dict[int, dict[str, int]] = {}
    for row in (
        Coding.objects.filter(code__codebook__study=study)
        .values("code_id", "layer")
        .annotate(n=Count("id"))
    ):
        counts.setdefault(row["code_id"], {})[row["layer"]] = row["n"]
    children: dict[int | None, list[Code]] = {}
    for code in codes:
        children.setdefault(code.parent_id, []).append(code)
    ordered: list[dict[str, Any]] = []
    seen: set[int] = set()

    def walk(parent: int | None, depth: int) -> None:
        for code in children.get(parent, []):
            if code.pk in seen:
                continue
            seen.add(code.pk)
            ordered.append(
                {
                    "code": code,
                    "depth": depth,
                    "individual": counts.get(code.pk, {}).get(Layer.INDIVIDUAL, 0),
                    "consensus": counts.get(code.pk, {}).get(Layer.CONSENSUS, 0),
                    "children": len(children.get(code.pk, [])),
                }
            )
            walk(code.pk, depth + 1)

    walk(None, 0)
    return ordered


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def code_merge_consequences(*, source: Code, target: Code) -> list[str]:
    """What merging ``source`` into ``target`` will do, in sentences, for the confirmation step
    (three counting queries)."""
    codings = Coding.objects.filter(code=source).count()
    sub_codes = Code.objects.filter(parent=source).count()
    memos = Memo.objects.filter(code=source).count()
    lines = [
        f"{source.key}'s {_count(codings, 'coding')} move to {target.key}; the codebook records "
        f"a new version ({source.codebook.version + 1}).",
        f"{source.key} is switched off and marked merged into {target.key}; a coding that would "
        "duplicate one of the target's is deleted with a record.",
    ]
    if sub_codes or memos:
        lines.append(
            f"Its {_count(sub_codes, 'sub-code')} and {_count(memos, 'memo')} move to "
            f"{target.key} too."
        )
    return lines


def codebook_versions(*, codebook: Codebook) -> QuerySet[CodebookVersion]:
    return (
        CodebookVersion.objects.filter(codebook=codebook)
        .select_related("created_by")
        .defer("snapshot", "changes")
        .order_by("-number")
    )


DIFF_FIELDS = [
    "key",
    "name",
    "parent",
    "group",
    "definition",
    "inclusion",
    "exclusion",
    "example",
    "color",
    "order",
    "is_active",
    "merged_into",
]
KEY_FIELDS = {"parent", "merged_into"}  # ids of other codes, shown by their keys


def snapshot_diff(
    before: Sequence[dict[str, Any]], after: Sequence[dict[str, Any]]
) -> dict[str, list[dict[str, Any]]]:
    """Codes added, removed and changed (field by field) between two codebook snapshots."""
    old = {row["id"]: row for row in before}
    new = {row["id"]: row for row in after}
    keys = {row["id"]: row.get("key", "") for row in [*before, *after]}

    def parent_key(value: Any) -> Any:
        return keys.get(value, value) if value is not None else None

    changed = []
    for code_id in new.keys() & old.keys():
        fields = [
            {
                "field": name,
                "before": parent_key(old[code_id].get(name))
                if name in KEY_FIELDS
                else old[code_id].get(name),
                "after": parent_key(new[code_id].get(name))
                if name in KEY_FIELDS
                else new[code_id].get(name),
            }
            for name in DIFF_FIELDS
            if old[code_id].get(name) != new[code_id].get(name)
        ]
        if fields:
            changed.append({"id": code_id, "key": new[code_id].get("key"), "fields": fields})
    return {
        "added": [new[i] for i in new.keys() - old.keys()],
        "removed": [old[i] for i in old.keys() - new.keys()],
        "changed": sorted(changed, key=lambda c: str(c["key"])),
    }


def codebook_version_diff(*, codebook: Codebook, number: int) -> dict[str, Any] | None:
    """A version, the one before it, every code of the version, and what changed between them
    (one query: the versions from the nearest whole snapshot, replayed)."""
    rows = list(
        codebook_versions_replayable(codebook=codebook, low=number - 1, high=number).select_related(
            "created_by"
        )
    )
    replay = VersionReplay()
    before: list[dict[str, Any]] = []
    found: dict[int, CodebookVersion] = {}
    for row in rows:
        if row.number == number:
            before = replay.codes() if number - 1 in found else []
        replay.apply(snapshot=row.snapshot, changes=row.changes)
        found[row.number] = row
    version = found.get(number)
    if version is None:
        return None
    after = replay.codes()
    return {
        "version": version,
        "previous": found.get(number - 1),
        "snapshot": after,
        "diff": snapshot_diff(before, after),
    }


def code_codings(*, code: Code) -> QuerySet[Coding]:
    """A code's codings with interview, dyad and coder, for moving them after a split."""
    return (
        Coding.objects.filter(code=code)
        .select_related("interview__dyad", "coder")
        .defer("interview__text")
        .order_by("interview__dyad__label", "interview_id", "start", "id")
    )


# --- Audit trail --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditFilter:
    action: str = ""
    object_type: str = ""
    actor: int | None = None
    since: dt.date | None = None
    until: dt.date | None = None


def audit_events(
    *, study: Study, interview: Interview | None = None, filters: AuditFilter | None = None
) -> QuerySet[AuditEvent]:
    """The study's (or one interview's) audit trail, newest first, filtered."""
    queryset = AuditEvent.objects.filter(study=study).select_related("actor", "interview__dyad")
    queryset = queryset.defer("interview__text")
    if interview is not None:
        queryset = queryset.filter(interview=interview)
    filters = filters or AuditFilter()
    if filters.action:
        queryset = queryset.filter(action=filters.action)
    if filters.object_type:
        queryset = queryset.filter(object_type=filters.object_type)
    if filters.actor is not None:
        queryset = queryset.filter(actor_id=filters.actor)
    if filters.since is not None:
        queryset = queryset.filter(at__date__gte=filters.since)
    if filters.until is not None:
        queryset = queryset.filter(at__date__lte=filters.until)
    return queryset.order_by("-at", "-id")


def audit_object_types(*, study: Study) -> list[str]:
    return list(
        AuditEvent.objects.filter(study=study)
        .order_by("object_type")
        .values_list("object_type", flat=True)
        .distinct()
    )


def audit_changes(event: AuditEvent) -> list[dict[str, Any]]:
    """Field by field: the value before and after (only fields that differ, for updates)."""
    before = event.before if isinstance(event.before, dict) else {}
    after = event.after if isinstance(event.after, dict) else {}
    names = list(dict.fromkeys([*before.keys(), *after.keys()]))
    rows = []
    for name in names:
        old, new = before.get(name), after.get(name)
        if event.action == AuditEvent.Action.UPDATE and old == new:
            continue
        rows.append({"field": name, "before": old, "after": new})
    return rows
