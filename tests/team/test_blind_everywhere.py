"""Blind coding is blind everywhere: while a study codes blind, coder A walks every page (every
URL pattern of the project) and every API operation (every GET of the OpenAPI schema), with the
layer and coder query parameters that ask for other coders' work, and finds nothing of coder B's:
not their memos, not their codings' notes, not their name next to counts or layers.

The same walk as the lead finds B's work in many responses, so the walk does reach it: a walk
that reaches nothing proves nothing. Path parameters are filled with the blind study's objects,
chosen by parameter name and the path segment before it, so a new page or endpoint is walked
without anyone listing it here.
"""

from __future__ import annotations

import gzip
import io
import itertools
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch
from rest_framework.test import APIClient

from coding.comparison.views import CHARTS, VIEW_LABELS
from coding.exchange.registry import CODEBOOK_EXPORTS, STUDY_EXPORTS, load_formats
from coding.models import Adjudication, Assignment, Coding, Layer, SavedQuery
from coding.services import CodingInput, codings_bulk_create, memo_create
from coding.team.reports import AgreementRequest, agreement_report_start
from healing.jobs.models import Job, JobFile
from interviews.models import DeidEntity, DeidSpan, DeidTerm, Interview, Membership, Study
from interviews.selectors import ADJUDICATION_BLIND
from interviews.services import api_token_create, attribute_define, participant_get_or_create
from tests.factories import code, make_interview
from tests.team.conftest import span

pytestmark = pytest.mark.django_db

# Every memo B writes and every note on B's codings carries this; none may reach A.
SECRET = "B-SECRET"
# B's full name: next to counts, layers, progress or authorship it tells what B did. The team
# page and the members endpoint list B as a member (who is in the team is not blind), so the
# name is allowed there, and the count columns are checked separately.
B_NAME = "Ben Clarke"
MEMBER_LISTS = ("team-members", "team-api-members", "v1_studies_members_list")

load_formats()


def probe_queries(a: Any, b: Any) -> list[str]:
    """Query strings tried on every page and operation as the blinded coder: the parameters
    that choose a layer or another coder (one set of names serves pages, API and exports), each
    also with one of the comparison page's views."""
    asking_for_b = [
        f"layer=all&a={b.pk}&b={a.pk}&as=xlsx&show=all&status=all",
        f"layer=coder&coder={b.pk}&a={b.pk}&b=consensus&as=csv",
        f"layer=individual&coder={b.username}&author={b.username}&actor={b.username}",
    ]
    views = list(VIEW_LABELS)
    count = max(len(views), len(asking_for_b))
    return [
        "",
        *(
            f"?view={views[i % len(views)]}&{asking_for_b[i % len(asking_for_b)]}"
            for i in range(count)
        ),
    ]


@dataclass
class World:
    study: Study
    a: Any
    b: Any
    lead: Any
    interviews: list[Interview]
    ids: dict[str, list[Any]] = field(default_factory=dict)


@pytest.fixture
def world(
    study: Study, lead: Any, coder: Any, coder2: Any, django_capture_on_commit_callbacks: Any
) -> World:
    """Study "study" coded by A (``coder``, also named adjudicator) and B (``coder2``); B alone
    uses OUT.TRUST. A ran an agreement report and an export in an earlier, revealed round; then
    the lead switched blind coding on for a new round, and A exported what blind coding allows."""
    patient = make_interview(study=study, by=lead)
    clinician = make_interview(study=study, perspective="clinician", by=lead)
    dyad = patient.dyad

    def item(interview: Interview, key: str, words: str, memo: str) -> CodingInput:
        start, end = span(interview, words)
        return CodingInput(code_id=code(study, key).pk, start=start, end=end, memo=memo)

    a_codings = codings_bulk_create(
        interview=patient,
        coder=coder,
        items=[item(patient, "VAL.PRES.ATT", "she listened to every word", "A own note")],
    )
    b_codings = [
        *codings_bulk_create(
            interview=patient,
            coder=coder2,
            items=[
                item(patient, "OUT.TRUST", "We met at the clinic", f"{SECRET}-CODING-NOTE"),
                item(patient, "ABI.NGU", "she never gave up on me", f"{SECRET}-CODING-NOTE-2"),
            ],
        ),
        *codings_bulk_create(
            interview=clinician,
            coder=coder2,
            items=[item(clinician, "OUT.TRUST", "diabetes", f"{SECRET}-CLINICIAN-NOTE")],
        ),
    ]
    b_only_code = code(study, "OUT.TRUST")
    memos = [
        memo_create(study=study, author=coder2, body=f"{SECRET}-STUDY-MEMO"),
        memo_create(study=study, author=coder2, body=f"{SECRET}-CODE-MEMO", code=b_only_code),
        memo_create(study=study, author=coder2, body=f"{SECRET}-DYAD-MEMO", dyad=dyad),
        memo_create(
            study=study, author=coder2, title=f"{SECRET}-TITLE", body="x", interview=patient
        ),
        memo_create(study=study, author=coder2, body=f"{SECRET}-CODING-MEMO", coding=b_codings[0]),
        # The lead's note on B's coding would show what B coded.
        memo_create(study=study, author=lead, body=f"{SECRET}-LEAD-ON-B", coding=b_codings[0]),
        memo_create(study=study, author=coder, body="A's own memo", interview=patient),
        memo_create(study=study, author=lead, body="Lead guidance for the team"),
    ]
    saved_queries = [
        # B's saved query is B's work: hidden from A while blind (the lead's is shared).
        SavedQuery.objects.create(
            study=study, name=f"{SECRET}-QUERY", query={"code": "OUT.TRUST"}, author=coder2
        ),
        SavedQuery.objects.create(
            study=study, name="Lead's query", query={"code": "VAL"}, author=lead
        ),
    ]
    assignments = [
        Assignment.objects.create(interview=patient, coder=person, assigned_by=lead)
        for person in (coder, coder2)
    ]
    participant = participant_get_or_create(study=study, role="clinician", pseudonym="Dr. Lee")
    attribute = attribute_define(study=study, entity="dyad", key="years", type="integer")
    token, _ = api_token_create(user=coder, name="A's token")
    with django_capture_on_commit_callbacks(execute=True):
        earlier_report = agreement_report_start(
            study=study,
            user=coder,
            request=AgreementRequest(scope="study", unit="turn", coders=[coder.pk, coder2.pk]),
        )
        earlier_export = APIClient()
        earlier_export.force_authenticate(coder)
        response = earlier_export.post(
            f"/api/v1/studies/{study.slug}/exports/", {"format": "csv"}, format="json"
        )
        assert response.status_code == 202, response.content
    Membership.objects.filter(study=study, user=coder).update(adjudicator=True)
    Study.objects.filter(pk=study.pk).update(blind_coding=True)
    study.refresh_from_db()

    blinded = APIClient()
    blinded.force_authenticate(coder)
    allowed = [("consensus", ""), ("all", coder.username)]
    with django_capture_on_commit_callbacks(execute=True):
        for fmt in sorted(STUDY_EXPORTS):
            # Everything ("all", no coder) is refused while blind; the allowed layers run (the
            # default, "best", narrows to the consensus where complete and the coder's own).
            refused = blinded.post(
                f"/api/v1/studies/{study.slug}/exports/",
                {"format": fmt, "layer": "all"},
                format="json",
            )
            assert refused.status_code == 403, (fmt, refused.content)
            for layer, who in allowed:
                started = blinded.post(
                    f"/api/v1/studies/{study.slug}/exports/",
                    {"format": fmt, "layer": layer, "coder": who},
                    format="json",
                )
                assert started.status_code == 202, (fmt, started.content)
    jobs = list(Job.objects.filter(study=study).values_list("pk", flat=True))
    files = list(JobFile.objects.filter(job__study=study).values_list("pk", flat=True))
    assert Job.objects.filter(pk=earlier_report.pk, state="succeeded").exists()
    interviews = [patient, clinician]
    # A de-identification review under way (the review's paths take a span and an entity).
    entity = DeidEntity.objects.create(
        study=study, kind="PERSON", digest="0" * 64, replacement="Ella"
    )
    deid_span = DeidSpan.objects.create(
        interview=patient, start=0, end=5, kind="PERSON", entity=entity
    )
    deid_term = DeidTerm.objects.create(study=study, list="names", text="Evelyn")
    return World(
        study=study,
        a=coder,
        b=coder2,
        lead=lead,
        interviews=interviews,
        ids={
            "slug": [study.slug],
            "interviews": [i.pk for i in interviews],
            "dyads": [dyad.pk],
            "codings": [a_codings[0].pk, *(c.pk for c in b_codings)],
            "codes": [b_only_code.pk, code(study, "VAL.PRES.ATT").pk],
            "code_keys": [b_only_code.key, "VAL.PRES.ATT"],
            "memos": [m.pk for m in memos],
            "jobs": jobs,
            "files": files,
            "assignments": [a.pk for a in assignments],
            "queries": [q.pk for q in saved_queries],
            "users": [coder.pk, coder2.pk],
            "participants": [participant.pk],
            "attributes": [attribute.pk],
            "tokens": [token.pk],
            "versions": [1, 2],
            "deid_spans": [deid_span.pk],
            "deid_entities": [entity.pk],
            "deid_terms": [deid_term.pk],
        },
    )


# --- Filling path parameters --------------------------------------------------------------------

# The collection an integer ``pk``/``id`` belongs to, from the path segment before it.
COLLECTIONS = {
    "interviews": "interviews",
    "dyads": "dyads",
    "codings": "codings",
    "codes": "codes",
    "memos": "memos",
    "jobs": "jobs",
    "agreement": "jobs",
    "assignments": "assignments",
    "participants": "participants",
    "attributes": "attributes",
    "tokens": "tokens",
    "imports": "jobs",
    "versions": "versions",
    "members": "users",
    "queries": "queries",
}


def candidates(world: World, name: str, before: str) -> list[Any]:
    """Values for one path parameter, by its name (and the segment before it for ids)."""
    ids = world.ids
    by_name: dict[str, list[Any]] = {
        "slug": ids["slug"],
        "user_id": ids["users"],
        "code_id": ids["codes"],
        "number": ids["versions"],
        "file_id": ids["files"],
        "job_id": ids["jobs"],
        "span_id": ids["deid_spans"],
        "entity_id": ids["deid_entities"],
        "term_id": ids["deid_terms"],
        "key": ids["code_keys"],
        "chart": list(CHARTS),
        "fmt": sorted({*STUDY_EXPORTS, *CODEBOOK_EXPORTS, "csv", "xlsx"}),
        "format": ["json"],
        # The password-reset link's parts (an invalid link: the page says so).
        "uidb64": ["MQ"],
        "token": ["set-password"],
    }
    if name in by_name:
        return by_name[name]
    if name in {"pk", "id"}:
        return ids[COLLECTIONS[before]]
    raise AssertionError(f"No values for the path parameter {name!r} after {before!r}.")


def url_patterns(
    resolver: URLResolver | None = None, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str, URLPattern]]:
    """Every (route, reversible name, pattern) of the project, recursively."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            route = prefix + str(entry.pattern)
            # The admin is Django's own and for administrators only (never study members).
            if route.startswith("admin/"):
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_patterns(entry, route, inner)
        else:
            yield prefix + str(entry.pattern), f"{namespace}{entry.name}", entry


def filled_urls(world: World) -> list[tuple[str, str]]:
    """(name, URL) for every URL pattern, with every combination of its parameters' values."""
    urls: dict[str, str] = {}
    for route, name, pattern in url_patterns():
        params = list(pattern.pattern.regex.groupindex)
        assert pattern.name, f"{route} has no name, so it cannot be reversed and walked."
        choices = []
        for param in params:
            # The segment before a parameter names its collection ("interviews/<int:pk>/").
            head = re.split(r"\(\?P<" + param + r">|<(?:\w+:)?" + param + ">", route)[0]
            before = [s for s in re.split(r"[/^]", head) if s][-1] if head.strip("^/") else ""
            choices.append(candidates(world, param, before.rstrip("\\.")))
        for values in itertools.product(*choices):
            kwargs = dict(zip(params, values, strict=True))
            try:
                url = reverse(name, kwargs=kwargs)
            except NoReverseMatch:
                # A route registered twice under one name (with and without a format suffix)
                # reverses to the one whose parameters match; the other is walked by its own
                # parameter set.
                continue
            urls[url] = name
    return sorted((name, url) for url, name in urls.items())


def api_operations(world: World) -> list[tuple[str, str]]:
    """(operation id, URL) for every GET of the OpenAPI schema, with its parameters filled and
    its query parameters set to each layer and to B."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations: list[tuple[str, str]] = []
    for path, methods in schema["paths"].items():
        operation = methods.get("get")
        if operation is None:
            continue
        segments = [s for s in path.split("/") if s]
        choices = []
        names = re.findall(r"\{(\w+)\}", path)
        for name in names:
            before = segments[segments.index("{" + name + "}") - 1]
            choices.append(candidates(world, name, before))
        queries = [""]
        for param in operation.get("parameters", []):
            if param["in"] != "query":
                continue
            enum = param.get("schema", {}).get("enum") or []
            queries += [f"?{param['name']}={value}" for value in enum]
            if param["name"] in {"coder", "a", "b", "author", "actor", "user", "coders"}:
                queries += [f"?{param['name']}={who}" for who in (world.b.pk, world.b.username)]
        for values in itertools.product(*choices):
            url = path
            for name, value in zip(names, values, strict=True):
                url = url.replace("{" + name + "}", str(value))
            operations += [(operation["operationId"], url + query) for query in queries]
    return operations


# --- Reading responses --------------------------------------------------------------------------


def body_text(response: Any) -> str:
    """The response's text, with zipped files (XLSX, DOCX, QDPX) and gzip opened."""
    data = (
        b"".join(response.streaming_content)
        if getattr(response, "streaming", False)
        else response.content
    )
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    if data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            data = b"".join(archive.read(name) for name in archive.namelist())
    return data.decode("utf-8", errors="replace")


def leaks(text: str, name: str, b: Any) -> list[str]:
    found = [SECRET] if SECRET in text else []
    if name not in MEMBER_LISTS and B_NAME in text:
        found.append(B_NAME)
    # In JSON, B's id as a coder or author of something.
    if re.search(rf'"(coder|coder_id|author)":\s*{b.pk}\b', text):
        found.append("B as coder or author")
    return found


@dataclass
class Walk:
    walked: int = 0
    names: set[str] = field(default_factory=set)
    statuses: dict[int, int] = field(default_factory=dict)
    leaks: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def visit(self, client: Any, url: str, name: str, b: Any) -> None:
        response = client.get(url)
        self.walked += 1
        self.names.add(name)
        self.statuses[response.status_code] = self.statuses.get(response.status_code, 0) + 1
        if response.status_code >= 500:
            self.errors.append(f"{response.status_code} {url}")
            return
        found = leaks(body_text(response), name, b)
        if found:
            self.leaks.append(f"{url} ({name}): {', '.join(found)}")


def walk_as(user: Any, world: World, *, probes: bool) -> tuple[Walk, Walk]:
    pages, api = Walk(), Walk()
    page_client = Client(raise_request_exception=False)
    page_client.force_login(user)
    api_client = APIClient(raise_request_exception=False)
    api_client.force_authenticate(user)
    queries = probe_queries(world.a, world.b) if probes else [""]
    for name, url in filled_urls(world):
        for query in queries:
            client = api_client if url.startswith("/api/") else page_client
            pages.visit(client, url + query, name, world.b)
    for operation, url in api_operations(world):
        api.visit(api_client, url, operation, world.b)
    return pages, api


# --- The tests ----------------------------------------------------------------------------------


def all_get_operations() -> set[str]:
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    return {methods["get"]["operationId"] for methods in paths.values() if "get" in methods}


def test_a_blinded_coder_finds_nothing_of_another_coders_work_anywhere(world: World) -> None:
    pages, api = walk_as(world.a, world, probes=True)
    assert not pages.errors, pages.errors
    assert not api.errors, api.errors
    assert not pages.leaks, "\n".join(pages.leaks)
    assert not api.leaks, "\n".join(api.leaks)
    # Every URL pattern (but the admin's) and every GET operation was walked, several times.
    assert pages.names == {name for _, name, _ in url_patterns()}
    assert len(pages.names) >= 100, len(pages.names)
    assert api.names == all_get_operations()
    assert len(api.names) >= 40, len(api.names)
    assert pages.walked >= 3000, pages.walked
    assert api.walked >= 500, api.walked
    # Many answers are the pages themselves, not only refusals.
    assert pages.statuses.get(200, 0) >= 400, pages.statuses
    assert api.statuses.get(200, 0) >= 120, api.statuses


def test_the_leads_same_walk_finds_the_other_coders_work(world: World) -> None:
    """The lead is never blinded: the walk reaches B's work, so the test above can fail."""
    pages, api = walk_as(world.lead, world, probes=False)
    assert not pages.errors, pages.errors
    assert not api.errors, api.errors
    assert len(pages.leaks) >= 20, "\n".join(pages.leaks)
    assert len(api.leaks) >= 20, "\n".join(api.leaks)
    found = " ".join(pages.leaks + api.leaks)
    assert SECRET in found
    assert B_NAME in found
    assert "B as coder or author" in found


def test_the_members_list_hides_other_coders_counts_from_a_blinded_coder(world: World) -> None:
    client = APIClient()
    client.force_authenticate(world.a)
    rows = {row["user"]: row for row in client.get("/api/v1/studies/study/members/").json()}
    assert (rows[world.b.pk]["codings"], rows[world.b.pk]["assigned"]) == (None, None)
    assert rows[world.b.pk]["done"] is None
    assert rows[world.lead.pk]["codings"] is None
    assert (rows[world.a.pk]["codings"], rows[world.a.pk]["assigned"]) == (1, 1)
    page = Client()
    page.force_login(world.a)
    body = page.get("/studies/study/members/").content.decode()
    assert body.count("hidden while coding is blind") == 3  # the lead's, B's and the viewer's
    # The lead sees everyone's counts.
    client.force_authenticate(world.lead)
    rows = {row["user"]: row for row in client.get("/api/v1/studies/study/members/").json()}
    assert (rows[world.b.pk]["codings"], rows[world.b.pk]["assigned"]) == (3, 1)


def test_an_adjudicating_coder_adjudicates_only_after_reveal(world: World) -> None:
    interview = world.interviews[0]
    trust = code(world.study, "OUT.TRUST")
    start, end = span(interview, "We met at the clinic")
    decision = {
        "code": trust.pk, "start": start, "end": end, "a": world.a.pk, "b": world.b.pk,
        "decision": "accept", "accepted": world.b.pk,
    }  # fmt: skip
    consensus_coding = {"interview": interview.pk, "code": trust.pk, "start": start, "end": end}
    api = APIClient()
    api.force_authenticate(world.a)
    page = Client()
    page.force_login(world.a)
    adjudications = f"/api/v1/interviews/{interview.pk}/adjudications/"
    refusals = [
        api.post(adjudications, decision, format="json"),
        api.get(adjudications),
        api.get(f"/api/v1/interviews/{interview.pk}/disagreements/"),
        api.post(
            f"/api/v1/interviews/{interview.pk}/consensus-complete/",
            {"complete": True},
            format="json",
        ),
        api.post("/api/v1/codings/", {**consensus_coding, "layer": Layer.CONSENSUS}, format="json"),
        page.post(f"/interviews/{interview.pk}/adjudicate/", decision),
        page.get(f"/interviews/{interview.pk}/disagreements/"),
        page.post(f"/interviews/{interview.pk}/consensus-complete/", {"complete": "1"}),
    ]
    for response in refusals:
        assert response.status_code == 403, response.content
        assert ADJUDICATION_BLIND in response.content.decode()
    assert not Adjudication.objects.exists()
    assert not Coding.objects.filter(layer=Layer.CONSENSUS).exists()

    lead = Client()
    lead.force_login(world.lead)
    assert (
        lead.post("/studies/study/members/", {"action": "reveal", "confirm": "yes"}).status_code
        == 302
    )
    assert api.get(f"/api/v1/interviews/{interview.pk}/disagreements/").status_code == 200
    assert api.post(adjudications, decision, format="json").status_code == 201
    assert Adjudication.objects.count() == 1
    assert Coding.objects.filter(layer=Layer.CONSENSUS, code=trust).exists()
