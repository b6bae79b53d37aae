"""Teamwork pages (server-rendered). Thin: the access helpers load, selectors read, services
write; a refused write shows its message and changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from coding.memos import code_memos_by_code
from coding.models import Assignment, Code, CodeGroup
from coding.services import code_create, code_update
from coding.team import reports, selectors, services
from coding.team.audit_names import audit_events_named
from coding.team.audit_trail import audit_trail_csv, audit_trail_response
from healing.audit.models import AuditEvent
from healing.jobs.models import JobState
from healing.types import AuthenticatedRequest
from interviews.models import Dyad, Interview, Membership, Perspective, Role, Study
from interviews.selectors import (
    ADJUDICATION_BLIND,
    Access,
    interview_get_for_user,
    invitations_pending_for_study,
    study_get_for_user,
)
from interviews.services import INVITED

BLIND = "Blind coding is on: you see only your own codings until the lead reveals."


def _ints(values: list[str]) -> list[int]:
    found = []
    for value in values:
        try:
            found.append(int(value))
        except (TypeError, ValueError):
            continue
    return found


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _pk(value: Any) -> int:
    """An id from a form; 0 (which matches nothing) when it is not a whole number."""
    return _int_or_none(value) or 0


def _errors(request: AuthenticatedRequest, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, texts in exc.message_dict.items():
            for text in texts:
                messages.error(request, text if field == "__all__" else f"{field}: {text}")
    else:
        for text in exc.messages:
            messages.error(request, text)


def _attempt(request: AuthenticatedRequest, action: Callable[[], Any], success: str) -> bool:
    try:
        action()
    except ValidationError as exc:
        _errors(request, exc)
        return False
    messages.success(request, success)
    return True


def _next(request: AuthenticatedRequest, default: str) -> str:
    """Where to go after a write: the form's ``next`` if it is a path on this site."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _require_sees_others(access: Access) -> None:
    if not access.sees_other_coders:
        # A blinded adjudicator is told when their part starts, not just that it is hidden.
        raise PermissionDenied(ADJUDICATION_BLIND if access.adjudicator else BLIND)


def _confirmed(request: AuthenticatedRequest) -> bool:
    return request.POST.get("confirm") == "yes"


def _confirm_page(
    request: AuthenticatedRequest,
    *,
    study: Study,
    access: Access,
    title: str,
    consequences: list[str],
    button: str,
    fields: list[tuple[str, str]],
    cancel: str,
    tab: str,
) -> HttpResponse:
    """The server-side confirmation step of a one-click action that cannot be undone: the same
    POST again with ``confirm=yes`` does it; Cancel goes back without changing anything. It works
    without JavaScript (a ``confirm()`` dialog alone would not)."""
    return render(
        request,
        "coding/team/confirm.html",
        {
            "study": study,
            "access": access,
            "confirm": {
                "title": title,
                "consequences": consequences,
                "button": button,
                "fields": fields,
                "cancel": cancel,
            },
            "tab": tab,
        },
    )


def _reveal_confirm_page(
    request: AuthenticatedRequest, study: Study, access: Access, fields: list[tuple[str, str]]
) -> HttpResponse:
    open_assignments = Assignment.objects.filter(interview__dyad__study=study, done=False).count()
    consequences = [
        "Coders will see each other's codings; this cannot be re-hidden for work already seen.",
        "Blind coding is switched off for the whole study and the reveal is written to the "
        "audit trail.",
    ]
    if open_assignments:
        consequences.append(
            f"{open_assignments} assignment{'s' if open_assignments != 1 else ''} "
            f"{'are' if open_assignments != 1 else 'is'} not marked done yet."
        )
    return _confirm_page(
        request,
        study=study,
        access=access,
        title="Reveal all layers" if fields[0][1] == "reveal" else "Switch blind coding off",
        consequences=consequences,
        button="Reveal all layers" if fields[0][1] == "reveal" else "Switch blind coding off",
        fields=fields,
        cancel=reverse("team-members", kwargs={"slug": study.slug}),
        tab="members",
    )


def _lead(request: AuthenticatedRequest, slug: str) -> tuple[Study, Access]:
    """The study for its lead; a lead's page still shows on an archived study, its forms do not
    post (the selector refuses a write to an archived study)."""
    return study_get_for_user(
        user=request.user,
        slug=slug,
        min_role=Role.LEAD,
        read_only=request.method in ("GET", "HEAD"),
    )


# --- Members, blind coding, reveal --------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def members(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """Every member sees the team; the lead adds, changes and removes members, names
    adjudicators, and switches blind coding on or reveals."""
    study, access = study_get_for_user(user=request.user, slug=slug)
    if request.method == "POST":
        if not access.is_lead:
            raise PermissionDenied("Only the study's leads manage its members.")
        access.require_writable()
        action = request.POST.get("action")
        post = request.POST
        if action == "add":
            username = post.get("username", "")
            _attempt(
                request,
                lambda: services.member_add(
                    study=study,
                    username=username,
                    role=post.get("role", ""),
                    adjudicator=post.get("adjudicator") == "on",
                    actor=request.user,
                ),
                INVITED,
            )
        elif action == "withdraw":
            _attempt(
                request,
                lambda: services.member_invitation_withdraw(
                    study=study, invitation_id=_pk(post.get("invitation")), actor=request.user
                ),
                "Invitation withdrawn.",
            )
        elif action in {"change", "remove"}:
            membership = (
                Membership.objects.filter(study=study, pk=_pk(post.get("membership")))
                .select_related("user", "study")
                .first()
            )
            if membership is None:
                messages.error(request, "No such member.")
            elif action == "change":
                _attempt(
                    request,
                    lambda: services.membership_change(
                        membership=membership,
                        role=post.get("role") or None,
                        adjudicator=post.get("adjudicator") == "on",
                        actor=request.user,
                    ),
                    f"{membership.user.get_username()} updated.",
                )
            else:
                _attempt(
                    request,
                    lambda: services.member_remove(membership=membership, actor=request.user),
                    f"{membership.user.get_username()} removed from the study.",
                )
        elif action == "blind":
            blind = post.get("blind") == "on"
            if study.blind_coding and not blind and not _confirmed(request):
                return _reveal_confirm_page(request, study, access, [("action", "blind")])
            _attempt(
                request,
                lambda: services.study_update(study=study, blind_coding=blind, actor=request.user),
                "Blind coding is on: coders now see only their own codings."
                if blind
                else "Blind coding is off.",
            )
        elif action == "two-factor":
            require = post.get("require") == "on"
            _attempt(
                request,
                lambda: services.study_update(
                    study=study, require_two_factor=require, actor=request.user
                ),
                "Two-factor sign-in is now required for this study."
                if require
                else "Two-factor sign-in is no longer required.",
            )
        elif action == "reveal":
            if study.blind_coding and not _confirmed(request):
                return _reveal_confirm_page(request, study, access, [("action", "reveal")])
            _attempt(
                request,
                lambda: services.study_reveal(study=study, actor=request.user),
                "Revealed: every coder now sees every layer.",
            )
        else:
            messages.error(request, "Unknown action.")
        return redirect("team-members", slug=study.slug)
    rows = selectors.members_overview(study=study, access=access, user=request.user)
    open_assignments = (
        Assignment.objects.filter(interview__dyad__study=study, done=False).count()
        if study.blind_coding and access.is_lead
        else 0
    )
    return render(
        request,
        "coding/team/members.html",
        {
            "study": study,
            "access": access,
            "rows": rows,
            "roles": Role.choices,
            "open_assignments": open_assignments,
            "invitations": list(invitations_pending_for_study(study=study))
            if access.is_lead
            else [],
            "tab": "members",
        },
    )


# --- Assignments --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def assignments(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """The lead assigns interviews to coders in bulk (and withdraws them)."""
    study, access = _lead(request, slug)
    if request.method == "POST":
        interview_ids = _ints(request.POST.getlist("interviews"))
        coder_ids = _ints(request.POST.getlist("coders"))
        if request.POST.get("action") == "unassign":
            _attempt(
                request,
                lambda: services.assignments_remove(
                    study=study,
                    interview_ids=interview_ids,
                    coder_ids=coder_ids,
                    actor=request.user,
                ),
                "Assignments withdrawn.",
            )
        else:
            _attempt(
                request,
                lambda: services.assignments_create(
                    study=study,
                    interview_ids=interview_ids,
                    coder_ids=coder_ids,
                    actor=request.user,
                ),
                "Interviews assigned.",
            )
        query = {k: v for k in ("dyad", "perspective") if (v := request.POST.get(k, ""))}
        url = reverse("team-assignments", args=[study.slug])
        return HttpResponseRedirect(f"{url}?{urlencode(query)}" if query else url)
    dyad = request.GET.get("dyad", "").strip()
    perspective = request.GET.get("perspective", "")
    if perspective not in Perspective.values:
        perspective = ""
    return render(
        request,
        "coding/team/assignments.html",
        {
            "study": study,
            "access": access,
            "board": selectors.assignment_board(
                study=study, dyad_label=dyad, perspective=perspective
            ),
            "coders": selectors.coders_of_study(study=study),
            "filter_dyad": dyad,
            "filter_perspective": perspective,
            "perspectives": Perspective.choices,
            "tab": "members",
        },
    )


@login_required
@require_POST
def assignment_done(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    """A coder marks their own assignment done (or reopens it); a lead may do it for anyone."""
    study, access = study_get_for_user(user=request.user, slug=slug, min_role=Role.CODER)
    assignment = (
        Assignment.objects.filter(pk=pk, interview__dyad__study=study)
        .select_related("interview__dyad")
        .first()
    )
    if assignment is None:
        raise Http404("Not found.")
    if assignment.coder_id != request.user.pk and not access.is_lead:
        raise PermissionDenied("Only the coder (or a lead) marks an assignment done.")
    access.require_writable()
    done = request.POST.get("done") == "1"
    services.assignment_set_done(assignment=assignment, done=done, actor=request.user)
    messages.success(request, "Marked done." if done else "Reopened.")
    return redirect(_next(request, reverse("study-overview", args=[study.slug])))


# --- Agreement reports --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def agreement(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """Start an agreement report (a job) and list the study's reports."""
    study, access = study_get_for_user(user=request.user, slug=slug)
    _require_sees_others(access)
    if request.method == "POST":
        data: dict[str, Any] = {
            "scope": request.POST.get("scope"),
            "unit": request.POST.get("unit"),
            "threshold": request.POST.get("threshold"),
            "coders": request.POST.getlist("coders"),
            "target": request.POST.get(f"target_{request.POST.get('scope')}"),
        }
        try:
            cleaned = reports.agreement_request_clean(study=study, data=data)
        except ValidationError as exc:
            _errors(request, exc)
            return redirect("team-agreement", slug=study.slug)
        job = reports.agreement_report_start(study=study, user=request.user, request=cleaned)
        return redirect("team-agreement-report", slug=study.slug, pk=job.pk)
    coders = selectors.coders_with_codings(study=study)
    return render(
        request,
        "coding/team/agreement.html",
        {
            "study": study,
            "access": access,
            "coders": coders,
            "default_coders": [c["id"] for c in coders[:2]],
            "dyads": Dyad.objects.filter(study=study).order_by("label").only("id", "label"),
            "interviews": Interview.objects.filter(dyad__study=study)
            .select_related("dyad")
            .only("id", "perspective", "dyad__label")
            .order_by("dyad__label", "perspective"),
            "reports": reports.agreement_reports_of(study=study),
            "tab": "agreement",
        },
    )


@login_required
def agreement_report(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    """One report: its progress while it runs, then per code, overall, pairs and interviews."""
    study, access = study_get_for_user(user=request.user, slug=slug)
    _require_sees_others(access)
    job = reports.agreement_report_get(study=study, pk=pk)
    if job is None:
        raise Http404("Not found.")
    result: dict[str, Any] | None = job.result if job.state == JobState.SUCCEEDED else None
    return render(
        request,
        "coding/team/agreement_report.html",
        {
            "study": study,
            "access": access,
            "job": job,
            "result": result,
            "running": job.state in {JobState.QUEUED, JobState.RUNNING},
            "two_coders": result is not None and len(result.get("coders", [])) == 2,
            "per_interview": sorted(
                (result or {}).get("per_interview", []),
                key=lambda row: (row["percent"] is None, row["percent"] or 0),
            ),
            "tab": "agreement",
        },
    )


@login_required
def agreement_export(request: AuthenticatedRequest, slug: str, pk: int, fmt: str) -> HttpResponse:
    study, access = study_get_for_user(user=request.user, slug=slug)
    _require_sees_others(access)
    job = reports.agreement_report_get(study=study, pk=pk)
    if job is None:
        raise Http404("Not found.")
    try:
        data, content_type, name = reports.agreement_export(job=job, fmt=fmt, actor=request.user)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("team-agreement-report", slug=study.slug, pk=job.pk)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- Consensus: queue, disagreements, adjudication, side by side --------------------------------


@login_required
def consensus(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """Interviews with their coders, consensus codings, decisions and completeness."""
    study, access = study_get_for_user(user=request.user, slug=slug)
    _require_sees_others(access)
    return render(
        request,
        "coding/team/consensus.html",
        {
            "study": study,
            "access": access,
            "rows": selectors.consensus_queue(study=study),
            "tab": "consensus",
        },
    )


def _pair(
    request: AuthenticatedRequest, interview: Interview
) -> tuple[list[dict[str, Any]], int | None, int | None]:
    coders = selectors.interview_coders(interview=interview)
    ids = [c["id"] for c in coders]
    a = _int_or_none(request.GET.get("a"))
    b = _int_or_none(request.GET.get("b"))
    if a is None and ids:
        a = ids[0]
    if b is None:
        b = next((i for i in ids if i != a), None)
    return coders, a, b


@login_required
def disagreements(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Passages where two coders differ in an interview, each with both spans, the consensus
    there, a link to the side-by-side view, and (for adjudicators) the decisions to settle it."""
    interview, access = interview_get_for_user(user=request.user, pk=pk)
    _require_sees_others(access)
    study = interview.dyad.study
    coders, a, b = _pair(request, interview)
    codes = selectors.codes_by_id(study=study)
    code_filter = _int_or_none(request.GET.get("code"))
    show = request.GET.get("show", "open")
    rows: list[selectors.DisagreementRow] = []
    if a is not None and b is not None and a != b:
        rows = selectors.interview_disagreements(
            interview=interview, coder_a=a, coder_b=b, codes=codes
        )
    counts = {
        "all": len(rows),
        "open": sum(not r.settled for r in rows),
        "agreed": sum(r.agreed for r in rows),
    }
    counts["settled"] = counts["all"] - counts["open"]
    if code_filter is not None:
        rows = [r for r in rows if r.passage.code == code_filter]
    if show == "open":
        rows = [r for r in rows if not r.settled]
    elif show == "settled":
        rows = [r for r in rows if r.settled]
    names = {c["id"]: c["name"] for c in coders}
    return render(
        request,
        "coding/team/disagreements.html",
        {
            "study": study,
            "interview": interview,
            "access": access,
            "coders": coders,
            "a": a,
            "b": b,
            "a_name": names.get(a or 0, ""),
            "b_name": names.get(b or 0, ""),
            "rows": rows,
            "counts": counts,
            "show": show,
            "code_filter": code_filter,
            "codes": [c for c in codes.values() if c.is_active],
            "all_codes": codes.values(),
            "pair_query": urlencode({"a": a or "", "b": b or ""}),
            "open_disagreements": (
                selectors.open_disagreement_count(interview=interview)
                if access.can_adjudicate and not interview.consensus_complete
                else 0
            ),
        },
    )


@login_required
@require_POST
def adjudicate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Settle one passage into the consensus layer (lead or named adjudicator)."""
    interview, access = interview_get_for_user(user=request.user, pk=pk)
    access.require_adjudication()
    study = interview.dyad.study
    post = request.POST
    a_id, b_id = _int_or_none(post.get("a")), _int_or_none(post.get("b"))
    users = {
        user.pk: user
        for user in get_user_model().objects.filter(
            pk__in=[i for i in (a_id, b_id) if i is not None]
        )
    }
    code = (
        Code.objects.filter(pk=_pk(post.get("code")), codebook__study=study)
        .select_related("codebook")
        .first()
    )
    choice = post.get("decision", "")
    decision = {"accept_a": "accept", "accept_b": "accept"}.get(choice, choice)
    accepted = users.get(a_id or 0) if choice == "accept_a" else users.get(b_id or 0)
    new_code = None
    spans = None
    if decision == "new":
        new_code = (
            Code.objects.filter(pk=_pk(post.get("new_code")), codebook__study=study)
            .select_related("codebook")
            .first()
        )
        spans = [(_int_or_none(post.get("new_start")), _int_or_none(post.get("new_end")))]
    back = reverse("team-disagreements", args=[interview.pk])
    query = urlencode({"a": a_id or "", "b": b_id or "", "show": post.get("show", "open")})
    if code is None:
        messages.error(request, "No such code in this study's codebook.")
        return HttpResponseRedirect(f"{back}?{query}")
    ok = _attempt(
        request,
        lambda: services.adjudication_decide(
            interview=interview,
            code=code,
            start=_int_or_none(post.get("start")),  # type: ignore[arg-type]
            end=_int_or_none(post.get("end")),  # type: ignore[arg-type]
            decision=decision,
            actor=request.user,
            coder_a=users.get(a_id or 0),
            coder_b=users.get(b_id or 0),
            accepted=accepted if decision == "accept" else None,
            spans=spans,  # type: ignore[arg-type]
            new_code=new_code,
            note=post.get("note", ""),
        ),
        "Decision recorded in the consensus layer.",
    )
    anchor = "" if ok else f"#{post.get('anchor', '')}"
    return HttpResponseRedirect(f"{back}?{query}{anchor}")


@login_required
@require_POST
def consensus_complete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    interview, access = interview_get_for_user(user=request.user, pk=pk, with_text=False)
    access.require_adjudication()
    complete = request.POST.get("complete") == "1"
    ok = _attempt(
        request,
        lambda: services.interview_set_consensus_complete(
            interview=interview,
            complete=complete,
            actor=request.user,
            reason=request.POST.get("reason", ""),
            confirm_open=request.POST.get("confirm_open") == "1",
        ),
        "Consensus marked complete." if complete else "Consensus reopened for changes.",
    )
    target = _next(request, reverse("team-disagreements", args=[pk]))
    return redirect(target if ok else reverse("team-disagreements", args=[pk]) + "?show=open")


def _column_id(raw: str | None) -> int | str | None:
    if raw == "consensus":
        return None
    value = _int_or_none(raw)
    return "" if value is None else value


@login_required
def compare(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Two layers of an interview side by side: the transcript by turns, each column with its
    coder's (or the consensus') spans highlighted. ``?a=<user id>|consensus&b=…&code=&focus=``."""
    interview, access = interview_get_for_user(user=request.user, pk=pk)
    study = interview.dyad.study
    coders, default_a, default_b = _pair(request, interview)
    a = _column_id(request.GET.get("a")) if request.GET.get("a") else default_a
    b = _column_id(request.GET.get("b")) if request.GET.get("b") else (default_b or None)
    if a == "" or b == "":
        raise Http404("Not found.")
    if not access.sees_other_coders and any(
        side is not None and side != request.user.pk for side in (a, b)
    ):
        raise PermissionDenied(BLIND)
    try:
        columns = selectors.column_names(ids=[a, b], study=study)  # type: ignore[list-item]
    except LookupError:
        raise Http404("Not found.") from None
    codes = selectors.codes_by_id(study=study)
    code_filter = _int_or_none(request.GET.get("code"))
    focus: tuple[int, int] | None = None
    raw_focus = request.GET.get("focus", "")
    if "-" in raw_focus:
        low, _, high = raw_focus.partition("-")
        if (start := _int_or_none(low)) is not None and (end := _int_or_none(high)) is not None:
            focus = (start, end)
    rows = selectors.compare_columns(
        interview=interview,
        columns=columns,
        codes=codes,
        code_id=code_filter,
        cuts=focus or (),
    )
    focus_turn = None
    if focus is not None:
        focus_turn = next(
            (row["index"] for row in rows if row["start"] <= focus[0] < row["end"]), None
        )
    choices = [{"id": "consensus", "name": "Consensus"}]
    if access.sees_other_coders:
        choices += [{"id": c["id"], "name": c["name"]} for c in coders]
    else:
        choices += [
            {"id": c["id"], "name": c["name"]} for c in coders if c["id"] == request.user.pk
        ]
    return render(
        request,
        "coding/team/compare.html",
        {
            "study": study,
            "interview": interview,
            "access": access,
            "columns": columns,
            "rows": rows,
            "choices": choices,
            "a": "consensus" if a is None else a,
            "b": "consensus" if b is None else b,
            "focus": focus,
            "focus_turn": focus_turn,
            "code_filter": code_filter,
            "codes": codes.values(),
        },
    )


# --- Codebook -----------------------------------------------------------------------------------


def _code_of(study: Study, raw: Any) -> Code | None:
    return (
        Code.objects.filter(pk=_pk(raw), codebook__study=study)
        .select_related("codebook", "parent")
        .first()
    )


CODE_TEXT_FIELDS = ["key", "name", "definition", "inclusion", "exclusion", "example", "color"]


@login_required
@require_http_methods(["GET", "POST"])
def codebook(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """The codebook as a tree with definitions; leads add codes and merge two codes."""
    study, access = study_get_for_user(user=request.user, slug=slug)
    book = study.codebook
    if request.method == "POST":
        if not access.is_lead:
            raise PermissionDenied("Only the study's leads change its codebook.")
        access.require_writable()
        post = request.POST
        if post.get("action") == "add":
            parent = _code_of(study, post.get("parent")) if post.get("parent") else None
            fields: dict[str, Any] = {
                name: post.get(name, "")
                for name in ("definition", "inclusion", "exclusion", "example")
            }
            if post.get("color"):
                fields["color"] = post["color"]
            if post.get("group") in CodeGroup.values:
                fields["group"] = post["group"]
            _attempt(
                request,
                lambda: code_create(
                    codebook=book,
                    key=post.get("key", ""),
                    name=post.get("name", ""),
                    parent=parent,
                    actor=request.user,
                    **fields,
                ),
                f"Code {post.get('key', '').strip()} added (codebook version {book.version + 1}).",
            )
        elif post.get("action") == "merge":
            source = _code_of(study, post.get("source"))
            target = _code_of(study, post.get("into"))
            if source is None or target is None:
                messages.error(request, "Choose the two codes to merge.")
            elif source.pk != target.pk and not _confirmed(request):
                return _confirm_page(
                    request,
                    study=study,
                    access=access,
                    title=f"Merge {source.key} into {target.key}",
                    consequences=selectors.code_merge_consequences(source=source, target=target),
                    button="Merge",
                    fields=[
                        ("action", "merge"),
                        ("source", str(source.pk)),
                        ("into", str(target.pk)),
                    ],
                    cancel=reverse("team-codebook", kwargs={"slug": study.slug}),
                    tab="codebook",
                )
            else:
                _attempt(
                    request,
                    lambda: services.code_merge(source=source, target=target, actor=request.user),
                    f"{source.key} merged into {target.key}.",
                )
        else:
            messages.error(request, "Unknown action.")
        return redirect("team-codebook", slug=study.slug)
    tree = selectors.codebook_tree(study=study)
    memos = code_memos_by_code(study=study, user=request.user)
    for node in tree:
        node["memos"] = memos.get(node["code"].pk, [])
    return render(
        request,
        "coding/team/codebook.html",
        {
            "study": study,
            "access": access,
            "codebook": book,
            "tree": tree,
            "groups": CodeGroup.choices,
            "tab": "codebook",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def code_edit(request: AuthenticatedRequest, slug: str, code_id: int) -> HttpResponse:
    """Edit, rename, move, switch off or on one code (lead)."""
    study, access = _lead(request, slug)
    found = _code_of(study, code_id)
    if found is None:
        raise Http404("Not found.")
    code: Code = found
    if request.method == "POST":
        post = request.POST
        changes: dict[str, Any] = {
            name: post.get(name, "") for name in CODE_TEXT_FIELDS if name in post
        }
        if post.get("group") in CodeGroup.values:
            changes["group"] = post["group"]
        if "order" in post:
            order = _int_or_none(post.get("order"))
            if order is None or order < 0:
                messages.error(request, "order: give a whole number, 0 or more.")
                return redirect("team-code-edit", slug=study.slug, code_id=code.pk)
            changes["order"] = order
        if "parent" in post:
            changes["parent"] = _code_of(study, post["parent"]) if post["parent"] else None
        if "is_active" in post:
            changes["is_active"] = post["is_active"] == "1"
        if _attempt(
            request,
            lambda: code_update(code=code, actor=request.user, **changes),
            f"Code {code.key} saved.",
        ):
            return redirect("team-codebook", slug=study.slug)
        code = _code_of(study, code_id) or code
    return render(
        request,
        "coding/team/code_edit.html",
        {
            "study": study,
            "access": access,
            "code": code,
            "parents": Code.objects.filter(codebook__study=study)
            .exclude(pk=code_id)
            .order_by("order", "id"),
            "groups": CodeGroup.choices,
            "tab": "codebook",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def code_split(request: AuthenticatedRequest, slug: str, code_id: int) -> HttpResponse:
    """Split a code into new sub-codes, then move its codings to them."""
    study, access = _lead(request, slug)
    code = _code_of(study, code_id)
    if code is None:
        raise Http404("Not found.")
    if request.method == "POST":
        keys = request.POST.getlist("child_key")
        names = request.POST.getlist("child_name")
        definitions = request.POST.getlist("child_definition")
        children = [
            {
                "key": key,
                "name": name,
                **({"definition": definitions[i]} if i < len(definitions) else {}),
            }
            for i, (key, name) in enumerate(zip(keys, names, strict=False))
            if key.strip() or name.strip()
        ]
        if _attempt(
            request,
            lambda: services.code_split(code=code, children=children, actor=request.user),
            f"{code.key} split into {len(children)} sub-code(s); now move its codings.",
        ):
            return redirect("team-code-codings", slug=study.slug, code_id=code.pk)
    return render(
        request,
        "coding/team/code_split.html",
        {"study": study, "access": access, "code": code, "slots": range(4), "tab": "codebook"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def code_codings(request: AuthenticatedRequest, slug: str, code_id: int) -> HttpResponse:
    """A code's codings, 50 a page, to move selected ones to another code (after a split)."""
    study, access = _lead(request, slug)
    code = _code_of(study, code_id)
    if code is None:
        raise Http404("Not found.")
    if request.method == "POST":
        target = _code_of(study, request.POST.get("target"))
        ids = _ints(request.POST.getlist("codings"))
        if target is None:
            messages.error(request, "Choose the code to move them to.")
        else:
            _attempt(
                request,
                lambda: services.codings_move(
                    study=study, coding_ids=ids, target=target, actor=request.user
                ),
                f"{len(ids)} coding(s) moved to {target.key}.",
            )
        page_number = request.POST.get("page", "1")
        url = reverse("team-code-codings", args=[study.slug, code.pk])
        return HttpResponseRedirect(f"{url}?page={_int_or_none(page_number) or 1}")
    page = Paginator(selectors.code_codings(code=code), 50).get_page(request.GET.get("page"))
    targets = list(
        Code.objects.filter(codebook__study=study, is_active=True)
        .exclude(pk=code.pk)
        .order_by("order", "id")
    )
    targets.sort(key=lambda c: (c.parent_id != code.pk, c.order, c.pk))
    return render(
        request,
        "coding/team/code_codings.html",
        {"study": study, "access": access, "code": code, "page": page, "targets": targets,
         "tab": "codebook"},
    )  # fmt: skip


@login_required
def codebook_versions(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    study, access = study_get_for_user(user=request.user, slug=slug)
    return render(
        request,
        "coding/team/codebook_versions.html",
        {
            "study": study,
            "access": access,
            "codebook": study.codebook,
            "versions": selectors.codebook_versions(codebook=study.codebook),
            "tab": "codebook",
        },
    )


@login_required
def codebook_version(request: AuthenticatedRequest, slug: str, number: int) -> HttpResponse:
    study, access = study_get_for_user(user=request.user, slug=slug)
    found = selectors.codebook_version_diff(codebook=study.codebook, number=number)
    if found is None:
        raise Http404("Not found.")
    return render(
        request,
        "coding/team/codebook_version.html",
        {"study": study, "access": access, **found, "tab": "codebook"},
    )


# --- Audit trail --------------------------------------------------------------------------------


def _audit_filter(request: AuthenticatedRequest) -> selectors.AuditFilter:
    def day(raw: str | None) -> dt.date | None:
        try:
            return dt.date.fromisoformat(raw) if raw else None
        except ValueError:
            return None

    action = request.GET.get("action", "")
    return selectors.AuditFilter(
        action=action if action in AuditEvent.Action.values else "",
        object_type=request.GET.get("object_type", "")[:40],
        actor=_int_or_none(request.GET.get("actor")),
        since=day(request.GET.get("since")),
        until=day(request.GET.get("until")),
    )


def _audit_page(
    request: AuthenticatedRequest, study: Study, access: Access, interview: Interview | None
) -> HttpResponse:
    filters = _audit_filter(request)
    events = selectors.audit_events(study=study, interview=interview, filters=filters)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    page.object_list = audit_events_named(page.object_list)
    for event in page.object_list:
        event.changes = selectors.audit_changes(event)  # type: ignore[attr-defined]
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(
        request,
        "coding/team/audit.html",
        {
            "study": study,
            "interview": interview,
            "access": access,
            "page": page,
            "filters": filters,
            "actions": AuditEvent.Action.choices,
            "object_types": selectors.audit_object_types(study=study),
            "members": selectors.coders_of_study(study=study)
            + [
                {"id": m.user_id, "name": m.user.get_username()}
                for m in Membership.objects.filter(study=study, role=Role.VIEWER).select_related(
                    "user"
                )
            ],
            "query": urlencode(query),
            "tab": "audit",
        },
    )


@login_required
def audit(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """The study's audit trail (lead): who changed what, when, before and after."""
    study, access = _lead(request, slug)
    return _audit_page(request, study, access, None)


@login_required
def audit_csv(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """The study's audit trail as CSV (lead), filtered as the page is."""
    study, _ = _lead(request, slug)
    data = audit_trail_csv(study=study, actor=request.user, filters=_audit_filter(request))
    return audit_trail_response(study=study, data=data)


@login_required
def interview_audit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    interview, access = interview_get_for_user(
        user=request.user, pk=pk, min_role=Role.LEAD, with_text=False, read_only=True
    )
    return _audit_page(request, interview.dyad.study, access, interview)
