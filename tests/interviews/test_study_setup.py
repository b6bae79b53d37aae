"""Setting a study up: the new-study page and endpoint (who may create: STUDY_CREATORS; slug
check; reserved slugs; codebook healing, empty or copied) and the lead's settings page."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from rest_framework.test import APIClient

from coding.models import Code
from healing.audit.models import AuditEvent
from interviews.models import Membership, Role, Study
from interviews.selectors import STUDY_ARCHIVED, study_slug_available, user_may_create_study
from interviews.services import study_create, study_update
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def browser_for(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def api_for(user: Any) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def staff(db: Any) -> Any:
    return UserFactory(username="staffer", is_staff=True)


def new_study_form(**changes: str) -> dict[str, str]:
    return {"title": "Trust in primary care", "slug": "trust", "description": "Pilot.",
            "codebook": "healing", "copy_from": ""} | changes  # fmt: skip


# --- Who may create -----------------------------------------------------------------------------


def test_study_creators_setting_decides_who_may_create(
    settings: Any, coder: Any, staff: Any
) -> None:
    settings.STUDY_CREATORS = "staff"
    assert user_may_create_study(staff)
    assert not user_may_create_study(coder)
    settings.STUDY_CREATORS = "any"
    assert user_may_create_study(coder)
    coder.is_active = False
    assert not user_may_create_study(coder)


def test_non_staff_may_not_create_under_staff_on_the_page_or_the_api(
    settings: Any, coder: Any
) -> None:
    settings.STUDY_CREATORS = "staff"
    page = browser_for(coder)
    assert page.get("/studies/new/").status_code == 403
    refused = page.post("/studies/new/", new_study_form())
    assert refused.status_code == 403
    assert b"Only staff create studies" in refused.content
    answer = api_for(coder).post("/api/v1/studies/", {"slug": "trust", "title": "Trust"})
    assert answer.status_code == 403
    assert "STUDY_CREATORS=staff" in answer.json()["error"]["message"]
    assert not Study.objects.filter(slug="trust").exists()
    assert b"New study" not in page.get("/").content


def test_staff_creates_under_staff_on_the_page_and_the_api(settings: Any, staff: Any) -> None:
    settings.STUDY_CREATORS = "staff"
    page = browser_for(staff)
    assert b'href="/studies/new/"' in page.get("/").content
    response = page.post("/studies/new/", new_study_form())
    assert response.status_code == 302
    assert response["Location"] == "/studies/trust/"
    assert (
        api_for(staff).post("/api/v1/studies/", {"slug": "by-api", "title": "By API"}).status_code
        == 201
    )


def test_anyone_signed_in_creates_under_any(settings: Any, coder: Any) -> None:
    settings.STUDY_CREATORS = "any"
    page = browser_for(coder)
    assert b'href="/studies/new/"' in page.get("/").content
    assert page.get("/studies/new/").status_code == 200
    assert page.post("/studies/new/", new_study_form()).status_code == 302


def test_anonymous_is_sent_to_sign_in() -> None:
    response = Client().get("/studies/new/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# --- The new-study page -------------------------------------------------------------------------


def test_new_study_from_the_healing_codebook_makes_the_creator_lead(
    settings: Any, staff: Any
) -> None:
    settings.STUDY_CREATORS = "staff"
    response = browser_for(staff).post("/studies/new/", new_study_form(), follow=True)
    assert response.status_code == 200
    study = Study.objects.get(slug="trust")
    assert (study.title, study.description, study.created_by) == (
        "Trust in primary care", "Pilot.", staff)  # fmt: skip
    assert Membership.objects.get(study=study, user=staff).role == Role.LEAD
    assert Code.objects.filter(codebook__study=study).count() > 10
    assert AuditEvent.objects.filter(study_id=study.pk, object_type="study", action="create")
    assert "Trust in primary care" in response.content.decode()


def test_new_study_with_an_empty_codebook(settings: Any, staff: Any) -> None:
    settings.STUDY_CREATORS = "any"
    browser_for(staff).post("/studies/new/", new_study_form(codebook="empty"))
    assert not Code.objects.filter(codebook__study__slug="trust").exists()


def test_new_study_copies_the_codebook_of_a_study_of_mine(
    settings: Any, study: Study, lead: Any
) -> None:
    settings.STUDY_CREATORS = "any"
    Code.objects.filter(codebook__study=study, key="VAL").update(name="Valuing, our version")
    page = browser_for(lead)
    form = page.get("/studies/new/").content.decode()
    assert 'value="study"' in form
    assert 'value="other-study"' not in form
    response = page.post("/studies/new/", new_study_form(codebook="copy", copy_from="study"))
    assert response.status_code == 302
    copied = Code.objects.get(codebook__study__slug="trust", key="VAL")
    assert copied.name == "Valuing, our version"


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        (new_study_form(slug="study"), "slug", "already exists"),
        (new_study_form(slug="new"), "slug", "reserved"),
        (new_study_form(slug="slug-check"), "slug", "reserved"),
        (new_study_form(slug="has space"), "slug", "no spaces"),
        (new_study_form(slug=""), "slug", "Give a slug"),
        (new_study_form(title="  "), "title", "Give the study a title"),
        (new_study_form(codebook="copy", copy_from="other-study"), "copy_from",
         "one of your studies"),
        (new_study_form(codebook="copy", copy_from=""), "copy_from", "one of your studies"),
        (new_study_form(codebook="borrowed"), "codebook", "Choose where"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_naming_the_field_and_nothing_is_stored(
    settings: Any, study: Study, lead: Any, form: dict[str, str], field: str, message: str
) -> None:
    settings.STUDY_CREATORS = "any"
    page = browser_for(lead)  # (signing in is an audited event)
    studies, events = Study.objects.count(), AuditEvent.objects.count()
    response = page.post("/studies/new/", form)
    assert response.status_code == 400
    assert message in response.context["errors"][field][0]
    assert message in response.content.decode()
    assert (Study.objects.count(), AuditEvent.objects.count()) == (studies, events)
    assert response.context["values"]["title"] == form["title"].strip()  # kept for correction


def test_the_new_study_page_is_not_read_as_a_study(settings: Any, lead: Any) -> None:
    settings.STUDY_CREATORS = "any"
    response = browser_for(lead).get("/studies/new/")
    assert response.status_code == 200
    assert b'<script type="module" src="/static/js/study-new.js"></script>' in response.content
    assert b"<script>" not in response.content


# --- The service and the API --------------------------------------------------------------------


def test_study_create_refuses_a_reserved_slug(lead: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        study_create(slug="new", title="New", created_by=lead)
    assert "slug" in refused.value.message_dict
    assert not Study.objects.filter(slug="new").exists()


def test_api_create_refuses_reserved_and_existing_slugs_and_foreign_copies(
    settings: Any, study: Study, lead: Any
) -> None:
    settings.STUDY_CREATORS = "any"
    client = api_for(lead)
    for slug, words in (("new", "reserved"), ("study", "already exists")):
        answer = client.post("/api/v1/studies/", {"slug": slug, "title": "X"})
        assert answer.status_code == 400
        assert words in answer.json()["error"]["fields"]["slug"][0]
    answer = client.post(
        "/api/v1/studies/",
        {"slug": "x", "title": "X", "codebook": "copy", "copy_codebook_from": "other-study"},
    )
    assert answer.status_code == 400
    assert "copy_codebook_from" in answer.json()["error"]["fields"]
    assert not Study.objects.filter(slug="x").exists()


def test_slug_check_answers_availability_only_and_the_same_to_everyone(
    study: Study, lead: Any, outsider: Any, coder: Any
) -> None:
    def check(user: Any, slug: str) -> dict[str, Any]:
        response = api_for(user).get("/api/v1/studies/slug-check/", {"slug": slug})
        assert response.status_code == 200
        return response.json()

    free = check(lead, "brand-new")
    assert free == {"slug": "brand-new", "available": True, "message": "This slug is free."}
    taken_by_member = check(lead, "other-study")
    taken_by_outsider = check(outsider, "other-study")
    assert taken_by_member == taken_by_outsider
    assert taken_by_member["available"] is False
    assert "Other Study" not in str(taken_by_member)  # never the title
    assert check(coder, "new")["available"] is False
    assert check(coder, "a b")["available"] is False
    assert check(coder, "x" * 65)["available"] is False
    assert APIClient().get("/api/v1/studies/slug-check/?slug=x").status_code == 401


def test_archive_and_unarchive_are_audited_and_archived_takes_no_other_change(
    study: Study, lead: Any
) -> None:
    study_update(study=study, actor=lead, archived=True)
    study.refresh_from_db()
    assert study.archived
    assert study.archived_at is not None
    event = AuditEvent.objects.filter(study_id=study.pk, object_type="study").latest("id")
    assert (event.before, event.after) == ({"archived": False}, {"archived": True})
    assert event.summary == "Study archived (read-only)"
    with pytest.raises(PermissionDenied, match="archived"):
        study_update(study=study, actor=lead, title="Renamed while archived")
    study.refresh_from_db()
    assert study.title == "Study"
    study_update(study=study, actor=lead, archived=True)  # nothing to change: no error
    study_update(study=study, actor=lead, archived=False)
    study.refresh_from_db()
    assert not study.archived
    assert study.archived_at is None
    assert AuditEvent.objects.filter(study_id=study.pk, summary="Study unarchived").exists()


def test_api_archived_field_and_patch(personas: dict[str, Any], study: Study, lead: Any) -> None:
    client = api_for(lead)
    assert client.get("/api/v1/studies/study/").json()["archived"] is False
    for persona in ("coder", "viewer"):
        answer = api_for(personas[persona]).patch("/api/v1/studies/study/", {"archived": True})
        assert answer.status_code == 403
    assert (
        api_for(personas["outsider"])
        .patch("/api/v1/studies/study/", {"archived": True})
        .status_code
        == 404
    )
    answer = client.patch("/api/v1/studies/study/", {"archived": True})
    assert answer.status_code == 200
    assert answer.json()["archived"] is True
    assert answer.json()["archived_at"]
    refused = client.patch("/api/v1/studies/study/", {"title": "Renamed"})
    assert refused.status_code == 403
    assert refused.json()["error"]["message"] == STUDY_ARCHIVED
    assert client.patch("/api/v1/studies/study/", {"archived": False}).json()["archived"] is False


def test_slug_helper(study: Study) -> None:
    assert study_slug_available(slug="study") == (
        False, "A study with this slug already exists: choose another.")  # fmt: skip
    assert study_slug_available(slug="Fine_Slug-2")[0]


# --- The settings page --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("lead", 200), ("coder", 403), ("coder2", 403), ("viewer", 403), ("outsider", 404)],
)
def test_settings_page_is_the_leads(
    personas: dict[str, Any], study: Study, persona: str, status: int
) -> None:
    page = browser_for(personas[persona])
    assert page.get("/studies/study/settings/").status_code == status
    posted = page.post("/studies/study/settings/", {"action": "save", "title": "Mine now"})
    assert posted.status_code == (302 if persona == "lead" else status)
    if persona != "lead":
        assert Study.objects.get(slug="study").title == "Study"


def test_settings_page_anonymous_goes_to_sign_in(study: Study) -> None:
    response = Client().get("/studies/study/settings/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_settings_tab_only_for_leads(personas: dict[str, Any], study: Study) -> None:
    assert b'href="/studies/study/settings/"' in browser_for(personas["lead"]).get(
        "/studies/study/").content  # fmt: skip
    assert b'href="/studies/study/settings/"' not in browser_for(personas["coder"]).get(
        "/studies/study/").content  # fmt: skip


def test_settings_save_title_and_description(study: Study, lead: Any) -> None:
    response = browser_for(lead).post(
        "/studies/study/settings/",
        {"action": "save", "title": "Trust, renamed", "description": "New words."},
    )
    assert response.status_code == 302
    study.refresh_from_db()
    assert (study.title, study.description) == ("Trust, renamed", "New words.")
    event = AuditEvent.objects.filter(study_id=study.pk, object_type="study").latest("id")
    assert event.after == {"title": "Trust, renamed", "description": "New words."}


def test_settings_empty_title_is_refused(study: Study, lead: Any) -> None:
    response = browser_for(lead).post("/studies/study/settings/", {"action": "save", "title": ""})
    assert response.status_code == 400
    assert "Give the study a title" in response.content.decode()
    study.refresh_from_db()
    assert study.title == "Study"


def test_turning_blind_coding_off_asks_for_confirmation(study: Study, lead: Any) -> None:
    study_update(study=study, actor=lead, blind_coding=True)
    page = browser_for(lead)
    form = {"action": "save", "title": "Study", "description": ""}
    asked = page.post("/studies/study/settings/", form)
    assert asked.status_code == 200
    assert "I understand: reveal the codings" in asked.content.decode()
    study.refresh_from_db()
    assert study.blind_coding  # nothing changed yet
    done = page.post("/studies/study/settings/", form | {"confirm_reveal": "on"})
    assert done.status_code == 302
    study.refresh_from_db()
    assert not study.blind_coding
    # Turning it on needs no confirmation.
    page.post("/studies/study/settings/", form | {"blind_coding": "on"})
    study.refresh_from_db()
    assert study.blind_coding


def test_require_two_factor_follows_the_service_rule(study: Study, lead: Any) -> None:
    response = browser_for(lead).post(
        "/studies/study/settings/", {"action": "save", "title": "Study", "require_two_factor": "on"}
    )
    assert response.status_code == 400
    assert "two-factor" in response.content.decode()
    study.refresh_from_db()
    assert not study.require_two_factor


def test_archiving_asks_for_confirmation_then_shows_the_badge(
    personas: dict[str, Any], study: Study, lead: Any
) -> None:
    page = browser_for(lead)
    refused = page.post("/studies/study/settings/", {"action": "archive"})
    assert refused.status_code == 400
    assert "Tick “I understand”" in refused.content.decode()
    study.refresh_from_db()
    assert not study.archived
    done = page.post("/studies/study/settings/", {"action": "archive", "confirm_archive": "on"})
    assert done.status_code == 302
    study.refresh_from_db()
    assert study.archived
    for persona in ("lead", "coder", "viewer"):
        overview = browser_for(personas[persona]).get("/studies/study/")
        assert overview.status_code == 200
        assert "Archived — read-only" in overview.content.decode()
    settings_page = page.get("/studies/study/settings/").content.decode()
    assert "Unarchive the study" in settings_page
    assert 'name="title"' not in settings_page  # no form that could not be saved
    # The settings form cannot change an archived study.
    assert (
        page.post("/studies/study/settings/", {"action": "save", "title": "Sneaky"}).status_code
        == 403
    )
    assert page.post("/studies/study/settings/", {"action": "unarchive"}).status_code == 302
    study.refresh_from_db()
    assert not study.archived
    assert study.title == "Study"
