"""The organisation, date and place rules added after the round-5 held-out transcripts, each on
text written for the test (not taken from the corpus)."""

from __future__ import annotations

import pytest

from interviews.deid.detect import detect
from interviews.deid.proposals import Kind


def found(text: str) -> dict[str, Kind]:
    return {proposal.text: proposal.kind for proposal in detect(text)}


@pytest.mark.parametrize(
    ("text", "span", "kind"),
    [
        # a name before a workplace noun is an employer
        ("He ran a forklift at the Brantley plant for years.", "Brantley", Kind.ORG),
        ("She packed boxes at the Orvis warehouse.", "Orvis", Kind.ORG),
        # an acronym before an organisation noun, or after at/with/through
        ("The WCTA bus never came that morning.", "WCTA", Kind.ORG),
        ("Her old doctor was at KPG, and he retired.", "KPG", Kind.ORG),
        ("My supplement is with NRTA now.", "NRTA", Kind.ORG),
        # a title word inside an organisation's name is no title
        (
            "They sent the Visiting Nurse Service of Dane County out.",
            "Visiting Nurse Service of Dane County",
            Kind.ORG,
        ),
        # a saint's name with a possessive is a parish, school or hospital
        ("They did the scan at St. Agnes's last week.", "St. Agnes's", Kind.LOCATION),
        ("We go to St. Mary's on Sundays.", "St. Mary's", Kind.LOCATION),
        # multi-word national chains are known as phrases
        ("Then the pharmacy got bought by Rite Aid.", "Rite Aid", Kind.ORG),
        # routes and highways
        ("The farm is out on Route 41, past the elevator.", "Route 41", Kind.LOCATION),
        ("We took I-75 down to the hospital.", "I-75", Kind.LOCATION),
        ("It's off State Route 32 near the feed store.", "State Route 32", Kind.LOCATION),
    ],
)
def test_organisation_and_place_rules(text: str, span: str, kind: Kind) -> None:
    assert found(text).get(span) == kind, detect(text)


def test_the_head_of_an_organisation_repeats() -> None:
    text = "He worked at Brennan Foods for ten years. Then one day Brennan laid off half the line."
    spans = found(text)
    assert spans.get("Brennan Foods") == Kind.ORG
    assert "Brennan" in spans, detect(text)


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("My left hand first, 4/19, then the right one.", "4/19"),
        ("She had it done after 11/2 and felt fine.", "11/2"),
        ("It was Tuesday, March 8th when it happened.", "Tuesday, March 8th"),
        ("We met on Saturday, Oct. 3, 2020 at the park.", "Saturday, Oct. 3, 2020"),
        ("He was out the second week of April 2019.", "second week of April 2019"),
        ("the last weekend of June, we drove up", "last weekend of June"),
        ("He died on Good Friday 2016, in the morning.", "Good Friday 2016"),
        ("It was Thanksgiving Day 2019 and we ate late.", "Thanksgiving Day 2019"),
        ("The baby came on Juneteenth.", "Juneteenth"),
        ("We married on St. Patrick's Day, 2004.", "St. Patrick's Day, 2004"),
    ],
)
def test_date_rules(text: str, span: str) -> None:
    assert found(text).get(span) == Kind.DATE, detect(text)


@pytest.mark.parametrize(
    "text",
    [
        "About 1/2 of the pills were gone.",
        "She drinks 2/3 of a cup, maybe less.",
        "Every Good Friday we walk to the church.",
        "The appointment is the 2nd Tuesday of the month.",
        "in the first week of the program we learned a lot",
        "Then we went to the ICU with CPR going.",
        "Speaker 1: How are you?\n\nSpeaker 2: Fine, thanks.",
    ],
)
def test_rules_leave_these_alone(text: str) -> None:
    assert detect(text) == [], detect(text)
