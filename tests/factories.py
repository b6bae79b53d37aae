"""Factories and builders for tests. Studies and interviews go through the real services."""

from __future__ import annotations

from typing import Any

import factory
from django.contrib.auth import get_user_model

from coding.models import Code
from interviews.models import Dyad, Interview, Role, Study
from interviews.services import dyad_get_or_create, interview_import, membership_set, study_create

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            obj.save()


def make_study(
    *, lead: Any, slug: str = "study", codebook: str = "healing", **members: str
) -> Study:
    """A study led by ``lead``; ``members`` maps username to role for users that must exist."""
    study = study_create(
        slug=slug, title=slug.replace("-", " ").title(), created_by=lead, codebook=codebook
    )
    for username, role in members.items():
        membership_set(
            study=study, user=get_user_model().objects.get(username=username), role=role, actor=lead
        )
    return study


SAMPLE_TRANSCRIPT = (
    "Interviewer: How did you first meet Dr. Lee?\n"
    "\n"
    "Maria: Café talk, really 🙂. We met at the clinic in 2009 and she listened to every word.\n"
    "\n"
    "Interviewer: What happened next?\n"
    "\n"
    "Maria: She explained the diabetes with a drawing, and she never gave up on me.\n"
)


def make_interview(
    *,
    study: Study,
    dyad: str = "D01",
    perspective: str = "patient",
    text: str = SAMPLE_TRANSCRIPT,
    filename: str = "interview.txt",
    by: Any = None,
) -> Interview:
    dyad_obj: Dyad = dyad_get_or_create(study=study, label=dyad)[0]
    return interview_import(
        dyad=dyad_obj,
        perspective=perspective,
        filename=filename,
        data=text.encode("utf-8"),
        imported_by=by,
        force=True,
    ).interview


def code(study: Study, key: str) -> Code:
    return Code.objects.get(codebook__study=study, key=key)


ROLES = {"lead": Role.LEAD, "coder": Role.CODER, "coder2": Role.CODER, "viewer": Role.VIEWER}
