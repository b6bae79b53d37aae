"""The audit trail names objects ("code OUT.TRUST", "dyad D03", "interview D03 · Patient",
"memo 'title'", "member jo"), not ids, on the page and in its CSV: resolved in bulk (the page's
query count does not grow with its rows), from the event's snapshot when the object is gone, and
"#id" only when nothing is known."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from coding.services import (
    code_create,
    code_update,
    coding_create,
    coding_delete,
    memo_create,
    memo_delete,
)
from coding.team.services import interview_delete_with_codings, membership_change
from healing.audit.models import AuditEvent
from healing.audit.services import audit_record
from interviews.models import Membership, Study
from interviews.services.people import dyad_delete
from tests.factories import code, make_interview


def lead_client(lead: Any) -> Client:
    client = Client()
    client.force_login(lead)
    return client


def _names_column(body: str) -> list[str]:
    """The "What" cell of each row: its first line (the object's name)."""
    skip = r"\s*<td>.*?</td>" * 3  # when, who, action
    cells = re.findall(rf'<tr id="event-\d+">{skip}\s*<td>(.*?)(?:<br>|</td>)', body, re.S)
    return [" ".join(cell.split()) for cell in cells]


def test_the_trail_names_created_changed_and_deleted_objects(
    study: Study, lead: Any, coder: Any
) -> None:
    trust = code(study, "OUT.TRUST")
    interview = make_interview(study=study, dyad="D03", perspective="patient")
    coding = coding_create(interview=interview, code=trust, coder=coder, start=0, end=5)
    coding_id = coding.pk
    coding_delete(coding=coding, actor=coder)
    new = code_create(codebook=study.codebook, key="NEW.KEY", name="New", actor=lead)
    code_update(code=new, actor=lead, name="Renamed")
    memo_create(study=study, author=lead, title="Why trust matters", body="…", code=trust)
    gone_memo = memo_create(study=study, author=lead, title="Draft thought", body="…")
    gone_memo_id = gone_memo.pk
    memo_delete(memo=gone_memo, actor=lead)
    membership = Membership.objects.select_related("user", "study").get(study=study, user=coder)
    membership_change(membership=membership, actor=lead, adjudicator=True)
    doomed = make_interview(study=study, dyad="D04", perspective="clinician")
    doomed_dyad = doomed.dyad_id
    interview_delete_with_codings(interview=doomed, actor=lead)
    dyad_delete(dyad=doomed.dyad, actor=lead)
    audit_record(study_id=study.pk, actor=lead, action="update", object_type="widget",
                 object_id="77", summary="something unknown")  # fmt: skip

    response = lead_client(lead).get("/studies/study/audit/")
    assert response.status_code == 200
    names = _names_column(response.content.decode())
    for expected in (
        "coding OUT.TRUST in D03 · Patient",  # created, then deleted (from its snapshot)
        "code NEW.KEY",
        "memo &#x27;Why trust matters&#x27;",
        "memo &#x27;Draft thought&#x27;",  # deleted: named from its snapshot
        "member coder",
        "interview D03 · Patient",
        "interview D04 · Clinician",  # deleted, and its dyad too: from the snapshots
        "dyad D04",
        "widget #77",  # nothing known: its id
    ):
        assert expected in names, (expected, names)
    # No row is named by a bare number.
    assert not [n for n in names if re.fullmatch(r"[a-z_ ]+ \d+", n)], names

    csv_rows = list(
        csv.DictReader(
            io.StringIO(
                lead_client(lead).get("/studies/study/audit.csv").content.decode("utf-8-sig")
            )
        )
    )
    by_id = {(row["object type"], row["object id"]): row["object"] for row in csv_rows}
    assert by_id[("coding", str(coding_id))] == "coding OUT.TRUST in D03 · Patient"
    assert by_id[("memo", str(gone_memo_id))] == "memo 'Draft thought'"
    assert by_id[("membership", str(membership.pk))] == "member coder"
    assert by_id[("dyad", str(doomed_dyad))] == "dyad D04"
    assert by_id[("widget", "77")] == "widget #77"


def _page_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/studies/study/audit/").status_code == 200
    return len(captured)


def test_names_are_resolved_in_bulk_not_per_row(study: Study, lead: Any, coder: Any) -> None:
    client = lead_client(lead)
    trust = code(study, "OUT.TRUST")

    def a_round(n: int) -> None:
        interview = make_interview(
            study=study, dyad=f"R{n:02d}", perspective="patient", text=f"P: words {n}\n"
        )
        coding = coding_create(interview=interview, code=trust, coder=coder, start=0, end=2)
        coding_delete(coding=coding, actor=coder)
        coding_create(interview=interview, code=trust, coder=coder, start=0, end=2)
        memo_create(study=study, author=lead, title=f"memo {n}", body="…")
        code_update(code=trust, actor=lead, definition=f"round {n}")

    a_round(1)
    few = AuditEvent.objects.filter(study=study).count()
    first = _page_queries(client)
    for n in range(2, 7):
        a_round(n)
    assert AuditEvent.objects.filter(study=study).count() > few * 2
    # The same kinds of object on the page: the same number of queries, whatever the rows
    # (one per kind: codings, memos, then the codes, interviews and dyads named or referred to).
    assert _page_queries(client) == first
