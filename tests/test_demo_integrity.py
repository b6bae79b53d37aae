"""The demo study under the research-integrity rules (issue 11), end to end.

The demo (``python manage.py load_demo``) has 9 dyads; the lead settled and marked complete the
consensus of the first two (D01, D02: 4 interviews), Ana coded every interview (the last two
half-way) and Ben the first twelve. The comparison's default layer ``best`` must therefore read
the consensus for 2 dyads and the coders' union for 7 — and no dyad may come out empty.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from rest_framework.test import APIClient

from coding.demo.build import DEMO_SLUG
from coding.models import Adjudication, Code, Coding, Layer
from coding.services import coding_create
from interviews.models import Interview, Perspective, Study

DYADS = 9
ON_CONSENSUS = ("D01", "D02")  # the demo's consensus-complete dyads


def _client(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)  # the JSON API
    client.force_login(user)  # the pages
    return client


def _walk(components: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for component in components:
        yield component
        yield from _walk(component["children"])


@pytest.fixture
def demo(db: Any) -> dict[str, Any]:
    call_command("load_demo", stdout=io.StringIO())
    users = {
        u.username: u for u in get_user_model().objects.filter(username__in=["lead", "ana", "ben"])
    }
    return {"study": Study.objects.get(slug=DEMO_SLUG), **users}


def test_comparison_default_best_covers_every_dyad(demo: dict[str, Any]) -> None:
    lead = demo["lead"]
    client = _client(lead)

    # The page: the default layer is "best", and it says which layer each dyad used.
    page = client.get(f"/studies/{DEMO_SLUG}/comparison/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-layer="best"' in html
    union = DYADS - len(ON_CONSENSUS)
    usage_line = (
        f"Best available layer: consensus for {len(ON_CONSENSUS)} of {DYADS} dyads, "
        f"coders&#x27; union for {union}."
    )
    assert usage_line in html
    assert 'id="layer-warning"' not in html

    # The matrix JSON: every dyad has at least one code present (on either side).
    present: dict[str, set[str]] = {}
    for side in ("patient", "clinician"):
        answer = client.get(
            f"/api/v1/studies/{DEMO_SLUG}/comparison/matrix/", {"side": side}
        ).json()
        assert answer["layer"]["name"] == "best"
        usage = answer["layer"]["usage"]
        assert (usage["dyads"], usage["consensus"], usage["union"], usage["mixed"]) == (
            DYADS,
            len(ON_CONSENSUS),
            union,
            0,
        )
        assert usage["dyads_without_codings"] == []
        keys = [code["key"] for code in answer["codes"]]
        for dyad, row in zip(answer["dyads"], answer["values"], strict=True):
            present.setdefault(dyad["label"], set()).update(
                key for key, value in zip(keys, row, strict=True) if value
            )
    assert len(present) == DYADS
    empty = sorted(label for label, codes in present.items() if not codes)
    assert empty == [], f"dyads with no code present under 'best': {empty}"

    # Prevalence: some components are present in every one of the 9 dyads.
    prevalence = client.get(
        f"/api/v1/studies/{DEMO_SLUG}/comparison/prevalence/", {"threshold": 100}
    ).json()
    assert prevalence["dyads"] == DYADS
    assert len(prevalence["common"]) > 0


def test_consensus_layer_names_dyads_without_codings(demo: dict[str, Any]) -> None:
    client = _client(demo["lead"])
    answer = client.get(
        f"/api/v1/studies/{DEMO_SLUG}/comparison/matrix/", {"layer": "consensus"}
    ).json()
    assert answer["layer"]["name"] == "consensus"
    without = answer["layer"]["usage"]["dyads_without_codings"]
    expected = [f"D0{n}" for n in range(1, DYADS + 1) if f"D0{n}" not in ON_CONSENSUS]
    assert without == expected
    assert answer["layer"]["usage"]["warning"].startswith(f"{len(expected)} of {DYADS} dyads")

    page = client.get(f"/studies/{DEMO_SLUG}/comparison/", {"layer": "consensus"})
    html = page.content.decode()
    assert 'id="layer-warning"' in html
    assert f"{len(expected)} of {DYADS} dyads have no consensus codings: D03" in html


def test_agreed_passage_enters_consensus_when_marked_complete(demo: dict[str, Any]) -> None:
    lead, ana, ben, study = demo["lead"], demo["ana"], demo["ben"], demo["study"]
    # D03's patient interview: both coders coded it, its consensus is not complete.
    interview = Interview.objects.get(
        dyad__study=study, dyad__label="D03", perspective=Perspective.PATIENT
    )
    assert not interview.consensus_complete
    trust = Code.objects.get(codebook__study=study, key="OUT.TRUST")

    # A span of one answer that neither coder (nor the consensus) coded with OUT.TRUST.
    taken = list(Coding.objects.filter(interview=interview, code=trust).values_list("start", "end"))
    turn = next(
        t
        for t in interview.turns.exclude(role="interviewer").order_by("index")
        if t.end - t.start > 80 and not any(s < t.end and e > t.start for s, e in taken)
    )
    start, end = turn.start + 10, turn.start + 70
    for coder in (ana, ben):
        coding_create(interview=interview, code=trust, coder=coder, start=start, end=end)

    url = f"/api/v1/interviews/{interview.pk}/consensus-complete/"
    refused = _client(lead).post(url, {"complete": True}, format="json")
    assert refused.status_code == 400  # disagreements are open: confirm and give a reason
    assert not Coding.objects.filter(interview=interview, layer=Layer.CONSENSUS).exists()
    answer = _client(lead).post(
        url,
        {"complete": True, "confirm_open": True, "reason": "Demo: the rest stays open."},
        format="json",
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["consensus_complete"] is True
    assert answer.json()["open_disagreements"] > 0  # so confirm_open and the reason were needed

    consensus = Coding.objects.get(
        interview=interview, layer=Layer.CONSENSUS, code=trust, start=start, end=end
    )
    agreed = Adjudication.objects.get(interview=interview, code=trust, start=start, end=end)
    assert agreed.decision == Adjudication.Decision.AGREED
    assert agreed.result[0][0] == consensus.pk

    # The dyad's case study (default: best) now reads D03's patient side from the consensus.
    case = _client(lead).get(f"/api/v1/dyads/{interview.dyad_id}/case-study/").json()
    assert case["layer"]["name"] == "best"
    components = {c["code"]: c for group in case["groups"] for c in _walk(group["components"])}
    side = components["OUT.TRUST"]["patient"]
    assert side["present"]
    assert any(
        x["start"] == start and x["end"] == end and x["coding"] == consensus.pk
        for x in side["excerpts"]
    ), [(x["start"], x["end"], x["coding"], x["link"]) for x in side["excerpts"]]
    assert any(
        f"/interviews/{interview.pk}/?layer=consensus" in x["link"] for x in side["excerpts"]
    )

    # In the comparison D03 is now read from the consensus on one side only.
    matrix = _client(lead).get(f"/api/v1/studies/{DEMO_SLUG}/comparison/matrix/").json()
    usage = matrix["layer"]["usage"]
    assert (usage["consensus"], usage["union"], usage["mixed"]) == (2, 6, 1)
    assert "consensus on one side and coders' union on the other for 1" in usage["description"]
