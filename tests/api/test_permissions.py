"""The permission matrix: every endpoint × every persona, with the status each must get.

Personas: the study's lead, a coder, a second coder, a viewer, an outsider (lead of another
study only) and an anonymous client. An object of a study you are not in is 404, never 403; a
role too low is 403. Writes into another study's objects are cases of their own.

Each case builds the world once and runs every persona inside a savepoint that is rolled back,
so a write by one persona never changes what the next one sees.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from rest_framework.test import APIClient

from coding.models import Coding, Layer, SavedQuery
from coding.services import CodingInput, codings_bulk_create, memo_create
from healing.jobs.models import Job, JobFile
from interviews.models import DeidEntity, DeidSpan, DeidTerm, Study
from interviews.services import (
    api_token_create,
    attribute_define,
    dyad_get_or_create,
    participant_get_or_create,
)
from tests.factories import UserFactory, code, make_interview

pytestmark = pytest.mark.django_db

PERSONAS = ("lead", "coder", "coder2", "viewer", "outsider", "anonymous")


def everyone(ok: int) -> dict[str, int]:
    return dict.fromkeys(PERSONAS, ok) | {"anonymous": 401}


def members(ok: int) -> dict[str, int]:
    return everyone(ok) | {"outsider": 404}


def lead_only(ok: int) -> dict[str, int]:
    return members(403) | {"lead": ok}


def coders(ok: int) -> dict[str, int]:
    return members(ok) | {"viewer": 403}


def other_study(ok: int) -> dict[str, int]:
    """Objects of the outsider's study: only the outsider (its lead) may touch them."""
    return dict.fromkeys(PERSONAS, 404) | {"outsider": ok, "anonymous": 401}


@dataclass
class Case:
    name: str
    method: str
    url: Callable[[dict[str, Any]], str]
    expected: dict[str, int]
    data: Callable[[dict[str, Any]], Any] | None = None
    format: str = "json"
    extra: dict[str, Any] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)


def _upload(name: str = "d09.txt") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"Interviewer: Hi?\nJo: Hello there.\n", "text/plain")


CASES = [
    # Studies (members and the rest of teamwork: tests/team/test_api.py)
    Case("list studies", "get", lambda w: "/api/v1/studies/", everyone(200)),
    # Who may create: STUDY_CREATORS (no persona is staff; tests/interviews/test_study_setup.py
    # creates as staff).
    Case("create a study (STUDY_CREATORS=any)", "post", lambda w: "/api/v1/studies/",
         everyone(201), lambda w: {"slug": "brand-new", "title": "Brand new"},
         settings={"STUDY_CREATORS": "any"}),
    Case("create a study (STUDY_CREATORS=staff)", "post", lambda w: "/api/v1/studies/",
         everyone(403), lambda w: {"slug": "brand-new", "title": "Brand new"},
         settings={"STUDY_CREATORS": "staff"}),
    Case("check a new study's slug", "get",
         lambda w: "/api/v1/studies/slug-check/?slug=brand-new", everyone(200)),
    Case("read a study", "get", lambda w: "/api/v1/studies/study/", members(200)),
    Case("change a study", "patch", lambda w: "/api/v1/studies/study/", lead_only(200),
         lambda w: {"title": "Renamed"}),
    # Attribute definitions
    Case("list attributes", "get", lambda w: "/api/v1/attributes/", everyone(200)),
    Case("read an attribute", "get", lambda w: f"/api/v1/attributes/{w['attribute']}/",
         members(200)),
    Case("define an attribute", "post", lambda w: "/api/v1/attributes/", lead_only(201),
         lambda w: {"study": "study", "entity": "dyad", "key": "visits", "type": "integer"}),
    Case("relabel an attribute", "patch", lambda w: f"/api/v1/attributes/{w['attribute']}/",
         lead_only(200), lambda w: {"label": "Years known"}),
    Case("retype an attribute", "patch", lambda w: f"/api/v1/attributes/{w['attribute']}/",
         lead_only(200), lambda w: {"type": "decimal"}),
    Case("delete an attribute", "delete", lambda w: f"/api/v1/attributes/{w['attribute']}/",
         lead_only(204)),
    Case("relabel another study's attribute", "patch",
         lambda w: f"/api/v1/attributes/{w['other_attribute']}/", other_study(200),
         lambda w: {"label": "Mine"}),
    # Participants
    Case("list participants", "get", lambda w: "/api/v1/participants/", everyone(200)),
    Case("read a participant", "get", lambda w: f"/api/v1/participants/{w['participant']}/",
         members(200)),
    Case("add a participant", "post", lambda w: "/api/v1/participants/", lead_only(201),
         lambda w: {"study": "study", "role": "patient", "pseudonym": "P9"}),
    Case("rename a participant", "patch",
         lambda w: f"/api/v1/participants/{w['participant']}/", lead_only(200),
         lambda w: {"pseudonym": "Dr. Free, again"}),
    Case("delete a participant", "delete",
         lambda w: f"/api/v1/participants/{w['participant']}/", lead_only(204)),
    Case("delete another study's participant", "delete",
         lambda w: f"/api/v1/participants/{w['other_participant']}/", other_study(204)),
    # Dyads
    Case("list dyads", "get", lambda w: "/api/v1/dyads/", everyone(200)),
    Case("read a dyad", "get", lambda w: f"/api/v1/dyads/{w['dyad']}/", members(200)),
    Case("create a dyad", "post", lambda w: "/api/v1/dyads/", lead_only(201),
         lambda w: {"study": "study", "label": "D09", "clinician": "Dr. New"}),
    Case("change a dyad", "patch", lambda w: f"/api/v1/dyads/{w['dyad']}/", lead_only(200),
         lambda w: {"attributes": {"years": 3}}),
    Case("delete an uncoded dyad", "delete", lambda w: f"/api/v1/dyads/{w['empty_dyad']}/",
         lead_only(204)),
    Case("delete a coded dyad", "delete", lambda w: f"/api/v1/dyads/{w['dyad']}/",
         lead_only(400)),
    Case("rename another study's dyad", "patch", lambda w: f"/api/v1/dyads/{w['other_dyad']}/",
         other_study(200), lambda w: {"label": "Taken over"}),
    Case("put another study's clinician in a dyad", "patch",
         lambda w: f"/api/v1/dyads/{w['dyad']}/", lead_only(400),
         lambda w: {"clinician": w["other_participant"]}),
    # The dyads table's paste box
    Case("preview a paste into the dyads table", "post",
         lambda w: "/api/v1/studies/study/dyads/paste/", lead_only(200),
         lambda w: {"text": "Dyad\tDyad: Years\nD01\t3\n", "apply": False}),
    Case("apply a paste into the dyads table", "post",
         lambda w: "/api/v1/studies/study/dyads/paste/", lead_only(200),
         lambda w: {"text": "Dyad\tDyad: Years\nD01\t3\n", "apply": True}),
    Case("paste into another study's dyads table", "post",
         lambda w: "/api/v1/studies/other-study/dyads/paste/", other_study(200),
         lambda w: {"text": "Dyad\tDyad: Size\nO1\tbig\n", "apply": True}),
    # Interviews
    Case("list interviews", "get", lambda w: "/api/v1/interviews/", everyone(200)),
    Case("read an interview", "get", lambda w: f"/api/v1/interviews/{w['interview']}/",
         members(200)),
    Case("upload a transcript", "post", lambda w: "/api/v1/interviews/", lead_only(201),
         lambda w: {"file": _upload(), "study": "study", "dyad": "D09",
                    "perspective": "patient"}, "multipart"),
    Case("import transcripts as a job", "post", lambda w: "/api/v1/interviews/batch/",
         lead_only(202),
         lambda w: {"files": [_upload("a.txt")], "study": "study",
                    "items": json.dumps([{"file": "a.txt", "dyad": "D09",
                                          "perspective": "patient"}])}, "multipart"),
    Case("describe an interview", "patch", lambda w: f"/api/v1/interviews/{w['interview']}/",
         lead_only(200), lambda w: {"title": "First visit", "conducted_on": "2024-05-01"}),
    Case("delete an uncoded interview", "delete",
         lambda w: f"/api/v1/interviews/{w['uncoded_interview']}/", lead_only(204)),
    Case("open the workspace", "get",
         lambda w: f"/api/v1/interviews/{w['interview']}/workspace/", members(200)),
    Case("poll for changes", "get",
         lambda w: f"/api/v1/interviews/{w['interview']}/changes/?since=0", members(200)),
    Case("read another study's interview", "get",
         lambda w: f"/api/v1/interviews/{w['other_interview']}/", other_study(200)),
    Case("upload into another study", "post", lambda w: "/api/v1/interviews/",
         other_study(201),
         lambda w: {"file": _upload(), "study": "other-study", "dyad": "X1",
                    "perspective": "patient"}, "multipart"),
    # Codebook and codes
    Case("list codes", "get", lambda w: "/api/v1/codes/", everyone(200)),
    Case("read a code", "get", lambda w: f"/api/v1/codes/{w['code']}/", members(200)),
    Case("read the codebook", "get", lambda w: "/api/v1/studies/study/codebook/", members(200)),
    Case("add a code", "post", lambda w: "/api/v1/codes/", lead_only(201),
         lambda w: {"study": "study", "key": "NEW", "name": "New code"}),
    Case("rename a code", "patch", lambda w: f"/api/v1/codes/{w['code']}/", lead_only(200),
         lambda w: {"name": "Valuing, renamed"}),
    Case("rename another study's code", "patch", lambda w: f"/api/v1/codes/{w['other_code']}/",
         other_study(200), lambda w: {"name": "Mine now"}),
    # Codings
    Case("list codings", "get", lambda w: "/api/v1/codings/", everyone(200)),
    Case("read a coding", "get", lambda w: f"/api/v1/codings/{w['coding']}/", members(200)),
    Case("code a passage", "post", lambda w: "/api/v1/codings/", coders(201),
         lambda w: {"interview": w["interview"], "code_key": "OUT.HOPE", "start": 2, "end": 9}),
    Case("code in bulk", "post", lambda w: "/api/v1/codings/bulk/", coders(201),
         lambda w: {"interview": w["interview"],
                    "items": [{"code_key": "OUT.HOPE", "start": 2, "end": 9}]}),
    Case("change a coder's own coding", "patch", lambda w: f"/api/v1/codings/{w['coding']}/",
         members(403) | {"coder": 200}, lambda w: {"memo": "mine"}),
    Case("delete a coder's own coding", "delete", lambda w: f"/api/v1/codings/{w['coding']}/",
         members(403) | {"coder": 204}),
    Case("change the consensus", "patch", lambda w: f"/api/v1/codings/{w['consensus']}/",
         lead_only(200), lambda w: {"memo": "settled"}),
    Case("code another study's interview", "post", lambda w: "/api/v1/codings/",
         other_study(201),
         lambda w: {"interview": w["other_interview"], "code_key": "VAL", "start": 0, "end": 4}),
    Case("code with another study's code", "post", lambda w: "/api/v1/codings/",
         coders(400),
         lambda w: {"interview": w["interview"], "code": w["other_code"], "start": 0, "end": 4}),
    # Memos
    Case("list memos", "get", lambda w: "/api/v1/memos/", everyone(200)),
    Case("read a memo", "get", lambda w: f"/api/v1/memos/{w['memo']}/", members(200)),
    Case("write a memo", "post", lambda w: "/api/v1/memos/", coders(201),
         lambda w: {"study": "study", "body": "A thought.", "interview": w["interview"]}),
    Case("edit a coder's memo", "patch", lambda w: f"/api/v1/memos/{w['memo']}/",
         members(403) | {"coder": 200, "lead": 200}, lambda w: {"body": "Edited."}),
    Case("delete a coder's memo", "delete", lambda w: f"/api/v1/memos/{w['memo']}/",
         members(403) | {"coder": 204, "lead": 204}),
    Case("memo on another study's dyad", "post", lambda w: "/api/v1/memos/",
         coders(404),
         lambda w: {"study": "study", "body": "Sneaky.", "dyad": w["other_dyad"]}),
    # Jobs
    Case("list jobs", "get", lambda w: "/api/v1/jobs/", everyone(200)),
    Case("read the lead's job", "get", lambda w: f"/api/v1/jobs/{w['job']}/",
         members(404) | {"lead": 200}),
    Case("download the lead's job file", "get",
         lambda w: f"/api/v1/jobs/{w['job']}/files/{w['job_file']}/",
         members(404) | {"lead": 200}),
    # Only who started a job, or a lead of its study, cancels it (an ended job stays as it is).
    Case("cancel the lead's job", "post", lambda w: f"/api/v1/jobs/{w['job']}/cancel/",
         members(404) | {"lead": 200}),
    # Personal tokens
    Case("list my tokens", "get", lambda w: "/api/v1/tokens/", everyone(200)),
    Case("create a token", "post", lambda w: "/api/v1/tokens/", everyone(201),
         lambda w: {"name": "scripts"}),
    Case("revoke the lead's token", "delete", lambda w: f"/api/v1/tokens/{w['token']}/",
         members(404) | {"lead": 204}),
    # Exports and imports
    Case("list export formats", "get", lambda w: "/api/v1/studies/study/exports/", members(200)),
    Case("export coded segments", "get", lambda w: "/api/v1/studies/study/exports/csv/",
         members(200)),
    Case("export the whole study", "get", lambda w: "/api/v1/studies/study/exports/json/",
         members(200)),
    Case("export the codebook", "get",
         lambda w: "/api/v1/studies/study/codebook/exports/md/", members(200)),
    Case("export as a job", "post", lambda w: "/api/v1/studies/study/exports/", members(202),
         lambda w: {"format": "matrix-xlsx"}),
    Case("export another study", "get", lambda w: "/api/v1/studies/other-study/exports/csv/",
         other_study(200)),
    # Staff only (HEALING_STUDY_IMPORT=staff): no persona is staff; tests/coding/
    # test_import_provenance.py imports as staff.
    Case("import a study", "post", lambda w: "/api/v1/study-imports/", everyone(403),
         lambda w: {"file": SimpleUploadedFile("s.json", w["study_json"]()),
                    "slug": "imported"}, "multipart"),
    Case("audit trail as CSV", "get", lambda w: "/api/v1/studies/study/audit-trail.csv",
         lead_only(200)),
    # The comparison (analysis) reads
    *[Case(f"comparison {view}", "get",
           lambda w, view=view: f"/api/v1/studies/study/comparison/{view}/?group_by=dyad.years",
           members(200))
      for view in ("matrix", "prevalence", "process-outcome", "subgroups", "framework")],
    Case("code relations", "get",
         lambda w: "/api/v1/studies/study/comparison/relations/?cooccur=within&window=2",
         members(200)),
    Case("code × attribute crosstab", "get",
         lambda w: "/api/v1/studies/study/comparison/crosstab/?attribute=dyad.years",
         members(200)),
    Case("word frequencies", "get",
         lambda w: "/api/v1/studies/study/comparison/words/?source=role", members(200)),
    Case("a word in context", "get",
         lambda w: "/api/v1/studies/study/comparison/words/kwic/?word=clinic", members(200)),
    Case("read the study's stop words", "get",
         lambda w: "/api/v1/studies/study/comparison/stop-words/", members(200)),
    Case("replace the study's stop words", "put",
         lambda w: "/api/v1/studies/study/comparison/stop-words/", lead_only(200),
         lambda w: {"words": ["clinic", "Dr"]}),
    Case("replace another study's stop words", "put",
         lambda w: "/api/v1/studies/other-study/comparison/stop-words/", other_study(200),
         lambda w: {"words": ["clinic"]}),
    Case("comparison of another study", "get",
         lambda w: "/api/v1/studies/other-study/comparison/matrix/", other_study(200)),
    Case("saturation curve", "get",
         lambda w: "/api/v1/studies/study/saturation/?order=dyad&layer=best", members(200)),
    Case("saturation of another study", "get",
         lambda w: "/api/v1/studies/other-study/saturation/", other_study(200)),
    # Retrieval: every member reads segments (blind coding: tests/retrieval/test_segments.py)
    Case("retrieve segments", "get",
         lambda w: "/api/v1/studies/study/segments/?code=VAL&role=patient", members(200)),
    Case("segments of another study", "get",
         lambda w: "/api/v1/studies/other-study/segments/", other_study(200)),
    # Speakers of an interview (members read; the lead corrects a role) and autocode by speaker
    # De-identification review (reviewers: the leads and the members they name)
    Case("read a de-identification review", "get",
         lambda w: f"/api/v1/interviews/{w['interview']}/deid/", lead_only(200)),
    Case("propose identifiers", "post",
         lambda w: f"/api/v1/interviews/{w['interview']}/deid/propose/", lead_only(200)),
    Case("add a missed identifier", "post",
         lambda w: f"/api/v1/interviews/{w['interview']}/deid/spans/", lead_only(201),
         data=lambda w: {"start": 40, "end": 43, "kind": "PERSON"}),
    Case("decide on a span", "patch",
         lambda w: f"/api/v1/interviews/{w['interview']}/deid/spans/{w['deid_span']}/",
         lead_only(200), data=lambda w: {"kind": "LOCATION"}),
    Case("accept an entity study-wide", "post",
         lambda w: f"/api/v1/interviews/{w['interview']}/deid/spans/{w['deid_span']}/accept-all/",
         lead_only(200)),
    Case("rename an entity's replacement", "patch",
         lambda w: f"/api/v1/interviews/{w['interview']}/deid/entities/{w['deid_entity']}/",
         lead_only(200), data=lambda w: {"replacement": "Noah"}),
    Case("mark a review complete", "post",
         lambda w: f"/api/v1/interviews/{w['uncoded_interview']}/deid/complete/",
         lead_only(200)),
    Case("apply a review", "post",
         lambda w: f"/api/v1/interviews/{w['interview']}/deid/apply/", lead_only(200)),
    Case("another study's review", "get",
         lambda w: f"/api/v1/interviews/{w['other_interview']}/deid/", other_study(200)),
    # The study's private names and places lists (leads only)
    Case("read the names and places lists", "get",
         lambda w: "/api/v1/studies/study/deid/terms/", lead_only(200)),
    Case("add to the names list", "post",
         lambda w: "/api/v1/studies/study/deid/terms/", lead_only(201),
         data=lambda w: {"list": "names", "texts": ["Evelyn Shaw"]}),
    Case("remove from the places list", "delete",
         lambda w: f"/api/v1/studies/study/deid/terms/{w['deid_term']}/", lead_only(204)),
    Case("another study's lists", "get",
         lambda w: "/api/v1/studies/other-study/deid/terms/", other_study(200)),
    Case("read an interview's speakers", "get",
         lambda w: f"/api/v1/interviews/{w['interview']}/speakers/", members(200)),
    Case("correct a speaker's role", "patch",
         lambda w: f"/api/v1/interviews/{w['interview']}/speakers/", lead_only(200),
         lambda w: {"speaker": "Maria", "role": "patient"}),
    Case("correct a speaker in another study", "patch",
         lambda w: f"/api/v1/interviews/{w['other_interview']}/speakers/", other_study(200),
         lambda w: {"speaker": "Maria", "role": "patient"}),
    Case("autocode by speaker", "post", lambda w: "/api/v1/studies/study/autocode/",
         lead_only(202), lambda w: {"code": "VAL", "role": "interviewer"}),
    Case("undo an autocode run", "post",
         lambda w: f"/api/v1/studies/study/autocode/{w['autocode_job']}/undo/", lead_only(200)),
    Case("undo another study's autocode run", "post",
         lambda w: f"/api/v1/studies/other-study/autocode/{w['autocode_job']}/undo/",
         other_study(404)),
    # Coding queries: every member runs them (a POST that writes nothing); coders and leads save;
    # the author or a lead changes and deletes (the lead saved this one).
    Case("run a coding query", "post", lambda w: "/api/v1/studies/study/queries/run/",
         members(200), lambda w: {"query": {"followed_by": [{"code": "VAL"}, {"code": "VAL"}],
                                            "turns": 1}}),
    Case("list saved queries", "get", lambda w: "/api/v1/studies/study/queries/", members(200)),
    Case("save a coding query", "post", lambda w: "/api/v1/studies/study/queries/",
         coders(201), lambda w: {"name": "Valuing", "query": {"code": "VAL"}}),
    Case("read a saved query", "get",
         lambda w: f"/api/v1/studies/study/queries/{w['saved_query']}/", members(200)),
    Case("rename a saved query", "patch",
         lambda w: f"/api/v1/studies/study/queries/{w['saved_query']}/", lead_only(200),
         lambda w: {"name": "Renamed"}),
    Case("delete a saved query", "delete",
         lambda w: f"/api/v1/studies/study/queries/{w['saved_query']}/", lead_only(204)),
    Case("re-run a saved query", "post",
         lambda w: f"/api/v1/studies/study/queries/{w['saved_query']}/run/", members(200),
         lambda w: {}),
    Case("the query grammar's JSON Schema", "get", lambda w: "/api/v1/queries/schema/",
         everyone(200) | {"anonymous": 200}),
    # Full-text search (members) and coding its hits (coders and leads; the undo is the
    # autocode undo: the run's own coder, or a lead)
    Case("search the transcripts", "get", lambda w: "/api/v1/studies/study/search/?q=trust",
         members(200)),
    Case("search another study", "get", lambda w: "/api/v1/studies/other-study/search/?q=x",
         other_study(200)),
    Case("code search hits", "post", lambda w: "/api/v1/studies/study/search/code/",
         coders(202), lambda w: {"q": "trust", "code": "VAL"}),
    Case("undo a coder's search coding", "post",
         lambda w: f"/api/v1/studies/study/autocode/{w['search_code_job']}/undo/",
         members(403) | {"lead": 200, "coder": 200}),
    # Schema and docs are public
    Case("the schema", "get", lambda w: "/api/schema/", everyone(200) | {"anonymous": 200}),
]  # fmt: skip


@pytest.fixture
def world(
    study: Study, lead: Any, coder: Any, coder2: Any, viewer: Any, outsider: Any
) -> dict[str, Any]:
    from coding.exchange.registry import ExportOptions
    from coding.exports import export_study_bytes, study_format

    other = Study.objects.get(slug="other-study")
    UserFactory(username="newbie")
    interview = make_interview(study=study, by=lead)
    uncoded = make_interview(study=study, dyad="D03", perspective="clinician", by=lead)
    empty_dyad, _ = dyad_get_or_create(study=study, label="D02")
    attribute = attribute_define(study=study, entity="dyad", key="years", type="integer")
    participant = participant_get_or_create(study=study, role="clinician", pseudonym="Dr. Free")
    coding = codings_bulk_create(
        interview=interview, coder=coder, items=[CodingInput(code(study, "VAL").pk, 0, 11)]
    )[0]
    consensus = codings_bulk_create(
        interview=interview,
        coder=lead,
        layer=Layer.CONSENSUS,
        items=[CodingInput(code(study, "VAL").pk, 0, 11)],
    )[0]
    memo = memo_create(study=study, author=coder, body="Coder's memo.")
    job = Job.objects.create(kind="export", user=lead, study=study)
    job_file = JobFile.objects.create(
        job=job, direction="output", name="x.csv", content_type="text/csv", size=3, data=b"a,b"
    )
    autocode_job = Job.objects.create(
        kind="autocode",
        user=lead,
        study=study,
        state="succeeded",
        result={"code": code(study, "VAL").pk, "coder": lead.pk, "codings": [], "undone": None},
    )
    search_code_job = Job.objects.create(
        kind="search_code",
        user=coder,
        study=study,
        state="succeeded",
        result={"code": code(study, "VAL").pk, "coder": coder.pk, "codings": [], "undone": None},
    )
    token, _ = api_token_create(user=lead, name="lead's")
    deid_entity = DeidEntity.objects.create(
        study=study, kind="PERSON", digest="0" * 64, replacement="Ella"
    )
    deid_span = DeidSpan.objects.create(
        interview=interview, start=0, end=11, kind="PERSON", status="accepted", entity=deid_entity
    )
    deid_term = DeidTerm.objects.create(study=study, list="places", text="Millbrook")
    other_interview = make_interview(study=other, dyad="O1", by=outsider)
    codings_bulk_create(
        interview=other_interview,
        coder=outsider,
        items=[CodingInput(code(other, "VAL").pk, 0, 11)],
    )
    other_participant = participant_get_or_create(
        study=other, role="clinician", pseudonym="Dr. Other"
    )
    saved_query = SavedQuery.objects.create(
        study=study, name="Lead's query", query={"code": "VAL"}, author=lead
    )
    other_attribute = attribute_define(study=other, entity="dyad", key="size", type="text")

    def study_json() -> bytes:
        return export_study_bytes(
            study=study, fmt=study_format("json"), options=ExportOptions(), via="command"
        )

    assert Coding.objects.count() == 3
    return {
        "users": {"lead": lead, "coder": coder, "coder2": coder2, "viewer": viewer,
                  "outsider": outsider, "anonymous": None},
        "interview": interview.pk,
        "uncoded_interview": uncoded.pk,
        "dyad": interview.dyad_id,
        "empty_dyad": empty_dyad.pk,
        "attribute": attribute.pk,
        "participant": participant.pk,
        "code": code(study, "VAL").pk,
        "coding": coding.pk,
        "consensus": consensus.pk,
        "memo": memo.pk,
        "job": job.pk,
        "job_file": job_file.pk,
        "autocode_job": autocode_job.pk,
        "search_code_job": search_code_job.pk,
        "token": token.pk,
        "deid_span": deid_span.pk,
        "deid_entity": deid_entity.pk,
        "deid_term": deid_term.pk,
        "other_interview": other_interview.pk,
        "other_dyad": other_interview.dyad_id,
        "other_participant": other_participant.pk,
        "other_attribute": other_attribute.pk,
        "other_code": code(other, "VAL").pk,
        "saved_query": saved_query.pk,
        "study_json": study_json,
    }  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_permission_matrix(case: Case, world: dict[str, Any], settings: Any) -> None:
    for name, value in case.settings.items():
        setattr(settings, name, value)
    got: dict[str, int] = {}
    for persona in PERSONAS:
        client = APIClient()
        user = world["users"][persona]
        if user is not None:
            client.force_authenticate(user)
        with transaction.atomic():
            payload = case.data(world) if case.data else None
            response = getattr(client, case.method)(
                case.url(world), payload, format=case.format if payload is not None else None
            )
            got[persona] = response.status_code
            if response.status_code >= 400 and response.status_code != 401:
                body = response.json()
                assert body["error"]["status"] == response.status_code, body
            transaction.set_rollback(True)
    assert got == case.expected


def test_every_endpoint_of_the_schema_is_in_the_matrix() -> None:
    """A new endpoint must join the matrix: every path of the schema is covered by a case."""
    from drf_spectacular.generators import SchemaGenerator

    paths = set(SchemaGenerator().get_schema(request=None, public=True)["paths"])
    covered = {
        "/api/v1/studies/", "/api/v1/studies/{slug}/", "/api/v1/studies/slug-check/",
        "/api/v1/attributes/",
        "/api/v1/attributes/{id}/", "/api/v1/participants/", "/api/v1/participants/{id}/",
        "/api/v1/dyads/", "/api/v1/dyads/{id}/", "/api/v1/interviews/",
        "/api/v1/interviews/{id}/", "/api/v1/interviews/batch/",
        "/api/v1/interviews/{id}/workspace/", "/api/v1/interviews/{id}/changes/",
        "/api/v1/codes/", "/api/v1/codes/{id}/", "/api/v1/studies/{slug}/codebook/",
        "/api/v1/codings/", "/api/v1/codings/{id}/", "/api/v1/codings/bulk/", "/api/v1/memos/",
        "/api/v1/memos/{id}/", "/api/v1/jobs/", "/api/v1/jobs/{id}/", "/api/v1/jobs/{id}/cancel/",
        "/api/v1/jobs/{id}/files/{file_id}/", "/api/v1/tokens/", "/api/v1/tokens/{id}/",
        "/api/v1/studies/{slug}/exports/", "/api/v1/studies/{slug}/exports/{fmt}/",
        "/api/v1/studies/{slug}/codebook/exports/{fmt}/", "/api/v1/study-imports/",
        "/api/v1/studies/{slug}/comparison/matrix/",
        "/api/v1/studies/{slug}/comparison/prevalence/",
        "/api/v1/studies/{slug}/comparison/process-outcome/",
        "/api/v1/studies/{slug}/comparison/subgroups/",
        "/api/v1/studies/{slug}/comparison/framework/",
        "/api/v1/studies/{slug}/comparison/relations/",
        "/api/v1/studies/{slug}/comparison/crosstab/",
        "/api/v1/studies/{slug}/comparison/words/",
        "/api/v1/studies/{slug}/comparison/words/kwic/",
        "/api/v1/studies/{slug}/comparison/stop-words/",
        "/api/v1/studies/{slug}/saturation/", "/api/v1/studies/{slug}/segments/",
        "/api/v1/studies/{slug}/audit-trail.csv", "/api/v1/studies/{slug}/dyads/paste/",
        "/api/v1/interviews/{id}/speakers/",
        "/api/v1/studies/{slug}/queries/", "/api/v1/studies/{slug}/queries/run/",
        "/api/v1/studies/{slug}/queries/{id}/", "/api/v1/studies/{slug}/queries/{id}/run/",
        "/api/v1/queries/schema/",
        "/api/v1/interviews/{id}/deid/", "/api/v1/interviews/{id}/deid/propose/",
        "/api/v1/interviews/{id}/deid/spans/", "/api/v1/interviews/{id}/deid/spans/{span_id}/",
        "/api/v1/interviews/{id}/deid/spans/{span_id}/accept-all/",
        "/api/v1/interviews/{id}/deid/entities/{entity_id}/",
        "/api/v1/interviews/{id}/deid/complete/", "/api/v1/interviews/{id}/deid/apply/",
        "/api/v1/studies/{slug}/deid/terms/", "/api/v1/studies/{slug}/deid/terms/{term_id}/",
        "/api/v1/studies/{slug}/autocode/", "/api/v1/studies/{slug}/autocode/{job_id}/undo/",
        "/api/v1/studies/{slug}/search/", "/api/v1/studies/{slug}/search/code/",
    }  # fmt: skip
    # REFI-QDA's endpoints have their persona matrix in tests/coding/refi/test_api.py, and
    # teamwork's (members, assignments, agreement, adjudication, …) in tests/team/test_api.py,
    # the case study's in tests/casestudy/test_api.py.
    elsewhere = {path for path in paths if "/refi/" in path or "/case-study/" in path}
    elsewhere |= team_paths()
    assert paths - covered - elsewhere == set(), "add cases for these endpoints to the matrix"


def team_paths() -> set[str]:
    """The schema paths of coding.team.api's routes."""
    import re

    from coding.team.api import TEAM_URLS

    paths = {"/api/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(r.pattern)) for r in TEAM_URLS}
    return {path.replace("{pk}", "{id}") for path in paths}  # the schema names pk "id"
