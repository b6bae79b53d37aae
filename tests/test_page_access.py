"""Every page of the URL table for every persona: lead, coder, viewer, outsider, anonymous.

The pages are enumerated from the URL resolver (not listed by hand): a page added without an
entry in ``EXPECTED`` fails ``test_every_page_has_an_expected_access``. Each page is opened with
every value the walker fills its path parameters with (the blind-coding walk's world, revealed);
refusals are checked on every URL of a page, the allowed answer on at least one (a page such as
an export in several formats may answer 404 to a format it does not produce).

What the categories mean:

- ``public``: anyone, signed in or not (sign-in, password reset).
- ``signed_in``: any signed-in user; anonymous is sent to sign in.
- ``members``: members of the study read it; an outsider gets 404, anonymous a sign-in.
- ``coders``: coders and leads; a viewer gets 403.
- ``lead``: leads only; coders and viewers get 403.
- ``job``: a job's page: whoever may see the job (its starter, the study's leads) reads it, and
  the lead reads at least one; others get 403 or 404.
- ``post_only``: a form's target; a GET is refused (405) for members, and access is decided
  on POST (tested with the page it belongs to).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest
from django.test import Client

from interviews.models import Study
from tests.team.test_blind_everywhere import World, filled_urls, url_patterns, world  # noqa: F401

pytestmark = pytest.mark.django_db

PERSONAS = ("lead", "coder", "viewer", "outsider", "anonymous")
SIGN_IN = "/accounts/login/"

EXPECTED: dict[str, str] = {
    # Accounts
    "login": "public",
    "logout": "post_only_public",
    "password_change": "signed_in",
    "password_change_done": "signed_in",
    "password_reset": "public",
    "password_reset_done": "public",
    "password_reset_confirm": "public",
    "password_reset_complete": "public",
    "home": "signed_in",
    "account": "signed_in",
    "invitations": "signed_in",
    # Study pages
    "study-overview": "members",
    "study-dyads": "members",
    "study-segments": "members",
    "study-new": "signed_in",
    "study-settings": "lead",
    "study-saturation-svg": "members",
    "dyad-detail": "members",
    "interview-workspace": "members",
    "interview-transcript": "members",
    "interview-speakers": "members",
    # De-identification: the review is for leads and the members a lead names reviewer; the
    # walk's personas hold no named reviewer, so it is walked like a lead page (named reviewers:
    # tests/deid/test_pages.py). The study's page (lists, reviewers) is the leads' alone.
    "interview-deid": "lead",
    "study-deid": "lead",
    "study-autocode": "lead",
    "autocode-undo": "post_only",
    "study-search": "members",
    "study-search-code": "post_only",
    "study-import-transcripts": "lead",
    "study-jobs": "members",
    "study-memos": "members",
    "study-queries": "members",
    "job-detail": "job",
    "job-cancel": "post_only",
    "dyad-case-study": "members",
    "dyad-case-study-docx": "members",
    "dyad-case-study-md": "members",
    "study-comparison": "members",
    "study-comparison-chart": "members",
    "study-stop-words": "post_only",
    "refi-exchange": "members",
    # The form shows to anyone signed in; creating the study from it is staff-only unless
    # HEALING_STUDY_IMPORT=any (tests/coding/refi).
    "refi-import-new": "signed_in",
    # The walk's world holds no REFI-QDA import, so these answer 404 to everyone here; their
    # personas are tested with real imports in tests/coding/refi/test_pages.py.
    "refi-job": "refi_job",
    "refi-mapping": "refi_job",
    # Teamwork
    "team-members": "members",
    "team-assignments": "lead",
    "team-assignment-done": "post_only",
    "team-agreement": "members",
    "team-agreement-report": "job",
    "team-agreement-export": "job",
    "team-consensus": "members",
    "team-disagreements": "members",
    "team-adjudicate": "post_only",
    "team-consensus-complete": "post_only",
    "team-compare": "members",
    "team-interview-audit": "lead",
    "team-codebook": "members",
    "team-code-edit": "lead",
    "team-code-split": "lead",
    "team-code-codings": "lead",
    "team-codebook-versions": "members",
    "team-codebook-version": "members",
    "team-audit": "lead",
    "team-audit-csv": "lead",
}


def page_names() -> set[str]:
    return {name for route, name, _ in url_patterns() if not route.startswith("api/")}


def test_every_page_has_an_expected_access() -> None:
    names = page_names()
    assert names - set(EXPECTED) == set(), "pages without an expected access"
    assert set(EXPECTED) - names == set(), "expected access for pages that do not exist"


def _statuses(walked: World, personas: dict[str, Any]) -> dict[str, dict[str, list[Any]]]:
    """name → persona → [(status, url, location)] over every filled URL of that page."""
    clients: dict[str, Client] = {}
    for persona in PERSONAS:
        client = Client(raise_request_exception=False)
        if persona != "anonymous":
            client.force_login(personas[persona])
        clients[persona] = client
    seen: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for name, url in filled_urls(walked):
        if url.startswith("/api/"):
            continue
        for persona, client in clients.items():
            response = client.get(url)
            seen[name][persona].append(
                (response.status_code, url, response.headers.get("Location", ""))
            )
    return seen


def _signed_out(answers: list[Any]) -> bool:
    return all(status == 302 and location.startswith(SIGN_IN) for status, _, location in answers)


def _check(kind: str, persona: str, answers: list[Any]) -> str | None:
    """None when the answers fit the kind, else what is wrong."""
    statuses = [status for status, _, _ in answers]
    if kind == "public" or (kind == "post_only_public"):
        allowed = {200} if kind == "public" else {405}
        return None if set(statuses) <= allowed | {302} and 500 not in statuses else "public"
    if persona == "anonymous":
        return None if _signed_out(answers) else "anonymous not sent to sign in"
    if kind == "signed_in":
        return None if 200 in statuses else "a signed-in user is refused"
    if kind == "post_only":
        # Refused before anything is looked up, so it tells an outsider nothing either.
        return None if set(statuses) <= {405} else "a GET was not refused"
    if persona == "outsider":
        return None if set(statuses) <= {404} else "an outsider reached a study page"
    if kind in {"job", "refi_job"}:
        # A job page shows the job to whoever may see it (starter, leads), and sends a format
        # the job did not produce back to the job's page (302).
        return None if set(statuses) <= {200, 302, 403, 404} else "unexpected status"
    refused = {"coders": {"viewer"}, "lead": {"coder", "viewer"}}.get(kind, set())
    if persona in refused:
        return None if set(statuses) <= {403} else "a member below the role reached it"
    return None if 200 in statuses and set(statuses) <= {200, 404} else "a member was refused"


def test_every_page_for_every_persona(
    world: World,  # noqa: F811
    personas: dict[str, Any],
    study: Study,
    settings: Any,
) -> None:
    Study.objects.filter(pk=study.pk).update(blind_coding=False)
    # Who may create a study is a setting (tests/interviews/test_study_setup.py); here anyone.
    settings.STUDY_CREATORS = "any"
    seen = _statuses(world, personas)
    assert set(seen) == page_names()
    wrong = []
    for name, by_persona in sorted(seen.items()):
        for persona, answers in by_persona.items():
            problem = _check(EXPECTED[name], persona, answers)
            if problem:
                wrong.append(f"{name} as {persona}: {problem} {answers[:3]}")
    assert not wrong, "\n".join(wrong)
    # The lead reads every study page that is not a form's target or a staff page.
    for name, kind in EXPECTED.items():
        if kind in {"members", "coders", "lead", "job"}:
            assert any(status == 200 for status, _, _ in seen[name]["lead"]), name
