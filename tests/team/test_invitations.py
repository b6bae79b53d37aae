"""Membership by invitation (issue 14, finding 10): a lead invites, the invitee accepts.

The attack: a lead added any account (a superuser included) by username, and the answers
revealed which usernames exist. Now the answer is the same for every name, and nobody becomes a
member without accepting.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.test import Client
from rest_framework.test import APIClient

from healing.audit.models import AuditEvent
from interviews.models import Invitation, Membership, Study
from interviews.services import INVITED
from tests.factories import UserFactory

MEMBERS_API = "/api/v1/studies/study/members/"


def page_client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_client(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_answer_is_the_same_for_an_unknown_and_a_known_username(
    study: Study, lead: Any
) -> None:
    UserFactory(username="nora")
    known = api_client(lead).post(MEMBERS_API, {"username": "nora", "role": "coder"}, format="json")
    unknown = api_client(lead).post(
        MEMBERS_API, {"username": "ghost", "role": "coder"}, format="json"
    )
    assert known.status_code == unknown.status_code == 202
    strip = lambda body: {k: v for k, v in body.items() if k != "invited_name"}  # noqa: E731
    assert strip(known.json()) == strip(unknown.json())
    assert known.json()["detail"] == INVITED
    page = page_client(lead)
    known_page = page.post(
        "/studies/study/members/",
        {"action": "add", "username": "nora", "role": "viewer"},
        follow=True,
    ).content.decode()
    unknown_page = page.post(
        "/studies/study/members/",
        {"action": "add", "username": "ghost", "role": "viewer"},
        follow=True,
    ).content.decode()
    assert INVITED in known_page
    assert INVITED in unknown_page
    # The pending list shows what the lead typed, for both.
    listed = page.get("/studies/study/members/").content.decode()
    assert "nora" in listed
    assert "ghost" in listed
    events = AuditEvent.objects.filter(study=study, action="invite").order_by("id")
    assert [e.after["invited_name"] for e in events] == ["nora", "ghost", "nora", "ghost"]
    assert all("user" not in e.after for e in events)


def test_the_invitee_is_no_member_until_they_accept(study: Study, lead: Any) -> None:
    nora = UserFactory(username="nora")
    api_client(lead).post(
        MEMBERS_API, {"username": "nora", "role": "coder", "adjudicator": True}, format="json"
    )
    assert not Membership.objects.filter(study=study, user=nora).exists()
    assert page_client(nora).get("/studies/study/").status_code == 404
    assert api_client(nora).get("/api/v1/studies/study/").status_code == 404
    invitations = page_client(nora).get("/invitations/")
    assert study.title in invitations.content.decode()
    invitation = Invitation.objects.get(study=study, user=nora)
    page_client(nora).post("/invitations/", {"invitation": invitation.pk, "answer": "accept"})
    membership = Membership.objects.get(study=study, user=nora)
    assert (membership.role, membership.adjudicator) == ("coder", True)
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.ACCEPTED
    assert AuditEvent.objects.filter(
        study=study, object_type="membership", action="create", actor=nora
    ).exists()


def test_declining_changes_nothing(study: Study, lead: Any) -> None:
    nora = UserFactory(username="nora")
    api_client(lead).post(MEMBERS_API, {"username": "nora", "role": "lead"}, format="json")
    invitation = Invitation.objects.get(study=study, user=nora)
    page_client(nora).post("/invitations/", {"invitation": invitation.pk, "answer": "decline"})
    assert not Membership.objects.filter(study=study, user=nora).exists()
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.DECLINED
    again = page_client(nora).post(
        "/invitations/", {"invitation": invitation.pk, "answer": "accept"}
    )
    assert again.status_code == 404
    assert not Membership.objects.filter(study=study, user=nora).exists()


def test_someone_else_cannot_accept_an_invitation(study: Study, lead: Any, outsider: Any) -> None:
    UserFactory(username="nora")
    api_client(lead).post(MEMBERS_API, {"username": "nora", "role": "lead"}, format="json")
    invitation = Invitation.objects.get(study=study, invited_name="nora")
    response = page_client(outsider).post(
        "/invitations/", {"invitation": invitation.pk, "answer": "accept"}
    )
    assert response.status_code == 404
    assert not Membership.objects.filter(study=study, user=outsider).exists()


def test_a_superuser_cannot_be_silently_enrolled(study: Study, lead: Any) -> None:
    root = get_user_model().objects.create_superuser("root", "root@example.org", "x-long-pass")
    response = api_client(lead).post(
        MEMBERS_API, {"username": "root", "role": "viewer"}, format="json"
    )
    assert response.status_code == 202
    assert not Membership.objects.filter(study=study, user=root).exists()
    assert study.title not in page_client(root).get("/").content.decode()


def test_a_lead_withdraws_an_invitation(study: Study, lead: Any) -> None:
    nora = UserFactory(username="nora")
    api_client(lead).post(MEMBERS_API, {"username": "nora", "role": "coder"}, format="json")
    invitation = Invitation.objects.get(study=study, user=nora)
    page_client(lead).post(
        "/studies/study/members/", {"action": "withdraw", "invitation": invitation.pk}
    )
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.WITHDRAWN
    assert "nora" not in page_client(nora).get("/invitations/").content.decode().split("<main")[-1]
